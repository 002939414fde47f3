import { CliError } from './context.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses `--now`: an ISO 8601 date (`2026-03-01` = 00:00Z) or date-time (no zone = UTC, as in the
 * language). Throws a {@link CliError} (exit 2) for anything else, including days that do not
 * exist (`2026-02-30`).
 */
export function parseNowOption(text: string): Date {
  const match = ISO.exec(text.trim());
  if (match !== null) {
    const [, year, month, day, hour, minute, second, zone] = match;
    const normalized =
      hour === undefined
        ? `${year}-${month}-${day}T00:00:00Z`
        : `${text.trim().slice(0, 10)}T${text.trim().slice(11)}${zone === undefined ? 'Z' : ''}`;
    const date = new Date(normalized);
    const sameDay =
      date.getTime() === date.getTime() &&
      (zone !== undefined && hour !== undefined
        ? true
        : date.getUTCFullYear() === Number(year) && date.getUTCMonth() + 1 === Number(month) && date.getUTCDate() === Number(day));
    const validParts = Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= daysInMonth(Number(year), Number(month));
    if (sameDay && validParts && (hour === undefined || (Number(hour) <= 23 && Number(minute) <= 59 && Number(second ?? 0) <= 59))) {
      return date;
    }
  }
  throw new CliError(`invalid --now \`${text}\`: expected an ISO 8601 date or date-time`, {
    help: 'for example --now 2026-03-01 or --now 2026-03-01T09:30:00Z (no zone means UTC)',
  });
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The instant to score at: `--now` when given, else the current time; and how it was chosen. */
export function resolveNow(option: string | undefined, clock: () => Date): { now: Date; source: string } {
  if (option !== undefined) return { now: parseNowOption(option), source: 'from --now' };
  return { now: clock(), source: 'the current time; pass --now to fix it' };
}
