/**
 * The HTML report in a real browser (headless Chromium, Debian's /usr/bin/chromium via
 * playwright-core): the back-test of examples/history loads with no console error and no network
 * request, every chart has its marks (as many as the data says), hostile labels from the rule
 * file stay text, and the page still shows its charts when printed. A full-page screenshot is
 * saved to test-artifacts/report.png for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../packages/cli/test/support/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = path.join(ROOT, 'examples/history');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';

interface JsonDocument {
  summary: {
    histogram: { counts: number[] }[];
    stages: unknown[];
    rules: unknown[];
    groups: unknown[];
  };
  backtest: { report: { calibration: unknown[]; rules: { lift: number | null }[] } };
  fit: { weights: { rules: { change: string }[] } };
}

let ws: Workspace;
let browser: Browser | undefined;
let documentJson: JsonDocument;
let htmlPath: string;
let hostilePath: string;

beforeAll(async () => {
  ws = new Workspace();
  const args = [
    'backtest',
    path.join(EXAMPLE, 'history.rubric'),
    path.join(EXAMPLE, 'history.sample.jsonl'),
    '--outcome',
    'outcome',
    '--as-of',
    'as_of',
    '--fit',
    '--fit-out',
    'proposed.rubric',
  ];
  const html = await ws.run([...args, '--format', 'html', '--out', 'report.html']);
  if (html.code !== 0) throw new Error(html.stderr);
  const json = await ws.run([...args, '--format', 'json']);
  documentJson = JSON.parse(json.stdout) as JsonDocument;
  htmlPath = ws.path('report.html');

  // Labels, group and stage names that would run code if they were not escaped.
  const example = readFileSync(path.join(EXAMPLE, 'history.rubric'), 'utf8');
  // (without the file's own tests, which name the group and the stage renamed here)
  const hostile = example
    .slice(0, example.indexOf('\ntest "'))
    .replace('"Décideur (directeur ou dirigeant)"', `"<img src=x onerror=alert('label')><script>alert('script')</script>"`)
    .replace('group fit max 40', 'group `<svg onload=alert(1)>` max 40')
    .replace('stage mql at 20 requires phone', 'stage `<iframe src="https://example.com">` at 20 requires phone');
  ws.write('hostile.rubric', hostile);
  const hostileRun = await ws.run(['report', 'hostile.rubric', path.join(EXAMPLE, 'history.sample.jsonl'), '--outcome', 'outcome', '--as-of', 'as_of', '--out', 'hostile.html']);
  if (hostileRun.code !== 0) throw new Error(hostileRun.stderr);
  hostilePath = ws.path('hostile.html');

  if (existsSync(CHROMIUM)) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }
});

afterAll(async () => {
  await browser?.close();
  ws?.remove();
});

interface Loaded {
  page: Page;
  problems: string[];
  requests: string[];
  dialogs: string[];
}

async function load(file: string): Promise<Loaded> {
  if (browser === undefined) throw new Error(`no Chromium at ${CHROMIUM}`);
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems, requests, dialogs };
}

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in Chromium', () => {
  it('loads with no console error and no request but the page itself', async () => {
    const { page, problems, requests } = await load(htmlPath);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(htmlPath).href]);
    expect(await page.title()).toBe(`Back-test: ${path.join(EXAMPLE, 'history.rubric')}`);
    await page.close();
  });

  it('draws every chart with one mark per datum', async () => {
    const { page } = await load(htmlPath);
    const marks = async (chart: string, selector = '.mark'): Promise<number> => page.locator(`svg[data-chart="${chart}"] ${selector}`).count();
    const { summary, backtest, fit } = documentJson;
    const histogramRects = summary.histogram.reduce((sum, bin) => sum + bin.counts.filter((c) => c > 0).length, 0);
    expect(await marks('score-histogram', 'rect.mark')).toBe(histogramRects);
    expect(await marks('stage-funnel', 'rect.mark')).toBe(summary.stages.length);
    expect(await marks('rule-hit-rates', 'rect.mark')).toBe(summary.rules.length);
    expect(await marks('group-contributions', 'rect.mark')).toBeGreaterThanOrEqual(summary.groups.length);
    expect(await marks('calibration', 'circle.mark')).toBe(backtest.report.calibration.length);
    expect(await marks('calibration', 'path.mark')).toBe(1);
    expect(await marks('rule-lift', 'rect.mark')).toBe(backtest.report.rules.filter((r) => r.lift !== null).length);
    expect(await marks('rule-lift', 'path.whisker')).toBe(backtest.report.rules.filter((r) => r.lift !== null).length);
    const fitted = fit.weights.rules.filter((r) => r.change !== 'kept').length;
    expect(await marks('fitted-points', 'circle.mark.fitted')).toBe(fitted);
    expect(await marks('fitted-points', 'circle.mark.current')).toBe(fit.weights.rules.length);
    // Every chart is named for assistive technology and has axis labels.
    for (const chart of ['score-histogram', 'stage-funnel', 'rule-hit-rates', 'group-contributions', 'calibration', 'rule-lift', 'fitted-points']) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      expect(await svg.getAttribute('role')).toBe('img');
      expect((await svg.locator('title').first().textContent())?.length).toBeGreaterThan(5);
      expect(await svg.locator('.axis-label').count()).toBeGreaterThanOrEqual(1);
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(100);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(existsSync(path.join(ARTIFACTS, 'report.png'))).toBe(true);
    await page.close();
  });

  it('keeps hostile labels as text: no script runs, no element is injected, nothing is fetched', async () => {
    const { page, problems, requests, dialogs } = await load(hostilePath);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(hostilePath).href]);
    expect(await page.locator('script, iframe, img, svg svg').count()).toBe(0);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain(`<img src=x onerror=alert('label')><script>alert('script')</script>`);
    expect(text).toContain('<svg onload=alert(1)>');
    expect(text).toContain('<iframe src="https://example.com">');
    await page.close();
  });

  it('prints: charts stay visible, the data tables fold away', async () => {
    const { page } = await load(htmlPath);
    await page.emulateMedia({ media: 'print' });
    const box = await page.locator('svg[data-chart="calibration"]').boundingBox();
    expect(box?.height).toBeGreaterThan(100);
    expect(await page.locator('details').first().isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    writeFileSync(path.join(ARTIFACTS, 'report.pdf'), pdf);
    await page.close();
  });
});
