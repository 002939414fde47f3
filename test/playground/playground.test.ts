/**
 * The playground in a real browser (Debian's Chromium via playwright-core): the page is built
 * into a temporary directory (`playground/build.mjs --outdir`), served by the repository's static
 * server on an ephemeral port, and driven like a person would: type an error and see the server's
 * diagnostic and apply its quick fix, accept a completion, load a sample and read a score (the
 * same score the core gives in-process), explain a lead, open a share link in a fresh page and get
 * the same file and sample. No test sees a console error or a request to another origin. A
 * screenshot of the loaded page is saved to test-artifacts/playground.png.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, format, type Lead } from '@rubric/core';
import { trimSample } from '../../playground/src/share.js';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launchChromium, SKIP_BROWSER, watchedPage, type WatchedPage } from './browser.js';

const ROOT = path.join(import.meta.dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const EXAMPLE = 'smb-software';

let dir: string;
let server: { url: string; close: () => Promise<void> } | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rubric-playground-'));
  execFileSync(process.execPath, [path.join(ROOT, 'playground/build.mjs'), '--outdir', dir], { stdio: 'pipe', timeout: 120_000 });
  server = await startStaticServer({ root: dir });
  if (!SKIP_BROWSER) browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Opens the playground (at `fragment`) and waits until the server has answered once. */
async function open(fragment = ''): Promise<WatchedPage> {
  if (browser === undefined || server === undefined) throw new Error('not set up');
  const watched = await watchedPage(browser);
  await watched.page.goto(server.url + fragment, { waitUntil: 'load' });
  await watched.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await watched.page.waitForFunction(() => (document.getElementById('tests-summary')?.textContent ?? '') !== '', undefined, { timeout: 30_000 });
  return watched;
}

function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as { rubricPlayground: { text(): string } }).rubricPlayground.text());
}

async function setEditorText(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => (window as unknown as { rubricPlayground: { setText(t: string): void } }).rubricPlayground.setText(t), text);
}

/** Puts the cursor at the end of the editor's text. */
async function cursorAtEnd(page: Page): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
}

/** Problems other than the page's own; and every request stayed on the page's origin. */
function expectClean(watched: WatchedPage): void {
  expect(watched.problems).toEqual([]);
  const origin = new URL(server?.url ?? 'http://x').origin;
  expect(watched.requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
}

describe.skipIf(SKIP_BROWSER)('the playground in Chromium', () => {
  it('loads an example with its tests and sample scored, with no console error', async () => {
    const watched = await open();
    const { page } = watched;
    expect(await page.locator('#tests-summary').textContent()).toMatch(/^\d+ passed, 0 failed$/);
    await page.waitForSelector('#scores tbody tr');
    expect(await page.locator('#scores tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('#histograms svg[role="img"]').count()).toBeGreaterThan(0);
    // Semantic colouring from the server (names) beside the lexical colouring (keywords).
    await page.waitForSelector('.cm-content .sem-property');
    expect(await page.locator('.cm-content .lex-declaration').count()).toBeGreaterThan(0);
    // Every control has a name a screen reader can say (its text, a label or aria-label).
    const unnamed = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('button, select, input, textarea, [contenteditable="true"]'))
        .filter((el) => !el.hidden && (el.textContent ?? '').trim() === '' && !el.getAttribute('aria-label') && !el.closest('label') && !(el.id !== '' && document.querySelector(`label[for="${el.id}"]`)))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'playground.png') });
    // Once loaded, the page asks for nothing more than its four files
    // (its service worker's script, which caches them for offline use, is the browser's request).
    const paths = new Set(watched.requests.map((url) => new URL(url).pathname));
    paths.delete('/sw.js');
    expect(paths).toEqual(new Set(['/', '/style.css', '/main.js', '/worker.js']));
    expectClean(watched);
    await page.context().close();
  });

  it('shows the diagnostic of a typed error and applies its quick fix', async () => {
    const watched = await open();
    const { page } = watched;
    await setEditorText(page, 'lead {\n  country: text\n}\ngroup fit max 10 {\n  when country = FR add 5\n}\n');
    await cursorAtEnd(page);
    await page.keyboard.type('group more max 5 {\n  when countyr = BE add 5');
    await page.waitForSelector('.cm-lintRange-error', { timeout: 15_000 });
    // The lint panel (Ctrl-Shift-M) lists the message and the server's quick fix.
    await page.keyboard.press('Escape'); // (closes the completion list, if one is open)
    await page.keyboard.press('Control+Shift+M');
    const panel = page.locator('.cm-panel.cm-panel-lint');
    await expect.poll(async () => (await panel.textContent()) ?? '', { timeout: 15_000 }).toMatch(/countyr/);
    expect(await panel.textContent()).toContain('R010');
    const fix = panel.locator('button', { hasText: 'replace with `country`' });
    await fix.waitFor({ timeout: 15_000 });
    await fix.click();
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toContain('when country = BE add 5');
    await page.waitForSelector('.cm-lintRange-error', { state: 'detached', timeout: 15_000 });
    expectClean(watched);
    await page.context().close();
  });

  it('accepts a completion from the server', async () => {
    const watched = await open();
    const { page } = watched;
    await setEditorText(page, 'lead {\n  company.industry: text\n}\ngroup fit max 10 {\n}\n');
    // Into the group's body.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown'); // to line 4, `group fit max 10 {`
    await page.keyboard.press('End');
    await page.keyboard.type('\n  when company.indu');
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'industry' }).first();
    await option.waitFor({ timeout: 15_000 });
    // CodeMirror ignores Enter for 75 ms after the list appears (its interactionDelay: no accidental accept).
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toContain('when company.industry');
    expectClean(watched);
    await page.context().close();
  });

  it('formats as the core formatter does, shows hover documentation and the file’s test results', async () => {
    const watched = await open();
    const { page } = watched;
    const messy = 'lead {   job: text\n  }\ngroup  fit   max 10 { when job in [CEO,CTO]   add 10 "<img src=x onerror=alert(1)><b>bold</b>" }\n';
    await setEditorText(page, messy);
    await page.locator('#format').click();
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toBe(format(messy).text);
    // Hover the field's use in the rule: the server's documentation of the field.
    const tooltip = page.locator('.cm-tooltip-hover');
    await page.locator('.cm-line', { hasText: 'when job in' }).locator('span', { hasText: /^job$/ }).first().hover();
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toMatch(/lead field.*text/);
    // Hover the rule: its label is the file's text, shown as text, never as markup (a shared
    // link is someone else's file).
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('.cm-line', { hasText: 'when job in' }).locator('span', { hasText: /^add$/ }).first().hover();
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toContain('bold');
    expect(await tooltip.locator('img, b, script').count()).toBe(0);
    // The file's tests run as it changes: a failing one says what it expected and what it got.
    await setEditorText(page, `${format(messy).text}\ntest "a CEO" {\n  lead { job: "CEO" }\n  expect score 25\n}\n`);
    await expect.poll(async () => (await page.locator('#tests-summary').textContent()) ?? '', { timeout: 15_000 }).toBe('0 passed, 1 failed');
    expect(await page.locator('#tests li.fail').textContent()).toMatch(/a CEO.*expected 25, got 10/s);
    expectClean(watched);
    await page.context().close();
  });

  it('loads an example’s sample, scores it as the core does, and explains a clicked lead', async () => {
    const watched = await open();
    const { page } = watched;
    await page.selectOption('#example-picker', EXAMPLE);
    await expect.poll(async () => (await page.locator('#scores-summary').textContent()) ?? '', { timeout: 20_000 }).toMatch(/^100 leads scored at \S+ \(the sample’s latest event\)/);
    // Score at the instant examples/README.md gives.
    const now = '2026-03-01T00:00:00.000Z';
    await page.locator('#score-now').fill('2026-03-01');
    await page.locator('#score-now').press('Enter');
    await page.locator('#score-now').blur();
    await expect.poll(async () => (await page.locator('#scores-summary').textContent()) ?? '', { timeout: 20_000 }).toMatch(new RegExp(`^100 leads scored at ${now} \\(as set\\)`));
    // The first row, against the core in-process at the same instant.
    const rules = readFileSync(path.join(ROOT, `examples/${EXAMPLE}/${EXAMPLE}.rubric`), 'utf8');
    const lead = JSON.parse(readFileSync(path.join(ROOT, `examples/${EXAMPLE}/${EXAMPLE}.sample.jsonl`), 'utf8').split('\n')[0]) as Lead;
    const expected = compile(rules).scorer?.score(lead, { now });
    const firstRow = page.locator('#scores tbody tr').first();
    expect(Number(await firstRow.locator('td.score').textContent())).toBe(expected?.score);
    expect((await firstRow.locator('td').nth(2).textContent()) ?? '').toBe(expected?.stage ?? '—');
    // Explain it.
    await firstRow.locator('button').click();
    await expect.poll(async () => (await page.locator('#explain h3').textContent()) ?? '', { timeout: 10_000 }).toContain(`${expected?.score} points`);
    // A pasted CSV sample replaces it.
    const csv = readFileSync(path.join(ROOT, 'examples/three-stage-mql/three-stage-mql.sample.csv'), 'utf8').split('\n').slice(0, 6).join('\n');
    await page.selectOption('#example-picker', 'three-stage-mql');
    await page.locator('#sample-text').fill(csv);
    await expect.poll(async () => (await page.locator('#scores-summary').textContent()) ?? '', { timeout: 20_000 }).toMatch(/^5 leads scored at /);
    expect(await page.locator('#sample-summary').textContent()).toContain('5 leads read as CSV');
    expectClean(watched);
    await page.context().close();
  });

  it('works offline, reloads included, once loaded', async () => {
    const watched = await open();
    const { page } = watched;
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The service worker controls the page after a reload; then cut the network and reload again.
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    // (A reload aborts whatever the page was still loading: not a problem of the page's.)
    watched.problems.length = 0;
    await page.context().setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await expect.poll(async () => (await page.locator('#tests-summary').textContent()) ?? '', { timeout: 30_000 }).toMatch(/^\d+ passed, 0 failed$/);
    await page.waitForSelector('#scores tbody tr', { timeout: 30_000 });
    expect(watched.problems).toEqual([]);
    await page.context().close();
  });

  it('opens a share link in a fresh page with the same file and sample', async () => {
    const watched = await open();
    const { page } = watched;
    const file = `# shared: "quotes", \`backticks\`, émojis 🎯 and a # in a comment\n${await editorText(page)}`;
    await setEditorText(page, file);
    await page.locator('#score-now').fill('2026-02-15T12:00:00Z');
    await page.locator('#score-now').blur();
    await page.locator('#share').click();
    const link = page.locator('#share-url');
    await expect.poll(async () => (await link.inputValue()).includes('#v1.'), { timeout: 10_000 }).toBe(true);
    const url = await link.inputValue();
    const sample = await page.locator('#sample-text').inputValue();
    const fresh = await open(new URL(url).hash);
    expect(await editorText(fresh.page)).toBe(file);
    // The link holds the sample's first leads (whole lines) up to MAX_SHARED_SAMPLE_CHARS.
    const shared = trimSample(sample);
    expect(shared.length).toBeGreaterThan(100);
    expect(sample.startsWith(shared)).toBe(true);
    expect(await fresh.page.locator('#sample-text').inputValue()).toBe(shared);
    expect(await fresh.page.locator('#score-now').inputValue()).toBe('2026-02-15T12:00:00Z');
    await expect.poll(async () => (await fresh.page.locator('#scores-summary').textContent()) ?? '', { timeout: 20_000 }).toContain('scored at 2026-02-15T12:00:00.000Z (as set)');
    expectClean(watched);
    expectClean(fresh);
    await page.context().close();
    await fresh.page.context().close();
  });
});
