/**
 * `# rubric: allow R033` comments: a way to accept a warning on purpose (issue 15).
 *
 * A comment `# rubric: allow CODE[, CODE...]` allows the warnings with those codes
 * - at the end of a line: on that line (warnings whose range starts on it), and in the whole
 *   statement when a statement starts on that line;
 * - on a line of its own: on the next line that holds code (other comment lines in between are
 *   skipped), and in the whole statement that starts on it (a statement may span lines; a rule in
 *   a group is a statement of its own).
 * Allowed warnings stay in the result, marked `allowed: true`: `rubric check --format json`
 * reports them, while the text and SARIF outputs, every warning count and the editor leave them
 * out. Errors are never allowed: naming an error code (or no known code) is R050. A code that
 * allows nothing is R051, so allows do not outlive the warning they were written for; R051 is
 * only reported when the file has no errors (an error can hide the warning the allow is for).
 */
import { DIAGNOSTIC_CODES, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Comment, Position, Range, RubricFile } from '../syntax/ast.js';

/** `rubric: allow` then the codes; what follows the last code (a reason) is free text. */
const ALLOW_PATTERN = /^(\s*rubric\s*:\s*allow\b\s*)(.*)$/i;
/** One code of the list, with the commas and blanks around it. */
const CODE_PATTERN = /^(\s*)([A-Za-z]\d{3})\b(\s*,)?/;

interface AllowCode {
  readonly code: string;
  /** Where the code is written in the comment. */
  readonly range: Range;
  /** What removing it from the comment deletes: the code and its comma (or the whole comment). */
  readonly removal: Range;
}

interface AllowComment {
  readonly comment: Comment;
  readonly codes: readonly AllowCode[];
  /** Whether code comes before the comment on its line. */
  readonly trailing: boolean;
}

/**
 * `diagnostics` (a whole file's, in any order) with the warnings an allow comment of `file`
 * names marked `allowed: true` (the same objects otherwise), followed by R050/R051 for the
 * allow comments themselves. Without allow comments, returns `diagnostics` itself.
 */
export function applyAllowComments(file: RubricFile, diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  const allows = file.comments.map((comment) => readAllow(file.text, comment)).filter((a): a is AllowComment => a !== undefined);
  if (allows.length === 0) return diagnostics;
  const statementStarts = statementRangesByLine(file);
  const lineStarts = lineStartOffsets(file.text);
  const allowed = new Set<Diagnostic>();
  const notes: Diagnostic[] = [];
  const reportStale = !hasErrors(diagnostics);
  for (const allow of allows) {
    const targetLine = allow.trailing ? allow.comment.range.start.line : nextCodeLine(file.text, lineStarts, allow.comment.range.start.line);
    const statement = targetLine === undefined ? undefined : statementStarts.get(targetLine);
    const inScope = (d: Diagnostic): boolean =>
      d.range.start.line === targetLine ||
      (statement !== undefined && d.range.start.offset >= statement.start.offset && d.range.start.offset < statement.end.offset);
    for (const entry of allow.codes) {
      if (entry.code === '') {
        notes.push(nothingToAllow(entry, ''));
        continue;
      }
      const known = (DIAGNOSTIC_CODES as Record<string, { severity: string } | undefined>)[entry.code];
      if (known === undefined || known.severity === 'error') {
        notes.push(notAWarning(entry, known !== undefined));
        continue;
      }
      let matched = false;
      for (const d of diagnostics) {
        if (d.code === entry.code && d.severity !== 'error' && inScope(d)) {
          allowed.add(d);
          matched = true;
        }
      }
      if (!matched && reportStale) notes.push(nothingToAllow(entry, allow.trailing ? 'on this line' : statement !== undefined ? 'in the statement below' : 'on the line below'));
    }
  }
  const marked = allowed.size === 0 ? diagnostics : diagnostics.map((d) => (allowed.has(d) ? { ...d, allowed: true as const } : d));
  return notes.length === 0 ? marked : [...marked, ...notes];
}

/** The allow comment `comment` is, if it is one (`undefined` for any other comment). */
function readAllow(text: string, comment: Comment): AllowComment | undefined {
  const match = ALLOW_PATTERN.exec(comment.text);
  if (match === null) return undefined;
  // The comment's text starts one character after `#`.
  let offset = comment.range.start.offset + 1 + match[1].length;
  let rest = match[2];
  const codes: AllowCode[] = [];
  for (let code = CODE_PATTERN.exec(rest); code !== null; code = CODE_PATTERN.exec(rest)) {
    const start = offset + code[1].length;
    const end = start + code[2].length;
    const removalEnd = offset + code[0].length;
    codes.push({ code: code[2].toUpperCase(), range: rangeOf(comment, start, end), removal: rangeOf(comment, start, removalEnd) });
    offset += code[0].length;
    rest = rest.slice(code[0].length);
    if (code[3] === undefined) break;
  }
  // Removing the only code removes the comment (and the blanks before it on a trailing comment).
  if (codes.length === 1) {
    const lineStart = text.lastIndexOf('\n', comment.range.start.offset - 1) + 1;
    let from = comment.range.start.offset;
    while (from > lineStart && (text[from - 1] === ' ' || text[from - 1] === '\t')) from -= 1;
    const whole = from === lineStart ? comment.range.start.offset : from;
    codes[0] = { ...codes[0], removal: rangeOf(comment, whole, comment.range.end.offset) };
  } else if (codes.length > 1) {
    // The last code has no comma after it: remove the comma before it instead.
    const last = codes[codes.length - 1];
    const previous = codes[codes.length - 2];
    codes[codes.length - 1] = { ...last, removal: rangeOf(comment, previous.range.end.offset, last.range.end.offset) };
  }
  const lineStart = text.lastIndexOf('\n', comment.range.start.offset - 1) + 1;
  const trailing = text.slice(lineStart, comment.range.start.offset).trim() !== '';
  // `# rubric: allow` with no code allows nothing: reported like a stale allow, on the comment.
  if (codes.length === 0) {
    const all = { start: comment.range.start, end: comment.range.end };
    codes.push({ code: '', range: all, removal: all });
  }
  return { comment, codes, trailing };
}

/** A range inside one comment (a comment is one line, so columns follow offsets). */
function rangeOf(comment: Comment, start: number, end: number): Range {
  const at = (offset: number): Position => ({
    offset,
    line: comment.range.start.line,
    column: comment.range.start.column + (offset - comment.range.start.offset),
  });
  return { start: at(start), end: at(end) };
}

/** The first line after `line` that holds something other than blanks and a comment. */
function nextCodeLine(text: string, lineStarts: readonly number[], line: number): number | undefined {
  for (let next = line + 1; next <= lineStarts.length; next += 1) {
    const start = lineStarts[next - 1];
    const end = next < lineStarts.length ? lineStarts[next] : text.length;
    const content = text.slice(start, end).trim();
    if (content !== '' && !content.startsWith('#')) return next;
  }
  return undefined;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The range of the outermost statement starting on each line (rules in groups included). */
function statementRangesByLine(file: RubricFile): Map<number, Range> {
  const byLine = new Map<number, Range>();
  const add = (range: Range): void => {
    if (!byLine.has(range.start.line)) byLine.set(range.start.line, range);
  };
  for (const statement of file.statements) {
    add(statement.range);
    if (statement.kind === 'GroupDecl') for (const rule of statement.rules) add(rule.range);
  }
  return byLine;
}

function notAWarning(entry: AllowCode, known: boolean): Diagnostic {
  const code = `\`${entry.code}\``;
  return {
    code: 'R050',
    severity: 'warning',
    message: known ? `${code} is an error and cannot be allowed` : `${code} is not a Rubric diagnostic code`,
    range: entry.range,
    help: known
      ? 'fix the error: only warnings can be allowed'
      : 'write the code of a warning, as `rubric check` prints it (e.g. `# rubric: allow R026`)',
    fixes: [{ title: `remove ${code} from the comment`, edits: [{ range: entry.removal, newText: '' }] }],
  };
}

/** R051 for `entry`, which allows nothing `where` it applies (`on this line`, ...). */
function nothingToAllow(entry: AllowCode, where: string): Diagnostic {
  if (entry.code === '') {
    return {
      code: 'R051',
      severity: 'warning',
      message: 'nothing to allow here: the comment names no code',
      range: entry.range,
      help: 'name the warnings to allow, e.g. `# rubric: allow R026`, or remove the comment',
      fixes: [{ title: 'remove the comment', edits: [{ range: entry.removal, newText: '' }] }],
    };
  }
  const code = entry.code;
  return {
    code: 'R051',
    severity: 'warning',
    message: `nothing to allow here: no \`${code}\` warning ${where}`,
    range: entry.range,
    help: `remove \`${code}\` from the comment (the warning it allowed is gone), or move the comment to the line of the warning`,
    fixes: [{ title: `remove \`${code}\` from the comment`, edits: [{ range: entry.removal, newText: '' }] }],
  };
}
