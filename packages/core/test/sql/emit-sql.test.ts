/**
 * The SQL emitter without an engine: the golden SQL of a small file (both dialects), the shape
 * of the output (view or query, columns, `now`), quoting of everything user-written, and the
 * errors a user can hit. What the SQL computes is tested against real engines in test/sql/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import { sqlDialect } from '../../src/compiler/sql/dialect.js';
import { emitSql, parseSqlMapping, SqlEmitError, sqlOutputColumns, type SqlEmitOptions } from '../../src/compiler/sql/index.js';
import { foldTableTexts, numberOverflowDigits, numberUnderflowDigits } from '../../src/compiler/sql/values.js';
import { foldTable } from '../../src/runtime/fold.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
const SMALL = readFileSync(`${GOLDEN}small.rubric`, 'utf8');

function irOf(text: string) {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return scorer.ir;
}

/** The golden shows the SQL as written, with the two folding-table lines shortened. */
function readable(sql: string): string {
  const { from, to } = foldTableTexts();
  return sql.replace(from, `<folding table: the ${foldTable().length} characters folding changes>`).replace(to, '<what each one folds to>');
}

function expectGolden(name: string, actual: string): void {
  const path = `${GOLDEN}${name}`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `missing ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('emitSql: golden output', () => {
  for (const dialect of ['duckdb', 'postgres'] as const) {
    it(`writes a readable ${dialect} view for a small file`, () => {
      const sql = emitSql(SMALL, { dialect, now: '2026-03-01T00:00:00Z', explain: true, source: 'small.rubric' });
      const { from, to } = foldTableTexts();
      // The one folding table, written once, whole.
      expect(sql.split(from).length).toBe(2);
      expect(sql.split(to).length).toBe(2);
      expectGolden(`small.${dialect}.sql`, readable(sql));
    });
  }
});

describe('emitSql: shape', () => {
  it('writes CREATE OR REPLACE VIEW ending with a semicolon, or a bare SELECT to embed', () => {
    const view = emitSql(SMALL, { dialect: 'duckdb', view: ['crm', 'lead scores'] });
    expect(view).toContain('CREATE OR REPLACE VIEW "crm"."lead scores" AS\nWITH');
    expect(view.trimEnd().endsWith(';')).toBe(true);
    const select = emitSql(SMALL, { dialect: 'postgres', select: true });
    expect(select).not.toContain('CREATE');
    expect(select.trimEnd().endsWith(';')).toBe(false);
    expect(select).toMatch(/\nWITH\n/);
  });

  it('outputs the lead id, score, stage, tier, the groups, and with explain one column per rule', () => {
    const ir = irOf(SMALL);
    expect(sqlOutputColumns(ir, { dialect: 'duckdb' })).toEqual({
      id: 'id', score: 'score', stage: 'stage', tier: 'tier', groups: ['fit', 'engagement'], rules: [],
    });
    const explained = sqlOutputColumns(ir, { dialect: 'duckdb', explain: true, groupPrefix: 'group_', mapping: { leads: { id: 'lead_id' } } });
    expect(explained.id).toBe('lead_id');
    expect(explained.groups).toEqual(['group_fit', 'group_engagement']);
    expect(explained.rules).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    const sql = emitSql(ir, { dialect: 'duckdb', explain: true, groupPrefix: 'group_', mapping: { leads: { id: 'lead_id' } } });
    expect(sql).toMatch(/AS "lead_id",\n.*AS "score",\n.*AS "stage",\n.*AS "tier",\n.*AS "group_fit",\n.*AS "group_engagement",\n.*AS "r0",/);
  });

  it('takes now as an inlined instant, the current time, or the bind parameter $1', () => {
    expect(emitSql(SMALL, { dialect: 'duckdb', now: new Date('2026-03-01T00:00:00Z') })).toContain('CAST(1772323200000 AS BIGINT) AS rubric_now');
    expect(emitSql(SMALL, { dialect: 'duckdb', now: '2026-03-01' })).toContain('CAST(1772323200000 AS BIGINT) AS rubric_now');
    expect(emitSql(SMALL, { dialect: 'postgres', now: 1772323200123 })).toContain('CAST(1772323200123 AS BIGINT) AS rubric_now');
    expect(emitSql(SMALL, { dialect: 'duckdb' })).toContain('epoch_ms(current_timestamp) AS rubric_now');
    expect(emitSql(SMALL, { dialect: 'postgres', now: 'parameter', select: true })).toContain('CAST($1 AS bigint) AS rubric_now');
    // A view cannot take a parameter in either engine: refused rather than emitted broken.
    expect(() => emitSql(SMALL, { dialect: 'postgres', now: 'parameter' })).toThrow(/`now: 'parameter'` needs `select: true`/);
    expect(() => emitSql(SMALL, { dialect: 'duckdb', now: '2026-02-30' })).toThrow(/invalid `now`/);
    expect(() => emitSql(SMALL, { dialect: 'duckdb', now: new Date(Number.NaN) })).toThrow(SqlEmitError);
  });

  it('reads only the fields, events and properties the rules use', () => {
    const sql = emitSql('lead { job: text\n unused: number }\nevent email_open { url: text }\nevent never\nwhen job = CEO add 1\nwhen any email_open add 1', { dialect: 'duckdb' });
    expect(sql).toContain('src."job"');
    expect(sql).not.toContain('"unused"');
    expect(sql).not.toContain('"url"');
    expect(sql).toContain(`IN ('email_open')`);
    const noEvents = emitSql('lead { job: text }\nevent email_open\nwhen job = CEO add 1', { dialect: 'postgres' });
    expect(noEvents).not.toContain('"events"');
  });

  it('scores a file with no rules at 0 and reads no table but the leads', () => {
    const sql = emitSql('lead { job: text }', { dialect: 'duckdb', select: true });
    expect(sql).toContain('0 AS score_h');
    expect(sql).toContain('FROM "leads" AS src');
  });
});

describe('emitSql: quoting and hostile text', () => {
  const hostile = [
    'lead {',
    '  `\'); drop table leads; --`: text',
    '  `a"b`: number',
    '  `__proto__`: bool',
    '}',
    'group `"); drop table leads; --` {',
    `  when \`'); drop table leads; --\` = "'); drop table leads; --" add 1 "label'); drop table leads; --\\n-- injected"`,
    '  when `a"b` > 1 add 1',
    `  when \`'); drop table leads; --\` ends "C:\\\\temp\\\\" add 1 "back\\\\slash"`,
    '}',
    "stage `it's` at 0",
    'tier `x"y` when `__proto__`',
  ].join('\n');

  for (const dialect of ['duckdb', 'postgres'] as const) {
    it(`quotes every name and value (${dialect})`, () => {
      const sql = emitSql(hostile, { dialect, explain: true });
      expect(sql).toContain(`src."'); drop table leads; --"`);
      expect(sql).toContain('src."a""b"');
      expect(sql).toContain(`AS """); drop table leads; --"`);
      expect(sql).toContain(`'''); drop table leads; --'`);
      expect(sql).toContain(`'it''s'`);
      expect(sql).toContain(`'x"y'`);
      // Backslashes: literal in DuckDB; E'' with doubled backslashes in PostgreSQL.
      expect(sql).toContain(dialect === 'duckdb' ? `'c:\\temp\\'` : `E'c:\\\\temp\\\\'`);
      // A label's line break cannot end its comment and start a statement.
      expect(sql).not.toMatch(/^-- injected/m);
      expect(sql).toContain('label\'); drop table leads; --\\u000a-- injected');
      for (const line of sql.split('\n')) expect(line.trimStart().toLowerCase().startsWith('drop')).toBe(false);
    });
  }

  it('writes NUL as chr(0) in DuckDB and drops values PostgreSQL text cannot hold', () => {
    const text = 'lead { job: text }\nwhen job = "a\\u{0}b" add 1\nwhen job != "a\\u{0}b" add 2\nwhen job in ["a\\u{0}b", x] add 4';
    const duck = emitSql(text, { dialect: 'duckdb' });
    expect(duck).toContain(`('a' || chr(0) || 'b')`);
    const pg = emitSql(text, { dialect: 'postgres' });
    expect(pg).not.toContain('\u0000');
    // `= "a\0b"` can never hold in PostgreSQL; `!=` holds for any set value.
    expect(pg).toContain('CASE WHEN false THEN 100 ELSE 0 END');
    expect(pg).toContain('CASE WHEN (p.v0 IS NOT NULL) THEN 200 ELSE 0 END');
    expect(pg).toContain(`IN ('x')`);
  });

  it('refuses names no identifier can hold, and result texts PostgreSQL cannot hold', () => {
    expect(() => sqlDialect('duckdb').identifier('a\u0000b')).toThrow(/NUL/);
    expect(() => sqlDialect('postgres').identifier('x'.repeat(64))).toThrow(/63 bytes/);
    expect(() => sqlDialect('postgres').text('a\u0000')).toThrow(/NUL/);
    expect(() => sqlDialect('duckdb').text('\ud800')).toThrow(/Unicode/);
    expect(() => emitSql('lead { job: text }\nstage `a\u0000b` at 0', { dialect: 'postgres' })).toThrow(/NUL/);
    expect(sqlDialect('duckdb').text(`it's \\ "quoted"`)).toBe(`'it''s \\ "quoted"'`);
    expect(sqlDialect('postgres').text(`it's \\`)).toBe(`E'it''s \\\\'`);
  });
});

describe('emitSql: the data block (issue 14)', () => {
  const text = [
    'lead {',
    `  job: text from "Job'); drop table x; --" missing ["a\\\\b", "it's"]`,
    '  ok: bool',
    '}',
    'data {',
    `  missing: ["N/A", "'); drop table x; --"]`,
    '  numbers: decimal comma',
    '  dates: day first',
    `  true: [oui, "vrai'; --"]`,
    '}',
    'when job is set add 1',
    'when ok add 2',
  ].join('\n');

  it('says how text is read in the header, and writes every word as a quoted literal', () => {
    const duck = emitSql(text, { dialect: 'duckdb', select: true });
    expect(duck).toContain(`-- data: text read with numbers decimal-comma, dates day-first, true ["oui","vrai'; --"]\n`);
    expect(duck).toContain(`src."Job'); drop table x; --" AS c0`);
    expect(duck).toContain(`'''); drop table x; --'`);
    expect(duck).toContain(`'vrai''; --'`);
    expect(duck).toContain(`'a\\b'`);
    const postgres = emitSql(text, { dialect: 'postgres', select: true });
    expect(postgres).toContain(`E'a\\\\b'`);
    expect(postgres).toContain(`'it''s'`);
    // Without a data block the header says nothing about it.
    expect(emitSql('lead { ok: bool }\nwhen ok add 1', { dialect: 'duckdb' })).not.toContain('-- data:');
  });
});

describe('emitSql: errors a user can hit', () => {
  const check = (text: string, options: SqlEmitOptions): string => {
    try {
      emitSql(text, options);
    } catch (error) {
      if (error instanceof SqlEmitError) return `${error.message}${error.help === undefined ? '' : ` | help: ${error.help}`}`;
      throw error;
    }
    throw new Error('no error');
  };

  it('refuses a rule file with errors, listing them', () => {
    expect(check('lead { job: text }\nwhen jbo = CEO add 1', { dialect: 'duckdb' })).toMatch(/^the rule file has 1 error: 2:6 R\d+ unknown field `jbo`/);
  });

  it('refuses output columns that would collide, and says how to fix it', () => {
    const text = 'lead { job: text }\ngroup `score` { when job = CEO add 1 }';
    expect(check(text, { dialect: 'duckdb' })).toBe(
      'the output column for group `score` would be named `score`, like the column for the score | help: give the group columns a prefix (`groupPrefix`, `--group-prefix group_`) or map the lead id to another column',
    );
    expect(() => emitSql(text, { dialect: 'duckdb', groupPrefix: 'group_' })).not.toThrow();
    // DuckDB matches quoted names ignoring case; PostgreSQL does not.
    const cased = 'lead { job: text }\ngroup Fit { when job = CEO add 1 }\ngroup fit { when job = CTO add 1 }';
    expect(check(cased, { dialect: 'duckdb' })).toMatch(/group `fit` would be named `fit`, like the column for group `Fit`/);
    expect(() => emitSql(cased, { dialect: 'postgres' })).not.toThrow();
  });

  it('checks the mapping against the rule file', () => {
    const text = 'lead { company.size: number\n tags: list of text }\nevent page_view { url: text }\nwhen company.size > 1 add 1\nwhen tags has x add 1\nwhen any page_view where url starts "/p" add 1';
    expect(check(text, { dialect: 'duckdb', mapping: { leads: { fields: { 'compnay.size': 'size' } } } })).toBe(
      'the mapping names the lead field `compnay.size`, which the rule file does not declare | help: did you mean `company.size`?',
    );
    expect(check(text, { dialect: 'duckdb', mapping: { events: { properties: { 'page_view.ulr': 'u' } } } })).toMatch(/property `page_view.ulr`.*did you mean `page_view.url`\?/);
    expect(check(text, { dialect: 'duckdb', mapping: { leads: { fields: { 'company.size': { column: 's', format: 'bool' } } } } })).toBe(
      'the number field `company.size` cannot be read from a `bool` column | help: use one of the formats `text`, `csv`, `number`, `json`',
    );
    expect(check(text, { dialect: 'duckdb', mapping: { leads: { fields: { tags: { column: 't', format: 'number' } } } } })).toMatch(/the list field `tags` cannot be read from a `number` column/);
    // A text column of a list is read as separated values (as the runtime reads a string), by default or named.
    expect(emitSql(text, { dialect: 'duckdb' })).toContain(`regexp_split_to_array`);
    expect(emitSql(text, { dialect: 'duckdb', mapping: { leads: { fields: { tags: { column: 't', format: 'text' } } } } })).toContain(`regexp_split_to_array(p.x1_w`);
  });
});

describe('emitSql: exact constants', () => {
  it('writes the one folding table', () => {
    const { from, to } = foldTableTexts();
    expect([...from]).toEqual(foldTable().map(([f]) => f));
    expect([...to]).toEqual(foldTable().map(([, t]) => t));
  });

  it('knows where decimal text overflows to Infinity and underflows to 0, as JavaScript reads it', () => {
    const max = numberOverflowDigits();
    expect(max).toHaveLength(309);
    expect(Number(max)).toBe(Infinity);
    expect(Number(`${max.slice(0, -1)}${Number(max.slice(-1)) - 1}`)).toBe(Number.MAX_VALUE);
    const min = numberUnderflowDigits();
    expect(min).toHaveLength(1075);
    expect(Number(`0.${min}`)).toBe(0);
    expect(Number(`0.${min}1`)).toBe(Number.MIN_VALUE);
  });
});

describe('parseSqlMapping', () => {
  it('reads a mapping file, with columns as names or {column, format}', () => {
    expect(
      parseSqlMapping(
        JSON.stringify({
          leads: { table: ['crm', 'leads'], id: 'lead_id', format: 'csv', fields: { 'company.size': { column: 'size', format: 'number' }, __proto__: 'proto' } },
          events: { table: 'crm_events', leadId: 'lead', at: { column: 'occurred', format: 'timestamp' }, properties: { 'page_view.url': 'page' } },
        }),
      ),
    ).toEqual({
      leads: { table: ['crm', 'leads'], id: 'lead_id', format: 'csv', fields: { 'company.size': { column: 'size', format: 'number' } } },
      events: { table: 'crm_events', leadId: 'lead', at: { column: 'occurred', format: 'timestamp' }, properties: { 'page_view.url': 'page' } },
    });
    // A `__proto__` key is an ordinary field name, never a prototype.
    const mapping = parseSqlMapping('{"leads": {"fields": {"__proto__": "proto"}}}');
    expect(Object.prototype.hasOwnProperty.call(mapping.leads?.fields, '__proto__')).toBe(true);
  });

  it('names the offending key in every error', () => {
    const error = (text: string) => {
      try {
        parseSqlMapping(text);
      } catch (e) {
        return e instanceof SqlEmitError ? `${e.message}${e.help === undefined ? '' : ` | ${e.help}`}` : String(e);
      }
      return 'no error';
    };
    expect(error('{"leads": ')).toMatch(/^the SQL mapping is not valid JSON: /);
    expect(error('[]')).toBe('`mapping` must be an object, not a list');
    expect(error('{"lead": {}}')).toBe('unknown key `lead` in the SQL mapping | expected one of `leads`, `events`, `accounts`, `$schema`, `comment`');
    expect(error('{"leads": {"table": ""}}')).toBe('`leads.table` must be a non-empty text, not string ""');
    expect(error('{"leads": {"fields": {"x": {"format": "text"}}}}')).toBe('`leads.fields["x"].column` is required');
    expect(error('{"events": {"format": "xml"}}')).toBe('`events.format` must be a column format, not string "xml" | one of `text`, `csv`, `number`, `bool`, `timestamp`, `list`, `json`');
  });
});
