/**
 * Issue 14, encodings, end to end with the built `rubric` binary: a file piped on stdin is
 * decoded like a named one (a UTF-16 LE byte order mark, `--encoding windows-1252`), and what
 * the process writes on stdout keeps the input's CRLF and byte order mark, UTF-8 encoded.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, TempDir } from './support.js';

const RULES = `lead {
  id: text
  job: text
}
when job in ["Directeur Général", "Président"] add 10 "Décideur"
stage qualified at 10 requires id
`;

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('rules.rubric', RULES);
});
afterAll(() => tmp.remove());

/** Runs `rubric ...args` with `input` bytes on stdin; stdout as bytes. */
function run(args: readonly string[], input: Buffer): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp.dir, env: { ...process.env, NO_COLOR: '1' } });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // In small pieces: the byte order mark and characters arrive cut.
  for (let i = 0; i < input.length; i += 3) child.stdin.write(input.subarray(i, i + 3));
  child.stdin.end();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

const ROWS = 'id;job\r\n1;Directeur Général\r\n2;Stagiaire\r\n';
const SCORED = 'id;job;score;stage;tier\r\n1;Directeur Général;10;qualified;\r\n2;Stagiaire;0;;\r\n';

describe('rubric score on stdin: encodings and byte order marks (built binary)', () => {
  it('UTF-16 LE with its mark: decoded; stdout is UTF-8 with a mark, CRLF kept', async () => {
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ROWS, 'utf16le')]);
    const result = await run(['score', 'rules.rubric', '-', '--input-format', 'csv', '--now', '2026-03-01'], input);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SCORED, 'utf8')]))).toBe(true);
  });

  it('Windows-1252 with --encoding: decoded; stdout is UTF-8 with a mark (for the Excel that saved the input)', async () => {
    const input = Buffer.from(ROWS, 'latin1'); // é is 0xE9 in both Latin-1 and Windows-1252
    const result = await run(['score', 'rules.rubric', '-', '--input-format', 'csv', '--now', '2026-03-01', '--encoding', 'windows-1252'], input);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SCORED, 'utf8')]))).toBe(true);
  });

  it('the same bytes without --encoding: the accented row is rejected, and the hint given once', async () => {
    const input = Buffer.from(ROWS, 'latin1');
    const result = await run(['score', 'rules.rubric', '-', '--input-format', 'csv', '--now', '2026-03-01'], input);
    expect(result.code).toBe(0);
    expect(result.stdout.toString('utf8')).toBe('id;job;score;stage;tier\r\n2;Stagiaire;0;;\r\n');
    expect(result.stderr.match(/try --encoding windows-1252/g)).toHaveLength(1);
    expect(result.stderr).toContain('rows: 2 read = 1 written + 1 rejected');
  });

  it('an unknown --encoding is a usage error (exit 2) naming the accepted ones', async () => {
    const result = await run(['score', 'rules.rubric', '-', '--input-format', 'csv', '--encoding', 'ebcdic'], Buffer.from(''));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown --encoding `ebcdic`');
    expect(result.stderr).toContain('utf-8, windows-1252, latin1 (iso-8859-1), utf-16le or utf-16be');
  });
});
