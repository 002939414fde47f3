/**
 * Editor support for decay and run limits (issue 15): the contextual words `decay`, `per`,
 * `most`, `once` are keywords (semantic tokens) where they play that part, and values elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../src/features/semantic-tokens.js';
import { stateOf } from './helpers.js';

function keywordTexts(text: string): string[] {
  const state = stateOf(text);
  const { data } = semanticTokens(state);
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    if (SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]] === 'keyword') out.push(`${line}:${lines[line].slice(character, character + data[i + 2])}`);
  }
  return out;
}

describe('semantic tokens: decay and run limits', () => {
  it('marks decay, per, most and once as keywords in rules and group headers', () => {
    const text = [
      'lead {',
      '  industry: text',
      '}',
      'event e',
      'each e add 1 at most once per day decay 25% per month',
      'each e add 2 at most 3 per 2 weeks',
      'group g max 5 decay 10% per week {',
      '  when any e add 1 decay 1% per day',
      '}',
      'when industry in [decay, per, most, once] add 1',
    ].join('\n');
    expect(keywordTexts(text)).toEqual([
      '4:most',
      '4:once',
      '4:per',
      '4:decay',
      '4:per',
      '5:most',
      '5:per',
      '6:decay',
      '6:per',
      '7:decay',
      '7:per',
    ]);
  });
});
