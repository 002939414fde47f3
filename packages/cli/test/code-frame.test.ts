import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Position } from '@rubric/core';
import { frameLineView, MAX_FRAME_WIDTH, renderDiagnostic } from '../src/render/code-frame.js';
import { cpuRatio } from '../../core/test/support/cpu-ratio.js';

const plain = picocolors.createColors(false);

/** The position of `offset` in `text` (1-based line and column). */
function at(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { offset, line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function diagnostic(text: string, start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code: 'R010', severity: 'error', message: 'something is wrong', range: { start: at(text, start), end: at(text, end) }, ...extra };
}

function frame(text: string, start: number, end: number, extra: Partial<Diagnostic> = {}): string {
  return renderDiagnostic(diagnostic(text, start, end, extra), { path: 'r.rubric', text }, plain);
}

describe('code frames', () => {
  it('puts the caret under the exact range, with help, notes and fixes', () => {
    const text = 'lead {\n  job: text\n}\nwhen jbo = CEO add 10\n';
    const start = text.indexOf('jbo');
    expect(
      frame(text, start, start + 3, {
        help: 'did you mean `job`?',
        related: [{ message: '`job` is declared here', range: { start: at(text, 9), end: at(text, 12) } }],
        fixes: [{ title: 'replace with `job`', edits: [] }],
      }),
    ).toBe(
      [
        'r.rubric:4:6: error R010: something is wrong',
        '  |',
        '4 | when jbo = CEO add 10',
        '  |      ^^^',
        '  = help: did you mean `job`?',
        '  = note: r.rubric:2:3: `job` is declared here',
        '  = fix: replace with `job`',
        '',
      ].join('\n'),
    );
  });

  it('keeps carets aligned after tabs and wide gutters', () => {
    const text = `${'\n'.repeat(99)}\twhen x add 1\n`;
    const start = text.indexOf('x');
    expect(frame(text, start, start + 1)).toBe(
      ['r.rubric:100:7: error R010: something is wrong', '    |', '100 |     when x add 1', '    |          ^', ''].join('\n'),
    );
  });

  it('shows one caret for an empty range, also at the end of a line', () => {
    const text = 'when x add\n';
    expect(frame(text, 10, 10).split('\n').slice(2, 4)).toEqual(['1 | when x add', '  |           ^']);
  });

  it('covers each line of a range over several lines, eliding a long middle', () => {
    const text = 'segment s = a\n  and b\n  and c\n  and d\n  and e\nstage x at 1\n';
    const frameText = frame(text, 12, text.indexOf('e\n') + 1);
    expect(frameText.split('\n').slice(1, -1)).toEqual([
      '  |',
      '1 | segment s = a',
      '  |             ^',
      '2 |   and b',
      '  |   ^^^^^',
      '3 |   and c',
      '  |   ^^^^^',
      '  | ...',
      '5 |   and e',
      '  |   ^^^^^',
    ]);
  });

  it('handles a range at the very end of a file without a final newline', () => {
    const text = 'when x add';
    expect(frame(text, 10, 10)).toContain('1 | when x add\n  |           ^\n');
  });

  const LONG = `when job in [${Array.from({ length: 1000 }, (_, i) => `v${String(i).padStart(3, '0')}`).join(', ')}] add 1`;

  it('cuts a 6,000-character line around the caret, marks the cuts with … and keeps the caret aligned', () => {
    expect(LONG.length).toBeGreaterThan(6000);
    const text = `${LONG}\n`;
    const start = text.indexOf('v500');
    expect(frame(text, start, start + 4).split('\n').slice(1, 4)).toEqual([
      '  |',
      '1 | …, v494, v495, v496, v497, v498, v499, v500, v501, v502, v503, v504, v505, v506, v507, v508, v509, v510, v511, v512…',
      '  |                                        ^^^^',
    ]);
    // At the start of the line: no cut on the left; at its end: the tail is shown whole.
    expect(frame(text, 5, 8).split('\n').slice(2, 4)).toEqual([
      '1 | when job in [v000, v001, v002, v003, v004, v005, v006, v007, v008, v009, v010, v011, v012, v013, v014, v015, v016, …',
      '  |      ^^^',
    ]);
    expect(frame(text, LONG.length, LONG.length).split('\n').slice(2, 4)).toEqual([
      '1 | … v982, v983, v984, v985, v986, v987, v988, v989, v990, v991, v992, v993, v994, v995, v996, v997, v998, v999] add 1',
      '  |                                                                                                                    ^',
    ]);
    // A range longer than the window: carets up to the cut, not under the `…`.
    expect(frame(text, 12, LONG.length).split('\n').slice(2, 4)).toEqual([
      '1 | when job in [v000, v001, v002, v003, v004, v005, v006, v007, v008, v009, v010, v011, v012, v013, v014, v015, v016, …',
      `  |             ${'^'.repeat(103)}`,
    ]);
  });

  it('keeps every frame line within MAX_FRAME_WIDTH columns, the caret under its text, also with a wide gutter', () => {
    const text = `${'\n'.repeat(9999)}${LONG}\n`;
    for (const needle of ['when', 'v001', 'v333', 'v998', '] add 1']) {
      const start = text.indexOf(needle);
      const lines = frame(text, start, start + needle.length).split('\n');
      const [source, carets] = [lines[2], lines[3]];
      expect(source.length).toBeLessThanOrEqual(MAX_FRAME_WIDTH);
      expect(source.slice(carets.indexOf('^'), carets.indexOf('^') + needle.length)).toBe(needle);
    }
  });

  it('shows control characters and bidi overrides of a source line escaped, carets counting the escapes', () => {
    const text = '\twhen x = "\x1b]0;pwned\x07\u202e\r" and y = 1 add 1\n';
    const start = text.indexOf('and');
    expect(frame(text, start, start + 3).split('\n').slice(2, 4)).toEqual([
      '1 |     when x = "\\x1b]0;pwned\\x07\\u202e\\r" and y = 1 add 1',
      '  |                                         ^^^',
    ]);
  });

  it('cuts a long line with tabs, escapes and wide characters on whole characters, wide ones counting two columns', () => {
    const text = `\t\twhen x = "${'日本語'.repeat(30)}" and "\x1b[2J" = y add 1\n`;
    const start = text.indexOf('y add');
    const [source, carets] = frame(text, start, start + 1).split('\n').slice(2, 4);
    expect(source).toBe(`1 | …${'日本語'.repeat(15)}" and "\\x1b[2J" = y add 1`);
    // 45 wide characters before the caret's text, each two columns: 116 columns of text in all.
    expect(carets).toBe(`  | ${' '.repeat(1 + 45 * 2 + '" and "\\x1b[2J" = '.length)}^`);
    expect(frameLineView('日本語', 1, 2, 80)).toEqual({ text: '日本語', caretColumn: 2, caretWidth: 2 });
  });

  it('reads only a stretch of a line of megabytes around the caret', () => {
    const line = (items: number): string => `when x in [${'a, '.repeat(items)}b] add 1`;
    const huge = line(1_000_000);
    const start = huge.indexOf('b]');
    const view = frameLineView(huge, start, start + 1, 116);
    expect(view.text).toHaveLength(116);
    expect(view.text.startsWith('…') && view.text.endsWith('add 1')).toBe(true);
    expect(view.text[view.caretColumn]).toBe('b');
  });

  it('takes no longer on a line 100 times longer (a ratio of two timings, not a time: load affects both alike)', () => {
    const line = (items: number): string => `when x in [${'a, '.repeat(items)}b] add 1`;
    const short = line(30_000);
    const long = line(3_000_000);
    // A stretch read costs the same on both (ratio near 1); a read of the whole line costs 100
    // times more on the long one. Each sample is 20 views, to be long enough to time.
    const views = (text: string) => (): void => {
      const start = text.indexOf('b]');
      for (let i = 0; i < 20; i++) frameLineView(text, start, start + 1, 116);
    };
    expect(cpuRatio(views(short), views(long), { rounds: 15, floorMs: 0.05 })).toBeLessThan(10);
  });
});
