/**
 * Output files (`--out`, `--errors`) are written to a temporary file and renamed into place, so a
 * failed run leaves nothing half-written. A target that is not a regular file must not be replaced
 * that way: `--out /dev/null` run as root once turned /dev/null into a plain file for the whole
 * machine. A named pipe stands in for a device here; a symbolic link keeps pointing at its file.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';
import { ACME_RULES, LEADS_CSV } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  ws.write('leads.csv', LEADS_CSV);
});
afterEach(() => ws.remove());

const SCORE = ['score', 'acme.rubric', 'leads.csv', '--now', '2026-03-01'];

async function drain(path: string): Promise<string> {
  let text = '';
  for await (const chunk of createReadStream(path)) text += (chunk as Buffer).toString('utf8');
  return text;
}

describe('output targets that are not regular files', () => {
  it.skipIf(process.platform === 'win32')('writes into a named pipe and leaves it a pipe (a device is never replaced by a file)', async () => {
    execFileSync('mkfifo', [ws.path('out.pipe')]);
    const reading = drain(ws.path('out.pipe'));
    const result = await ws.run([...SCORE, '--out', 'out.pipe']);
    expect(result.code, result.stderr).toBe(0);
    const text = await reading;
    expect(text.split('\n')[0]).toContain('score');
    expect(lstatSync(ws.path('out.pipe')).isFIFO()).toBe(true);
  }, 15_000);

  it.skipIf(process.platform === 'win32')('writes --errors into a named pipe too', async () => {
    execFileSync('mkfifo', [ws.path('errors.pipe')]);
    ws.write('bad.csv', 'id,job,company.size\n1,CEO,fifty\n');
    const reading = drain(ws.path('errors.pipe'));
    const result = await ws.run(['score', 'acme.rubric', 'bad.csv', '--now', '2026-03-01', '--out', 'out.csv', '--errors', 'errors.pipe']);
    expect(result.code, result.stderr).toBe(0);
    expect(await reading).toContain('fifty');
    expect(lstatSync(ws.path('errors.pipe')).isFIFO()).toBe(true);
  }, 15_000);

  it('follows a symbolic link: the file it points to is replaced, the link stays', async () => {
    ws.write('real.csv', 'old\n');
    symlinkSync(ws.path('real.csv'), ws.path('link.csv'));
    const result = await ws.run([...SCORE, '--out', 'link.csv']);
    expect(result.code, result.stderr).toBe(0);
    expect(lstatSync(ws.path('link.csv')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(ws.path('link.csv'))).toBe(ws.path('real.csv'));
    expect(readFileSync(ws.path('real.csv'), 'utf8').split('\n')[0]).toContain('score');
  });

  it('refuses a folder, saying so (exit 2)', async () => {
    mkdirSync(ws.path('folder'));
    const result = await ws.run([...SCORE, '--out', 'folder']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot write `folder`: it is a folder');
  });
});
