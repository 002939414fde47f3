import { describe, expect, it } from 'vitest';
import { format, formatRange } from '../../src/format/format.js';

const fmt = (text: string): string => format(text).text;

describe('format', () => {
  it('returns a file with syntax errors untouched, with every error', () => {
    const text = 'when job in [CEO add 10\nwhen email ends sub 5\nstage purchase at 40\n';
    const result = format(text);
    expect(result.text).toBe(text);
    expect(result.changed).toBe(false);
    expect(result.diagnostics.length).toBeGreaterThanOrEqual(2);
    for (const d of result.diagnostics) {
      expect(d.severity).toBe('error');
      expect(d.code).toMatch(/^R00\d$/);
      expect(d.range.start.line).toBeGreaterThan(0);
    }
  });

  it('reports an unterminated string instead of formatting', () => {
    const result = format("when job = 'CEO add 10\n");
    expect(result.changed).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('R002');
  });

  it('says whether anything changed', () => {
    expect(format('stage a at 1\n')).toEqual({ text: 'stage a at 1\n', changed: false, diagnostics: [] });
    expect(format('stage  a at 1').changed).toBe(true);
  });

  it('keeps CRLF line endings, or uses the ones asked for', () => {
    expect(fmt('stage a at 1\r\nstage b at 2\r\n')).toBe('stage a at 1\r\nstage b at 2\r\n');
    expect(format('stage a at 1\r\nstage b at 2', { lineEnding: 'lf' }).text).toBe('stage a at 1\nstage b at 2\n');
    expect(format('stage a at 1\nstage b at 2', { lineEnding: 'crlf' }).text).toBe('stage a at 1\r\nstage b at 2\r\n');
  });

  it('formats an empty file and a file of comments only', () => {
    expect(fmt('')).toBe('');
    expect(fmt('\n\n  \n')).toBe('');
    expect(fmt('  # one\n\n\n# two   \n')).toBe('# one\n\n# two\n');
  });

  it('keeps names, numbers, dates and units as written', () => {
    const text =
      'lead {\n  `Lead Source`: text\n  données.clés: number\n  signup: date\n}\n\n' +
      'when `Lead Source` = `stage` add 1_000.5\nwhen données.clés >= -5 add 1\n' +
      'when signup > 1 day ago and signup < 2026-03-01T09:30:00Z add 1\n';
    expect(fmt(text)).toBe(text);
  });

  it('never reorders statements: stages and tiers keep their order', () => {
    const text = 'stage b at 40\nstage a at 20\n\ntier Z when score >= 1\ntier A when score >= 0\n';
    expect(fmt(text)).toBe(text);
  });

  it('keeps hostile text inside strings exactly', () => {
    const text = `when job = "__proto__" add 1 "\${process.exit()}"\nwhen job = "'); drop table leads; --" add 1\n`;
    expect(fmt(text)).toBe(text);
    // Already escaped: switching to double quotes needs no more escapes.
    expect(fmt("when job = '\\\"quoted\\\"' add 1\n")).toBe('when job = "\\"quoted\\"" add 1\n');
  });

  it('puts a second trailing comment that lands on one line above it, losing none', () => {
    const text = 'stage sales at 5 requires email, # first\n  phone # second\n';
    expect(fmt(text)).toBe('# second\nstage sales at 5 requires email, phone # first\n');
  });

  it('keeps a comment written inside a collapsed line break', () => {
    const text = 'when company.size >=\n  # big\n  50 add 1\n';
    expect(fmt(text)).toBe('# big\nwhen company.size >= 50 add 1\n');
  });

  it('splits `;`-joined statements inside groups and tests too', () => {
    expect(fmt('group g { when a add 1; when b add 2 }\n')).toBe('group g {\n  when a add 1\n  when b add 2\n}\n');
    expect(fmt('test "t" { expect score 1; expect no stage }\n')).toBe('test "t" {\n  expect score 1\n  expect no stage\n}\n');
  });

  it('keeps a block with only a comment open', () => {
    expect(fmt('group g {\n# later\n}\n')).toBe('group g {\n  # later\n}\n');
    expect(fmt('group g {\n}\n')).toBe('group g {}\n');
  });
});

describe('formatRange', () => {
  const text = 'stage  a at 1\nwhen   x add 1 # keep\n\n\ngroup g {\nwhen y add 2\n}\nstage  b at 2\n';

  it('formats only the statements the range touches, as whole lines', () => {
    const start = text.indexOf('when   x');
    const result = formatRange(text, { start: start + 2, end: start + 3 });
    expect(result.edits).toHaveLength(1);
    const edit = result.edits[0];
    expect(edit.newText).toBe('when x add 1 # keep');
    expect(edit.range.start).toEqual({ offset: start, line: 2, column: 1 });
    expect(edit.range.end.line).toBe(2);
    const applied = text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset);
    expect(applied).toBe('stage  a at 1\nwhen x add 1 # keep\n\n\ngroup g {\nwhen y add 2\n}\nstage  b at 2\n');
  });

  it('formats a whole group when the range is inside it', () => {
    const at = text.indexOf('when y');
    const [edit] = formatRange(text, { start: at, end: at }).edits;
    expect(edit.newText).toBe('group g {\n  when y add 2\n}');
    expect(edit.range.start.line).toBe(5);
    expect(edit.range.end.line).toBe(7);
  });

  it('takes a Range and spans several statements', () => {
    const start = { offset: 0, line: 1, column: 1 };
    const endOffset = text.indexOf('# keep');
    const end = { offset: endOffset, line: 2, column: 16 };
    const [edit] = formatRange(text, { start, end }).edits;
    expect(edit.newText).toBe('stage a at 1\n\nwhen x add 1 # keep');
  });

  it('takes in statements that share a line with the range', () => {
    const line = 'stage a at 1;  stage  b at 2\n';
    const [edit] = formatRange(line, { start: 20, end: 21 }).edits;
    expect(edit.newText).toBe('stage a at 1\nstage b at 2');
  });

  it('gives no edit for a range between statements or an already formatted one', () => {
    expect(formatRange(text, { start: text.indexOf('\n\n') + 1, end: text.indexOf('\n\n') + 1 }).edits).toEqual([]);
    expect(formatRange('stage a at 1\n', { start: 0, end: 5 }).edits).toEqual([]);
  });

  it('gives no edit and the errors for a file with syntax errors', () => {
    const result = formatRange('when add\n', { start: 0, end: 4 });
    expect(result.edits).toEqual([]);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});
