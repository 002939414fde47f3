import { execFileSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';

/** Review of issue 14: encodings as `rubric profile` reports them, and a byte order mark with nothing after it. */
const RULES = `lead {
  job: text from "Job Title"
  size: number
}
when job = CEO add 10 "CEO"
when size > 100 add 5 "Big"
`;

const CSV = 'id,Job Title,size\n1,CEO,200\n2,Dév,5\n';

/** `text` as UTF-16 LE with its byte order mark. */
function utf16leWithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('r.rubric', RULES);
});
afterEach(() => ws.remove());

describe('rubric profile: the encoding it reports is the one it read in', () => {
  it('stdin with a UTF-16 LE byte order mark is reported as UTF-16 LE with a mark, not UTF-8', async () => {
    const result = await ws.run(['profile', 'r.rubric', '-', '--input-format', 'csv', '--format', 'json'], {
      stdin: Readable.from([utf16leWithBom(CSV)]),
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { rows: number; files: { data: { encoding: string; bom?: string } } };
    expect(report.rows).toBe(2);
    expect(report.files.data.encoding).toBe('utf-16le');
    expect(report.files.data.bom).toBe('utf-16le');
  });

  it.skipIf(process.platform === 'win32')('a named pipe is read once (opening it again would wait for a writer forever)', async () => {
    const fifo = ws.path('pipe.csv');
    execFileSync('mkfifo', [fifo]);
    // The writer: opening a FIFO for writing waits for the reader, then the text goes through once.
    const writer = createWriteStream(fifo);
    writer.end(utf16leWithBom(CSV));
    const result = await ws.run(['profile', 'r.rubric', 'pipe.csv', '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { rows: number; files: { data: { encoding: string; bom?: string } } };
    expect(report.rows).toBe(2);
    expect(report.files.data.encoding).toBe('utf-16le');
  }, 10_000);
});

describe('a file that is only a byte order mark', () => {
  it.each(['js', 'duckdb'])('keeps its mark in the CSV output (--engine %s): both engines write the same bytes', async (engine) => {
    writeFileSync(ws.path('bom.csv'), Buffer.from([0xef, 0xbb, 0xbf]));
    const result = await ws.run(['score', 'r.rubric', 'bom.csv', '--now', '2026-03-01', '--engine', engine]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('\ufeffscore,stage,tier\n');
  });
});

describe('UTF-16 without a byte order mark', () => {
  // Read as UTF-8, every other byte is a NUL: the header's columns are `i\0d\0`..., no field finds
  // its column and every lead scores as if empty. ASCII-only text holds no invalid UTF-8, so
  // nothing at all said what was wrong; with an accent, the hint was Windows-1252 (wrong too).
  it.each(['js', 'duckdb'])('is pointed out with the --encoding that reads it (--engine %s)', async (engine) => {
    writeFileSync(ws.path('le.csv'), Buffer.from('id,Job Title,size\n1,CEO,200\n', 'utf16le'));
    const le = await ws.run(['score', 'r.rubric', 'le.csv', '--now', '2026-03-01', '--engine', engine]);
    expect(le.stderr).toContain('`le.csv` looks like UTF-16 LE without a byte order mark');
    expect(le.stderr).toContain('--encoding utf-16le');
    const be = Buffer.from('id,Job Title,size\n1,CEO,200\n', 'utf16le').swap16();
    writeFileSync(ws.path('be.csv'), be);
    const beRun = await ws.run(['score', 'r.rubric', 'be.csv', '--now', '2026-03-01', '--engine', engine]);
    expect(beRun.stderr).toContain('--encoding utf-16be');
    // Read as it says, it scores.
    const read = await ws.run(['score', 'r.rubric', 'le.csv', '--now', '2026-03-01', '--engine', engine, '--encoding', 'utf-16le']);
    expect(read.stdout).toBe('id,Job Title,size,score,stage,tier\n1,CEO,200,15,,\n');
    expect(read.stderr).not.toContain('looks like UTF-16');
  });

  it('UTF-8 text with a few NULs is not taken for UTF-16', async () => {
    writeFileSync(ws.path('nul.csv'), 'id,Job Title,size\n1,CEO\u0000,200\n2,CTO,5\n');
    const result = await ws.run(['score', 'r.rubric', 'nul.csv', '--now', '2026-03-01']);
    expect(result.stderr).not.toContain('UTF-16');
  });
});
