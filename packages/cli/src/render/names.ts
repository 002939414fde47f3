/** Names as messages show them: in backticks, comma-separated, at most `max` of them named. */
export function listNames(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((name) => `\`${name}\``);
  return names.length > max ? `${shown.join(', ')} and ${names.length - max} more` : shown.join(', ');
}
