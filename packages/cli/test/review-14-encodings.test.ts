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
