/**
 * `rubric score --threads N` cuts a CSV file into pieces scored on worker threads and writes them
 * in order (parallel/worker-pool.ts): the output file, stdout, the problems, the `--errors` file,
 * the summary and the exit code must be byte for byte what one thread gives. Small pieces
 * (`RUBRIC_PIECE_UNITS`) cut these small files into many, so that cuts land everywhere: inside
 * quoted line breaks, after stray quotes, in CRLF pairs, beside invalid bytes and bad records.
 *
 * The worker threads run the built package (dist/): `npm run build` first, as `npm test` does.
 */
import { existsSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '@rubric/core';
import { Workspace, type RunResult } from './support/cli.js';
import { ACME_RULES } from './support/fixtures.js';

const WORKER_BUILT = existsSync(fileURLToPath(new URL('../dist/parallel/score-worker.js', import.meta.url)));

/** No groups and no tier: the writer's cached line ends (the other path of `pushScored`). */
const PLAIN_RULES = `lead {
  id: text
  job: text
  company.size: number
  country: text
  student: bool
}
when job in [CEO, CTO, "VP Sales"] add 10 "Decision maker"
when company.size >= 50 add 5 "Mid-size"
when country in [FR, BE] add 3 "In market"
when student sub 20 "Student"
stage cold at 0
stage warm at 10
stage hot at 15 requires job
`;

const HEADER = ['id', 'job', 'email', 'phone', 'company.size', 'company.industry', 'country', 'tags', 'student', 'budget_validated', 'signup'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A cell value, sometimes one that needs quoting or is of the wrong type. */
function cellValue(random: () => number, column: string, delimiter: string): string {
  const roll = random();
  if (roll < 0.05) return '';
  if (roll < 0.08) return pick(random, ['n/a', '-', '1,200', 'oui', '2.0.1']);
  if (roll < 0.1) return pick(random, [`a${delimiter}b`, 'two\nlines', 'crlf\r\ninside', 'say "hi"', ' padded ', 'é à ü', '😀 emoji']);
  switch (column) {
    case 'company.size':
      return String(Math.floor(random() * 400));
    case 'student':
    case 'budget_validated':
      return pick(random, ['true', 'false', 'yes', 'no', '1', '0']);
    case 'signup':
      return pick(random, ['2026-02-20', '2025-12-01T09:30:00Z', '2026-02-28']);
    case 'job':
      return pick(random, ['CEO', 'CTO', 'VP Sales', 'Intern', 'ceo ']);
    case 'country':
      return pick(random, ['FR', 'BE', 'US', 'ch']);
    case 'tags':
      return pick(random, ['partner', 'partner;vip', '']);
    default:
      return `v${Math.floor(random() * 1000)}`;
  }
}

function encode(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || value.startsWith(' ') || value.endsWith(' ') ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A CSV export with the hazards of real files: quoted line breaks, stray quotes, a quote closed
 * too early, one that never closes, short and long rows, blank lines, and bytes that are not
 * UTF-8 (returned as bytes).
 */
function hazardousCsv(random: () => number, columns: readonly string[], rows: number): Buffer {
  const delimiter = pick(random, [',', ',', ';', '\t']);
  const eol = pick(random, ['\n', '\n', '\r\n', '\r']);
  const bom = random() < 0.2;
  const parts: Buffer[] = [];
  const text = (value: string): void => void parts.push(Buffer.from(value, 'utf8'));
  if (bom) text('\ufeff');
  text(columns.join(delimiter) + eol);
  for (let r = 0; r < rows; r++) {
    const roll = random();
    const cells = columns.map((column, i) => (i === 0 ? `L${r}` : encode(cellValue(random, column, delimiter), delimiter)));
    if (roll < 0.03) {
      text(eol); // a blank line
      continue;
    }
    if (roll < 0.06) cells.pop(); // a short row
    else if (roll < 0.08) cells.push('extra'); // a long row
    else if (roll < 0.11) cells[1] = `5" screen`; // a stray quote in an unquoted field
    else if (roll < 0.13) cells[1] = `"closed"early`; // text after a closing quote
    else if (roll < 0.14) cells[2] = `"opens${eol}and${eol}closes later"`; // a quoted field over three lines
    else if (roll < 0.16) {
      // Bytes that are not UTF-8 (a Windows-1252 é), in the middle of a row.
      text(cells.slice(0, 2).join(delimiter) + delimiter);
      parts.push(Buffer.from([0x43, 0x61, 0x66, 0xe9]));
      text(delimiter + cells.slice(3).join(delimiter) + eol);
      continue;
    } else if (roll < 0.165 && r > rows - 5) {
      cells[3] = `"never closed`; // a quote open to the end of the file
    }
    text(cells.join(delimiter) + (r === rows - 1 && random() < 0.3 ? '' : eol));
  }
  return Buffer.concat(parts);
}

/** The run without the line that says threads were used. */
function withoutThreadsLine(result: RunResult): RunResult {
  return { ...result, stderr: result.stderr.replace(/^threads: .*\n/m, '') };
}

describe.skipIf(!WORKER_BUILT)('rubric score --threads: the same output, problems and summary as one thread', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
  });
  afterEach(() => ws.remove());

  /** Runs one thread and `threads` threads on the same file; returns how many runs scored in parallel. */
  async function compareRuns(args: readonly string[], threads: number, pieceUnits: number, files: readonly string[]): Promise<boolean> {
    const one = await ws.run([...args, '--threads', '1']);
    const oneFiles = files.map((file) => (existsSync(ws.path(file)) ? ws.read(file) : undefined));
    const many = await ws.run([...args, '--threads', String(threads)], { env: { RUBRIC_PIECE_UNITS: String(pieceUnits) } });
    const manyFiles = files.map((file) => (existsSync(ws.path(file)) ? ws.read(file) : undefined));
    expect(withoutThreadsLine(many)).toEqual(one);
    expect(manyFiles).toEqual(oneFiles);
    expect(one.stderr).not.toMatch(/^threads: /m);
    return /^threads: /m.test(many.stderr);
  }

  it('on a clean file cut into many pieces, with the summary saying so', async () => {
    ws.write('acme.rubric', ACME_RULES);
    const random = seededRandom(20261204);
    const lines = [HEADER.join(',')];
    for (let r = 0; r < 400; r++) lines.push(HEADER.map((column, i) => (i === 0 ? `L${r}` : encode(cellValue(random, column, ','), ','))).join(','));
    ws.write('leads.csv', `${lines.join('\n')}\n`);
    const args = ['score', 'acme.rubric', 'leads.csv', '--now', '2026-03-01', '--out', 'scored.csv', '--errors', 'errors.csv', '--no-progress'];
    expect(await compareRuns(args, 2, 2000, ['scored.csv', 'errors.csv'])).toBe(true);
    const many = await ws.run([...args, '--threads', '3'], { env: { RUBRIC_PIECE_UNITS: '2000' } });
    expect(many.stderr).toMatch(/^threads: 3 \(\d+ pieces of the file scored in parallel\)$/m);
    // --explain too: each row read as a lead and explained, its `why` written.
    expect(await compareRuns([...args, '--explain'], 2, 2000, ['scored.csv', 'errors.csv'])).toBe(true);
    expect(ws.read('scored.csv').split('\n')[1]).toMatch(/,"?score /);
  });

  it('scores a file with an `events` column on one thread (a lead object per row)', async () => {
    ws.write('acme.rubric', ACME_RULES);
    const lines = ['id,job,events'];
    for (let r = 0; r < 300; r++) lines.push(`L${r},CEO,"[{""type"":""email_open"",""at"":""2026-02-2${r % 9}""}]"`);
    ws.write('leads.csv', `${lines.join('\n')}\n`);
    const args = ['score', 'acme.rubric', 'leads.csv', '--now', '2026-03-01', '--no-progress', '--out', 'scored.csv'];
    expect(await compareRuns(args, 2, 500, ['scored.csv'])).toBe(false);
  });

  it('on seeded files with the hazards of real exports, for piece sizes from 7 units up', async () => {
    ws.write('acme.rubric', ACME_RULES);
    ws.write('plain.rubric', PLAIN_RULES);
    const random = seededRandom(4242);
    let parallel = 0;
    const rounds = 24;
    for (let round = 0; round < rounds; round++) {
      const rules = pick(random, ['acme.rubric', 'plain.rubric']);
      const columns = rules === 'acme.rubric' ? HEADER : ['id', 'job', 'company.size', 'country', 'student', 'note'];
      writeFileSync(ws.path('leads.csv'), hazardousCsv(random, columns, 20 + Math.floor(random() * 120)));
      const format = pick(random, ['csv', 'csv', 'jsonl']);
      const args = ['score', rules, 'leads.csv', '--now', '2026-03-01', '--no-progress', '--errors', 'errors.jsonl', '--format', format];
      const toFile = random() < 0.5;
      if (toFile) args.push('--out', 'scored.out');
      if (random() < 0.15) args.push('--strict');
      if (random() < 0.3) args.push('--explain');
      const units = pick(random, [7, 13, 40, 97, 300, 1000]);
      if (await compareRuns(args, pick(random, [2, 3]), units, toFile ? ['scored.out', 'errors.jsonl'] : ['errors.jsonl'])) parallel += 1;
    }
    // Most files are read in pieces at least in part (a cut fooled by a stray quote reads the rest on the main thread).
    expect(parallel).toBeGreaterThan(rounds / 2);
  });

  it('reads on here from a cut that broken quoting fooled, then goes on in pieces', async () => {
    ws.write('plain.rubric', PLAIN_RULES);
    // Line 12 is rejected at its `b` (text after a closing quote), but `,"c` opens a quoted field
    // for the cut's scan, which finds no line end outside quotes after it: a piece ends mid-line.
    const lines = ['id,job,company.size,country,student,note'];
    for (let r = 0; r < 6000; r++) lines.push(r === 10 ? `L${r},"a"b,"c,FR,false,x` : `L${r},CEO,${r},FR,false,n${r}`);
    ws.write('leads.csv', `${lines.join('\n')}\n`);
    const args = ['score', 'plain.rubric', 'leads.csv', '--now', '2026-03-01', '--no-progress', '--out', 'scored.csv'];
    expect(await compareRuns(args, 2, 300, ['scored.csv'])).toBe(true);
    const many = await ws.run([...args, '--threads', '2'], { env: { RUBRIC_PIECE_UNITS: '300' } });
    expect(many.stderr).toContain('rows: 6000 read = 5999 written + 1 rejected');
    // The file is read in 64 KB chunks: the scan finds no boundary in the first after line 12,
    // which goes whole as one piece; the reading here after it finds the lines, and the pieces
    // go on through the second chunk (about 75 KB of text after the first).
    expect(Number(/threads: 2 \((\d+) pieces/.exec(many.stderr)?.[1])).toBeGreaterThan(100);
  });

  it('reads the rest here after a quote that never closes', async () => {
    ws.write('plain.rubric', PLAIN_RULES);
    const lines = ['id,job,company.size,country,student,note'];
    for (let r = 0; r < 300; r++) lines.push(r === 150 ? `L${r},CEO,1,FR,false,"never closed` : `L${r},CEO,${r},FR,false,n${r}`);
    ws.write('leads.csv', `${lines.join('\n')}\n`);
    const args = ['score', 'plain.rubric', 'leads.csv', '--now', '2026-03-01', '--no-progress', '--out', 'scored.csv', '--errors', 'errors.csv'];
    await compareRuns(args, 2, 200, ['scored.csv', 'errors.csv']);
    const many = await ws.run([...args, '--threads', '2'], { env: { RUBRIC_PIECE_UNITS: '200' } });
    expect(many.stderr).toContain('rows: 300 read = 299 written + 1 rejected');
  });

  it('scores a file of one piece, a header alone and an empty file on the main thread', async () => {
    ws.write('plain.rubric', PLAIN_RULES);
    for (const text of ['id,job,company.size,country,student,note\nL1,CEO,10,FR,false,x\n', 'id,job,company.size,country,student,note\n', '']) {
      ws.write('leads.csv', text);
      const args = ['score', 'plain.rubric', 'leads.csv', '--now', '2026-03-01', '--no-progress'];
      expect(await compareRuns(args, 2, 1 << 20, [])).toBe(false);
    }
  });

  it('refuses a --threads that is not a whole number from 1 to 64', async () => {
    ws.write('plain.rubric', PLAIN_RULES);
    ws.write('leads.csv', 'id,job\nL1,CEO\n');
    for (const value of ['0', '65', 'two', '1.5']) {
      const result = await ws.run(['score', 'plain.rubric', 'leads.csv', '--threads', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`invalid --threads \`${value}\`: expected a whole number from 1 to 64`);
    }
  });
});
