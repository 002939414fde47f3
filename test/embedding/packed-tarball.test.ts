/**
 * `@rubric/core` as a user gets it: the tarball `npm pack` makes of packages/core (what `npm
 * publish` would upload), unpacked into a temporary CommonJS project outside the repository with
 * no other package beside it. `require('@rubric/core')` must work there from the package's own
 * files (the CommonJS build inlines chevrotain), and the tarball must hold what the `exports` map
 * names and nothing of the build's own bookkeeping. (cjs-consumer.test.ts links the workspace
 * folder instead, which would not see a file missing from `files` or a dependency resolved
 * through the repository's node_modules.) Needs `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD, NOW, referenceScore, ROOT, RULES } from './support.js';

let dir: string;
let files: string[];

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'packages/core/dist/index.cjs'))) throw new Error('packages/core/dist/index.cjs is missing: run `npm run build` first');
  dir = mkdtempSync(path.join(tmpdir(), 'rubric-packed-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: path.join(ROOT, 'packages/core'), encoding: 'utf8', timeout: 60_000 }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0].files.map((f) => f.path);
  const target = path.join(dir, 'consumer/node_modules/@rubric/core');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(dir, packed[0].filename), '-C', target, '--strip-components=1'], { timeout: 30_000 });
  writeFileSync(path.join(dir, 'consumer/package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
  writeFileSync(path.join(dir, 'consumer/rules.rubric'), RULES);
  writeFileSync(
    path.join(dir, 'consumer/consumer.js'),
    `'use strict';
const { compile } = require('@rubric/core');
const { scorer, diagnostics } = compile(require('node:fs').readFileSync('rules.rubric', 'utf8'));
if (scorer === null) throw new Error(diagnostics.map((d) => d.message).join('; '));
process.stdout.write(JSON.stringify(scorer.score(${JSON.stringify(LEAD)}, { now: ${JSON.stringify(NOW)} })));
`,
  );
}, 90_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the packed @rubric/core', () => {
  it('holds every file its exports map names, and no build bookkeeping', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'packages/core/package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    for (const entry of Object.values(manifest.exports['.'])) expect(files).toContain(path.posix.normalize(entry));
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
    expect(files.every((f) => f === 'package.json' || f === 'README.md' || f.startsWith('dist/') || (f.startsWith('src/') && f.endsWith('.ts')))).toBe(true);
  });

  it('ships the sources its source maps and declaration maps point to', () => {
    // A debugger stepping into the scorer, or "go to definition" in an editor, follows these
    // maps; a map naming a file the tarball lacks sends the user to nothing.
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(path.join(dir, 'consumer/node_modules/@rubric/core', map), 'utf8')) as { sources: string[] };
      for (const source of sources) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(map), source));
        if (!files.includes(target)) missing.push(`${map} -> ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('is required from a CommonJS project outside the repository, with no other package installed', () => {
    const out = execFileSync(process.execPath, ['consumer.js'], { cwd: path.join(dir, 'consumer'), encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_PATH: '' } });
    expect(JSON.parse(out)).toEqual(referenceScore());
  });
});
