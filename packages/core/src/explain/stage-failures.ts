/**
 * Why a stage's conditions fail, in words, from an explanation's {@link StageExplanation}: the
 * `requires` conditions that do not hold and the parts of its `when` that fail, each by its
 * source text. One wording for `rubric explain`, `rubric score --explain`, in-file test failures
 * and the editor.
 */
import type { StageExplanation, StageFailure } from '../runtime/types.js';

/** Characters of one condition's text shown at most (a `when` may be pages long). */
const MAX_TEXT = 80;

function code(text: string): string {
  const shown = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  // A backtick inside the text (a backticked name) would end the span: use a longer fence.
  return shown.includes('`') ? `\`\` ${shown} \`\`` : `\`${shown}\``;
}

function joinWords(words: readonly string[], last: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}

/** `neither `a` nor `b` holds`, `none of `a`, `b`, `c` holds`, or `X does not hold`. */
function failureText(failure: StageFailure): string {
  const alternatives = failure.alternatives;
  if (alternatives.length === 2) return `neither ${code(alternatives[0])} nor ${code(alternatives[1])} holds`;
  if (alternatives.length > 2) return `none of ${joinWords(alternatives.map(code), 'and')} holds`;
  return `${code(failure.text)} does not hold`;
}

/**
 * The reasons, beyond the score and missing fields, that `stage` is not reached: one per
 * `requires` condition that fails (`` `email not ends any personal_domains` does not hold ``),
 * then one for its `when` (`` its `when` fails at `country in [FR, BE]` ``). Empty when they
 * all hold.
 */
export function stageConditionReasons(stage: StageExplanation): string[] {
  const reasons = (stage.failedRequirements ?? []).map(failureText);
  if (stage.conditionHolds) return reasons;
  const parts = stage.failedWhen ?? [];
  if (parts.length === 0) {
    reasons.push('its `when` condition does not hold');
    return reasons;
  }
  const shown = parts.map((part) => (part.alternatives.length === 0 ? code(part.text) : `${code(part.text)} (${part.alternatives.length === 2 ? 'neither holds' : 'none holds'})`));
  reasons.push(`its \`when\` fails at ${joinWords(shown, 'and')}`);
  return reasons;
}
