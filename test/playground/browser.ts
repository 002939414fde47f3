/**
 * Test support for the tests in a real browser: Debian's Chromium (/usr/bin/chromium, which
 * `.ci/run` installs) driven by playwright-core, and a page that records every console error,
 * page error and failed request so a test can assert there were none. A missing Chromium fails
 * the tests (set RUBRIC_SKIP_BROWSER=1 to skip them on a machine without it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests are skipped (only when asked to and Chromium is missing). */
export const SKIP_BROWSER = process.env.RUBRIC_SKIP_BROWSER === '1' && !existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set RUBRIC_SKIP_BROWSER=1`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface WatchedPage {
  readonly page: Page;
  /** Console errors, uncaught page errors and failed requests, in order. */
  readonly problems: string[];
  /** Every URL the page requested. */
  readonly requests: string[];
}

/** A new page (its own context: fresh storage) that records its problems and requests. */
export async function watchedPage(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('request', (request) => requests.push(request.url()));
  return { page, problems, requests };
}
