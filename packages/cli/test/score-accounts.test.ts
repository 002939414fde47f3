/**
 * `rubric score --accounts` in process (issue 17): the progress bar follows the contacts file on
 * a terminal, the contacts can come from stdin, and the summary accounts for every record.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerminalStream, Workspace } from './support/cli.js';

const RULES = `lead {
  job: text
  company.id: text
}

account id = company.id {
  id: text
  size: number
}

group fit {
  when job = ceo add 10 "CEO"
  when account.size >= 100 add 5 "Big company"
}

stage known at 0

score accounts {
  when count contacts where (job = ceo) >= 1 add 20 "Has a CEO"
  stage cold at 0
  stage warm at 20
}
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', RULES);
});
afterEach(() => ws.remove());

const NOW = ['--now', '2026-03-01'];

describe('rubric score --accounts', () => {
  it('shows a progress bar on a terminal while the contacts are read, and none with --no-progress', async () => {
    const accounts = Array.from({ length: 2_000 }, (_, i) => `A${i},${i % 300}`);
    const contacts = Array.from({ length: 40_000 }, (_, i) => `${i},${i % 7 === 0 ? 'ceo' : 'cto'},A${i % 2_000}`);
    ws.write('accounts.csv', `id,size\n${accounts.join('\n')}\n`);
    ws.write('contacts.csv', `id,job,company.id\n${contacts.join('\n')}\n`);
    const args = ['score', 'acme.rubric', 'contacts.csv', '--accounts', 'accounts.csv', ...NOW, '--out', 'c.csv', '--accounts-out', 'a.csv'];
    const stderr = new TerminalStream();
    const result = await ws.run(args, { tty: true, stderr });
    expect(result.code).toBe(0);
    expect(stderr.text).toMatch(/scoring .*\d+% \| \d+ rows/);
    const text = stderr.text.replace(/\u001b\[[\d;?]*[A-Za-z]/g, '');
    expect(text).toContain('accounts: 2000 read = 2000 scored + 0 rejected');
    expect(text).toContain('contacts: 40000 = 40000 in an account + 0 without account key + 0 naming no account');
    const quiet = await ws.run([...args, '--no-progress'], { tty: true, stderr: new TerminalStream() });
    expect(quiet.stderr).not.toContain('scoring');
  });

  it('reads the contacts from stdin and prints the accounts on stdout when the contacts go to a file', async () => {
    ws.write('accounts.jsonl', '{"id": "A1", "size": 150}\n');
    const result = await ws.run(['score', 'acme.rubric', '-', '--input-format', 'csv', '--accounts', 'accounts.jsonl', ...NOW, '--out', 'c.csv', '--accounts-out', '-'], {
      stdin: Readable.from(['id,job,company.id\n1,ceo,A1\n2,cto,A1\n']),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('{"id":"A1","score":20,"stage":"warm","tier":null,"contacts":2}\n');
    expect(ws.read('c.csv')).toBe('id,job,company.id,score,stage,tier,fit\n1,ceo,A1,15,known,,15\n2,cto,A1,5,known,,5\n');
  });
});
