#!/usr/bin/env node
// `npm run fuzz -- --seconds 600 --seed N`: the long fuzz run (test/fuzz/cli.ts, options there).
// Runs the TypeScript sources under tsx with test/fuzz/tsconfig.json, which maps `@rubric/core`
// to the core's source as vitest does, so no build is needed and nothing stale is fuzzed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(process.execPath, ['--import', 'tsx', 'test/fuzz/cli.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../test/fuzz/tsconfig.json', import.meta.url)) },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 2 : 1)));
