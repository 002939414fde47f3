import type { PreviewResult } from '@rubric/language-server';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderPreviewBody, renderPreviewShell } from '../src/preview-html.js';

const result: PreviewResult = {
  uri: 'file:///w/acme.rubric',
  version: 3,
  status: 'ok',
  sample: { path: '/w/acme.sample.jsonl', leads: 3, problems: [{ line: 4, message: 'invalid JSON: <oops>' }], truncated: 0 },
  now: '2026-03-01T00:00:00.000Z',
  nowSource: 'sample',
  groups: ['fit', 'engagement'],
  stages: [{ name: 'purchase', threshold: 40 }],
  rows: [
    { line: 1, label: '<img src=x onerror=alert(1)>', score: 45.5, stage: 'purchase', tier: null, groups: { fit: 20, engagement: 25.5 } },
    { line: 2, label: 'bob', score: 5, stage: null, tier: 'B', groups: { fit: 5, engagement: 0 } },
  ],
  totalRows: 3,
  bins: [
    { from: 0, to: 25 },
    { from: 25, to: 50 },
  ],
  histograms: [
    { stage: 'purchase', threshold: 40, count: 1, counts: [0, 1] },
    { stage: null, threshold: null, count: 2, counts: [2, 0] },
  ],
  stats: { min: 5, max: 45.5, mean: 18.5, median: 5 },
};

describe('preview rendering', () => {
  it('escapes every value from the sample', () => {
    const html = renderPreviewBody(result);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('invalid JSON: &lt;oops&gt;');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('says when the sample was read only in part, and why (escaped)', () => {
    const partial: PreviewResult = {
      ...result,
      sample: {
        ...result.sample!,
        truncated: 0,
        coverage: 'first 5,000 of more than 10,000 leads',
        notes: ['the file is larger than 20 MiB: only its start is read', '<b>scoring stopped after 1 s</b>'],
      },
    };
    const html = renderPreviewBody(partial);
    expect(html).toContain(
      '<p class="warning">Preview of the first 5,000 of more than 10,000 leads; the file is larger than 20 MiB: only its start is read; &lt;b&gt;scoring stopped after 1 s&lt;/b&gt;.</p>',
    );
  });

  it('draws one SVG histogram per stage with bars scaled to the largest bin', () => {
    const html = renderPreviewBody(result);
    const svgs = html.match(/<svg /g) ?? [];
    expect(svgs).toHaveLength(2);
    expect(html).toContain('<figcaption><code>purchase</code> at 40: 1 lead</figcaption>');
    expect(html).toContain('<figcaption><em>no stage</em>: 2 leads</figcaption>');
    expect(html).toMatch(/<rect class="bar" x="[\d.]+" y="0" width="[\d.]+" height="90"><title>0–25: 2 leads<\/title>/);
  });

  it('renders the table with a column per group and says how many rows are shown', () => {
    const html = renderPreviewBody(result);
    expect(html).toContain('<th class="num">fit</th><th class="num">engagement</th>');
    expect(html).toContain('<td class="num score">45.50</td>');
    expect(html).toContain('First 2 of 3 leads.');
    expect(html).toContain('min 5 · median 5 · mean 18.50 · max 45.50');
  });

  it('shows the reason when there is nothing to preview', () => {
    const html = renderPreviewBody({ ...result, status: 'no-sample', message: 'no sample leads: set `rubric.sampleLeads`', rows: [], histograms: [] });
    expect(html).toContain('no sample leads');
  });

  it('locks the page down with a nonce-only content security policy', () => {
    const page = renderPreviewShell('abc123', 'vscode-webview://x', 'Scores: <a>.rubric');
    expect(page).toContain("default-src 'none'");
    expect(page).toContain("script-src 'nonce-abc123'");
    expect(page).toContain('<title>Scores: &lt;a&gt;.rubric</title>');
  });
});
