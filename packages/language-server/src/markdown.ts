/**
 * Markdown for hovers from text the user's file holds (labels, test names, values, column names,
 * source excerpts): shown as the text it is, never rendered. A label such as `<b>x</b>` or
 * `[link](javascript:alert(1))` must not become HTML or a link in the editor's hover, and a value
 * holding backticks must not close the code span (or block) it is shown in.
 */

/** Every character CommonMark may read as markup, plus `<`, `>` and `&` (HTML and entities). */
const MARKUP = /[\\`*_{}[\]()#+\-.!|~<>&"':]/g;

/** `text` as Markdown that renders exactly as `text` (one line: line breaks become spaces). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(MARKUP, (c) => `\\${c}`);
}

/** The longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * `text` as one Markdown code span, whatever it holds: a fence longer than any run of backticks
 * in it, padded with spaces when it starts or ends with a backtick (CommonMark strips one space on
 * each side). Code spans render no markup, so nothing else needs escaping.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `source` as a fenced `rubric` code block: a fence longer than any run of backticks in it. */
export function codeBlock(source: string): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(source) + 1));
  return `${fence}rubric\n${source}\n${fence}`;
}
