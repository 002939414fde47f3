/**
 * The accounts file's output lines (`rubric score --accounts ... --accounts-out`), written once
 * per account at the end of a run.
 */
import type { ScoreResult } from '@rubric/core';
import { csvCell, encodeCsvCell } from './writers.js';

/**
 * An account's CSV line without `why`, exactly as `encodeCsvLine(values.map(csvCell), ...)`
 * writes it: the key and the stage and tier names encoded once per distinct text (an account file
 * holds few), numbers written as `csvCell` writes them and quoted only when the delimiter can
 * occur in number text. Written once per account at the end of the run, when this code is still
 * cold: the generic line (an array of values, each through `csvCell`) took ~8 ms more per 10,000
 * accounts in the bench (bench/lib/accounts.mjs).
 */
export function accountLineEncoder(delimiter: string, groups: readonly string[], lineBreak: string): (key: string, result: ScoreResult, contacts: number) => string {
  const names = new Map<string, string>();
  const name = (text: string | null): string => {
    if (text === null) return '';
    let encoded = names.get(text);
    if (encoded === undefined) {
      encoded = encodeCsvCell(text, delimiter);
      if (names.size < 1024) names.set(text, encoded);
    }
    return encoded;
  };
  // Number text is digits, `-`, `.`, `e` and `+` (`1e+21`), `Infinity`, `NaN`: none is a quote,
  // CR, LF or space, so only a delimiter among those characters makes it need quotes.
  const numbersNeedCheck = /[0-9.\-+eEInfityNa]/.test(delimiter);
  const number = (value: number): string => {
    const text = csvCell(value);
    return numbersNeedCheck ? encodeCsvCell(text, delimiter) : text;
  };
  return (key, result, contacts) => {
    let line = encodeCsvCell(key, delimiter) + delimiter + number(result.score) + delimiter + name(result.stage) + delimiter + name(result.tier);
    for (const group of groups) line += delimiter + number(result.groups[group] ?? 0);
    return line + delimiter + number(contacts) + lineBreak;
  };
}
