/**
 * A small won/lost history for the `rubric backtest` and `rubric report` tests: a rule file, 80
 * leads in CSV (with an `as_of` date and a `won` column) and their events in a separate file,
 * all made by formula so the golden outputs can be reasoned about. The history has the warts
 * the commands must account for: a missing and an invalid outcome, an impossible as-of date, a
 * number that is not one, and an unreadable line. Won leads also have a demo AFTER their as-of
 * date (the sales cycle), which only leaks into the score without --as-of.
 */

export const HISTORY_RULES = `# A small rule file to back-test
lead {
  job: text
  company.size: number
  email: text
}

event demo
event pricing_view

let bosses = [CEO, CTO]

group fit max 30 {
  when job in bosses add 10 "Decision maker"
  when company.size >= 50 add 5 "Big company"
}

group engagement max 40 {
  when any demo within 60 days add 10 "Demo request"
  when any pricing_view within 30 days add 5 "Pricing page"
}

when email ends "@gmail.com" sub 5 "Personal address"

stage warm at 10
stage mql at 20 requires email
`;

interface HistoryRow {
  readonly id: number;
  readonly job: string;
  readonly size: string;
  readonly email: string;
  readonly asOf: string;
  readonly won: string;
  readonly demo: boolean;
  readonly pricing: boolean;
}

function day(date: string, offset: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

function rows(): HistoryRow[] {
  const result: HistoryRow[] = [];
  for (let id = 1; id <= 80; id++) {
    const job = id % 4 === 0 ? 'CEO' : id % 4 === 1 ? 'CTO' : id % 4 === 2 ? 'Analyst' : 'Intern';
    const demo = id % 3 === 0;
    const pricing = id % 5 === 0 || id % 7 === 0;
    // Demo requests and pricing visits win; being a boss a little; the rest rarely.
    const won = (demo && id % 2 === 0) || (pricing && id % 3 !== 1) || id % 13 === 0;
    let wonText = won ? 'yes' : 'no';
    if (id === 13) wonText = '';
    if (id === 27) wonText = 'maybe';
    result.push({
      id,
      job,
      size: id === 55 ? 'fifty' : String((id * 37) % 300),
      email: id % 9 === 0 ? '' : id % 7 === 0 ? `lead${id}@gmail.com` : `lead${id}@corp.fr`,
      asOf: id === 40 ? '2026-02-30' : day('2026-01-10', id % 40),
      won: wonText,
      demo,
      pricing,
    });
  }
  return result;
}

/** The history as CSV, with one unreadable line (an unclosed quote) after lead 60. */
export function historyCsv(): string {
  const lines = ['id,job,company.size,email,as_of,won'];
  for (const row of rows()) {
    lines.push([row.id, row.job, row.size, row.email, row.asOf, row.won].join(','));
    if (row.id === 60) lines.push('61b,"CEO,10,x@corp.fr,2026-02-01,yes');
  }
  return `${lines.join('\n')}\n`;
}

/** The leads' events, sorted by lead id: demos and pricing visits before as-of, and won leads' demo after it. */
export function historyEventsCsv(): string {
  const lines = ['lead_id,type,at'];
  for (const row of rows()) {
    const asOf = row.id === 40 ? '2026-02-01' : row.asOf;
    const events: [string, string][] = [];
    if (row.demo) events.push(['demo', day(asOf, -(5 + (row.id % 20)))]);
    if (row.pricing) events.push(['pricing_view', day(asOf, -(1 + (row.id % 10)))]);
    if (row.won === 'yes') events.push(['demo', day(asOf, 4)]);
    events.sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    for (const [type, at] of events) lines.push(`${row.id},${type},${at}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The same leads as JSON Lines, events inline (no unreadable line; all else the same). */
export function historyJsonl(): string {
  const events = new Map<string, { type: string; at: string }[]>();
  for (const line of historyEventsCsv().trim().split('\n').slice(1)) {
    const [id, type, at] = line.split(',');
    const list = events.get(id) ?? [];
    list.push({ type, at });
    events.set(id, list);
  }
  return rows()
    .map((row) =>
      JSON.stringify({
        id: String(row.id),
        job: row.job,
        company: { size: row.size === 'fifty' ? 'fifty' : Number(row.size) },
        email: row.email === '' ? null : row.email,
        as_of: row.asOf,
        won: row.won === '' ? null : row.won,
        events: events.get(String(row.id)) ?? [],
      }),
    )
    .join('\n')
    .concat('\n');
}
