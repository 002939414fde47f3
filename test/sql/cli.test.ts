/**
 * The SQL target from the command line (in-process): `rubric build --target sql` writes SQL that
 * runs, and `rubric score --engine duckdb` gives the same output as the JavaScript path on CSV
 * and JSON Lines (byte for byte), on Parquet input and output, with an events file or the
 * leads' own events; what it cannot do is refused with a clear message.
 */
import { existsSync, mkdirSync, readdirSync, watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { Workspace } from '../../packages/cli/test/support/cli.js';

const RULES = `lead {
  id: text
  job: text
  email: text
  company.size: number
  student: bool
  signup: date
  tags: list of text
  industry: one of [services, retail]
}
event download { asset: text }
event page_view { url: text }
event email_click

segment ideal = company.size between 10 and 250 and industry in [services]
group fit max 60 {
  when ideal add 15 "Ideal company profile"
  when job in [CEO, "Directeur Général"] add 10
  when email ends any ['@gmail.com'] sub 5 "it's personal; \\"quoted\\""
  when student sub 100
  when tags has vip add 2.5
  when signup > 30 days ago add 1
}
group engagement max 80 {
  when any download where asset contains "guide" add 20
  when any page_view where url starts "/pricing" within 30 days add 25
  each email_click add 2 up to 10 half-life 30 days
  when days since last page_view <= 7 add 1
}
stage discovery at 0
stage purchase at 40
stage sales_ready at 40 requires email when not student
tier A when fit >= 20 and engagement >= 20
`;

const LEADS = `id,job,email,company.size,student,signup,tags,industry,notes
1, Directeur GÉNÉRAL ,ana@gmail.com,+50,no,2026-02-20 10:00,VIP;x,Services,"said ""hi"", then left"
2,,,,,,,,
3,CEO,bob@acme.fr,12,yes,2026-01-01,,retail,
4,cto,'); drop table leads; --,250,No,2026-02-28T23:59:59Z,partner | vip,SERVICES,  padded  
,,,,,,,,
5,Fondateur,x@y.z,abc,maybe,yesterday,,other,"multi
line"
`;

const EVENTS = `lead_id,type,at,asset,url
1,download,2026-02-20,The Guide,
1,page_view,2026-02-27T10:00:00Z,,/pricing/x
1,email_click,2026-02-01,,
3,email_click,2026-02-25,,
4,page_view,2026-02-28 12:00,,/PRICING
4,email_click, 2026-02-28T00:00:00Z ,,
9,download,2026-02-01,guide,
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('rules.rubric', RULES);
  ws.write('leads.csv', LEADS);
  ws.write('events.csv', EVENTS);
});
afterEach(() => ws.remove());

/** The summary differs by one note; everything else must be identical. */
function sameOutput(js: { stdout: string }, duck: { stdout: string }): void {
  expect(duck.stdout).toBe(js.stdout);
}

describe('rubric score --engine duckdb', () => {
  it('writes the same CSV as the JavaScript path, with an events file', async () => {
    const args = ['score', 'rules.rubric', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01'];
    const js = await ws.run(args);
    const duck = await ws.run([...args, '--engine', 'duckdb']);
    expect(js.code).toBe(0);
    expect(duck.code, duck.stderr).toBe(0);
    sameOutput(js, duck);
    expect(duck.stdout.split('\n')[0]).toBe('id,job,email,company.size,student,signup,tags,industry,notes,score,stage,tier,fit,engagement');
    expect(duck.stdout).toContain('1," Directeur GÉNÉRAL ",ana@gmail.com,+50,no,2026-02-20 10:00,VIP;x,Services,"said ""hi"", then left",70.55,sales_ready,A,23.5,47.05');
    // Lead 5's values of the wrong type are counted as the JavaScript engine counts them.
    expect(js.stderr).toContain('rows: 5 read = 5 written + 0 rejected; 1 row had values treated as missing\n');
    expect(duck.stderr).toContain('rows: 5 read = 5 written + 0 rejected; 1 row had values treated as missing (engine: duckdb)');
    // Lead 4's page_view at `2026-02-28 12:00` counts (an event's `at` may use a space for the `T`:
    // issue 14), which takes it to sales_ready in both engines.
    expect(js.stderr).toContain('stages: discovery 2, purchase 0, sales_ready 2, no stage 1');
    expect(duck.stderr).toContain('stages: discovery 2, purchase 0, sales_ready 2, no stage 1');
  });

  it('gives DuckDB a spill folder of its own under TMPDIR and removes it; nothing is left in the working folder', async () => {
    const spillRoot = ws.path('spill-root');
    mkdirSync(spillRoot);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = spillRoot;
    const seen: string[] = [];
    const watcher = watch(spillRoot, (_event, name) => {
      if (name !== null) seen.push(String(name));
    });
    try {
      const duck = await ws.run(['score', 'rules.rubric', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01', '--engine', 'duckdb']);
      expect(duck.code, duck.stderr).toBe(0);
    } finally {
      watcher.close();
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
    expect(seen.some((name) => name.startsWith('rubric-duckdb-'))).toBe(true);
    expect(readdirSync(spillRoot)).toEqual([]);
    expect(existsSync(ws.path('.tmp'))).toBe(false);
  });

  it('writes the same JSON Lines as the JavaScript path, with the leads\' own events', async () => {
    ws.write(
      'leads.jsonl',
      [
        '{"id": 1, "job": " Directeur GÉNÉRAL ", "email": "ana@gmail.com", "company": {"size": 50}, "student": "no", "signup": "2026-02-20", "tags": ["VIP", "x"], "industry": "Services", "events": [{"type": "download", "at": "2026-02-20", "asset": "The Guide"}, {"type": "email_click", "at": "2026-02-01"}, 42]}',
        '{"id": "2", "company.size": "12", "company": {"size": 400}, "student": true, "events": {"type": "download"}}',
        '{"id": 3, "__proto__": {"job": "CEO"}, "job": "CEO", "tags": "vip", "signup": {"date": "2026-02-27"}}',
        '{"id": 4, "job": ["CEO"], "company": [10], "industry": "retail", "events": [{"type": "page_view", "at": "2026-02-27T10:00:00+01:00", "url": "/pricing"}]}',
      ].join('\n'),
    );
    const args = ['score', 'rules.rubric', 'leads.jsonl', '--now', '2026-03-01T00:00:00Z'];
    const js = await ws.run(args);
    const duck = await ws.run([...args, '--engine', 'duckdb']);
    expect(duck.code, duck.stderr).toBe(0);
    sameOutput(js, duck);
    const csvJs = await ws.run([...args, '--format', 'csv']);
    const csvDuck = await ws.run([...args, '--format', 'csv', '--engine', 'duckdb']);
    sameOutput(csvJs, csvDuck);
  });

  it('reads and writes Parquet, with the same scores', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('1', 'CEO', 'ana@acme.fr', 50.0, false, TIMESTAMP '2026-02-20 10:00:00', ['VIP'], 'services'), ('2', 'intern', NULL, NULL, true, NULL, NULL, 'retail')) AS t(id, job, email, "company.size", student, signup, tags, industry)) TO '${ws.path('leads.parquet').replaceAll("'", "''")}' (FORMAT parquet)`,
    );
    connection.closeSync();
    const duck = await ws.run(['score', 'rules.rubric', 'leads.parquet', '--events', 'events.csv', '--now', '2026-03-01', '--engine', 'duckdb', '--format', 'jsonl']);
    expect(duck.code, duck.stderr).toBe(0);
    const rows = duck.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const { scorer } = compile(RULES);
    const expected = [
      { id: '1', job: 'CEO', email: 'ana@acme.fr', 'company.size': 50, student: false, signup: new Date('2026-02-20T10:00:00Z'), tags: ['VIP'], industry: 'services' },
      { id: '2', job: 'intern', student: true, industry: 'retail' },
    ].map((lead) =>
      scorer!.score(lead, {
        now: '2026-03-01',
        events: lead.id === '1' ? [{ type: 'download', at: '2026-02-20', asset: 'The Guide' }, { type: 'page_view', at: '2026-02-27T10:00:00Z', url: '/pricing/x' }, { type: 'email_click', at: '2026-02-01' }] : [],
      }),
    );
    expect(rows.map((r) => [r.score, r.stage, r.tier, r.fit, r.engagement])).toEqual(expected.map((e) => [e.score, e.stage, e.tier, e.groups.fit, e.groups.engagement]));

    const out = await ws.run(['score', 'rules.rubric', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01', '--engine', 'duckdb', '--out', 'scored.parquet']);
    expect(out.code, out.stderr).toBe(0);
    const js = await ws.run(['score', 'rules.rubric', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01', '--format', 'jsonl']);
    const back = await instance.connect();
    const read = await back.runAndReadAll(`SELECT id, notes, score, stage FROM read_parquet('${ws.path('scored.parquet').replaceAll("'", "''")}')`);
    const jsRows = js.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(read.getRowObjectsJS().map((r) => [r.id, r.notes, r.score, r.stage])).toEqual(jsRows.map((r) => [r.id, r.notes === '' ? null : r.notes, r.score, r.stage]));
    back.closeSync();
    instance.closeSync();
  });

  it('reports unreadable records as the JavaScript engine does and scores the rest', async () => {
    ws.write('bad.csv', 'id,job\n1,CEO\n2,CTO,extra\n3,"Directeur Général"\n');
    const duck = await ws.run(['score', 'rules.rubric', 'bad.csv', '--now', '2026-03-01', '--engine', 'duckdb']);
    expect(duck.code).toBe(0);
    expect(duck.stderr).toMatch(/bad\.csv:3: 3 fields, but the header has 2.*row skipped/);
    expect(duck.stderr).toContain('rows: 3 read = 2 written + 1 rejected (engine: duckdb)');
    expect(duck.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('refuses what only the JavaScript engine does, saying so', async () => {
    for (const [extra, message] of [[['--explain'], /--explain is not available with --engine duckdb/]] as const) {
      const result = await ws.run(['score', 'rules.rubric', 'leads.csv', '--engine', 'duckdb', ...extra]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain('help: use --engine js (the default) for it');
    }
    const stdin = await ws.run(['score', 'rules.rubric', '-', '--input-format', 'csv', '--engine', 'duckdb'], { stdin: 'id\n1\n' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/reading stdin is not available with --engine duckdb/);
  });
});

describe('rubric build --target sql', () => {
  it('writes a view that scores the leads like the JavaScript path', async () => {
    const result = await ws.run(['build', 'rules.rubric', '--target', 'sql', '--dialect', 'duckdb', '--out', 'scores.sql', '--now', '2026-03-01']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/\nwrote scores\.sql \(duckdb view, \d+\.\d kB\)\n$/);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const csv = (name: string) => `'${ws.path(name).replaceAll("'", "''")}'`;
    await connection.run(`CREATE TABLE leads AS SELECT * FROM read_csv(${csv('leads.csv')}, all_varchar = true, header = true)`);
    await connection.run(`CREATE TABLE events AS SELECT * FROM read_csv(${csv('events.csv')}, all_varchar = true, header = true)`);
    await connection.run(ws.read('scores.sql'));
    const rows = (await connection.runAndReadAll('SELECT id, score, stage FROM rubric_scores WHERE id IS NOT NULL ORDER BY id')).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    // Text columns are read as the JavaScript scorer reads strings (`+50` is not a number there).
    expect(rows[2]).toEqual({ id: '3', score: -88.18, stage: null });
  });

  it('prints to stdout, takes a mapping, and explains what is wrong with one', async () => {
    ws.write('mapping.json', JSON.stringify({ leads: { table: ['crm', 'leads'], fields: { 'company.size': { column: 'size', format: 'number' } } } }));
    const printed = await ws.run(['build', 'rules.rubric', '--target', 'sql', '--dialect', 'postgres', '--mapping', 'mapping.json', '--select', '--now', 'parameter', '--out', '-']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('FROM "crm"."leads" AS src');
    expect(printed.stdout).toContain('CAST($1 AS bigint) AS rubric_now');
    expect(printed.stdout).not.toContain('CREATE');

    ws.write('typo.json', JSON.stringify({ leads: { fields: { 'compnay.size': 'size' } } }));
    const typo = await ws.run(['build', 'rules.rubric', '--target', 'sql', '--mapping', 'typo.json', '--out', '-']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('error: cannot build `rules.rubric` as SQL: the mapping names the lead field `compnay.size`, which the rule file does not declare');
    expect(typo.stderr).toContain('help: did you mean `company.size`?');

    ws.write('broken.json', '{"leads": {"fields": 3}}');
    const broken = await ws.run(['build', 'rules.rubric', '--target', 'sql', '--mapping', 'broken.json', '--out', '-']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('error: `broken.json`: `leads.fields` must be an object, not number 3');

    const dialect = await ws.run(['build', 'rules.rubric', '--target', 'sql', '--dialect', 'oracle', '--out', '-']);
    expect(dialect.code).toBe(2);
    expect(dialect.stderr).toContain("argument 'oracle' is invalid");
  });
});

describe('examples/french-crm-export from the command line (issue 14)', () => {
  const dir = fileURLToPath(new URL('../../examples/french-crm-export/', import.meta.url));
  const args = ['score', `${dir}french-crm-export.rubric`, `${dir}export-crm.csv`, '--encoding', 'windows-1252', '--events', `${dir}evenements.csv`, '--now', '2026-03-01T00:00:00Z'];

  it('scores the messy export the same with --engine duckdb as with the JavaScript engine', async () => {
    const js = await ws.run(args);
    const duck = await ws.run([...args, '--engine', 'duckdb']);
    expect(js.code, js.stderr).toBe(0);
    expect(duck.code, duck.stderr).toBe(0);
    sameOutput(js, duck);
    // The same counts as test/sql/sql-dialect-differential.test.ts finds in JavaScript, DuckDB and PostgreSQL.
    for (const run of [js, duck]) expect(run.stderr).toContain('stages: découverte 45, intérêt 115, mql 39, no stage 1');
  });

  it('builds its SQL for both dialects, saying how the data block reads text', async () => {
    for (const dialect of ['duckdb', 'postgres']) {
      const built = await ws.run(['build', `${dir}french-crm-export.rubric`, '--target', 'sql', '--dialect', dialect, '--out', '-']);
      expect(built.code, built.stderr).toBe(0);
      expect(built.stdout).toContain('-- data: text read with numbers decimal-comma, dates day-first');
      expect(built.stdout).toContain(`"Chiffre d'affaires (M€)"`);
    }
  });
});
