import { existsSync, readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '@rubric/core';
import { BlockedStream, expectGolden, TerminalStream, Workspace } from './support/cli.js';
import { ACME_RULES, BROKEN_RULES, EVENTS_CSV, generatedLeadsCsv, LEADS_CSV } from './support/fixtures.js';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('acme.rubric', ACME_RULES);
  ws.write('leads.csv', LEADS_CSV);
  ws.write('events.csv', EVENTS_CSV);
});
afterEach(() => ws.remove());

const NOW = ['--now', '2026-03-01'];

/** Parses `rows: R read = W written + J rejected` from the summary. */
function rowCounts(stderr: string): { read: number; written: number; rejected: number } {
  const match = /rows: (\d+) read = (\d+) written \+ (\d+) rejected/.exec(stderr);
  if (match === null) throw new Error(`no row summary in:\n${stderr}`);
  return { read: Number(match[1]), written: Number(match[2]), rejected: Number(match[3]) };
}

function csvLines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('rubric score: normal output', () => {
  it('scores a CSV with an events file: every input column plus score, stage, tier and groups', async () => {
    const args = ['score', 'acme.rubric', 'leads.csv', '--events', 'events.csv', ...NOW];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('score-csv-events', args, result, ws);
    const lines = csvLines(result.stdout);
    expect(lines[0]).toBe(
      'id,job,email,phone,company.size,company.industry,country,tags,student,budget_validated,signup,score,stage,tier,fit,engagement',
    );
    expect(lines).toHaveLength(5);
    expect(rowCounts(result.stderr)).toEqual({ read: 4, written: 4, rejected: 0 });
  });

  it('gives the same scores as the in-process scorer', async () => {
    const result = await ws.run(['score', 'acme.rubric', 'leads.csv', ...NOW, '--format', 'jsonl']);
    expect(result.code).toBe(0);
    const { scorer } = compile(ACME_RULES);
    const rows = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(4);
    const first = scorer?.score(
      {
        id: '1',
        job: 'CEO',
        email: 'ana@acme.fr',
        phone: '+33 1 23 45 67 89',
        'company.size': 50,
        'company.industry': 'services',
        country: 'FR',
        tags: ['partner', 'vip'],
        student: 'no',
        budget_validated: 'yes',
        signup: '2026-02-20',
      },
      { now: '2026-03-01' },
    );
    expect(rows[0]).toMatchObject({ id: '1', score: first?.score, stage: first?.stage, tier: first?.tier, fit: first?.groups.fit });
  });

  it('reads JSON Lines with nested objects and events inside each lead, and explains with --explain', async () => {
    ws.write(
      'leads.jsonl',
      [
        JSON.stringify({
          id: 'a',
          job: 'CTO',
          email: 'ana@acme.fr',
          phone: '0102',
          company: { size: 40, industry: 'Services' },
          country: 'FR',
          budget_validated: true,
          events: [
            { type: 'download', at: '2026-02-01', asset: 'Buyer guide' },
            { type: 'page_view', at: '2026-02-20T08:00:00Z', url: '/pricing' },
          ],
        }),
        JSON.stringify({ id: 'b', job: 'Intern', email: 'x@gmail.com', student: 'yes', country: 'US' }),
        '',
      ].join('\n'),
    );
    const args = ['score', 'acme.rubric', 'leads.jsonl', ...NOW, '--explain'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('score-jsonl-explain', args, result, ws);
    const rows = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows[0]).toMatchObject({ id: 'a', company: { size: 40, industry: 'Services' }, score: 65, stage: 'sales_ready', tier: 'A' });
    expect(String(rows[0].why)).toBe(
      'score 65: fit 25 (Ideal company profile +15, Decision maker +10); engagement 40 (Read a guide +20, Saw pricing +25, capped at max 40; rules gave 45); stage sales_ready',
    );
    expect(String(rows[1].why)).toContain('not discovery: needs 0, has -115');
  });

  it('reads a JSON array and writes CSV with nested fields as dotted columns', async () => {
    ws.write(
      'leads.json',
      JSON.stringify([
        { id: 1, job: 'CEO', company: { size: 50, industry: 'retail' }, tags: ['partner'], country: 'FR' },
        { id: 2, job: 'CEO', company: { size: 'big' }, country: 'FR' },
      ]),
    );
    const result = await ws.run(['score', 'acme.rubric', 'leads.json', ...NOW, '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(csvLines(result.stdout)).toEqual([
      'id,job,company.size,company.industry,tags,country,score,stage,tier,fit,engagement',
      '1,CEO,50,retail,partner,FR,30,evaluation,B,30,0',
      '2,CEO,big,,,FR,10,discovery,,10,0',
    ]);
    expect(result.stderr).toContain('leads.json:1 (lead 2): `company.size`: expected number, got "big"; treated as missing');
  });

  it('reads stdin with `-`, coercing lists split on `|`, yes/no booleans and dates with a space', async () => {
    const csv = 'id,job,tags,student,signup,country\n7,CEO,vip|partner,NO,2026-02-27 10:00,FR\n';
    const result = await ws.run(['score', 'acme.rubric', '-', '--input-format', 'csv', ...NOW, '--explain'], { stdin: csv });
    expect(result.code).toBe(0);
    const lines = csvLines(result.stdout);
    expect(lines[1]).toContain('7,CEO,vip|partner,NO,2026-02-27 10:00,FR,17,discovery');
    expect(lines[1]).toContain('Partner +5');
    expect(lines[1]).toContain('Recent signup +2');
  });

  it('keeps a `;`-delimited CSV in `;` (detected from the header)', async () => {
    ws.write('fr.csv', 'id;job;company.size;company.industry;country\n1;CEO;50;services;FR\n');
    const result = await ws.run(['score', 'acme.rubric', 'fr.csv', ...NOW]);
    expect(csvLines(result.stdout)).toEqual([
      'id;job;company.size;company.industry;country;score;stage;tier;fit;engagement',
      '1;CEO;50;services;FR;25;evaluation;B;25;0',
    ]);
  });

  it('prints the current time when --now is not given', async () => {
    const result = await ws.run(['score', 'acme.rubric', 'leads.csv'], { now: '2026-04-02T08:30:00Z' });
    expect(result.stderr).toContain('now: 2026-04-02T08:30:00.000Z (the current time; pass --now to fix it)');
  });

  it('writes --out atomically and says so', async () => {
    const result = await ws.run(['score', 'acme.rubric', 'leads.csv', ...NOW, '--out', 'scored.csv']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(csvLines(ws.read('scored.csv'))).toHaveLength(5);
    expect(result.stderr).toContain('wrote: scored.csv');
    expect(readdirSync(ws.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('rubric score: bad input', () => {
  it('skips an unreadable CSV line with its line and column, and scores the rest', async () => {
    ws.write(
      'bad-line.csv',
      'id,job,country\n1,CEO,FR\n2,"CTO"x,FR\n3,"VP\nSales",BE\n4,CTO,FR,extra\n5,CTO,FR\n',
    );
    const args = ['score', 'acme.rubric', 'bad-line.csv', ...NOW];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('score-unreadable-line', args, result, ws);
    expect(rowCounts(result.stderr)).toEqual({ read: 5, written: 3, rejected: 2 });
    expect(csvLines(result.stdout).map((line) => line.split(',')[0])).toEqual(['id', '1', '3', 'Sales"', '5']);
  });

  it('recovers after an unclosed quote: the rows after it are still read', async () => {
    ws.write('unclosed.csv', 'id,job,country\n1,CEO,FR\n2,"CTO,FR\n3,CTO,FR\n4,CEO,BE\n');
    const result = await ws.run(['score', 'acme.rubric', 'unclosed.csv', ...NOW]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('unclosed.csv:3:3: quote not closed');
    expect(csvLines(result.stdout).map((line) => line.split(',')[0])).toEqual(['id', '1', '3', '4']);
    expect(rowCounts(result.stderr)).toEqual({ read: 4, written: 3, rejected: 1 });
  });

  it('reports a wrong-typed value with file, line, column and value, scores the row without it, and lists it in --errors', async () => {
    ws.write('typed.csv', 'id,job,company.size,company.industry,student,signup\n1,CEO,fifty,services,perhaps,2026-02-31\n2,CEO,50,services,no,\n');
    const args = ['score', 'acme.rubric', 'typed.csv', ...NOW, '--errors', 'problems.csv'];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('score-wrong-type', args, result, ws);
    expect(csvLines(result.stdout)[1]).toBe('1,CEO,fifty,services,perhaps,2026-02-31,10,discovery,,10,0');
    expect(csvLines(ws.read('problems.csv'))).toEqual([
      'file,line,column,field,value,problem,action,lead',
      'typed.csv,2,3,company.size,fifty,"expected number, got ""fifty""",treated as missing,1',
      expect.stringMatching(/^typed\.csv,2,5,student,perhaps,"expected bool .*",treated as missing,1$/),
      expect.stringMatching(/^typed\.csv,2,6,signup,2026-02-31,"expected date .*",treated as missing,1$/),
    ]);
  });

  it('--errors FILE.jsonl lists skipped rows and invalid values as JSON Lines', async () => {
    ws.write('mixed.csv', 'id,job,company.size\n1,CEO,fifty\n2,"CTO"x,3\n');
    const result = await ws.run(['score', 'acme.rubric', 'mixed.csv', ...NOW, '--errors', 'problems.jsonl']);
    expect(result.code).toBe(0);
    const problems = ws
      .read('problems.jsonl')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(problems).toEqual([
      { file: 'mixed.csv', line: 2, column: 3, field: 'company.size', value: 'fifty', problem: 'expected number, got "fifty"', action: 'treated as missing', lead: '1' },
      { file: 'mixed.csv', line: 3, column: 8, field: null, value: '2,"CTO"x,3', problem: 'unexpected `x` after a closing quote', action: 'row skipped', lead: null },
    ]);
  });

  it('warns once about columns that are not lead fields, and keeps them', async () => {
    ws.write('extra.csv', 'id,job,favourite_colour,Lead Source\n1,CEO,blue,web\n2,CTO,red,fair\n');
    const args = ['score', 'acme.rubric', 'extra.csv', ...NOW];
    const result = await ws.run(args);
    expect(result.code).toBe(0);
    expectGolden('score-unknown-column', args, result, ws);
    expect(result.stderr.match(/favourite_colour/g)).toHaveLength(1);
    expect(csvLines(result.stdout)[1]).toMatch(/^1,CEO,blue,web,/);
  });

  it('refuses to run on a rule file with errors and shows the diagnostics', async () => {
    ws.write('broken.rubric', BROKEN_RULES);
    const args = ['score', 'broken.rubric', 'leads.csv', ...NOW, '--out', 'scored.csv'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expectGolden('score-rule-errors', args, result, ws);
    expect(existsSync(ws.path('scored.csv'))).toBe(false);
  });

  it('handles an empty file and a header without rows', async () => {
    ws.write('empty.csv', '');
    const empty = await ws.run(['score', 'acme.rubric', 'empty.csv', ...NOW]);
    expect(empty.code).toBe(0);
    expectGolden('score-empty', ['score', 'acme.rubric', 'empty.csv', ...NOW], empty, ws);

    ws.write('header.csv', 'id,job\n');
    const header = await ws.run(['score', 'acme.rubric', 'header.csv', ...NOW]);
    expect(header.code).toBe(0);
    expect(header.stdout).toBe('id,job,score,stage,tier,fit,engagement\n');
    expect(header.stderr).toContain('`header.csv` has a header but no leads');
    expect(rowCounts(header.stderr)).toEqual({ read: 0, written: 0, rejected: 0 });

    ws.write('empty.jsonl', '\n\n');
    const jsonl = await ws.run(['score', 'acme.rubric', 'empty.jsonl', ...NOW]);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stdout).toBe('');
    ws.write('empty.json', ' [ ] ');
    expect((await ws.run(['score', 'acme.rubric', 'empty.json', ...NOW])).code).toBe(0);
  });

  it('stops with both lines when the events file is out of order, and writes no --out file', async () => {
    ws.write('events-unsorted.csv', 'lead_id,type,at\n1,email_open,2026-02-01\n3,email_open,2026-02-01\n2,email_open,2026-02-01\n');
    const args = ['score', 'acme.rubric', 'leads.csv', '--events', 'events-unsorted.csv', ...NOW, '--out', 'scored.csv'];
    const result = await ws.run(args);
    expect(result.code).toBe(2);
    expectGolden('score-events-out-of-order', args, result, ws);
    expect(existsSync(ws.path('scored.csv'))).toBe(false);
  });

  it('stops when the data itself is not sorted by id while joining events', async () => {
    ws.write('unsorted.csv', 'id,job\n2,CEO\n1,CTO\n');
    const result = await ws.run(['score', 'acme.rubric', 'unsorted.csv', '--events', 'events.csv', ...NOW]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('`unsorted.csv` is not sorted by lead id: lead `1` on line 3 comes after lead `2` (line 2)');
  });

  it('joins events by whole-number ids in numeric order and reports events of unknown leads', async () => {
    ws.write('numeric.csv', 'id,job\n2,CEO\n10,CEO\n');
    ws.write('numeric-events.jsonl', ['{"lead_id":2,"type":"download","at":"2026-02-01","asset":"guide"}', '{"lead_id":5,"type":"download","at":"2026-02-01","asset":"guide"}', '{"lead_id":10,"type":"email_open","at":"2026-02-01"}', ''].join('\n'));
    const result = await ws.run(['score', 'acme.rubric', 'numeric.csv', '--events', 'numeric-events.jsonl', ...NOW]);
    expect(result.code).toBe(0);
    expect(csvLines(result.stdout).slice(1)).toEqual(['2,CEO,30,evaluation,,10,20', '10,CEO,12,discovery,,10,2']);
    expect(result.stderr).toContain('events: 3 read, 2 joined to leads, 1 for 1 lead not in the data (first: lead `5`, line 2)');
  });

  it('--strict: any problem fails with exit 1 and leaves no output file (an existing one untouched)', async () => {
    ws.write('typed.csv', 'id,job,company.size\n1,CEO,fifty\n2,CTO,20\n');
    ws.write('scored.csv', 'previous run\n');
    const args = ['score', 'acme.rubric', 'typed.csv', ...NOW, '--strict', '--out', 'scored.csv'];
    const result = await ws.run(args);
    expect(result.code).toBe(1);
    expectGolden('score-strict', args, result, ws);
    expect(ws.read('scored.csv')).toBe('previous run\n');
    expect(readdirSync(ws.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    const toStdout = await ws.run(['score', 'acme.rubric', 'typed.csv', ...NOW, '--strict']);
    expect(toStdout.code).toBe(1);
    expect(toStdout.stdout).toBe('');
    expect(toStdout.stderr).toContain('no rows were printed');

    const clean = await ws.run(['score', 'acme.rubric', 'leads.csv', ...NOW, '--strict']);
    expect(clean.code).toBe(0);
    expect(csvLines(clean.stdout)).toHaveLength(5);
  });

  it('exits 2 with a clear message for a missing data file, bad --now, or an unknown format', async () => {
    const missing = await ws.run(['score', 'acme.rubric', 'nope.csv', ...NOW]);
    expect(missing.code).toBe(2);
    expectGolden('score-missing-file', ['score', 'acme.rubric', 'nope.csv', ...NOW], missing, ws);

    const badNow = await ws.run(['score', 'acme.rubric', 'leads.csv', '--now', '2026-02-30']);
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toContain('invalid --now `2026-02-30`');

    const noFolder = await ws.run(['score', 'acme.rubric', 'leads.csv', ...NOW, '--out', 'missing/scored.csv']);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toBe('error: cannot write `missing/scored.csv`: no such file or directory\n');

    ws.write('leads.xlsx', 'binary');
    const unknownFormat = await ws.run(['score', 'acme.rubric', 'leads.xlsx', ...NOW]);
    expect(unknownFormat.code).toBe(2);
    expect(unknownFormat.stderr).toContain('cannot tell the format of `leads.xlsx`');
  });

  it('reports bad JSON Lines records with line and column and goes on', async () => {
    ws.write('bad.jsonl', '{"id": "1", "job": "CEO"}\n{"id": "2", "job": }\n[1, 2]\n{"id": "4", "job": "CTO"}\n');
    const result = await ws.run(['score', 'acme.rubric', 'bad.jsonl', ...NOW]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/bad\.jsonl:2: invalid JSON: unexpected token .*; row skipped/);
    expect(result.stderr).toContain('bad.jsonl:3: expected a lead (a JSON object), found an array');
    expect(rowCounts(result.stderr)).toEqual({ read: 4, written: 2, rejected: 2 });
  });
});

describe('rubric score: hostile input', () => {
  it('keeps formula-like cells and `__proto__` keys as plain data', async () => {
    ws.write('hostile.csv', 'id,job,__proto__,constructor\n1,"=HYPERLINK(""x"")",{"polluted":1},"${process.exit(1)}"\n');
    const result = await ws.run(['score', 'acme.rubric', 'hostile.csv', ...NOW, '--format', 'jsonl', '--explain']);
    expect(result.code).toBe(0);
    const row = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('{"polluted":1}');
    expect(row.job).toBe('=HYPERLINK("x")');
    expect(row.constructor).toBe('${process.exit(1)}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(String(row.why)).toMatch(/^score /);
  });
});

describe('rubric score: streaming', () => {
  // On one thread, and on two with pieces small enough that the pieces read ahead (2 per worker
  // and 2 more) are a small part of the input.
  it.each([
    { threads: '1', env: {} },
    { threads: '2', env: { RUBRIC_PIECE_UNITS: '16384' } },
  ])('stops reading when the output is not consumed (backpressure), then finishes (--threads $threads)', async ({ threads, env }) => {
    const total = 20_000;
    let produced = 0;
    const lines = generatedLeadsCsv(total).split('\n');
    const stdin = Readable.from(
      (function* () {
        yield `${lines[0]}\n`;
        for (let i = 1; i < lines.length; i++) {
          if (lines[i] === '') continue;
          produced += 1;
          yield `${lines[i]}\n`;
        }
      })(),
      { highWaterMark: 16 },
    );
    const stdout = new BlockedStream();
    const running = ws.run(['score', 'acme.rubric', '-', '--input-format', 'csv', ...NOW, '--threads', threads], { stdin, stdout, env });
    // Wait until reading stalls on the blocked output.
    let last = -1;
    while (produced !== last) {
      last = produced;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(produced).toBeLessThan(total / 2);
    stdout.release();
    const result = await running;
    expect(result.code).toBe(0);
    expect(produced).toBe(total);
    expect(stdout.text.trimEnd().split('\n')).toHaveLength(total + 1);
    expect(rowCounts(result.stderr)).toEqual({ read: total, written: total, rejected: 0 });
  });

  it('shows a progress bar with rows, rows/s and ETA on a terminal, and none when piped', async () => {
    ws.write('many.csv', generatedLeadsCsv(30_000));
    const stderr = new TerminalStream();
    const result = await ws.run(['score', 'acme.rubric', 'many.csv', ...NOW, '--out', 'many-scored.csv'], { tty: true, stderr });
    expect(result.code).toBe(0);
    expect(stderr.text).toMatch(/scoring .*\d+% \| \d+ rows \| \d+ rows\/s \| ETA /);
    expect(rowCounts(stderr.text.replace(/\u001b\[[\d;?]*[A-Za-z]/g, ''))).toEqual({ read: 30_000, written: 30_000, rejected: 0 });

    const piped = await ws.run(['score', 'acme.rubric', 'many.csv', ...NOW, '--out', 'many-scored.csv']);
    expect(piped.stderr).not.toContain('scoring');
    const disabled = await ws.run(['score', 'acme.rubric', 'many.csv', ...NOW, '--out', 'x.csv', '--no-progress'], { tty: true, stderr: new TerminalStream() });
    expect(disabled.stderr).not.toContain('scoring');
  });
});
