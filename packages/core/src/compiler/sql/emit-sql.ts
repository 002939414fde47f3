/**
 * IR -> SQL (DuckDB, PostgreSQL): one query that scores every lead of a table with its events,
 * from the same {@link ScorerIR} as the JavaScript target and with the same results.
 *
 * The query is a chain of CTEs, each adding columns to the one before (`SELECT p.*, ...`):
 *
 * 1. `rubric_constants`: `now` (epoch ms), the folding table, trim sets (one row);
 * 2. `lead_source`, `lead_read_N`: each used lead field read into a typed value or NULL
 *    (values.ts), one step per stage so nothing is computed twice;
 * 3. `event_source`, `event_read_N`, `event_totals`: the events of declared types, their `at`
 *    and properties read the same way, then per lead and per query `count`, latest `at` and the
 *    decayed sums, over the events with `at <= now` (and in the `within` window, and `where`);
 * 4. `lead_facts`: leads joined with their totals (no events: count 0);
 * 5. `score_step_N`: the program in dependency levels (segments, rule points, group clamps,
 *    score, then stage and tier), every point value an exact integer of hundredths;
 * 6. the output: the lead id, `score`, `stage`, `tier`, one column per group (and per rule with
 *    `explain`), points as DOUBLE = hundredths / 100 (the JavaScript numbers, bit for bit).
 *
 * Every atomic test is `coalesce(test, false)`, so a missing value makes it false (`!=` and
 * `not in` too) and `not` negates a two-valued result, as the IR contract requires.
 */
import { analyze } from '../../analyze.js';
import type { Model } from '../../checker/model.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { runtimeHelpers } from '../../runtime/runtime.js';
import type { DecayIR, Expr, NumConst, NumOperand, ScorerIR, ValueSlot, ValueType } from '../ir.js';
import { lowerModel } from '../lower.js';
import { sqlDialect, SqlEmitError, type SqlDialect, type SqlDialectName } from './dialect.js';
import { resolveMapping, type ResolvedColumn, type SqlMapping, type SqlTableName } from './mapping.js';
import { neverSuspect, suspectTest } from './emit-sql-suspects.js';
import { CONSTANTS, constantColumns, ValueReader, type ReadPlan, type StepColumn } from './values.js';
import { derivedColumns } from './tables.js';
import { emitAccountViews, emitSqlContacts, modelOf } from './emit-sql-accounts.js';

/** When to score: an instant, the query's current time, or a bind parameter. */
export type SqlNow = Date | string | number | 'current' | 'parameter';

export interface SqlEmitOptions {
  readonly dialect: SqlDialectName;
  /** Where the leads and events are (defaults: `leads`, `events`, one column per field). */
  readonly mapping?: SqlMapping;
  /** A plain `SELECT` (no `CREATE VIEW`, no trailing semicolon): to embed as a subquery. */
  readonly select?: boolean;
  /** Name of the view (ignored with `select`). Default `rubric_scores`. */
  readonly view?: SqlTableName;
  /**
   * Issue 17, a rule file with an `account` block: name of the account view (ignored with
   * `select`). Default: the view's name followed by `_accounts` (`rubric_scores_accounts`).
   */
  readonly accountsView?: SqlTableName;
  /** Adds one column of points per rule (`r0`, `r1`, ... in file order). */
  readonly explain?: boolean;
  /**
   * The instant to score at: a Date, ISO 8601 text or epoch milliseconds (written into the
   * query), `'current'` (default: the query's `current_timestamp`), or `'parameter'` (`$1`, a
   * BIGINT of epoch milliseconds bound when the query runs; only with `select`, since a view
   * cannot take a parameter).
   */
  readonly now?: SqlNow;
  /** Prefix of the group columns (default none). */
  readonly groupPrefix?: string;
  /** Prefix of the rule columns with `explain` (default `r`). */
  readonly rulePrefix?: string;
  /** The rule file's name, for the header comment. */
  readonly source?: string;
  /**
   * DuckDB only (`rubric score --engine duckdb`): the per-lead event totals are read from this
   * table, made beforehand by {@link emitSqlEventTotals}'s query with the same options, instead of
   * being computed inside the query. Scores are the same.
   */
  readonly eventTotals?: SqlTableName;
}

/** Options of {@link emitSqlEventTotals}. */
export interface SqlEventTotalsOptions extends SqlEmitOptions {
  /**
   * A column of the events relation naming each event (e.g. its row number). With it, the query
   * also lists, per lead, the events (of the queried types) holding a value the scoring read
   * could not read: `rubric_event_suspects`, a list of this column's values, the same events
   * `emitDuckdbSuspects` finds for the `at` and the used properties (see `suspectTest`), found
   * in the same pass that reads them for scoring.
   */
  readonly suspectRow?: string;
}

/** The output columns of the emitted query, in order. */
export interface SqlOutputColumns {
  readonly id: string;
  readonly score: string;
  readonly stage: string;
  readonly tier: string;
  /** By group, in file order. */
  readonly groups: readonly string[];
  /** By rule, in file order (empty without `explain`). */
  readonly rules: readonly string[];
}

const HEADER = 'Generated by Rubric. Do not edit: rebuild it from the rule file.';

/**
 * A `--` comment on one line: control characters, line and paragraph separators and lone
 * surrogates are written as `\uXXXX`, so the text can neither end the comment nor break UTF-8.
 */
export function comment(text: string): string {
  const safe = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `-- ${safe}`;
}

function isIR(input: Model | ScorerIR): input is ScorerIR {
  return 'program' in input;
}

function irOf(input: string | Model | ScorerIR): ScorerIR {
  if (typeof input !== 'string') return isIR(input) ? input : lowerModel(input);
  const analysis = analyze(input);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (hasErrors(analysis.diagnostics)) {
    const shown = errors
      .slice(0, 3)
      .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`)
      .join('; ');
    throw new SqlEmitError(`the rule file has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${shown}`, 'fix them first (`rubric check` lists them)');
  }
  return lowerModel(analysis.model);
}

function nowExpression(d: SqlDialect, now: SqlNow | undefined): string {
  if (now === undefined || now === 'current') return d.currentMillis();
  if (now === 'parameter') return d.nowParameter();
  let millis: number;
  if (typeof now === 'number') millis = now;
  else if (now instanceof Date) millis = now.getTime();
  else if (typeof now === 'string') millis = runtimeHelpers().parseIsoDate(now);
  else millis = Number.NaN;
  if (!Number.isSafeInteger(millis)) {
    throw new SqlEmitError(`invalid \`now\` ${JSON.stringify(String(now))}: expected a Date, ISO 8601 text, epoch milliseconds, 'current' or 'parameter'`);
  }
  return `CAST(${d.number(millis)} AS BIGINT)`;
}

const OPERATORS: Readonly<Record<string, string>> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** What an expression reads among the computed columns, for ordering the stages. */
interface Reads {
  readonly segments: Set<number>;
  readonly groups: Set<number>;
  score: boolean;
}

function readsOf(expr: Expr, into: Reads = { segments: new Set(), groups: new Set(), score: false }): Reads {
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const operand of expr.operands) readsOf(operand, into);
      break;
    case 'not':
      readsOf(expr.operand, into);
      break;
    case 'segment':
      into.segments.add(expr.segment);
      break;
    case 'compare':
    case 'between':
      if (expr.operand.kind === 'group') into.groups.add(expr.operand.group);
      if (expr.operand.kind === 'score') into.score = true;
      break;
    default:
      break;
  }
  return into;
}

/** Conditions to SQL over the columns of the stage before (`p.`). */
class ConditionWriter {
  /** `results`: the stage and tier names of the IR, for `result-in` (a probe, issue 17). */
  constructor(
    private readonly d: SqlDialect,
    private readonly results: { readonly stages: readonly string[]; readonly tiers: readonly string[] } = { stages: [], tiers: [] },
  ) {}

  private operand(operand: NumOperand): { sql: string; mayBeMissing: boolean } {
    switch (operand.kind) {
      case 'slot':
        return { sql: `p.v${operand.slot}`, mayBeMissing: true };
      case 'group':
        return { sql: `p.g${operand.group}`, mayBeMissing: false };
      case 'score':
        return { sql: 'p.score_h', mayBeMissing: false };
      case 'count':
        return { sql: `p.q${operand.query}_count`, mayBeMissing: false };
      case 'count-distinct':
        return { sql: `p.d${operand.distinct}`, mayBeMissing: false };
      case 'days-since':
        return { sql: `p.q${operand.query}_days`, mayBeMissing: true };
    }
  }

  private constant(value: NumConst): string {
    if (value.kind === 'const') return this.d.number(value.value);
    if (value.milliseconds === 0) return `p.${CONSTANTS.now}`;
    const sign = value.milliseconds > 0 ? '+' : '-';
    return `(p.${CONSTANTS.now} ${sign} ${this.d.number(Math.abs(value.milliseconds))})`;
  }

  private twoValued(test: string, mayBeMissing: boolean): string {
    return mayBeMissing ? `coalesce(${test}, false)` : test;
  }

  /** Folded literals the engine can hold (others can never equal any of its data). */
  private literals(values: readonly string[]): string[] {
    return [...new Set(values)].filter((value) => this.d.canHold(value)).map((value) => this.d.text(value));
  }

  write(expr: Expr): string {
    const d = this.d;
    switch (expr.kind) {
      case 'result-in': {
        // A probe (issue 17), written after stage_name and tier_name: NULL (none reached) is
        // false, negated or not.
        const column = expr.which === 'stage' ? 'p.stage_name' : 'p.tier_name';
        const names = expr.which === 'stage' ? this.results.stages : this.results.tiers;
        const values = this.literals(expr.values.map((index) => names[index]));
        if (values.length === 0) return expr.negated ? `(${column} IS NOT NULL)` : 'false';
        return `coalesce(${d.binary(column)} ${expr.negated ? 'NOT IN' : 'IN'} (${values.join(', ')}), false)`;
      }
      case 'result-set':
        return `(${expr.which === 'stage' ? 'p.stage_name' : 'p.tier_name'} IS ${expr.set ? 'NOT ' : ''}NULL)`;
      case 'const':
        return expr.value ? 'true' : 'false';
      case 'and':
      case 'or':
        if (expr.operands.length === 0) return expr.kind === 'and' ? 'true' : 'false';
        if (expr.operands.length === 1) return this.write(expr.operands[0]);
        return `(${expr.operands.map((operand) => this.write(operand)).join(expr.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${this.write(expr.operand)})`;
      case 'segment':
        return `p.s${expr.segment}`;
      case 'compare': {
        const { sql, mayBeMissing } = this.operand(expr.operand);
        return this.twoValued(`${sql} ${OPERATORS[expr.operator]} ${this.constant(expr.value)}`, mayBeMissing);
      }
      case 'between': {
        const { sql, mayBeMissing } = this.operand(expr.operand);
        return this.twoValued(`(${sql} >= ${this.constant(expr.low)} AND ${sql} <= ${this.constant(expr.high)})`, mayBeMissing);
      }
      case 'text-in': {
        const slot = `p.v${expr.slot}`;
        const values = this.literals(expr.values);
        if (values.length === 0) return expr.negated ? `(${slot} IS NOT NULL)` : 'false';
        return `coalesce(${d.binary(slot)} ${expr.negated ? 'NOT IN' : 'IN'} (${values.join(', ')}), false)`;
      }
      case 'text-match': {
        const slot = d.binary(`p.v${expr.slot}`);
        const values = this.literals(expr.values);
        if (values.length === 0) return 'false';
        const test = expr.operator === 'starts' ? d.startsWith.bind(d) : expr.operator === 'ends' ? d.endsWith.bind(d) : d.contains.bind(d);
        const tests = values.map((value) => test(slot, value));
        return `coalesce(${tests.length === 1 ? tests[0] : `(${tests.join(' OR ')})`}, false)`;
      }
      case 'list-has': {
        const values = this.literals(expr.values);
        if (values.length === 0) return 'false';
        return `coalesce(${d.listHasAny(`p.v${expr.slot}`, values)}, false)`;
      }
      case 'is-set':
        return `(p.v${expr.slot} IS NOT NULL)`;
      case 'is-missing':
        return `(p.v${expr.slot} IS NULL)`;
      case 'bool-is':
        return `coalesce(p.v${expr.slot} = ${expr.value ? 1 : 0}, false)`;
      case 'event-exists':
        return expr.negated ? `(p.q${expr.query}_count = 0)` : `(p.q${expr.query}_count > 0)`;
    }
  }
}

/**
 * `name AS (SELECT ... FROM ...)` with one item per line; items starting with `--` are comment
 * lines (no comma after them).
 */
export function cte(name: string, items: readonly string[], from: string, where?: string, groupBy?: string, fence = ''): string {
  const lines = [`${name} AS (`, '  SELECT'];
  items.forEach((item, i) => {
    if (item.startsWith('--')) {
      lines.push(`    ${item}`);
      return;
    }
    const more = items.slice(i + 1).some((rest) => !rest.startsWith('--'));
    lines.push(`    ${item}${more ? ',' : ''}`);
  });
  lines.push(`  FROM ${from}`);
  if (where !== undefined) lines.push(`  WHERE ${where}`);
  if (groupBy !== undefined) lines.push(`  GROUP BY ${groupBy}`);
  if (fence !== '') lines.push(`  ${fence}`);
  lines.push(')');
  return lines.join('\n');
}

/** Column definitions of a stage: `expression AS name`, with an optional comment line before. */
function columnLines(columns: readonly StepColumn[], comments: ReadonlyMap<string, string> = new Map()): string[] {
  const out: string[] = [];
  for (const column of columns) {
    const note = comments.get(column.name);
    if (note !== undefined) out.push(comment(note));
    out.push(`${column.expression} AS ${column.name}`);
  }
  return out;
}

/** Merges per-value plans into stages (stage k of every plan together). */
function mergePlans(plans: readonly ReadPlan[]): StepColumn[][] {
  const stages: StepColumn[][] = [];
  for (const plan of plans) {
    plan.forEach((stage, k) => {
      stages[k] ??= [];
      stages[k].push(...stage);
    });
  }
  return stages;
}

/** An event property's declared name (its slot's `key` is its column, which `from` may rename). */
function propertyName(ir: ScorerIR, slot: ValueSlot): string {
  return slot.name.slice(ir.events[slot.event as number].name.length + 1);
}

function describeSlot(slot: ValueSlot, column: ResolvedColumn): string {
  const missing = slot.missing.length === 0 ? '' : `, missing ${JSON.stringify(slot.missing)}`;
  return `${slot.name}: ${slot.expected}, from column ${JSON.stringify(column.column)} (${column.format})${missing}`;
}

/** The header line saying how text is read, when the rule file's `data` block changes it. */
function describeDialect(dialect: ScorerIR['dialect']): string | undefined {
  const parts: string[] = [];
  if (dialect.numbers !== 'plain') parts.push(`numbers ${dialect.numbers}`);
  if (dialect.dates !== 'iso') parts.push(`dates ${dialect.dates}`);
  if (dialect.trueWords.length > 0) parts.push(`true ${JSON.stringify(dialect.trueWords)}`);
  if (dialect.falseWords.length > 0) parts.push(`false ${JSON.stringify(dialect.falseWords)}`);
  return parts.length === 0 ? undefined : `data: text read with ${parts.join(', ')}`;
}

/**
 * The value of a `count distinct` slot as DISTINCT compares it (NULL = missing, not counted):
 * folded text byte for byte (no collation may equate two spellings), and a number's `-0` made
 * `0` (one value, as in JavaScript's Set); dates (epoch ms) and bools compare as they are.
 */
function distinctValue(d: SqlDialect, ir: ScorerIR, slot: number): string {
  const ref = `p.v${slot}`;
  switch (ir.slots[slot].type) {
    case 'text':
    case 'one-of':
      return d.binary(ref);
    case 'number':
      return `CASE WHEN ${ref} = 0 THEN ${d.number(0)} ELSE ${ref} END`;
    default:
      return ref;
  }
}

/**
 * The SQL of a rule file (text, checked model or IR) for DuckDB or PostgreSQL: a
 * `CREATE OR REPLACE VIEW` (or, with `select`, one `SELECT`) scoring every lead of the mapped
 * leads table with its events, with the columns {@link sqlOutputColumns} names, giving the
 * JavaScript scorer's `score`, `stage`, `tier` and group values exactly. Throws
 * {@link SqlEmitError} for a rule file with errors, a bad mapping or option (`now: 'parameter'`
 * without `select`), or a value the engine cannot represent in a result (a stage name holding
 * NUL in PostgreSQL).
 */
export function emitSql(input: string | Model | ScorerIR, options: SqlEmitOptions): string {
  if (!(typeof input !== 'string' && isIR(input))) {
    const model = modelOf(input);
    if (model.account !== null) return options.select === true ? emitSqlContacts(model, options) : emitAccountViews(model, options);
    if (options.mapping?.accounts !== undefined) {
      throw new SqlEmitError('the mapping names an accounts table, but the rule file has no `account` block', 'remove `accounts` from the mapping, or declare the account block');
    }
    input = model;
  }
  return emitQuery(input, options, options.eventTotals === undefined ? 'all' : 'scores') as string;
}

/**
 * DuckDB: the first of the two statements {@link SqlEmitOptions.eventTotals} splits the scoring
 * into, a `SELECT` of one row per lead key with its event totals (and, with `suspectRow`, its
 * suspect events), to be stored in the table {@link emitSql} then reads. Undefined when the rules
 * query no events (the scoring then reads no totals).
 */
export function emitSqlEventTotals(input: string | Model | ScorerIR, options: SqlEventTotalsOptions): string | undefined {
  return emitQuery(input, { ...options, select: true }, 'totals');
}

/** Which statement {@link emitQuery} writes: the whole query, the scores over stored totals, the totals. */
type QueryPart = 'all' | 'scores' | 'totals';

/**
 * How emit-sql-accounts.ts (issue 17) reuses the one scoring query for contacts and accounts.
 * Every string is SQL the caller made safe; internal names start with `rubric_`.
 */
export interface QueryHooks {
  /** CTEs written before `rubric_constants` (the relations below may name them). */
  readonly prelude?: readonly string[];
  /** The FROM item of the leads, aliased `src` (default: the mapped leads table). */
  readonly leadsFrom?: string;
  /** The FROM item of the events, aliased `src` (default: the mapped events table). */
  readonly eventsFrom?: string;
  /** More columns of `lead_source` (`expression AS rubric_name` over `src`), kept to the output. */
  readonly sourceColumns?: readonly string[];
  /** Slots not read from a column but given as an expression over `src`, already typed. */
  readonly provided?: ReadonlyMap<number, string>;
  /** Slots that must be read even when no condition reads them (a key). */
  readonly alsoRead?: readonly number[];
  /**
   * After the lead slots are read: `LEFT JOIN relation AS j ON on` (over `p.` and `j.`), and
   * the slots of `columns` given as expressions over `j.` (already typed). The relation must
   * hold at most one row per match.
   */
  readonly join?: { readonly relation: string; readonly on: string; readonly columns: ReadonlyMap<number, string> };
  /**
   * A text key slot also given as `rubric_key_text`: its column's text trimmed as JavaScript
   * trims (not folded), NULL when blank, as `rubric score` matches account keys.
   */
  readonly keyText?: number;
  /** The output's lead id column name (default: the mapped lead id). */
  readonly outputId?: string;
  /** More output columns, over the last step `p` (score_h, stage_name, g0, v3, ...). */
  readonly outputs?: readonly string[];
  /**
   * Outputs one boolean column per {@link ScorerIR.probes} entry, named by this function of its
   * aggregate index, evaluated after the stage and tier (segments only probes read come first).
   */
  readonly probeColumn?: (aggregate: number) => string;
  /** A query nested in another: one comment line saying what it is instead of the header. */
  readonly nested?: string;
  /** The header's line naming the dialect and the tables (default: leads and events). */
  readonly tables?: string;
}

/**
 * The one scoring query (see the module comment) of `part`, shaped by `hooks` for the account
 * targets (emit-sql-accounts.ts); without hooks, what {@link emitSql} and
 * {@link emitSqlEventTotals} write. Internal to the SQL target.
 */
export function emitQuery(input: string | Model | ScorerIR, options: SqlEventTotalsOptions, part: QueryPart, hooks: QueryHooks = {}): string | undefined {
  const d = sqlDialect(options.dialect);
  if (options.dialect !== 'duckdb' && options.dialect !== 'postgres') {
    throw new SqlEmitError(`unknown SQL dialect ${JSON.stringify(String(options.dialect))}`, 'use `duckdb` or `postgres`');
  }
  if (options.now === 'parameter' && options.select !== true) {
    // Neither engine accepts a parameter in a view's body (DuckDB: "Unexpected prepared
    // parameter"; PostgreSQL takes no parameters in CREATE VIEW), so the view could never be
    // created: refuse here rather than emit SQL that fails when it is run.
    throw new SqlEmitError(
      "`now: 'parameter'` needs `select: true`: a view cannot take the bind parameter $1 (neither DuckDB nor PostgreSQL accepts one in CREATE VIEW)",
      'emit a plain query with `select: true` and bind $1 when it runs, or give `now` an instant (or leave it out: the current time) to emit a view',
    );
  }
  const ir = irOf(input);
  const reader = new ValueReader(d, { dialect: ir.dialect });
  const conditions = new ConditionWriter(d, { stages: ir.stages.map((s) => s.name), tiers: ir.tiers.map((t) => t.name) });
  const output = sqlOutputColumns(ir, hooks.outputId === undefined ? options : { ...options, mapping: { ...options.mapping, leads: { ...options.mapping?.leads, id: hooks.outputId } } });
  const id = (name: string) => d.identifier(name);
  // The data's tables and columns by the names the engine stores (PostgreSQL cuts a name past 63
  // bytes): two columns of one table that would be stored as one are refused.
  const table = (parts: readonly string[]) => parts.map((part) => id(d.storedName(part))).join('.');
  const leadColumn = storedColumn(d, new Map(), 'leads');
  const eventColumn = storedColumn(d, new Map(), 'events');

  // The declared schema, for checking the mapping (properties by their name, not their column).
  const fields = new Map<string, ValueType>();
  const eventProperties = new Map<string, Map<string, ValueType>>();
  for (const event of ir.events) eventProperties.set(event.name, new Map());
  for (const slot of ir.slots) {
    // A table's value is computed from its input, never read from a column.
    if (slot.derived !== undefined) continue;
    if (slot.source === 'lead') fields.set(slot.name, slot.type);
    else eventProperties.get(ir.events[slot.event as number].name)?.set(propertyName(ir, slot), slot.type);
  }
  const mapping = resolveMapping(options.mapping, { fields, events: eventProperties });
  if (part !== 'all' && d.name !== 'duckdb') throw new SqlEmitError('internal: stored event totals are a DuckDB engine feature');
  const suspectRow = part === 'totals' ? options.suspectRow : undefined;

  // The suspect tests fold placeholders (the folding table).
  const needs = { fold: suspectRow !== undefined, jsTrim: false, numbers: false };
  const noteNeeds = (type: ValueType | 'at', format: string) => {
    // Text is trimmed and folded (placeholders, words) whatever its type; typed columns are not.
    if (format !== 'number' && format !== 'bool' && format !== 'timestamp') needs.fold = true;
    if (type === 'number' && format !== 'number') needs.numbers = true;
  };

  const ctes: string[] = [...(hooks.prelude ?? [])];
  let keyText: string | undefined;
  if (hooks.keyText !== undefined) {
    const slot = ir.slots[hooks.keyText];
    const column = mapping.field(slot.name, slot.key, slot.type);
    needs.jsTrim = true;
    const raw = `src.${leadColumn(column.column)}`;
    if (column.format === 'json') {
      // A JSON string trimmed; a JSON number as JavaScript writes it (`String(n)`: `12` for 12
      // and 12.0, `12.5`), which is how `rubric score` matches it, for whole numbers below 1e15
      // and others from 0.001 (where the engines write the same shortest digits); beyond, none.
      const json = d.castJson(raw);
      const number = d.name === 'duckdb' ? d.jsonNumber(json) : d.castDouble(d.jsonNumberText(json));
      const written =
        `CASE WHEN ${d.jsonIsNumber(json)} AND abs(${number}) < ${d.number(1e15)} THEN CASE WHEN ${number} = floor(${number}) ` +
        `THEN ${d.castText(`CAST(${number} AS BIGINT)`)} WHEN abs(${number}) >= ${d.number(0.001)} THEN ${d.castText(number)} END END`;
      keyText = `coalesce(NULLIF(${reader.jsTrim(d.jsonString(json), 'rc')}, ''), ${written}) AS rubric_key_text`;
    } else {
      keyText = `NULLIF(${reader.jsTrim(d.castText(raw), 'rc')}, '') AS rubric_key_text`;
    }
  }

  // --- Leads -------------------------------------------------------------------------------
  const provided = hooks.provided ?? new Map<number, string>();
  const joined = hooks.join?.columns ?? new Map<number, string>();
  const alsoRead = new Set(hooks.alsoRead ?? []);
  const leadSlots = ir.slots.filter(
    (slot) => slot.source === 'lead' && (slot.used || alsoRead.has(slot.id)) && slot.derived === undefined && !provided.has(slot.id) && !joined.has(slot.id),
  );
  const rawLeadColumns = new Map<string, string>();
  const rawColumn = (columns: Map<string, string>, column: string) => {
    let name = columns.get(column);
    if (name === undefined) {
      name = `c${columns.size}`;
      columns.set(column, name);
    }
    return name;
  };
  const leadPlans: ReadPlan[] = [];
  const leadComments = new Map<string, string>();
  for (const slot of leadSlots) {
    const column = mapping.field(slot.name, slot.key, slot.type);
    noteNeeds(slot.type, column.format);
    const raw = rawColumn(rawLeadColumns, column.column);
    leadPlans.push(reader.plan(String(slot.id), { type: slot.type, format: column.format, oneOf: slot.oneOf, missing: slot.missing }, `p.${raw}`));
    leadComments.set(`v${slot.id}`, describeSlot(slot, column));
  }

  // --- Events ------------------------------------------------------------------------------
  const queried = ir.events.filter((event) => event.queries.length > 0);
  const rawEventColumns = new Map<string, string>();
  const eventPlans: ReadPlan[] = [];
  const eventComments = new Map<string, string>();
  // The suspect test of each value read (with \`suspectRow\`): over its raw column and its reading.
  const eventSuspects: string[] = [];
  if (queried.length > 0) {
    noteNeeds('at', mapping.eventAt.format);
    if (mapping.eventType.format === 'csv') needs.jsTrim = true;
    const at = rawColumn(rawEventColumns, mapping.eventAt.column);
    eventPlans.push(reader.plan('at', { type: 'date', format: mapping.eventAt.format }, `p.${at}`));
    if (suspectRow !== undefined) eventSuspects.push(suspectTest(reader, { format: mapping.eventAt.format, eventAt: true }, `p.${at}`, 'p.vat'));
    eventComments.set('vat', `at: from column ${JSON.stringify(mapping.eventAt.column)} (${mapping.eventAt.format})`);
    for (const event of queried) {
      for (const slotId of event.properties) {
        const slot = ir.slots[slotId];
        if (!slot.used) continue;
        const column = mapping.property(event.name, propertyName(ir, slot), slot.key, slot.type);
        noteNeeds(slot.type, column.format);
        const raw = rawColumn(rawEventColumns, column.column);
        eventPlans.push(reader.plan(String(slot.id), { type: slot.type, format: column.format, oneOf: slot.oneOf, missing: slot.missing }, `p.${raw}`));
        if (suspectRow !== undefined && !neverSuspect({ type: slot.type, format: column.format })) {
          // Presence and placeholders are tested only where the reading is NULL (CASE is lazy).
          const test = suspectTest(reader, { format: column.format, missing: slot.missing }, `p.${raw}`, `p.v${slot.id}`);
          eventSuspects.push(`CASE WHEN p.v${slot.id} IS NULL THEN ${test} ELSE false END`);
        }
        eventComments.set(`v${slot.id}`, describeSlot(slot, column));
      }
    }
  }

  const constantsAt = ctes.length;
  ctes.push(cte('rubric_constants', columnLines(constantColumns(d, needs, nowExpression(d, options.now))), '(SELECT 1) AS rubric_one'));

  const chain = (prefix: string, first: string, stages: StepColumn[][], comments: ReadonlyMap<string, string>): string => {
    let previous = first;
    stages.forEach((stage, k) => {
      const name = `${prefix}_${k + 1}`;
      ctes.push(cte(name, ['p.*', ...columnLines(stage, comments)], `${previous} AS p`, undefined, undefined, d.stepFence));
      previous = name;
    });
    return previous;
  };

  const leadSourceColumns = [
    `src.${leadColumn(mapping.leadId)} AS lead_id`,
    `src.${leadColumn(mapping.leadEventKey)} AS lead_key`,
    'rc.*',
    ...[...rawLeadColumns].map(([column, name]) => `src.${leadColumn(column)} AS ${name}`),
    ...[...provided].map(([slot, expression]) => `${expression} AS v${slot}`),
    ...(keyText === undefined ? [] : [keyText]),
    ...(hooks.sourceColumns ?? []),
  ];
  ctes.push(cte('lead_source', leadSourceColumns, `${hooks.leadsFrom ?? `${table(mapping.leadsTable)} AS src`} CROSS JOIN rubric_constants AS rc`, undefined, undefined, d.stepFence));
  const leadTables = derivedColumns(d, ir, ir.slots.filter((slot) => slot.source === 'lead'));
  const tableStage = leadTables.length > 0 ? [leadTables] : [];
  let leadsDone: string;
  if (hooks.join === undefined) {
    leadsDone = chain('lead_read', 'lead_source', [...mergePlans(leadPlans), ...tableStage], leadComments);
  } else {
    // The joined slots are inputs of synonym tables too: the tables come after the join.
    const columns = ['p.*', ...[...hooks.join.columns].map(([slot, expression]) => `${expression} AS v${slot}`)];
    const read = chain('lead_read', 'lead_source', mergePlans(leadPlans), leadComments);
    ctes.push(cte('lead_joined', columns, `${read} AS p LEFT JOIN ${hooks.join.relation} AS j ON ${hooks.join.on}`, undefined, undefined, d.stepFence));
    leadsDone = chain('lead_tables', 'lead_joined', tableStage, leadComments);
  }

  let facts = leadsDone;
  // The event CTEs, ctes[eventsFrom] up to event_totals: left out of the scores over stored totals.
  const eventsFrom = ctes.length;
  if (queried.length > 0) {
    const typeRaw = d.castText(`src.${eventColumn(mapping.eventType.column)}`);
    const typeText = mapping.eventType.format === 'csv' ? reader.jsTrim(typeRaw, 'rc') : typeRaw;
    const typeNames = queried.map((event) => d.text(event.name));
    const eventSourceColumns = [
      `src.${eventColumn(mapping.eventLeadId)} AS event_lead`,
      `${typeText} AS event_type`,
      ...(suspectRow === undefined ? [] : [`src.${eventColumn(suspectRow)} AS event_row`]),
      'rc.*',
      ...[...rawEventColumns].map(([column, name]) => `src.${eventColumn(column)} AS ${name}`),
    ];
    ctes.push(
      cte(
        'event_source',
        eventSourceColumns,
        `${hooks.eventsFrom ?? `${table(mapping.eventsTable)} AS src`} CROSS JOIN rubric_constants AS rc`,
        `${d.binary(typeText)} IN (${typeNames.join(', ')})`,
        undefined,
        d.stepFence,
      ),
    );
    const eventTables = derivedColumns(d, ir, ir.slots.filter((slot) => slot.source === 'event'));
    let eventsDone = chain('event_read', 'event_source', [...mergePlans(eventPlans), ...(eventTables.length > 0 ? [eventTables] : [])], eventComments);
    // With suspects, every event stays in the totals' input: each aggregate counts only those at
    // or before now (a NULL \`at\` is never counted), the list takes the suspect ones (future too).
    let counted = '';
    let kept: string | undefined = `p.vat IS NOT NULL AND p.vat <= p.${CONSTANTS.now}`;
    if (suspectRow !== undefined) {
      ctes.push(cte('event_checked', ['p.*', `(${eventSuspects.join(' OR ')}) AS rubric_suspect`], `${eventsDone} AS p`, undefined, undefined, d.stepFence));
      eventsDone = 'event_checked';
      counted = `p.vat <= p.${CONSTANTS.now} AND `;
      kept = undefined;
    }

    const queryTests = (query: (typeof ir.queries)[number]): string[] => {
      const event = ir.events[query.event];
      const tests = [`${counted}${d.binary('p.event_type')} = ${d.text(event.name)}`];
      if (query.withinMilliseconds !== null) tests.push(`p.vat >= p.${CONSTANTS.now} - ${d.number(query.withinMilliseconds)}`);
      if (query.where !== null) tests.push(conditions.write(query.where));
      return tests;
    };

    // Run limits: each matching event's rank by `at` (latest first) among the lead's matching
    // events of its period of age; the first K of each period are kept.
    const limited = ir.queries.filter((q) => q.limit !== null);
    if (limited.length > 0) {
      const ranks = ['p.*'];
      for (const query of limited) {
        if (query.limit === null) continue;
        const matches = `(p.vat IS NOT NULL AND p.vat <= p.${CONSTANTS.now} AND ${queryTests(query).join(' AND ')})`;
        const bucket = d.divide(`p.${CONSTANTS.now} - p.vat`, d.number(query.limit.periodMilliseconds));
        ranks.push(comment(`query ${query.id}: at most ${query.limit.count} per ${query.limit.periodMilliseconds} ms`));
        ranks.push(`CASE WHEN ${matches} THEN row_number() OVER (PARTITION BY p.event_lead, ${matches}, ${bucket} ORDER BY p.vat DESC) END AS q${query.id}_rank`);
      }
      ctes.push(cte('event_ranked', ranks, `${eventsDone} AS p`, undefined, undefined, d.stepFence));
      eventsDone = 'event_ranked';
    }

    const totals: string[] = ['p.event_lead'];
    for (const query of ir.queries) {
      const event = ir.events[query.event];
      const tests = queryTests(query);
      if (query.limit !== null) tests.push(`p.q${query.id}_rank <= ${d.number(query.limit.count)}`);
      const filter = `FILTER (WHERE ${tests.join(' AND ')})`;
      totals.push(comment(`query ${query.id}: ${event.name}${query.withinMilliseconds !== null ? `, within ${query.withinMilliseconds} ms` : ''}${query.where !== null ? ', where ...' : ''}`));
      totals.push(`count(*) ${filter} AS q${query.id}_count`);
      if (query.needsLatest) totals.push(`max(p.vat) ${filter} AS q${query.id}_latest`);
      for (const k of query.distinctCounts) totals.push(`count(DISTINCT ${distinctValue(d, ir, ir.distinctCounts[k].slot)}) ${filter} AS d${k}`);
      for (const w of query.weightedSums) {
        const sum = ir.weightedSums[w];
        // The decay is computed for the events the sum counts only (CASE is lazy; FILTER is not).
        totals.push(`sum(CASE WHEN ${tests.join(' AND ')} THEN ${weightSql(d, sum.points, sum.decay, `p.${CONSTANTS.now} - p.vat`)} END) ${filter} AS w${w}`);
      }
    }
    if (suspectRow !== undefined) totals.push(`list(p.event_row) FILTER (WHERE p.rubric_suspect) AS rubric_event_suspects`);
    ctes.push(cte('event_totals', totals, `${eventsDone} AS p`, kept, 'p.event_lead'));
    if (part === 'totals') {
      const header = comment(`${HEADER} Event totals per lead for dialect ${d.name}.`);
      return `${header}\nWITH\n${[ctes[constantsAt], ...ctes.slice(eventsFrom)].join(',\n')}\nSELECT * FROM event_totals\n`;
    }
    if (part === 'scores') ctes.splice(eventsFrom);
    const totalsTable = part === 'scores' && options.eventTotals !== undefined ? table(typeof options.eventTotals === 'string' ? [options.eventTotals] : options.eventTotals) : 'event_totals';

    const factColumns = ['p.*'];
    // Latest instants a decaying `when` rule reads (the age of its `any` test's occurrence).
    const decaySources = new Set<number>();
    for (const rule of ir.rules) if (rule.kind === 'when' && rule.decay !== null) decaySources.add(rule.decay.query);
    for (const query of ir.queries) {
      factColumns.push(`coalesce(t.q${query.id}_count, 0) AS q${query.id}_count`);
      if (query.needsLatest) {
        factColumns.push(`CASE WHEN t.q${query.id}_count > 0 THEN ${d.divide(`p.${CONSTANTS.now} - t.q${query.id}_latest`, '86400000')} END AS q${query.id}_days`);
        if (decaySources.has(query.id)) factColumns.push(`t.q${query.id}_latest AS q${query.id}_latest`);
      }
      for (const w of query.weightedSums) factColumns.push(`coalesce(t.w${w}, 0) AS w${w}`);
      for (const k of query.distinctCounts) factColumns.push(`coalesce(t.d${k}, 0) AS d${k}`);
    }
    ctes.push(cte('lead_facts', factColumns, `${leadsDone} AS p LEFT JOIN ${totalsTable} AS t ON t.event_lead = p.lead_key`, undefined, undefined, d.stepFence));
    facts = 'lead_facts';
  }

  if (part === 'totals') return undefined;

  // --- The program, by dependency level -------------------------------------------------------
  const level = new Map<string, number>();
  const levelOf = (reads: Reads): number => {
    let max = 0;
    for (const s of reads.segments) max = Math.max(max, level.get(`s${s}`) ?? 0);
    for (const g of reads.groups) max = Math.max(max, level.get(`g${g}`) ?? 0);
    if (reads.score) max = Math.max(max, level.get('score_h') ?? 0);
    return max + 1;
  };
  const byLevel: StepColumn[][] = [];
  const comments = new Map<string, string>();
  const place = (name: string, at: number, expression: string, note?: string) => {
    level.set(name, at);
    (byLevel[at - 1] ??= []).push({ name, expression });
    if (note !== undefined) comments.set(name, note);
  };
  const clamp = (value: string, min: number | null, max: number | null): string => {
    let out = value;
    if (max !== null) out = `least(${out}, ${d.number(max)})`;
    if (min !== null) out = `greatest(${out}, ${d.number(min)})`;
    return out;
  };
  const ruleValue = (index: number) => `p.r${index}`;

  for (const step of ir.program) {
    if (step.kind === 'segment') {
      const segment = ir.segments[step.segment];
      place(`s${segment.id}`, levelOf(readsOf(segment.condition)), conditions.write(segment.condition), `segment ${segment.name}`);
    } else if (step.kind === 'rule') {
      const rule = ir.rules[step.rule];
      const note = `rule ${rule.index} (line ${rule.line}): ${rule.label}`;
      if (rule.kind === 'when') {
        // Decaying: the points weighed by the age of the decay query's latest occurrence (there
        // is one whenever the condition holds).
        const points = rule.decay === null ? d.number(rule.points) : weightSql(d, rule.points, rule.decay.decay, `p.${CONSTANTS.now} - p.q${rule.decay.query}_latest`);
        place(`r${rule.index}`, levelOf(readsOf(rule.condition)), `CASE WHEN ${conditions.write(rule.condition)} THEN ${points} ELSE 0 END`, note);
      } else {
        const count = `p.q${rule.query}_count`;
        let total = rule.weightedSum === null ? `${count} * ${d.number(rule.points)}` : `p.w${rule.weightedSum}`;
        if (rule.cap !== null) total = `greatest(least(${total}, ${d.number(rule.cap)}), ${d.number(-rule.cap)})`;
        place(`r${rule.index}`, 1, `CASE WHEN ${count} > 0 THEN ${total} ELSE 0 END`, note);
      }
    } else {
      const group = ir.groups[step.group];
      const rules = group.rules.map(ruleValue);
      const at = 1 + Math.max(0, ...group.rules.map((r) => level.get(`r${r}`) ?? 0));
      place(`g${group.id}`, at, clamp(rules.length === 0 ? '0' : rules.join(' + '), group.min, group.max), `group ${group.name}`);
    }
  }
  const ungrouped = ir.rules.filter((rule) => rule.group === null);
  const totalParts = [...ir.groups.map((g) => `p.g${g.id}`), ...ungrouped.map((rule) => ruleValue(rule.index))];
  const scoreLevel = 1 + Math.max(0, ...ir.groups.map((g) => level.get(`g${g.id}`) ?? 0), ...ungrouped.map((r) => level.get(`r${r.index}`) ?? 0));
  const scoreRange = ir.scoreRange;
  place(
    'score_h',
    scoreLevel,
    clamp(totalParts.length === 0 ? '0' : totalParts.join(' + '), scoreRange?.min ?? null, scoreRange?.max ?? null),
    'score in hundredths',
  );

  let finalLevel = scoreLevel + 1;
  const stageCases: string[] = [];
  for (let i = ir.stages.length - 1; i >= 0; i--) {
    const stage = ir.stages[i];
    const tests = [`p.score_h >= ${d.number(stage.threshold)}`, ...stage.requires.map((slot) => `p.v${slot} IS NOT NULL`)];
    for (const part of stage.conditions) {
      tests.push(conditions.write(part.expr));
      finalLevel = Math.max(finalLevel, levelOf(readsOf(part.expr)));
    }
    if (stage.when !== null) {
      tests.push(conditions.write(stage.when));
      finalLevel = Math.max(finalLevel, levelOf(readsOf(stage.when)));
    }
    stageCases.push(`WHEN ${tests.join(' AND ')} THEN ${d.text(stage.name)}`);
  }
  const tierCases = ir.tiers.map((tier) => {
    finalLevel = Math.max(finalLevel, levelOf(readsOf(tier.condition)));
    return `WHEN ${conditions.write(tier.condition)} THEN ${d.text(tier.name)}`;
  });
  const nullText = `CAST(NULL AS ${d.textType})`;
  place('stage_name', finalLevel, stageCases.length === 0 ? nullText : `CASE ${stageCases.join(' ')} END`, 'the last stage reached, in file order');
  place('tier_name', finalLevel, tierCases.length === 0 ? nullText : `CASE ${tierCases.join(' ')} END`, 'the first tier that holds');

  let previous = facts;
  byLevel.forEach((columns, k) => {
    const name = `score_step_${k + 1}`;
    ctes.push(cte(name, ['p.*', ...columnLines(columns ?? [], comments)], `${previous} AS p`, undefined, undefined, d.stepFence));
    previous = name;
  });

  // --- Probes (issue 17): after the stage and tier, with the segments only they read ----------
  const probeOutputs: string[] = [];
  if (hooks.probeColumn !== undefined && ir.probes.length > 0) {
    const ready = new Set<number>();
    for (const step of ir.program) if (step.kind === 'segment') ready.add(step.segment);
    const wanted = new Set<number>();
    const want = (expr: Expr) => {
      for (const s of readsOf(expr).segments) {
        if (ready.has(s) || wanted.has(s)) continue;
        wanted.add(s);
        want(ir.segments[s].condition);
      }
    };
    for (const probe of ir.probes) want(probe.condition);
    let k = 0;
    while (wanted.size > 0) {
      const now = [...wanted].filter((s) => [...readsOf(ir.segments[s].condition).segments].every((r) => ready.has(r)));
      if (now.length === 0) throw new Error('internal: segments read each other in a cycle');
      const columns = now.map((s) => ({ name: `s${s}`, expression: conditions.write(ir.segments[s].condition) }));
      const notes = new Map(now.map((s) => [`s${s}`, `segment ${ir.segments[s].name} (read by an aggregate over contacts)`]));
      const name = `probe_step_${++k}`;
      ctes.push(cte(name, ['p.*', ...columnLines(columns, notes)], `${previous} AS p`, undefined, undefined, d.stepFence));
      previous = name;
      for (const s of now) {
        ready.add(s);
        wanted.delete(s);
      }
    }
    for (const probe of ir.probes) probeOutputs.push(`${conditions.write(probe.condition)} AS ${id(hooks.probeColumn(probe.aggregate))}`);
  }

  // --- Output --------------------------------------------------------------------------------
  const asDouble = (hundredths: string) => `CAST(${hundredths} AS ${d.doubleType}) / 100`;
  const select = [
    `p.lead_id AS ${id(output.id)}`,
    `${asDouble('p.score_h')} AS ${id(output.score)}`,
    `p.stage_name AS ${id(output.stage)}`,
    `p.tier_name AS ${id(output.tier)}`,
    ...ir.groups.map((group) => `${asDouble(`p.g${group.id}`)} AS ${id(output.groups[group.id])}`),
    ...output.rules.map((name, index) => `${asDouble(`p.r${index}`)} AS ${id(name)}`),
    ...(hooks.outputs ?? []),
    ...probeOutputs,
  ];

  const lines: string[] = [];
  if (hooks.nested !== undefined) {
    lines.push(comment(hooks.nested));
  } else {
    lines.push(comment(HEADER));
    if (options.source !== undefined) lines.push(comment(`rule file: ${options.source}`));
    lines.push(
      comment(hooks.tables ?? `dialect: ${d.name}; leads: ${mapping.leadsTable.join('.')}${queried.length > 0 ? `; events: ${mapping.eventsTable.join('.')}` : ''}`),
    );
    const dialectNote = describeDialect(ir.dialect);
    if (dialectNote !== undefined) lines.push(comment(dialectNote));
    if (options.now === 'parameter') lines.push(comment('$1: the instant to score at, in epoch milliseconds (BIGINT)'));
    if (options.explain === true) {
      for (const rule of ir.rules) lines.push(comment(`${output.rules[rule.index]}: line ${rule.line}, ${rule.label}`));
    }
  }
  const query = [`WITH\n${ctes.join(',\n')}`, `SELECT\n${select.map((line) => `  ${line}`).join(',\n')}\nFROM ${previous} AS p`].join('\n');
  if (options.select === true) {
    lines.push(query);
    return `${lines.join('\n')}\n`;
  }
  const view = options.view === undefined ? ['rubric_scores'] : typeof options.view === 'string' ? [options.view] : [...options.view];
  lines.push(`CREATE OR REPLACE VIEW ${table(view)} AS`, `${query};`);
  return `${lines.join('\n')}\n`;
}

/**
 * The decayed weight (BIGINT hundredths) of `points` (hundredths) at age `age` (a BIGINT of
 * milliseconds, >= 0), as the IR contract defines it: the same doubles as JavaScript for a
 * half-life, integers only for a linear decay (`|points| = q * 10000 + r` split at compile time).
 */
function weightSql(d: SqlDialect, points: number, decay: DecayIR, age: string): string {
  if (decay.kind === 'half-life') {
    const seconds = `CAST(${age} AS ${d.doubleType}) / CAST(1000 AS ${d.doubleType})`;
    // PostgreSQL raises "underflow" where 0.5^e is below the smallest double (an old event, a
    // short half-life): past 1074 half-lives every weight rounds to 0, as in JavaScript.
    const halfLives = `LEAST(${seconds} / CAST(${d.number(decay.halfLifeSeconds)} AS ${d.doubleType}), CAST(1074 AS ${d.doubleType}))`;
    // The weight's sign is the points' (0.5^e is never negative), known here: rounding |x| half
    // up and giving it that sign is the contract's sign(x) * floor(|x| + 0.5) with ONE power()
    // per event instead of three (|points| * w is exactly |points * w| in doubles).
    const magnitude = `floor(CAST(${d.number(Math.abs(points))} AS ${d.doubleType}) * power(CAST(0.5 AS ${d.doubleType}), ${halfLives}) + CAST(0.5 AS ${d.doubleType}))`;
    return `CAST(${points < 0 ? `-${magnitude}` : magnitude} AS BIGINT)`;
  }
  const periods = `least(${d.divide(`${age}`, d.number(decay.periodMilliseconds))}, 10000)`;
  const f = `greatest(CAST(0 AS BIGINT), CAST(10000 AS BIGINT) - ${d.number(decay.percentHundredths)} * ${periods})`;
  const a = Math.abs(points);
  const q = Math.floor(a / 10000);
  const r = a - q * 10000;
  const rest = d.divide(`${d.number(r)} * ${f} + 5000`, '10000');
  const magnitude = q === 0 ? rest : `(${d.number(q)} * ${f} + ${rest})`;
  return `CAST(${points < 0 ? `-${magnitude}` : magnitude} AS BIGINT)`;
}

/**
 * The names of the columns {@link emitSql} outputs for these options: the lead id column, then
 * `score`, `stage`, `tier`, the groups and (with `explain`) the rules. Throws
 * {@link SqlEmitError} when two would have the same name (DuckDB compares names ignoring case).
 */
export function sqlOutputColumns(input: ScorerIR, options: SqlEmitOptions): SqlOutputColumns {
  const d = sqlDialect(options.dialect);
  const idColumn = options.mapping?.leads?.id ?? 'id';
  const groupPrefix = options.groupPrefix ?? '';
  const rulePrefix = options.rulePrefix ?? 'r';
  const columns: SqlOutputColumns = {
    id: idColumn,
    score: 'score',
    stage: 'stage',
    tier: 'tier',
    groups: input.groups.map((group) => `${groupPrefix}${group.name}`),
    rules: options.explain === true ? input.rules.map((rule) => `${rulePrefix}${rule.index}`) : [],
  };
  const seen = new Map<string, string>();
  const all: Array<[string, string]> = [
    [columns.id, 'the lead id'],
    [columns.score, 'the score'],
    [columns.stage, 'the stage'],
    [columns.tier, 'the tier'],
    ...columns.groups.map((name, i): [string, string] => [name, `group \`${input.groups[i].name}\``]),
    ...columns.rules.map((name, i): [string, string] => [name, `rule ${i}`]),
  ];
  for (const [name, what] of all) {
    d.identifier(name);
    const key = d.caseInsensitiveIdentifiers ? name.toLowerCase() : name;
    const before = seen.get(key);
    if (before !== undefined) {
      throw new SqlEmitError(
        `the output column for ${what} would be named \`${name}\`, like the column for ${before}`,
        groupPrefix === '' ? 'give the group columns a prefix (`groupPrefix`, `--group-prefix group_`) or map the lead id to another column' : 'choose another prefix',
      );
    }
    seen.set(key, what);
  }
  return columns;
}

/**
 * A column of the data's table `what` by its stored name ({@link SqlDialect.storedName}),
 * quoted; `seen` maps the stored names met so far to the names that gave them, so two columns
 * PostgreSQL would store as one are refused rather than read as one.
 */
function storedColumn(d: SqlDialect, seen: Map<string, string>, what: string): (name: string) => string {
  return (name) => {
    const stored = d.storedName(name);
    const before = seen.get(stored);
    if (before !== undefined && before !== name) {
      throw new SqlEmitError(
        `the ${what} columns \`${before}\` and \`${name}\` would be one column in PostgreSQL, which keeps the first 63 bytes of a name`,
        'rename one of them, or map it to another column in the SQL mapping',
      );
    }
    seen.set(stored, name);
    return d.identifier(stored);
  };
}

