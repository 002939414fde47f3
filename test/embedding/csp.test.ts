/**
 * Rubric under a Content-Security-Policy without 'unsafe-eval' (a strict page, or an edge
 * runtime that forbids eval): the documented path is a scorer module generated at build time
 * (`emitModule`, what `rubric build --target js` writes), which never evaluates a string. The test
 * serves a page with the header `Content-Security-Policy: default-src 'self'; script-src 'self'`
 * and opens it in Chromium: the page imports the generated module and scores a lead (the same
 * result as in-process), and also imports core's browser bundle to show what works there and what
 * does not: `analyze` (parse + check) and `format` run, while `compile()` and `runTests()` are
 * refused with an EvalError, since they instantiate generated code with `new Function`, and the
 * browser reports the violation of script-src.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, emitModule } from '@rubric/core';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launchChromium, SKIP_BROWSER, watchedPage } from '../playground/browser.js';
import { LEAD, NOW, referenceScore, ROOT, RULES } from './support.js';

const CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'";

const APP = `
const out = { violations: [] };
document.addEventListener('securitypolicyviolation', (event) => {
  out.violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI });
});
const input = await (await fetch('./input.json')).json();
// The documented path: a scorer generated at build time.
const { score } = await import('./scorer.js');
out.score = score(input.lead, { now: input.now });
// Core's browser bundle under the same policy.
const core = await import('./core.js');
out.analyzeErrors = core.analyze(input.rules).diagnostics.filter((d) => d.severity === 'error').length;
out.formatted = core.format(input.rules).text.length > 0;
for (const [name, run] of [['compile', () => core.compile(input.rules)], ['runTests', () => core.runTests(input.rules)]]) {
  try {
    run();
    out[name] = 'ran';
  } catch (error) {
    out[name] = error.name + ': ' + error.message;
  }
}
await new Promise((resolve) => setTimeout(resolve, 100)); // violation events are dispatched later
document.getElementById('out').textContent = JSON.stringify(out);
`;

let dir: string;
let server: { url: string; close: () => Promise<void> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rubric-csp-'));
  const analysis = analyze(RULES);
  writeFileSync(path.join(dir, 'scorer.js'), emitModule(analysis.model));
  await build({
    entryPoints: [path.join(ROOT, 'packages/core/src/index.ts')],
    outfile: path.join(dir, 'core.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
  });
  writeFileSync(path.join(dir, 'input.json'), JSON.stringify({ rules: RULES, lead: LEAD, now: NOW }));
  writeFileSync(path.join(dir, 'app.js'), APP);
  writeFileSync(path.join(dir, 'favicon.ico'), ''); // (Chromium asks for it)
  writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>Rubric under CSP</title><pre id="out"></pre><script type="module" src="app.js"></script>\n',
  );
  server = await startStaticServer({ root: dir, headers: { 'Content-Security-Policy': CSP } });
  if (!SKIP_BROWSER) browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(SKIP_BROWSER)('Rubric in a page whose CSP forbids unsafe-eval', () => {
  it('scores with a module generated at build time; compile() is refused with an EvalError', async () => {
    if (browser === undefined || server === undefined) throw new Error('not set up');
    const { page, problems } = await watchedPage(browser);
    const response = await page.goto(server.url, { waitUntil: 'load' });
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    await page.waitForFunction(() => (document.getElementById('out')?.textContent ?? '') !== '', undefined, { timeout: 20_000 });
    const out = JSON.parse((await page.locator('#out').textContent()) ?? '{}') as Record<string, unknown>;
    // The generated module: same result as in-process.
    expect(out.score).toEqual(referenceScore());
    // Parsing, checking and formatting need no eval.
    expect(out.analyzeErrors).toBe(0);
    expect(out.formatted).toBe(true);
    // compile() and runTests() instantiate generated code with new Function: refused.
    expect(out.compile).toMatch(/^EvalError: .*unsafe-eval/);
    expect(out.runTests).toMatch(/^EvalError: /);
    expect(out.violations).toContainEqual({ directive: 'script-src', blocked: 'eval' });
    // Chromium logs the refused evaluations to the console; nothing else went wrong.
    expect(problems.filter((p) => !p.includes("'unsafe-eval'"))).toEqual([]);
    await page.context().close();
  });
});
