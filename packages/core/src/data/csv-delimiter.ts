/**
 * The delimiter of a CSV header line: the most frequent of `,`, `;` and tab outside quotes (`,`
 * on a tie or when there is none). One function, so that `rubric score` and the editor's CSV
 * samples always split an export the same way. Pure: no I/O.
 */
export function detectCsvDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  for (const [candidate, count] of counts) if (count > (counts.get(best) ?? 0)) best = candidate;
  return best;
}
