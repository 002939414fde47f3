/**
 * `@rubric/core` in a browser bundle: esbuild bundles its sources for `platform: 'browser'` (a
 * Node built-in anywhere in core or its dependencies fails that build), the metafile lists no
 * `node:` input, and the bundle, evaluated in a bare V8 context (no `require`, `process`, `Buffer`
 * or any other Node global), compiles the example and scores a lead as in-process.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { LEAD, NOW, referenceScore, ROOT, RULES } from './support.js';

describe('@rubric/core in a browser bundle', () => {
  it('bundles for the browser with no Node built-in and scores a lead when evaluated', async () => {
    const result = await build({
      entryPoints: [path.join(ROOT, 'packages/core/src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'RubricCore',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:') || /(^|\/)(fs|path|url|os|module)$/.test(input))).toEqual([]);
    expect(inputs.some((input) => input.includes('chevrotain'))).toBe(true);

    const context = createContext({ input: JSON.stringify({ rules: RULES, lead: LEAD, now: NOW }) });
    expect(runInContext('typeof require + typeof process + typeof Buffer', context)).toBe('undefinedundefinedundefined');
    runInContext(result.outputFiles[0].text, context);
    const out = runInContext(
      `(() => {
        const { rules, lead, now } = JSON.parse(input);
        const { scorer, diagnostics } = RubricCore.compile(rules);
        if (scorer === null) return JSON.stringify({ diagnostics });
        return JSON.stringify(scorer.score(lead, { now }));
      })()`,
      context,
    ) as string;
    expect(JSON.parse(out)).toEqual(referenceScore());
  });
});
