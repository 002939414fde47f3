/**
 * Differential test of the two `rubric score` engines on hostile input: for every file, the
 * JavaScript engine (the reference) and `--engine duckdb` must write the same output, reject the
 * same records with the same lines, columns and messages (`--errors FILE`), print the same
 * `N read = W written + R rejected` and exit with the same code. The files are hand-made hostile
 * cases (CSV, JSON Lines, a JSON array, an events file, odd file names) and a seeded random batch
 * of CSV files built from CSV-significant pieces. Also: the pre-scan keeps DuckDB's own reader
 * for plain files and sends every other file to the JavaScript reader.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../packages/cli/src/context.js';
import { prescanCsv } from '../../packages/cli/src/engine/csv-prescan.js';
import { loadFile } from '../../packages/cli/src/engine/duckdb-input.js';
import { CapturedStream, Workspace } from '../../packages/cli/test/support/cli.js';

const duckdbLoads = await import('@duckdb/node-api').then(
  () => true,
  () => false,
);

const RULES = `lead {
  id: text
  job: text
  size: number
  tags: list of text
}
event visit { page: text }

group fit max 60 {
  when job in [CEO, "Directeur Général"] add 10
  when size between 10 and 250 add 15
  when tags has vip add 2.5
  when job contains "x" sub 1
}
group engagement max 40 {
  each visit add 5 up to 20
}
stage cold at 0
stage warm at 10
`;

interface Problem {
  readonly file: string;
  readonly line: number;
  readonly column: number | null;
  readonly field: string | null;
  readonly value: string | null;
  readonly problem: string;
  readonly action: string;
  readonly lead: string | null;
}

interface EngineRun {
  readonly code: number;
  readonly stdout: string;
  /** The `rows:` summary line, with the rows that had values treated as missing. */
  readonly summary: string | undefined;
  /** The `problems:` summary line (the --errors file's name left out). */
  readonly problemCount: string | undefined;
  /** The problems printed on stderr (the first ones in full), in the order printed. */
  readonly printed: readonly string[];
  /** The `events:` summary line, with an events file. */
  readonly events: string | undefined;
  readonly stderr: string;
  /** Problems that drop a record (rows and events skipped), in file order. */
  readonly skipped: readonly Problem[];
  /** Every problem of the --errors file (values treated as missing too), in the order written. */
  readonly problems: readonly Problem[];
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('rules.rubric', RULES);
});
afterEach(() => ws.remove());

async function runEngine(engine: 'js' | 'duckdb', data: string, extra: readonly string[]): Promise<EngineRun> {
  const errors = `errors-${engine}.jsonl`;
  const result = await ws.run(['score', 'rules.rubric', data, '--now', '2026-03-01', '--engine', engine, '--errors', errors, ...extra]);
  let problems: Problem[] = [];
  try {
    problems = ws
      .read(errors)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Problem);
  } catch {
    // No errors file: the run failed before writing it (the exit code says so).
  }
  const skipped = problems.filter((problem) => problem.action !== 'treated as missing');
  const summary = /rows: (\d+ read = \d+ written \+ \d+ rejected(?:; \d+ rows? had values treated as missing)?)/.exec(result.stderr)?.[1];
  const problemCount = /^problems: \d+/m.exec(result.stderr)?.[0];
  const printed = result.stderr.split('\n').filter((line) => /; (treated as missing|row skipped|event skipped)$|^\.\.\. and \d+ more problems/.test(line));
  const events = /^events: .*$/m.exec(result.stderr)?.[0];
  return { code: result.code, stdout: result.stdout, summary, problemCount, printed, events, stderr: result.stderr, skipped, problems };
}

/** Runs both engines on `data` and expects the same result; returns the JavaScript engine's. */
async function sameOnBoth(data: string, extra: readonly string[] = []): Promise<EngineRun> {
  const js = await runEngine('js', data, extra);
  const duck = await runEngine('duckdb', data, extra);
  const label = `${data}: ${JSON.stringify(ws.read(data).slice(0, 300))}`;
  expect(duck.code, `${label}\njs: ${js.stderr}\nduckdb: ${duck.stderr}`).toBe(js.code);
  expect(duck.summary, label).toBe(js.summary);
  expect(duck.events, label).toBe(js.events);
  // Problems in file order for each file (the JavaScript engine interleaves the leads' and the
  // events' problems as it reads both files side by side; DuckDB reads one file, then the other).
  const byFile = <T extends { file: string } | string>(problems: readonly T[], fileOf: (item: T) => string) =>
    [...problems].sort((a, b) => (fileOf(a) < fileOf(b) ? -1 : fileOf(a) > fileOf(b) ? 1 : 0));
  const problemFile = (problem: Problem) => problem.file;
  expect(byFile(duck.skipped, problemFile), label).toEqual(byFile(js.skipped, problemFile));
  // Every problem, values treated as missing too, with the same line, column, field, value,
  // message and lead, and the same count in the summary.
  expect(byFile(duck.problems, problemFile), label).toEqual(byFile(js.problems, problemFile));
  expect(duck.problemCount, label).toBe(js.problemCount);
  // The first problems printed on stderr: the same, in the same order when one file is read.
  if (extra.includes('--events')) expect(byFile(duck.printed, (line) => line.split(':')[0]), label).toEqual(byFile(js.printed, (line) => line.split(':')[0]));
  else expect(duck.printed, label).toEqual(js.printed);
  expect(duck.stdout, label).toBe(js.stdout);
  if (duck.code === 0 && !extra.includes('--out') && !extra.includes('--format') && data.endsWith('.csv')) {
    // To a file, DuckDB writes the CSV lines itself (COPY): the same bytes as printed.
    const out = await ws.run(['score', 'rules.rubric', data, '--now', '2026-03-01', '--engine', 'duckdb', '--out', 'scored-duckdb.csv', ...extra]);
    expect(out.code, `${label}\n${out.stderr}`).toBe(0);
    expect(ws.read('scored-duckdb.csv'), label).toBe(js.stdout);
  }
  // What both engines say about the input as a whole (empty, truncated).
  const notices = (stderr: string) =>
    stderr.split('\n').filter((line) => /has a header but no leads|is empty: no leads|ends before the array|is not declared in the rules|an event without a `type`/.test(line));
  expect(notices(duck.stderr), label).toEqual(notices(js.stderr));
  return js;
}

/** Which reader `--engine duckdb` uses for a CSV file: DuckDB's own (plain files) or the JavaScript one. */
async function readerOf(connection: DuckDBConnection, name: string, table: string): Promise<'duckdb' | 'javascript'> {
  const io = { stdout: new CapturedStream(), stderr: new CapturedStream(), stdin: Readable.from([]), isTTY: { stdout: false, stderr: false, stdin: false }, env: {}, cwd: ws.dir, now: () => new Date(0) };
  const loaded = await loadFile(createContext(io, { exitCode: 0, colorOption: false }), connection, table, name, 'csv', undefined);
  return loaded.reader;
}

function writeBytes(name: string, bytes: Buffer | string): string {
  writeFileSync(ws.path(name), bytes);
  return name;
}

describe.skipIf(!duckdbLoads)('rubric score: the DuckDB engine reads, rejects and counts like the JavaScript engine', () => {
  it('reads the valid rows after an unclosed quote', async () => {
    ws.write('unclosed.csv', 'id,job,size,tags\n1,CEO,50,vip\n2,"CTO,12,\n3,CEO,20,\n4,x,1,\n5,CEO,30,vip\n6,y,2,\n');
    const js = await sameOnBoth('unclosed.csv');
    expect(js.summary).toBe('6 read = 5 written + 1 rejected');
    expect(js.skipped.map((p) => p.line)).toEqual([3]);
  });

  it('counts a short row and a long row as one rejected row each', async () => {
    ws.write('short.csv', 'id,job,size,tags\n1,CEO,50,vip\n2,CTO\n3,CEO,20,,extra\n4,CEO,30,\n');
    const js = await sameOnBoth('short.csv');
    expect(js.summary).toBe('4 read = 2 written + 2 rejected');
  });

  it('rejects a JSON string with an unpaired surrogate escape as one row, and goes on', async () => {
    ws.write('surrogate.jsonl', '{"id":"1","job":"CEO"}\n{"id":"2","job":"\\ud800"}\n{"id":"3","job":"CEO","tags":["\\udfff x"]}\n{"id":"4","job":"CEO \\ud83d\\ude00"}\n');
    const js = await sameOnBoth('surrogate.jsonl');
    expect(js.code).toBe(0);
    expect(js.summary).toBe('4 read = 2 written + 2 rejected');
  });

  it('rejects a record with bytes that are not valid UTF-8 in both engines (CSV and JSON Lines)', async () => {
    writeBytes('latin1.csv', Buffer.concat([Buffer.from('id,job,size,tags\n1,CEO,50,\n2,'), Buffer.from([0xc9, 0x74, 0xe9]), Buffer.from(',12,\n3,CEO,20,vip\n')]));
    const csv = await sameOnBoth('latin1.csv');
    expect(csv.summary).toBe('3 read = 2 written + 1 rejected');
    expect(csv.skipped[0].line).toBe(3);
    writeBytes('latin1.jsonl', Buffer.concat([Buffer.from('{"id":"1","job":"CEO"}\n{"id":"2","job":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"id":"3"}\n')]));
    const jsonl = await sameOnBoth('latin1.jsonl');
    expect(jsonl.summary).toBe('3 read = 2 written + 1 rejected');
  });

  it('reads exactly the named file: no glob expansion of *, ? or [...], quotes in names', async () => {
    const leads = 'id,job,size,tags\n1,CEO,50,vip\n';
    const other = 'id,job,size,tags\n2,CTO,12,\n3,CEO,20,\n';
    for (const [name, decoys] of [
      ['leads*.csv', ['leads-other.csv', 'leads2.csv']],
      ['lead?.csv', ['leadX.csv']],
      ['[ab].csv', ['a.csv', 'b.csv']],
      ["o'brien \"q\" [1].csv", ['o\'brien "q" 1.csv']],
      ['dir*/le*ads.csv', ['dir-x/le*ads.csv']],
    ] as const) {
      ws.write(name, leads);
      for (const decoy of decoys) ws.write(decoy, other);
      const js = await sameOnBoth(name);
      expect(js.summary, name).toBe('1 read = 1 written + 0 rejected');
    }
    ws.write('events[1].csv', 'lead_id,type,at,page\n1,visit,2026-02-01,/a\n');
    ws.write('events1.csv', 'lead_id,type,at,page\n1,visit,2026-02-01,/b\n1,visit,2026-02-02,/c\n');
    await sameOnBoth('leads*.csv', ['--events', 'events[1].csv']);
  });

  it.skipIf(process.platform === 'win32')(
    'reads a named pipe once, as the JavaScript engine does',
    async () => {
      execFileSync('mkfifo', [ws.path('pipe.csv')]);
      const runs = [];
      for (const engine of ['js', 'duckdb']) {
        // The writer blocks until the engine opens the pipe, and then writes its leads once.
        const writer = spawn('sh', ['-c', `printf 'id,job,size,tags\\n1,CEO,50,vip\\n2,"CTO,12,\\n3,CEO,1,\\n' > pipe.csv`], { cwd: ws.dir });
        const result = await ws.run(['score', 'rules.rubric', 'pipe.csv', '--input-format', 'csv', '--now', '2026-03-01', '--engine', engine]);
        writer.kill();
        runs.push({ code: result.code, stdout: result.stdout, summary: /rows: (\d+ read = \d+ written \+ \d+ rejected)/.exec(result.stderr)?.[1] });
      }
      expect(runs[0].summary).toBe('3 read = 2 written + 1 rejected');
      expect(runs[1]).toEqual(runs[0]);
    },
    20_000,
  );

  it('matches on hand-made hostile CSV files', async () => {
    const header = 'id,job,size,tags\n';
    const cases: Record<string, string | Buffer> = {
      'bom-crlf.csv': `\ufeff${header.replace('\n', '\r\n')}1,CEO,50,vip\r\n2,CTO,12,\r\n`,
      'lone-cr.csv': `${header}1,CEO,50,vip\r2,CTO,12,\n3,CEO,1,\r\n`,
      'blank-lines.csv': `\n\n${header}\n1,CEO,50,vip\n\n   \n,,,\n2,CTO,12,\n\n`,
      'after-quote.csv': `${header}1,"CEO"x,50,\n2,"CTO" ,12,\n3,CEO,20,vip\n`,
      'quote-inside.csv': `${header}1,5" screen,50,\n2,a"b"c,12,\n3,CEO,20,vip\n`,
      'multiline.csv': `${header}1,"multi\nline CEO",50,vip\n2,"a\r\nb",12,\n3,"x""y",1,\n`,
      'stray-quote-spans.csv': `${header}1,CEO,50,"vip\n2,CTO,12,\n3,CEO,20,x"\n4,CEO,1,\n`,
      'header-only.csv': header,
      'empty.csv': '',
      'no-final-newline.csv': `${header}1,CEO,50,vip\n2,"CTO",12,"a"`,
      'unclosed-at-end.csv': `${header}1,CEO,50,vip\n2,"CTO,12,\n`,
      'nul.csv': `${header}1,C\u0000EO,50,vip\n2,CTO,12,\n`,
      'semicolon.csv': 'id;job;size;tags\n1;CEO;50;vip|x\n2;"a;b";12;\n3;CEO\n',
      'tabs.tsv': 'id\tjob\tsize\ttags\n1\tCEO\t50\tvip\n2\t"C\tTO"\t12\t\n',
      'first-record-bad.csv': `"id,job\n${header}1,CEO,50,vip\n`,
      'spaces.csv': `${header} 1 , CEO ,+50, vip ; x \n2,\u3000CEO\u3000,12,\n`,
      'long-record.csv': `${header}1,CEO,50,${'v'.repeat(600 * 1024)}\n2,CTO,12,\n`,
      'long-unclosed.csv': `${header}1,"CEO,50,${'v'.repeat(600 * 1024)}\n2,CTO,12,\n`,
      'duplicate-column.csv': 'id,job,job\n1,CEO,x\n',
      'invalid-utf8-header.csv': Buffer.concat([Buffer.from('id,j'), Buffer.from([0xf0, 0x28]), Buffer.from('b\n1,CEO\n')]),
      'truncated-utf8-at-end.csv': Buffer.concat([Buffer.from(`${header}1,CEO,50,`), Buffer.from([0xe2, 0x82])]),
    };
    for (const [name, text] of Object.entries(cases)) {
      writeBytes(name, text);
      await sameOnBoth(name);
    }
  });

  it('matches on hostile JSON Lines and JSON array files', async () => {
    const cases: Record<string, string> = {
      'mixed.jsonl': [
        '{"id":"1","job":"CEO","size":50,"tags":["vip"]}',
        '{"id":"2","job":"CEO"',
        '',
        '   ',
        '[1,2]',
        'null',
        '{"id":"3","job":"x","job":"CEO","size":12}',
        '{"id":"4","__proto__":{"job":"CEO"},"size":1e400}',
        '{"id":"5","size":12345678901234567890,"tags":"vip"}',
        `{"id":"6","deep":${'['.repeat(100)}${']'.repeat(100)}}`,
        '{"id":"7","job":"CEO","events":[{"type":"visit","at":"2026-02-01"}]}',
        '{"id":"8","job":"\\u0000CEO"}',
      ].join('\n'),
      'array.json': '[{"id":"1","job":"CEO","size":50},\n{"id":"2","job":"\\ud800"},\n{"id":"3" "job":"x"},\n,\n42,\n{"id":"4","job":"CEO"}]\n',
      'truncated.json': '[{"id":"1","job":"CEO"},\n{"id":"2","job":"CEO"',
      'trailing.json': '[{"id":"1"}] x',
      'not-array.json': '{"id":"1"}',
      'empty.jsonl': '',
      'crlf.jsonl': '{"id":"1","job":"CEO"}\r\n{"id":"2","job":"CTO"}\r\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      ws.write(name, text);
      await sameOnBoth(name);
      if (name.endsWith('.jsonl')) await sameOnBoth(name, ['--format', 'csv']);
    }
  });

  it('rejects the rows whose events cell nests too deep or holds an unpaired surrogate escape, like the JavaScript engine', async () => {
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    const rows = [
      `1,CEO,50,"[{""type"":""visit"",""at"":""2026-02-01"",""page"":""caf\\u00e9""}]"`,
      `2,CEO,12,"[{""type"":""visit"",""at"":""2026-02-01"",""page"":""\\ud800""}]"`,
      `3,CEO,20,"[${deep}]"`,
      `4,CEO,30,"[{""type"":""visit"",""at"":""2026-02-02""}]"`,
    ];
    // Plain (DuckDB's own reader, then the rows are checked) and not plain (the JavaScript reader).
    ws.write('events-cell.csv', `id,job,size,events\n${rows.join('\n')}\n`);
    const plain = await sameOnBoth('events-cell.csv');
    expect(plain.summary).toBe('4 read = 2 written + 2 rejected');
    expect(plain.skipped.map((p) => [p.line, p.column])).toEqual([
      [3, 4],
      [4, 4],
    ]);
    ws.write('events-cell-broken.csv', `id,job,size,events\n${rows.join('\n')}\n5,"CEO\n`);
    const broken = await sameOnBoth('events-cell-broken.csv');
    expect(broken.summary).toBe('5 read = 2 written + 3 rejected');
    ws.write('events-cell-fine.csv', `id,job,size,events\n${rows[0]}\n${rows[3]}\n`);
    expect((await sameOnBoth('events-cell-fine.csv')).summary).toBe('2 read = 2 written + 0 rejected');
  });

  it('reports the same wrong-typed event values, whether the scoring pass or the problem query finds them', async () => {
    // With --events the DuckDB engine takes the suspect events of the queried types' `at` and used
    // properties from the scoring pass's event totals, and tests only the rest (a declared type no
    // rule queries, a property no rule reads) in a query of its own: every kind here, in a plain
    // file (DuckDB's reader), a quoted one (the JavaScript reader) and JSON Lines.
    ws.write(
      'rules.rubric',
      `data {
  missing: ["n/a", "-"]
  numbers: decimal comma
  true: [oui]
}
lead { id: text
  size: number }
event visit { page: text
  secs: number missing ["?"]
  seen: date }
event click { n: number }
event buy { amount: number
  paid: bool }
when size > 1 add 1
each visit where secs > 10 add 5 up to 20
each visit where seen > 30 days ago add 1 up to 5 half-life 10 days
when any buy where amount > 100 add 3
`,
    );
    ws.write('leads.csv', 'id,size\n1,5\n2,x\n3,\n');
    const rows = [
      'lead_id,type,at,page,secs,seen,n,amount,paid',
      '1,visit,2026-02-01,/a,12,2026-01-01,,,',
      '1,visit,yesterday,/a,12,,,,',
      '1,visit,2026-02-02,/b,douze,,,,',
      '1,visit,2026-02-02,/b,?,,,,',
      '1,visit,2026-02-02,/b, N/A ,2026-13-01,,,',
      '1,visit,2026-02-02,/b,"12,5",le 3 mars,,,',
      '1,visit,,/c,-,,,,',
      '2,click,never,,,,trois,,',
      '2,click,2026-02-02,,,,4,,',
      '2,buy,2026-02-03,,,,,"1 000,5",peut-être',
      '2,buy,2026-02-03,,,,,beaucoup,oui',
      '2,buy,2026-03-05,,,,,beaucoup,',
      '9,visit,n/a,/z,lots,,,,',
      '9,buy,2026-02-03,,,,,??,',
    ];
    ws.write('events.csv', `${rows.join('\n')}\n`);
    const plain = await sameOnBoth('leads.csv', ['--events', 'events.csv']);
    expect(plain.problems.filter((problem) => problem.file === 'events.csv').map((problem) => [problem.line, problem.field])).toEqual([
      [3, 'visit.at'],
      [4, 'visit.secs'],
      [6, 'visit.seen'],
      [7, 'visit.seen'],
      [8, 'visit.at'],
      [9, 'click.at'],
      [9, 'click.n'],
      [11, 'buy.paid'],
      [12, 'buy.amount'],
      [13, 'buy.amount'],
      [14, 'visit.at'],
      [14, 'visit.secs'],
      [15, 'buy.amount'],
    ]);
    ws.write('events-quoted.csv', `${rows.map((row) => row.replace(/^1,visit,2026-02-01,/, '1,"visit",2026-02-01,')).join('\n')}\n`);
    await sameOnBoth('leads.csv', ['--events', 'events-quoted.csv']);
    const header = rows[0].split(',');
    const jsonl = rows.slice(1).map((row) => {
      const cells = row.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((cell) => cell.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
      return JSON.stringify(Object.fromEntries(header.flatMap((name, i) => (cells[i] === undefined || cells[i] === '' ? [] : [[name, cells[i]]]))));
    });
    // JSON values of the wrong JSON type: a number where text is declared, text lists, a bool for a number.
    jsonl.push('{"lead_id":"9","type":"visit","at":"2026-02-02","page":5,"secs":true}', '{"lead_id":"9","type":"visit","at":"2026-02-02","page":["/a"],"secs":"12"}');
    ws.write('events.jsonl', `${jsonl.join('\n')}\n`);
    const json = await sameOnBoth('leads.csv', ['--events', 'events.jsonl']);
    expect(json.problems.filter((problem) => problem.file === 'events.jsonl' && problem.line >= 15).map((problem) => [problem.line, problem.field])).toEqual([
      [15, 'visit.page'],
      [15, 'visit.secs'],
      [16, 'visit.page'],
    ]);
  });

  it('matches on a hostile events file', async () => {
    ws.write('leads.csv', 'id,job,size,tags\n1,CEO,50,vip\n2,CTO,12,\n3,CEO,1,\n');
    ws.write('events.csv', 'lead_id,type,at,page\n1,visit,2026-02-01,/a\n1,visit,"2026-02-02,/b\n2,visit,2026-02-03\n2,visit,2026-02-04,"x"y\n3,visit,2026-02-05,/c\n');
    await sameOnBoth('leads.csv', ['--events', 'events.csv']);
    ws.write('events.jsonl', '{"lead_id":"1","type":"visit","at":"2026-02-01"}\n{"lead_id":"1","type":"visit"\n{"lead_id":"2","type":"visit","at":"2026-02-03","page":"\\udc00"}\n{"lead_id":" ","type":"visit","at":"2026-02-04"}\n{"type":"visit","at":"2026-02-04"}\n{"lead_id":"3","type":"visit","at":"2026-02-05"}\n');
    await sameOnBoth('leads.csv', ['--events', 'events.jsonl']);
    // An event without a lead id is skipped and reported, in a plain file (DuckDB's own reader) too.
    ws.write('events-no-id.csv', 'lead_id,type,at,page\n1,visit,2026-02-01,/a\n ,visit,2026-02-02,/b\n,visit,2026-02-03,\n\u3000,visit,2026-02-03,\n3,visit,2026-02-05,/c\n');
    const noId = await sameOnBoth('leads.csv', ['--events', 'events-no-id.csv']);
    expect(noId.skipped.map((p) => [p.file, p.line, p.problem])).toEqual([
      ['events-no-id.csv', 3, 'no lead id in `lead_id`'],
      ['events-no-id.csv', 4, 'no lead id in `lead_id`'],
      ['events-no-id.csv', 5, 'no lead id in `lead_id`'],
    ]);
    // Problems in both files.
    ws.write('leads-bad.csv', 'id,job,size,tags\n1,CEO,50,vip\n2,"CTO,12,\n3,CEO,1,\n');
    await sameOnBoth('leads-bad.csv', ['--events', 'events-no-id.csv']);
    // Events for leads that are not in the data (or were rejected): counted, the first one named
    // with its line, in a plain file (DuckDB's own reader) and in one read by the JavaScript reader.
    const unmatched = 'lead_id,type,at,page\n1,visit,2026-02-01,"/a\nb"\n2,visit,2026-02-02,/b\n2,visit,2026-02-03,/b\n3,visit,2026-02-05,/c\n9,visit,2026-02-06,/d\n9,visit,2026-02-07,/d\n';
    ws.write('events-unmatched.csv', unmatched);
    const plain = await sameOnBoth('leads-bad.csv', ['--events', 'events-unmatched.csv']);
    expect(plain.events).toBe('events: 6 read, 2 joined to leads, 4 for 2 leads not in the data (first: lead `2`, line 4)');
    ws.write('events-unmatched-2.csv', unmatched.replace('/c\n', '/c"x\n'));
    await sameOnBoth('leads.csv', ['--events', 'events-unmatched-2.csv']);
    ws.write('events-unmatched.jsonl', '{"lead_id":"1","type":"visit","at":"2026-02-01"}\n\n{"lead_id":4,"type":"visit","at":"2026-02-01"}\n{"lead_id":"5","type":"visit","at":"2026-02-01"}\n');
    await sameOnBoth('leads.csv', ['--events', 'events-unmatched.jsonl']);
    // Events of a type the rules do not declare, or with none: the same notices (one per type,
    // with the line of its first event), in a plain file, a plain file with a record over two
    // lines, and JSON Lines.
    const undeclared = 'lead_id,type,at,page\n1,visit,2026-02-01,/a\n1,demo,2026-02-01,\n2, ,2026-02-02,\n2,demo,2026-02-03,\n3,Visit,2026-02-05,"/c\nd"\n3,webinar,2026-02-05,\n';
    ws.write('events-undeclared.csv', undeclared);
    const csv = await sameOnBoth('leads.csv', ['--events', 'events-undeclared.csv']);
    expect(csv.stderr).toContain('event type `demo` (first on line 3) is not declared in the rules');
    ws.write('events-undeclared-2.csv', undeclared.replace('"/c\nd"', '/c'));
    await sameOnBoth('leads.csv', ['--events', 'events-undeclared-2.csv']);
    ws.write('events-undeclared.jsonl', '{"lead_id":"1","type":"demo","at":"2026-02-01"}\n{"lead_id":"1","type":5,"at":"2026-02-01"}\n{"lead_id":"2","at":"2026-02-01"}\n{"lead_id":"2","type":"visit","at":"2026-02-01"}\n');
    await sameOnBoth('leads.csv', ['--events', 'events-undeclared.jsonl']);
  });

  it('reports the values of the wrong type as the JavaScript engine does (summary, --errors, stderr, --strict)', async () => {
    ws.write(
      'rules.rubric',
      `lead {
  id: text
  job: text
  size: number
  tags: list of text
  active: bool
  seen: date
  plan: one of [free, pro]
  company.size: number
}
event visit { page: text, n: number }

group fit max 60 {
  when job in [CEO] add 10
  when size between 10 and 250 add 15
  when tags has vip add 2.5
}
group engagement max 40 {
  each visit add 5 up to 20
}
stage cold at 0
stage warm at 10
`,
    );
    const header = 'id,job,size,tags,active,seen,plan,company.size\n';
    const rows = [
      '1,CEO,fifty,vip,maybe,2026-02-30,gold,12',
      '2,CEO,50,vip,yes,2026-02-01 10:00,pro,x',
      '3,CEO,  ,,,,,',
      '4,x,1e5,a,1,2026-13-01,FREE, 7 ',
      `5,"multi\nline",+5,a|b,"no ",2026-02-01T10:00:00+01:00,Pro,${'9'.repeat(400)}`,
      '6,CEO,-0,vip,TRUE,2026-02-29,free,1.5',
    ];
    // A plain file (DuckDB's own reader: the lines come from one pass of the JavaScript reader,
    // here with blank lines and a record on two lines), and the same rows read by the
    // JavaScript reader (a broken row makes the file not plain).
    ws.write('typed.csv', `${header}\n${rows.join('\n')}\n\n${rows[0]}\n`);
    const plain = await sameOnBoth('typed.csv');
    expect(plain.summary).toBe('7 read = 7 written + 0 rejected; 6 rows had values treated as missing');
    expect(plain.problems.slice(0, 2).map((p) => [p.line, p.column, p.field, p.value, p.problem, p.lead])).toEqual([
      [3, 3, 'size', 'fifty', 'expected number, got "fifty"', '1'],
      [3, 5, 'active', 'maybe', 'expected bool (true or false, or the text true/false/yes/no/1/0), got "maybe"', '1'],
    ]);
    expect(plain.problems.at(-1)?.line).toBe(11);
    ws.write('typed-broken.csv', `${header}${rows.join('\n')}\n7,"CEO\n`);
    expect((await sameOnBoth('typed-broken.csv')).summary).toBe('7 read = 6 written + 1 rejected; 5 rows had values treated as missing');
    await sameOnBoth('typed.csv', ['--format', 'jsonl']);

    // JSON Lines and a JSON array: typed values of the wrong type, nested fields, own events.
    const records = [
      '{"id":"1","job":"CEO","size":"fifty","tags":["vip",2],"active":"maybe","company":{"size":"big"},"events":[{"type":"visit","at":"2026-02-30","page":5,"n":"x"},{"type":"visit"},3,{"type":"other","at":"bad"}]}',
      '{"id":"2","job":3,"size":1e400,"tags":"vip","plan":"gold","company.size":true,"events":"none"}',
      '{"id":"3","job":"CEO","size":"   ","tags":[],"plan":"  ","events":[{"type":"visit","at":"2026-02-01","page":"/a","n":2}]}',
      '{"id":4,"job":{"a":[1,2]},"seen":"2026-02-01 10:00","active":1,"events":null}',
      '{"id":"5","job":"CEO","size":12,"company":{"size":[1]},"events":[null,[],{"type":7}]}',
    ];
    ws.write('typed.jsonl', `${records.join('\n')}\n`);
    const jsonl = await sameOnBoth('typed.jsonl');
    expect(jsonl.summary).toBe('5 read = 5 written + 0 rejected; 4 rows had values treated as missing');
    await sameOnBoth('typed.jsonl', ['--format', 'csv']);
    ws.write('typed.json', `[${records.join(',\n')}]\n`);
    await sameOnBoth('typed.json');

    // Own events in a CSV column: not a list, an element that is not an event, wrong-typed properties.
    ws.write(
      'events-cell.csv',
      'id,job,size,events\n1,CEO,5,"[{""type"":""visit"",""at"":""x""}]"\n2,CEO,5,"{""a"":1}"\n3,CEO,5,not json\n4,CEO,5,"[1,{""type"":""visit"",""at"":""2026-01-01"",""n"":""q""}]"\n5,CEO,5,"[{""type"":""visit"",""at"":""2026-01-01"",""n"":3}]"\n6,CEO,5,"[{""type"":""other""},]"\n7,CEO,5,"[{""type"":""visit"",""at"":""2026-02-01""},]"\n8,CEO,5,"[{""type"":""visit"",""at"":""2026-02-01"",""n"":NaN}]"\n9,CEO,5,"[{""type"":""visit"",""at"":""2026-02-01"",""page"":""NaN, ]""}]"\n',
    );
    // Rows 6-8: DuckDB's JSON reader takes a trailing comma and NaN, JSON.parse does not (the
    // events are not read, and the cell is reported); row 9 is valid JSON holding such text.
    expect((await sameOnBoth('events-cell.csv')).summary).toBe('9 read = 9 written + 0 rejected; 7 rows had values treated as missing');

    // An events file (CSV and JSON Lines): its values of the wrong type carry its own lines; a lead
    // without an id gets no events, and says so.
    ws.write('leads.csv', 'id,job,size\n1,CEO,5\n,CEO,x\n3,CEO,7\n');
    ws.write('events.csv', 'lead_id,type,at,page,n\n1,visit,2026-02-01,/a,x\n1, visit ,bad,/b,2\n3,visit,,,\n3,other,bad,,\n');
    const joined = await sameOnBoth('leads.csv', ['--events', 'events.csv']);
    expect(joined.summary).toBe('3 read = 3 written + 0 rejected; 1 row had values treated as missing');
    expect(joined.problems.filter((p) => p.file === 'events.csv').map((p) => [p.line, p.field])).toEqual([
      [2, 'visit.n'],
      [3, 'visit.at'],
      [4, 'visit.at'],
    ]);
    // With --events, a CSV `events` cell that is not a list is still reported.
    ws.write('leads-events-cell.csv', 'id,job,size,events\n1,CEO,5,not json\n3,CEO,7,[]\n');
    expect((await sameOnBoth('leads-events-cell.csv', ['--events', 'events.csv'])).summary).toBe('2 read = 2 written + 0 rejected; 1 row had values treated as missing');
    ws.write('events.jsonl', '{"lead_id":"1","type":"visit","at":"2026-02-01","n":"x"}\n{"lead_id":"3","type":"visit","page":7}\n{"lead_id":"3","type":5}\n');
    await sameOnBoth('leads.csv', ['--events', 'events.jsonl']);

    // More problems than stderr shows: the first ones, then a count.
    ws.write('many.csv', `${header}${Array.from({ length: 30 }, (_, i) => `${i},CEO,x${i},,,,,`).join('\n')}\n`);
    const many = await sameOnBoth('many.csv');
    expect(many.printed.at(-1)).toMatch(/^\.\.\. and 10 more problems/);

    // --strict: no output when any value is treated as missing, exit 1; a clean file is written.
    for (const data of ['typed.csv', 'typed.jsonl']) {
      const strict = await sameOnBoth(data, ['--strict']);
      expect(strict.code, data).toBe(1);
      expect(strict.stdout, data).toBe('');
      expect(strict.stderr, data).toMatch(/^--strict: \d+ problems, so no rows were printed$/m);
    }
    ws.write('clean.csv', 'id,job,size\n1,CEO,5\n3,CEO,7\n');
    const clean = await sameOnBoth('clean.csv', ['--strict']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('1,CEO,5,');
  });

  it('matches on a seeded random batch of CSV files built from CSV-significant pieces', async () => {
    // xorshift32: the same files on every run (a failure names the file and shows its text).
    let state = 0x2545f491;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 0x1_0000_0000;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const bytes = (piece: string | Buffer): Buffer => (typeof piece === 'string' ? Buffer.from(piece) : piece);
    // Anything at all: broken quotes, lone CRs, invalid UTF-8, NULs, a BOM in the middle.
    const anyPieces: ReadonlyArray<string | Buffer> = [
      ',', ',', ',', '"', '"', '""', '\n', '\n', '\r\n', '\r', ' ', ';', '|', '\t', 'CEO', 'vip', '12', '+5', 'x', 'é', '\u3000', '\u00a0', '😀',
      Buffer.from([0xff]), Buffer.from([0xc3]), '\ufeff', '\u0000',
    ];
    // Well-formed cells (mostly plain files, read by DuckDB itself): text for unquoted cells, and
    // anything but invalid bytes inside quotes.
    const unquotedPieces = [' ', 'CEO', 'vip', '12', '+5', ' 50 ', 'x', 'é', '\u3000', '\u00a0', '😀', ';', '|', '\t', '-', '2026-02-01 10:00'];
    const quotedPieces = [...unquotedPieces, ',', '""', '\n', '\r\n', '\r', '[{"type":"visit"}]'];
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    let plainFiles = 0;
    for (let file = 0; file < 20; file++) {
      const structured = file % 2 === 1;
      const header = `${file % 5 === 0 ? '\ufeff' : ''}id,job,size,tags${structured && file % 3 === 0 ? '\r\n' : '\n'}`;
      const parts: Buffer[] = [Buffer.from(header)];
      const rows = 3 + Math.floor(next() * 6);
      for (let row = 0; row < rows; row++) {
        if (!structured) {
          parts.push(Buffer.from(`${row + 1},`));
          const length = Math.floor(next() * 8);
          for (let k = 0; k < length; k++) parts.push(bytes(pick(anyPieces)));
          parts.push(Buffer.from(next() < 0.5 ? ',1,vip\n' : '\n'));
          continue;
        }
        const width = next() < 0.97 ? 4 : pick([1, 3, 5]);
        const cells: string[] = [String(row + 1)];
        for (let c = 1; c < width; c++) {
          const quoted = next() < 0.4;
          let cell = '';
          const length = Math.floor(next() * 4);
          for (let k = 0; k < length; k++) cell += pick(quoted ? quotedPieces : unquotedPieces);
          cells.push(quoted ? `"${cell.replaceAll('"', '""')}"` : cell);
        }
        // One kind of line end per file, except now and then.
        const crlf = (file % 3 === 0) !== next() < 0.02;
        parts.push(Buffer.from(`${cells.join(',')}${crlf ? '\r\n' : '\n'}`));
      }
      const name = writeBytes(`random-${file}.csv`, Buffer.concat(parts));
      const plain = (await prescanCsv(ws.path(name), ',')).plain;
      if (plain) plainFiles += 1;
      // A plain file is read by DuckDB itself (no silent fallback to the JavaScript reader).
      if (plain) expect(await readerOf(connection, name, `t${file}`), name).toBe('duckdb');
      await sameOnBoth(name);
    }
    connection.closeSync();
    instance.closeSync();
    // Both ways of reading were compared: DuckDB's own reader and the JavaScript one.
    expect(plainFiles).toBeGreaterThan(5);
    expect(plainFiles).toBeLessThan(16);
  });
});

describe('the CSV pre-scan', () => {
  const scan = async (text: string | Buffer, delimiter = ',') => prescanCsv(ws.path(writeBytes('scan.csv', text)), delimiter);

  it('keeps DuckDB\'s own reader for plain files (quotes, CRLF, multi-line fields)', async () => {
    expect(await scan('id,job\n1,CEO\n2,"a ""b"", c"\n3,"multi\r\nline"\n\n4,é😀\n')).toEqual({ plain: true, headerFields: 2, records: 4, emptyLines: 1, maybeBlank: 0, multiLine: true, quoted: true,
      columns: [{ quoted: false, spaced: false }, { quoted: true, spaced: true }],
    });
    expect((await scan('id,job\r\n1,"CEO\n"\r\n2,x')).plain).toBe(true);
    // Issue 14: a file with a byte order mark is read by the JavaScript reader (the output keeps the mark).
    expect(await scan('\ufeffid;job\n1;x', ';')).toMatchObject({ plain: false, reason: 'a byte order mark' });
    const big = `id,job\n${'1,CEO\n'.repeat(300_000)}`; // several read chunks
    expect(await scan(big)).toEqual({ plain: true, headerFields: 2, records: 300_000, emptyLines: 0, maybeBlank: 0, multiLine: false, quoted: false,
      columns: [{ quoted: false, spaced: false }, { quoted: false, spaced: false }],
    });
  });

  it('counts the records that may be blank, and tells when a record spans lines', async () => {
    // Blank: only white space and delimiters (non-ASCII bytes count as possibly white space).
    const blanks = await scan('id,job\n1,CEO\n,\n \t, \n"",""\n" ",\u00a0\n"""",\n x,\n,"y"\n');
    expect(blanks).toMatchObject({ plain: true, records: 8, maybeBlank: 4, multiLine: false });
    expect(await scan('id,job\n1,"a\nb"\n')).toMatchObject({ plain: true, records: 1, maybeBlank: 0, multiLine: true });
    expect(await scan('id,job\r\n1,"a\rb"\r\n')).toMatchObject({ plain: true, multiLine: true });
  });

  it('tells, by column, whether some value needs quotes or may have a space at either end (the header left out)', async () => {
    // A field quoted in the file whose value holds no delimiter, quote, CR or LF needs no quotes
    // in the output (only its ends may need them): `spaced`, not `quoted`.
    const scanned = await scan(' id ,job,x,y,z\n1, a,b,"c",\n2,b ,c,d,\n3,c,"",e, \n');
    expect(scanned.plain).toBe(true);
    expect(scanned.columns).toEqual([
      { quoted: false, spaced: false },
      { quoted: false, spaced: true },
      { quoted: false, spaced: true },
      { quoted: false, spaced: true },
      { quoted: false, spaced: true },
    ]);
    // The delimiter, a doubled quote, LF or CR inside quotes: `quoted` (and `spaced`, as any quoted field).
    const special = await scan('a,b,c,d,e,f\n"x,y","x""y","x\ny","x\ry","  x ",plain\n');
    expect(special.plain).toBe(true);
    expect(special.columns).toEqual([
      { quoted: true, spaced: true },
      { quoted: true, spaced: true },
      { quoted: true, spaced: true },
      { quoted: true, spaced: true },
      { quoted: false, spaced: true },
      { quoted: false, spaced: false },
    ]);
    // Another delimiter: a comma inside quotes needs none, a semicolon does; split over chunks too.
    const semicolons = await scan(`a;b\n${'"x,y";"1"\n'.repeat(100_000)}"z";"2;3"\n`, ';');
    expect(semicolons.columns).toEqual([
      { quoted: false, spaced: true },
      { quoted: true, spaced: true },
    ]);
    // A space before a CRLF line end, and split over two read chunks.
    const big = `id,job\r\n${'1,CEO\r\n'.repeat(200_000)}2,x \r\n`;
    expect((await scan(big)).plain).toBe(true);
    expect((await scan(big)).columns).toEqual([{ quoted: false, spaced: false }, { quoted: false, spaced: true }]);
  });

  it('sends every file either reader could read differently to the JavaScript reader', async () => {
    const multibyte = Buffer.from('id,job\n1,é\n');
    for (const [text, reason] of [
      ['id,job\n1,"CEO\n', 'a quote that is not closed'],
      ['id,job\n1,5" screen\n', 'a quote inside an unquoted field'],
      ['id,job\n1,"CEO"x\n', 'a character after a closing quote'],
      ['id,job\n1\n', 'a record has 1 fields, the header 2'],
      ['id,job\r1,CEO\n', 'a CR that does not end a line'],
      ['id,job\n1,CEO\r\n2,CTO\n', 'both LF and CRLF line ends'],
      ['\nid,job\n', 'the file does not start with its header'],
      ['id,job\n1,C\u0000EO\n', 'a NUL byte'],
      [Buffer.concat([multibyte.subarray(0, 10), Buffer.from([0x41])]), 'bytes that are not valid UTF-8'],
      [`id,job\n1,${'x'.repeat(600 * 1024)}\n`, 'a very long record'],
    ] as const) {
      const result = await scan(text);
      expect(result.plain, String(text)).toBe(false);
      expect(result.reason).toBe(reason);
    }
    expect((await scan('id,job\n1,x\n', '||')).reason).toBe('the delimiter is not one plain ASCII character');
  });
});
