/**
 * An option's value as a whole number: digits only (spaces around allowed), within the safe
 * integers; undefined otherwise (a sign, a decimal point, an exponent, `0x`, nothing). Each option
 * then checks its own range and says so in its own message.
 */
export function wholeNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isSafeInteger(number) ? number : undefined;
}
