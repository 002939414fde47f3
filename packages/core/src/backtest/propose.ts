/**
 * The proposed rule file of `rubric backtest --fit`: the original text, byte for byte, with only
 * the points changed, so `rubric diff old new` shows exactly the suggested changes and a
 * reviewer can accept them one by one.
 *
 * - A rule's points literal becomes its suggested points; when the sign changes, `add` becomes
 *   `sub` (or the reverse).
 * - An `each` rule's `up to` cap keeps its ratio to the points (a cap of 5 occurrences stays a cap
 *   of 5 occurrences), rounded to the same precision.
 * - A rule whose suggested points round to 0 carries no signal in the history: it is commented out
 *   (each of its lines prefixed with `# `) under a comment saying why, so the diff shows it
 *   removed. When the rule shares a line with other statements it cannot be commented out alone;
 *   it keeps the smallest step of points in the fitted direction instead.
 */
import type { Model } from '../checker/model.js';
import type { EachRule, NumberLiteral, WhenRule } from '../syntax/ast.js';
import { roundHalfAway, type WeightFit } from './fit.js';

export interface ProposedEdit {
  readonly rule: number;
  readonly line: number;
  readonly label: string;
  readonly oldPoints: number;
  /** The new points; 0 when the rule was commented out. */
  readonly newPoints: number;
  readonly removed: boolean;
}

export interface ProposedFile {
  readonly text: string;
  readonly edits: readonly ProposedEdit[];
}

interface TextReplacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Writes the proposed file for `fit` (made from a history scored with `model`). The model must be
 * the checked model of `model.file.text`; that text is what gets edited.
 */
export function proposeRuleFile(model: Model, fit: WeightFit): ProposedFile {
  const text = model.file.text;
  const replacements: TextReplacement[] = [];
  const edits: ProposedEdit[] = [];
  const step = 10 ** -fit.scale.decimals;
  for (const weight of fit.rules) {
    if (weight.change === 'kept' || weight.change === 'same') continue;
    const rule = model.rules[weight.index];
    const decl: WhenRule | EachRule = rule.decl;
    if (weight.change === 'remove') {
      const lines = ownLines(text, decl.range.start.offset, decl.range.end.offset);
      if (lines !== null) {
        replacements.push(commentOut(text, lines, weight.suggestedInterval));
        edits.push({ rule: rule.index, line: rule.line, label: rule.label, oldPoints: rule.points, newPoints: 0, removed: true });
        continue;
      }
    }
    let points = weight.suggestedPoints;
    if (points === 0) points = Math.sign(weight.coefficient ?? rule.points) * step || step;
    replacements.push(...pointsReplacements(text, decl.points, points));
    if (decl.kind === 'EachRule' && decl.upTo !== undefined) {
      const ratio = decl.upTo.value / Math.abs(rule.points);
      const cap = Math.max(step, roundHalfAway(Math.abs(points) * ratio, fit.scale.decimals));
      replacements.push({ start: decl.upTo.range.start.offset, end: decl.upTo.range.end.offset, text: formatPoints(cap) });
    }
    edits.push({ rule: rule.index, line: rule.line, label: rule.label, oldPoints: rule.points, newPoints: points, removed: false });
  }
  replacements.sort((a, b) => b.start - a.start);
  let result = text;
  for (const replacement of replacements) result = result.slice(0, replacement.start) + replacement.text + result.slice(replacement.end);
  return { text: result, edits };
}

/** Replaces the literal, and the `add`/`sub` keyword before it when the sign changes. */
function pointsReplacements(text: string, literal: NumberLiteral, points: number): TextReplacement[] {
  const result: TextReplacement[] = [{ start: literal.range.start.offset, end: literal.range.end.offset, text: formatPoints(Math.abs(points)) }];
  let keywordEnd = literal.range.start.offset;
  while (keywordEnd > 0 && /[ \t]/.test(text[keywordEnd - 1])) keywordEnd--;
  const keyword = text.slice(keywordEnd - 3, keywordEnd);
  if (keyword === 'add' || keyword === 'sub') {
    const wanted = points < 0 ? 'sub' : 'add';
    // The literal itself may have been negative (`add -5`): the keyword and the magnitude say it all now.
    if (keyword !== wanted || literal.value < 0) result.push({ start: keywordEnd - 3, end: keywordEnd, text: wanted });
  }
  return result;
}

/** Points as written in a rule file: no exponent, no trailing zeros, at most 2 decimals. */
export function formatPoints(value: number): string {
  const fixed = value.toFixed(2);
  return fixed.replace(/\.?0+$/, '') || '0';
}

/**
 * The offsets of the whole lines `[start, end)` covers when nothing else shares them (only
 * blanks before, only blanks or a comment after); null otherwise.
 */
function ownLines(text: string, start: number, end: number): { start: number; end: number } | null {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return null;
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd === -1) lineEnd = text.length;
  const after = text.slice(end, lineEnd).trim();
  if (after !== '' && !after.startsWith('#')) return null;
  return { start: lineStart, end: lineEnd };
}

function commentOut(
  text: string,
  lines: { start: number; end: number },
  interval: { low: number; high: number } | null,
): TextReplacement {
  const body = text.slice(lines.start, lines.end).replace(/\r$/, '');
  const eol = text.slice(lines.start, lines.end).endsWith('\r') ? '\r' : '';
  const indent = /^[ \t]*/.exec(body)?.[0] ?? '';
  const range = interval === null ? '' : ` (95% interval ${formatSigned(interval.low)} to ${formatSigned(interval.high)} points)`;
  const why = `${indent}# rubric backtest --fit: about 0 points${range}, no clear effect on the outcome; removed`;
  // Like an editor's "toggle comment": `# ` after the smallest indentation, so nested lines keep
  // their shape (`#   and ...`).
  const bodyLines = body.split('\n').map((line) => line.replace(/\r$/, ''));
  const common = Math.min(...bodyLines.filter((line) => line.trim() !== '').map((line) => /^[ \t]*/.exec(line)?.[0].length ?? 0));
  const commented = body
    .split('\n')
    .map((line) => {
      const bare = line.replace(/\r$/, '');
      return `${bare.slice(0, common)}# ${bare.slice(common)}${line.endsWith('\r') ? '\r' : ''}`;
    })
    .join('\n');
  return { start: lines.start, end: lines.end, text: `${why}${eol}\n${commented}${eol}` };
}

function formatSigned(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded === 0 ? '0' : rounded}`;
}
