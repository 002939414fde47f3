/**
 * `@rubric/core` from a CommonJS project: a temporary package with `"type": "commonjs"` that has
 * @rubric/core in its node_modules (a link to packages/core, as npm links a workspace) runs
 * `require('@rubric/core')` in a separate node process, compiles the example and scores a lead.
 * The same consumer written as an ES module gets the same score, and a TypeScript CommonJS
 * consumer (`import core = require(...)`) type-checks with `module: nodenext`. Needs
 * `npm run build` (the `require` entry is packages/core/dist/index.cjs, built from the ES build by
 * esbuild; the types are dist/index.d.ts for both).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD, NOW, referenceScore, ROOT, RULES_PATH } from './support.js';

let dir: string;

beforeAll(() => {
  if (!existsSync(path.join(ROOT, 'packages/core/dist/index.cjs'))) throw new Error('packages/core/dist/index.cjs is missing: run `npm run build` first');
  dir = mkdtempSync(path.join(tmpdir(), 'rubric-cjs-'));
  mkdirSync(path.join(dir, 'node_modules/@rubric'), { recursive: true });
  symlinkSync(path.join(ROOT, 'packages/core'), path.join(dir, 'node_modules/@rubric/core'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }));
  const body = (load: string): string => `${load}
const { readFileSync } = require('node:fs');
const { compile, format } = core;
const { scorer, diagnostics } = compile(readFileSync(${JSON.stringify(RULES_PATH)}, 'utf8'));
if (scorer === null) throw new Error(diagnostics.map((d) => d.message).join('; '));
const lead = ${JSON.stringify(LEAD)};
process.stdout.write(JSON.stringify({
  kind: typeof module === 'undefined' ? 'esm' : 'cjs',
  result: scorer.score(lead, { now: ${JSON.stringify(NOW)} }),
  formats: typeof format('lead { a: text }').text,
}));
`;
  writeFileSync(path.join(dir, 'consumer.js'), body("'use strict';\nconst core = require('@rubric/core');"));
  writeFileSync(
    path.join(dir, 'consumer.mjs'),
    body("import * as core from '@rubric/core';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);"),
  );
  writeFileSync(
    path.join(dir, 'consumer.cts'),
    "import core = require('@rubric/core');\nconst { scorer } = core.compile('lead { job: text }');\nexport const score: number | undefined = scorer?.score({ job: 'CEO' }).score;\n",
  );
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function run(file: string): { kind: string; result: unknown; formats: string } {
  const out = execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out) as { kind: string; result: unknown; formats: string };
}

describe('@rubric/core from CommonJS', () => {
  it('require() loads it, compiles a rule file and scores a lead as in-process', () => {
    const cjs = run('consumer.js');
    expect(cjs.kind).toBe('cjs');
    expect(cjs.formats).toBe('string');
    expect(cjs.result).toEqual(referenceScore());
    expect((cjs.result as { score: number }).score).toBeGreaterThan(0);
  });

  it('type-checks in a TypeScript CommonJS file (module: nodenext)', () => {
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const args = [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'consumer.cts'];
    expect(() => execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 })).not.toThrow();
  });

  it('import from an ES module gives the same result', () => {
    const esm = run('consumer.mjs');
    expect(esm.kind).toBe('esm');
    expect(esm.result).toEqual(run('consumer.js').result);
  });
});
