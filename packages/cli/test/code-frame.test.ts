import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Position } from '@rubric/core';
import { renderDiagnostic } from '../src/render/code-frame.js';

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
});
