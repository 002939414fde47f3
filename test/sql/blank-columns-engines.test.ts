/**
 * Columns with no name (a CRM / Excel export's `id;job;email;;`), both engines: `--engine duckdb`
 * accepts them as the JavaScript engine does, writes the same bytes (CSV: their cells as read;
 * JSON Lines: left out) and the same warning.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../packages/cli/test/support/cli.js';

const duckdbLoads = await import('@duckdb/node-api').then(
  () => true,
  () => false,
);

const RULES = `lead {
  id: text
  job: text
  email: text
}
when job = CEO add 10 "CEO"
when email ends "@acme.fr" add 5 "Acme"
`;

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('r.rubric', RULES);
});
afterEach(() => ws.remove());

async function sameOnBoth(args: readonly string[], out?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const runs = [];
  for (const engine of ['js', 'duckdb'] as const) {
    const result = await ws.run([...args, '--engine', engine, ...(out !== undefined ? ['--out', `${engine}-${out}`] : [])]);
    runs.push({ ...result, file: out !== undefined ? ws.read(`${engine}-${out}`) : '', warnings: result.stderr.split('\n').filter((line) => line.includes('no name')) });
  }
  const [js, duck] = runs;
  expect(duck.code, duck.stderr).toBe(js.code);
  expect(duck.stdout).toBe(js.stdout);
  expect(duck.file).toBe(js.file);
  expect(duck.warnings).toEqual(js.warnings);
  return { stdout: js.stdout + js.file, stderr: js.stderr, code: js.code as number };
}

describe.skipIf(!duckdbLoads)('columns with no name, both engines', () => {
  const TRAILING = 'id;job;email;;\n1;CEO;x@acme.fr;;\n2;Dev;y@b.io;p;"q;r"\n';
  const CSV_OUT = 'id;job;email;;;score;stage;tier\n1;CEO;x@acme.fr;;;15;;\n2;Dev;y@b.io;p;"q;r";0;;\n';

  it('trailing separators: CSV to stdout and to a file (DuckDB writes the file itself)', async () => {
    ws.write('trailing.csv', TRAILING);
    const stdout = await sameOnBoth(['score', 'r.rubric', 'trailing.csv']);
    expect(stdout.stderr).not.toContain('two columns named');
    expect(stdout.code).toBe(0);
    expect(stdout.stdout).toBe(CSV_OUT);
    expect(stdout.stderr).toContain('columns 4 and 5 of `trailing.csv` have no name: they are kept as they are and read as no field');
    const file = await sameOnBoth(['score', 'r.rubric', 'trailing.csv'], 'out.csv');
    expect(file.stdout).toBe(CSV_OUT);
  });

  it('distinct cells in several unnamed columns stay in their own columns (middle, whitespace-only name)', async () => {
    ws.write('middle.csv', 'id, ,job,,email,\n1,a,CEO,b,x@acme.fr,c\n2,d,Dev,e,y@b.io,f\n');
    const run = await sameOnBoth(['score', 'r.rubric', 'middle.csv'], 'out.csv');
    expect(run.stdout).toBe('id," ",job,,email,,score,stage,tier\n1,a,CEO,b,x@acme.fr,c,15,,\n2,d,Dev,e,y@b.io,f,0,,\n');
    expect(run.stderr).toContain('columns 2, 4 and 6 of `middle.csv` have no name');
  });

  it('a file DuckDB cannot read itself (quoted line breaks: the JavaScript reader loads it)', async () => {
    ws.write('multi.csv', 'id,job,,email,\n1,CEO,"a\nb",x@acme.fr,c\n2,Dev,,y@b.io,"e,f"\n');
    const run = await sameOnBoth(['score', 'r.rubric', 'multi.csv']);
    expect(run.stdout).toBe('id,job,,email,,score,stage,tier\n1,CEO,"a\nb",x@acme.fr,c,15,,\n2,Dev,,y@b.io,"e,f",0,,\n');
  });

  it('JSON Lines output leaves them out on both engines', async () => {
    ws.write('trailing.csv', TRAILING);
    const run = await sameOnBoth(['score', 'r.rubric', 'trailing.csv', '--format', 'jsonl']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"id":"1","job":"CEO","email":"x@acme.fr","score":15,"stage":null,"tier":null}\n{"id":"2","job":"Dev","email":"y@b.io","score":0,"stage":null,"tier":null}\n');
    expect(run.stderr).toContain('columns 4 and 5 of `trailing.csv` have no name: they are left out of the output and read as no field');
  });

  it('Parquet output (--engine duckdb) leaves them out, as JSON Lines does', async () => {
    ws.write('trailing.csv', TRAILING);
    const run = await ws.run(['score', 'r.rubric', 'trailing.csv', '--engine', 'duckdb', '--out', 'out.parquet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('columns 4 and 5 of `trailing.csv` have no name: they are left out of the output and read as no field');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const read = await connection.runAndReadAll(`SELECT * FROM read_parquet('${ws.path('out.parquet').replace(/'/g, "''")}') ORDER BY id`);
    expect(read.columnNames()).toEqual(['id', 'job', 'email', 'score', 'stage', 'tier']);
    expect(read.getRows().map((row) => row.slice(0, 4).map(String))).toEqual([
      ['1', 'CEO', 'x@acme.fr', '15'],
      ['2', 'Dev', 'y@b.io', '0'],
    ]);
    connection.closeSync();
    instance.closeSync();
  });

  it('a real duplicate is still refused by both', async () => {
    ws.write('dup.csv', 'id,job,job,,\n1,CEO,Dev,,\n');
    const run = await sameOnBoth(['score', 'r.rubric', 'dup.csv']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('has two columns named `job`');
  });
});
