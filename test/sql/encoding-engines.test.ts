/**
 * Issue 14, encodings, both engines: `rubric score --engine duckdb` reads a file that is not
 * plain UTF-8 (`--encoding windows-1252`, a UTF-16 file, a file with a byte order mark) with the
 * JavaScript reader, so both engines score the same rows, reject the same ones with the same
 * messages, say the same notice once, and write the same bytes: the input's CRLF and byte order
 * mark kept, on stdout and in an `--out` file (which DuckDB writes itself with COPY).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../packages/cli/src/context.js';
import { loadFile } from '../../packages/cli/src/engine/duckdb-input.js';
import type { InputEncoding } from '../../packages/cli/src/input/source.js';
import { CapturedStream, Workspace } from '../../packages/cli/test/support/cli.js';

const duckdbLoads = await import('@duckdb/node-api').then(
  () => true,
  () => false,
);

const RULES = `lead {
  id: text
  job: text
  size: number
}
event visite { page: text }

group fit max 60 {
  when job in [CEO, "Directeur Général", "Président"] add 10
  when size between 10 and 250 add 15
}
group engagement {
  when any visite where page = "Accueil privé" add 5
}
stage froid at 0
stage chaud at 20
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('rules.rubric', RULES);
});
afterEach(() => ws.remove());

/** Windows-1252 bytes of Latin-1 text (plus the few Windows-1252 characters used here). */
function windows1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '’': 0x92, '–': 0x96 };
  return Buffer.from(
    [...text].map((ch) => {
      const code = special[ch] ?? ch.codePointAt(0) ?? 0;
      if (code > 0xff) throw new Error(`not in Windows-1252: ${ch}`);
      return code;
    }),
  );
}

interface Run {
  readonly code: number;
  /** stdout as bytes (a byte order mark and CRLF are compared too). */
  readonly stdout: Buffer;
  /** The `--out` file's bytes. */
  readonly out: Buffer;
  /** stderr without the lines that name the engine or the output file. */
  readonly stderr: string;
  readonly errors: string;
}

async function run(engine: 'js' | 'duckdb', data: string, extra: readonly string[]): Promise<Run> {
  const args = ['score', 'rules.rubric', data, '--now', '2026-03-01', '--engine', engine, ...extra];
  const printed = await ws.run([...args, '--errors', `errors-${engine}.jsonl`]);
  const stdout = Buffer.from(printed.stdout, 'utf8');
  const written = await ws.run([...args, '--out', `out-${engine}.csv`]);
  expect(written.code).toBe(printed.code);
  const stderr = printed.stderr
    .split('\n')
    .map((line) => line.replace(/ \(engine: duckdb\)$/, ''))
    .filter((line) => !line.startsWith('problems:'))
    .join('\n');
  return { code: printed.code, stdout, out: readFileSync(ws.path(`out-${engine}.csv`)), stderr, errors: ws.read(`errors-${engine}.jsonl`) };
}

/** Both engines on `data`: the same exit code, bytes out, problems and stderr; returns the JavaScript run. */
async function sameOnBoth(data: string, extra: readonly string[] = []): Promise<Run> {
  const js = await run('js', data, extra);
  const duck = await run('duckdb', data, extra);
  expect(duck.code, duck.stderr).toBe(js.code);
  expect(duck.stdout.toString('latin1')).toBe(js.stdout.toString('latin1'));
  // The `--out` file: the JavaScript engine's writer, DuckDB's COPY: the same bytes, and the same as stdout.
  expect(js.out.toString('latin1')).toBe(js.stdout.toString('latin1'));
  expect(duck.out.toString('latin1')).toBe(js.out.toString('latin1'));
  expect(duck.errors).toBe(js.errors);
  expect(duck.stderr).toBe(js.stderr);
  return js;
}

/** Which reader `--engine duckdb` uses for a CSV file. */
async function readerOf(connection: DuckDBConnection, name: string, table: string, encoding?: InputEncoding): Promise<'duckdb' | 'javascript'> {
  const io = { stdout: new CapturedStream(), stderr: new CapturedStream(), stdin: Readable.from([]), isTTY: { stdout: false, stderr: false, stdin: false }, env: {}, cwd: ws.dir, now: () => new Date(0) };
  const context = createContext(io, { exitCode: 0, colorOption: false });
  const loaded = await loadFile(context, connection, table, name, 'csv', undefined, undefined, encoding === undefined ? {} : { encoding });
  return loaded.reader;
}

const FRENCH = 'id;job;size\r\n1;Directeur Général;120\r\n2;Président;8\r\n3;Stagiaire;60\r\n4;"Ingénieur; export";40\r\n';

describe.skipIf(!duckdbLoads)('rubric score: both engines on files that are not plain UTF-8 (issue 14)', () => {
  it('a Windows-1252 file (semicolons, CRLF) with --encoding windows-1252: same bytes, CRLF kept, accents scored', async () => {
    writeFileSync(ws.path('cp1252.csv'), windows1252(FRENCH));
    const js = await sameOnBoth('cp1252.csv', ['--encoding', 'windows-1252']);
    expect(js.code).toBe(0);
    // UTF-8 with a byte order mark: the Excel that saved the Windows-1252 file needs it to read UTF-8.
    expect(js.stdout.toString('utf8')).toBe(
      '\ufeffid;job;size;score;stage;tier;fit;engagement\r\n1;Directeur Général;120;25;chaud;;25;0\r\n2;Président;8;10;froid;;10;0\r\n3;Stagiaire;60;15;froid;;15;0\r\n4;"Ingénieur; export";40;15;froid;;15;0\r\n',
    );
  });

  it('the same file read as UTF-8: the same rows rejected, the same notice once, in both', async () => {
    writeFileSync(ws.path('cp1252.csv'), windows1252(FRENCH));
    const js = await sameOnBoth('cp1252.csv');
    expect(js.stderr).toContain('rows: 4 read = 1 written + 3 rejected');
    const hints = js.stderr.split('\n').filter((line) => line.includes('try --encoding windows-1252'));
    expect(hints).toEqual([
      'warning: `cp1252.csv` line 2: bytes that are not valid UTF-8 (at column 14); every record holding such bytes is rejected: if the file is Windows-1252 (as Excel saves it), try --encoding windows-1252',
    ]);
  });

  it('UTF-8 with a byte order mark and CRLF: the output keeps both', async () => {
    writeFileSync(ws.path('bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(FRENCH.replaceAll(';', ','), 'utf8')]));
    const js = await sameOnBoth('bom.csv');
    expect([...js.stdout.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(js.stdout.toString('utf8')).toContain('\r\n1,Directeur Général,120,25,chaud,,25,0\r\n');
  });

  it('UTF-8 with CRLF and no mark (DuckDB reads it itself): CRLF kept, no mark', async () => {
    ws.write('crlf.csv', FRENCH.replaceAll(';', ',').replace('"Ingénieur, export"', 'Ingénieur export'));
    const js = await sameOnBoth('crlf.csv');
    expect(js.stdout.toString('utf8').startsWith('id,job,size,score')).toBe(true);
    expect(js.stdout.toString('utf8').endsWith(',0\r\n')).toBe(true);
  });

  it('UTF-16 LE with its mark (tab-separated, as Excel saves "Unicode text")', async () => {
    writeFileSync(ws.path('utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FRENCH.replaceAll(';', '\t').replace('"Ingénieur\t export"', 'Ingénieur 🚀'), 'utf16le')]));
    const js = await sameOnBoth('utf16.csv');
    expect(js.stdout.toString('utf8')).toContain('\ufeffid\tjob\tsize\tscore');
    expect(js.stdout.toString('utf8')).toContain('\r\n1\tDirecteur Général\t120\t25\tchaud\t\t25\t0\r\n');
  });

  it('an events file in Windows-1252 with --encoding (both files read with it)', async () => {
    ws.write('leads.csv', 'id,job,size\n1,CEO,5\n2,CEO,5\n');
    writeFileSync(ws.path('events.csv'), windows1252('lead_id;type;at;page\r\n1;visite;2026-02-01;Accueil privé\r\n2;visite;2026-02-01;Accueil\r\n'));
    const js = await sameOnBoth('leads.csv', ['--events', 'events.csv', '--encoding', 'windows-1252']);
    expect(js.stdout.toString('utf8')).toBe('\ufeffid,job,size,score,stage,tier,fit,engagement\n1,CEO,5,15,froid,,10,5\n2,CEO,5,10,froid,,10,0\n');
  });

  it('a UTF-8 file read with --encoding windows-1252: scored as asked, and both engines say it looks like UTF-8', async () => {
    ws.write('utf8.csv', FRENCH);
    const js = await sameOnBoth('utf8.csv', ['--encoding', 'windows-1252']);
    expect(js.stderr).toContain('warning: `utf8.csv` is read as windows-1252 (--encoding), but its first bytes are valid UTF-8');
    expect(js.stdout.toString('utf8')).toContain('Directeur GÃ©nÃ©ral');
  });

  it('sends a file with a byte order mark, or read in another encoding, to the JavaScript reader; plain UTF-8 (CRLF too) to DuckDB', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      ws.write('plain.csv', 'id,job\n1,CEO\n');
      ws.write('crlf.csv', 'id,job\r\n1,CEO\r\n');
      writeFileSync(ws.path('bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,job\n1,CEO\n')]));
      expect(await readerOf(connection, 'plain.csv', 't1')).toBe('duckdb');
      expect(await readerOf(connection, 'crlf.csv', 't2')).toBe('duckdb');
      expect(await readerOf(connection, 'bom.csv', 't3')).toBe('javascript');
      expect(await readerOf(connection, 'plain.csv', 't4', 'windows-1252')).toBe('javascript');
      expect(await readerOf(connection, 'plain.csv', 't5', 'utf-8')).toBe('duckdb');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
