/**
 * The SQL target for a rule file with an `account` block (issue 17): a contact query and an
 * account query, each one self-contained `WITH ... SELECT` built from the one scoring query of
 * emit-sql.ts (through its {@link QueryHooks}), in the order {@link AccountModel} defines:
 *
 * 1. `rubric_account_rows`, `rubric_account_values`: every account field (and the key) read
 *    from the accounts table, once, as a typed value; one row per key (see below);
 * 2. `rubric_contacts`: the contacts scored by the contact IR, their `account.NAME` fields
 *    joined from the account of their key (LEFT JOIN on the read key values: text folded,
 *    numbers by value), `account.stage|score|tier` missing; with their score and group values
 *    in hundredths and one boolean per {@link ProbeIR} (the `where` of an aggregate, after the
 *    stage and tier);
 * 3. `rubric_aggregates`: per account key, each aggregate over those contacts (`count`, `max`,
 *    `sum`, the average rounded half away from zero to the hundredth on integer hundredths;
 *    `top N` keeps the N highest values by `row_number()` among the contacts meeting `where`);
 * 4. `rubric_account_events`: the events of all contacts, with their contact's account key;
 * 5. the account query: the scoring IR of `score accounts` over the read account values, the
 *    aggregates as the number fields `contacts#N` (count 0, sum 0, best and average NULL for an
 *    account without contacts) and those events;
 * 6. the contact query: step 2 with the public columns (and the probes as `contacts#N`
 *    booleans); when contacts read `account.stage|score|tier`, scored again with the account
 *    query's results joined (the checker's R065 guarantees steps 3-5 did not read them).
 *
 * Account keys are matched as `rubric score` matches them: a text key by its text trimmed (as
 * JavaScript trims; not folded: `ACME` and `acme` are two accounts), a number key by its value
 * (`12` and `12.0` are one account). An account row without a key is left out (no contact can
 * name it; `rubric score` rejects it); when several rows have the same key, the account is the
 * one with the least `accounts.order` column (default: the id column; SQL has no row order,
 * `rubric score` keeps the file's first and reports the others).
 */
import { analyze } from '../../analyze.js';
import type { AccountModel, Model } from '../../checker/model.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { fold } from '../../runtime/fold.js';
import type { ScorerIR, ValueSlot } from '../ir.js';
import { lowerModel } from '../lower.js';
import { sqlDialect, SqlEmitError, type SqlDialect } from './dialect.js';
import { comment, cte, emitQuery, type QueryHooks, type SqlEmitOptions } from './emit-sql.js';
import { closest, FORMATS_BY_TYPE, resolveColumn, tableParts, type SqlColumn, type SqlMapping } from './mapping.js';

/** The model of a rule file (text or checked model), refusing one with errors. */
export function modelOf(input: string | Model): Model {
  if (typeof input !== 'string') return input;
  const analysis = analyze(input);
  if (hasErrors(analysis.diagnostics)) {
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    const shown = errors
      .slice(0, 3)
      .map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`)
      .join('; ');
    throw new SqlEmitError(`the rule file has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${shown}`, 'fix them first (`rubric check` lists them)');
  }
  return analysis.model;
}

/** The default name of the account view: the contact view's last part + `_accounts`. */
export function accountsViewName(options: SqlEmitOptions): readonly string[] {
  if (options.accountsView !== undefined) return typeof options.accountsView === 'string' ? [options.accountsView] : [...options.accountsView];
  const view = options.view === undefined ? ['rubric_scores'] : typeof options.view === 'string' ? [options.view] : [...options.view];
  return [...view.slice(0, -1), `${view[view.length - 1]}_accounts`];
}

/** Everything both queries are made of. */
interface AccountPlan {
  readonly d: SqlDialect;
  readonly account: AccountModel;
  readonly contactIR: ScorerIR;
  readonly scoringIR: ScorerIR;
  /** CTEs 1 (account values). */
  readonly values: readonly string[];
  /** CTEs 2-4 (contacts, aggregates, events of all contacts). */
  readonly rollUp: readonly string[];
  /** Hooks of the contact query joined to `relation` (with the account's result or not). */
  contactHooks(withResults: boolean): QueryHooks;
  readonly accountHooks: QueryHooks;
  readonly accountMapping: SqlMapping;
}

const NAME = 'rubric_';

/** The lead slot (a field read from the data) named `name`. */
function slotByName(ir: ScorerIR, name: string): ValueSlot {
  const slot = ir.slots.find((s) => s.source === 'lead' && s.derived === undefined && s.name === name);
  if (slot === undefined) throw new Error(`internal: no slot ${JSON.stringify(name)}`);
  return slot;
}

function planAccounts(model: Model, options: SqlEmitOptions): AccountPlan {
  const d = sqlDialect(options.dialect);
  const account = model.account;
  if (account === null) throw new Error('internal: no account side');
  if (options.eventTotals !== undefined) throw new SqlEmitError('stored event totals are not available for a rule file with an `account` block');
  const contactIR = lowerModel(model);
  const scoringIR = lowerModel(account.scoring);
  const id = (name: string) => d.identifier(name);

  // --- The accounts table ----------------------------------------------------------------
  const accounts = options.mapping?.accounts ?? {};
  const accountsTable = tableParts(accounts.table, 'accounts', 'accounts');
  const fieldColumns = accounts.fields ?? {};
  for (const name of Object.keys(fieldColumns)) {
    if (!account.fields.has(name)) {
      const suggestion = closest(name, account.fields.keys());
      throw new SqlEmitError(
        `the mapping names the account field \`${name}\`, which the rule file's \`account\` block does not declare`,
        suggestion !== undefined ? `did you mean \`${suggestion}\`?` : 'remove it from `accounts.fields`, or declare the field',
      );
    }
  }
  const columnOf = (name: string, type: ValueSlot['type']) => {
    const info = account.fields.get(name);
    const spec = Object.prototype.hasOwnProperty.call(fieldColumns, name) ? fieldColumns[name] : undefined;
    return resolveColumn(spec, info?.column ?? name, accounts.format, FORMATS_BY_TYPE[type], `the ${type} account field \`${name}\``);
  };
  const keyColumn = columnOf(account.key.accountField, slotByName(scoringIR, account.key.accountField).type);
  const accountId = accounts.id ?? keyColumn.column;

  // Account fields of the scoring IR (not the aggregates), and the contact's `account.NAME`
  // slots, read with the contact slot's own type and missing values from the same columns.
  const aggregateFields = new Set(account.aggregates.map((a) => a.field));
  const accountSlots = scoringIR.slots.filter((s) => s.source === 'lead' && s.derived === undefined && !aggregateFields.has(s.name));
  const contactFieldSlots: Array<{ readonly contact: ValueSlot; readonly field: string; readonly copy: number }> = [];
  const resultSlots: Array<{ readonly contact: ValueSlot; readonly which: 'stage' | 'score' | 'tier' }> = [];
  let nextId = scoringIR.slots.length;
  for (const slot of contactIR.slots) {
    // Only what the contact rules read (an unread `account.NAME` is neither read nor joined).
    if (slot.synthetic !== true || !slot.used) continue;
    const info = model.fields.get(slot.name);
    if (info?.synthetic === 'account-result') {
      resultSlots.push({ contact: slot, which: slot.name.slice('account.'.length) as 'stage' | 'score' | 'tier' });
    } else {
      const field = slot.name.slice('account.'.length);
      if (!account.fields.has(field)) throw new Error(`internal: ${slot.name} names no account field`);
      contactFieldSlots.push({ contact: slot, field, copy: nextId++ });
    }
  }
  const readFields: Record<string, SqlColumn> = Object.create(null) as Record<string, SqlColumn>;
  for (const slot of accountSlots) readFields[slot.name] = columnOf(slot.name, slot.type);
  for (const { contact, field } of contactFieldSlots) readFields[contact.name] = columnOf(field, contact.type);
  const readIR: ScorerIR = {
    ...scoringIR,
    slots: [
      ...scoringIR.slots.map((s) => ({ ...s, used: accountSlots.includes(s) })),
      ...contactFieldSlots.map(({ contact, copy }) => ({ ...contact, id: copy, used: true, synthetic: undefined })),
    ],
    events: scoringIR.events.map((e) => ({ ...e, queries: [] })),
    queries: [],
    weightedSums: [],
    distinctCounts: [],
    segments: [],
    groups: [],
    rules: [],
    program: [],
    scoreRange: null,
    stages: [],
    tiers: [],
    probes: [],
  };
  const accountKey = slotByName(scoringIR, account.key.accountField).id;
  const textKey = slotByName(scoringIR, account.key.accountField).type !== 'number';
  const readSql = emitQuery(
    readIR,
    { dialect: options.dialect, now: options.now, select: true, mapping: { leads: { table: accountsTable, id: accountId, fields: readFields } } },
    'all',
    {
      nested: `1. every account field read once (and the key, as \`rubric score --accounts\` matches it)`,
      outputId: `${NAME}id`,
      alsoRead: [accountKey],
      keyText: textKey ? accountKey : undefined,
      sourceColumns: [`src.${id(d.storedName(accounts.order ?? accountId))} AS ${NAME}order`],
      outputs: [
        `${textKey ? 'p.rubric_key_text' : `p.v${accountKey}`} AS ${NAME}key`,
        `p.${NAME}order`,
        ...accountSlots.map((s) => `p.v${s.id} AS ${NAME}v${s.id}`),
        ...contactFieldSlots.map(({ copy }) => `p.v${copy} AS ${NAME}v${copy}`),
      ],
    },
  ) as string;
  const values = [
    `${NAME}account_rows AS (\n${readSql})`,
    cte(
      `${NAME}account_values`,
      ['p.*'],
      `(SELECT p.*, row_number() OVER (PARTITION BY p.${NAME}key ORDER BY p.${NAME}order) AS ${NAME}n FROM ${NAME}account_rows AS p WHERE p.${NAME}key IS NOT NULL) AS p`,
      `p.${NAME}n = 1`,
      undefined,
      d.stepFence,
    ),
  ];

  // --- The contacts ----------------------------------------------------------------------
  const contactKey = slotByName(contactIR, account.key.leadField).id;
  const contactKeyValue = textKey ? 'p.rubric_key_text' : `p.v${contactKey}`;
  const nullOf = (slot: ValueSlot) => `CAST(NULL AS ${slot.type === 'number' ? d.doubleType : d.textType})`;
  // The account's stage (tier) name as the contact's one-of slot reads it: folded, and missing
  // when the data block (or the slot) counts that text as missing, as the scorer reads a text.
  const foldedName = (column: string, names: readonly string[], slot: ValueSlot) => {
    const cases = names
      .filter((name) => d.canHold(name) && !slot.missing.includes(fold(name)) && slot.oneOf.includes(fold(name)))
      .map((name) => `WHEN ${d.binary(column)} = ${d.text(name)} THEN ${d.text(fold(name))}`);
    return cases.length === 0 ? `CAST(NULL AS ${d.textType})` : `CASE ${cases.join(' ')} END`;
  };
  const contactHooks = (withResults: boolean): QueryHooks => {
    const columns = new Map<number, string>(contactFieldSlots.map(({ contact, copy }) => [contact.id, `j.${NAME}v${copy}`]));
    const provided = new Map<number, string>();
    for (const { contact, which } of resultSlots) {
      if (!withResults) provided.set(contact.id, nullOf(contact));
      else if (which === 'score') columns.set(contact.id, `CAST(j.${NAME}score_h AS ${d.doubleType}) / 100`);
      else columns.set(contact.id, foldedName(`j.${NAME}${which}`, (which === 'stage' ? scoringIR.stages : scoringIR.tiers).map((r) => r.name), contact));
    }
    const relation = withResults
      ? `(SELECT v.*, r.${NAME}score_h, r.${NAME}stage, r.${NAME}tier FROM ${NAME}account_values AS v LEFT JOIN ${NAME}account_results AS r ON r.${NAME}key = v.${NAME}key)`
      : `${NAME}account_values`;
    return { alsoRead: [contactKey], keyText: textKey ? contactKey : undefined, provided, join: { relation, on: `j.${NAME}key = ${contactKeyValue}`, columns } };
  };

  const aggregateValue = (i: number) => {
    const aggregate = account.aggregates[i];
    if (aggregate.of === null) return 'NULL';
    if (aggregate.of.kind === 'score') return `p.${NAME}score_h`;
    const name = aggregate.of.name;
    const group = contactIR.groups.find((g) => g.name === name);
    if (group === undefined) throw new Error(`internal: no contact group ${name}`);
    return `p.${NAME}g${group.id}`;
  };
  const probeOf = new Map(contactIR.probes.map((p) => [p.aggregate, `p.${NAME}p${p.aggregate}`]));
  const contactSql = emitQuery(contactIR, { dialect: options.dialect, now: options.now, select: true, mapping: options.mapping }, 'all', {
    ...contactHooks(false),
    nested: "2. each contact scored with its account's fields (account.stage, .score, .tier missing), with the where of each aggregate",
    outputs: [
      `p.lead_key AS ${NAME}lead_key`,
      `${contactKeyValue} AS ${NAME}account`,
      `p.score_h AS ${NAME}score_h`,
      ...contactIR.groups.map((g) => `p.g${g.id} AS ${NAME}g${g.id}`),
    ],
    probeColumn: (aggregate) => `${NAME}p${aggregate}`,
  }) as string;

  const ranks: string[] = ['p.*'];
  const aggregateColumns: string[] = [`p.${NAME}account`];
  account.aggregates.forEach((aggregate, i) => {
    const filter: string[] = [];
    const probe = probeOf.get(i);
    if (probe !== undefined) filter.push(probe);
    if (aggregate.top !== null && aggregate.of !== null) {
      ranks.push(comment(`${aggregate.field}: the ${aggregate.top} highest among those meeting its where`));
      ranks.push(
        `CASE WHEN ${probe ?? 'true'} THEN row_number() OVER (PARTITION BY p.${NAME}account${probe === undefined ? '' : `, ${probe}`} ORDER BY ${aggregateValue(i)} DESC) END AS ${NAME}rank${i}`,
      );
      filter.push(`p.${NAME}rank${i} <= ${d.number(aggregate.top)}`);
    }
    const where = filter.length === 0 ? '' : ` FILTER (WHERE ${filter.join(' AND ')})`;
    aggregateColumns.push(comment(`${aggregate.field}: ${aggregate.text}`));
    switch (aggregate.kind) {
      case 'count':
        aggregateColumns.push(`count(*)${where} AS ${NAME}a${i}`);
        break;
      case 'best':
        aggregateColumns.push(`max(${aggregateValue(i)})${where} AS ${NAME}a${i}`);
        break;
      case 'sum':
        aggregateColumns.push(`CAST(sum(${aggregateValue(i)})${where} AS BIGINT) AS ${NAME}a${i}`);
        break;
      case 'average':
        aggregateColumns.push(`CAST(sum(${aggregateValue(i)})${where} AS BIGINT) AS ${NAME}a${i}`);
        aggregateColumns.push(`count(*)${where} AS ${NAME}n${i}`);
        break;
    }
  });
  // MATERIALIZED: the contacts are read twice (aggregates, events of all contacts) and scored once.
  const rollUp = [
    `${NAME}contacts AS MATERIALIZED (\n${contactSql})`,
    cte(`${NAME}contacts_ranked`, ranks, `${NAME}contacts AS p`, `p.${NAME}account IS NOT NULL`, undefined, d.stepFence),
    cte(`${NAME}aggregates`, aggregateColumns, `${NAME}contacts_ranked AS p`, undefined, `p.${NAME}account`, d.stepFence),
  ];

  // --- The events of all contacts --------------------------------------------------------
  const events = options.mapping?.events ?? {};
  const eventsTable = tableParts(events.table, 'events', 'events');
  const queried = scoringIR.events.some((e) => e.queries.length > 0);
  if (queried) {
    rollUp.push(
      cte(
        `${NAME}account_events`,
        ['e.*', `c.${NAME}account AS ${NAME}event_account`],
        `${eventsTable.map((part) => id(d.storedName(part))).join('.')} AS e JOIN ${NAME}contacts AS c ON e.${id(d.storedName(events.leadId ?? 'lead_id'))} = c.${NAME}lead_key`,
        `c.${NAME}account IS NOT NULL`,
        undefined,
        d.stepFence,
      ),
    );
  }

  // --- The account query -------------------------------------------------------------------
  const joinColumns = new Map<number, string>();
  account.aggregates.forEach((aggregate, i) => {
    const slot = scoringIR.slots.find((s) => s.source === 'lead' && s.name === aggregate.field);
    if (slot === undefined || joinColumns.has(slot.id)) return;
    const a = `j.${NAME}a${i}`;
    const n = `j.${NAME}n${i}`;
    const double = (x: string) => `CAST(${x} AS ${d.doubleType})`;
    switch (aggregate.kind) {
      case 'count':
        joinColumns.set(slot.id, double(`coalesce(${a}, 0)`));
        break;
      case 'best':
        joinColumns.set(slot.id, `${double(a)} / 100`);
        break;
      case 'sum':
        joinColumns.set(slot.id, `${double(`coalesce(${a}, 0)`)} / 100`);
        break;
      case 'average': {
        // Half away from zero on integers: floor((2|s| + n) / 2n), signed.
        const up = (s: string) => d.divide(`2 * ${s} + ${n}`, `(2 * ${n})`);
        joinColumns.set(slot.id, `CASE WHEN ${n} > 0 THEN ${double(`CASE WHEN ${a} < 0 THEN -${up(`(-${a})`)} ELSE ${up(a)} END`)} / 100 END`);
        break;
      }
    }
  });
  const accountMapping: SqlMapping = {
    leads: { id: `${NAME}id`, eventKey: `${NAME}key` },
    events: { ...events, leadId: `${NAME}event_account` },
  };
  const events0 = queried ? `; events: ${eventsTable.join('.')}` : '';
  const accountHooks: QueryHooks = {
    tables: `dialect: ${d.name}; accounts: ${accountsTable.join('.')}; contacts: ${tableParts(options.mapping?.leads?.table, 'leads', 'leads').join('.')}${events0}`,
    leadsFrom: `${NAME}account_values AS src`,
    eventsFrom: `${NAME}account_events AS src`,
    provided: new Map(accountSlots.map((s) => [s.id, `src.${NAME}v${s.id}`])),
    join: { relation: `${NAME}aggregates`, on: `j.${NAME}account = p.lead_key`, columns: joinColumns },
    outputId: accountId,
  };
  return { d, account, contactIR, scoringIR, values, rollUp, contactHooks, accountHooks, accountMapping };
}

/** The account query's outputs the second contact pass joins (key, score, stage, tier). */
function resultOutputs(plan: AccountPlan): string[] {
  return [`p.lead_key AS ${NAME}key`, `p.score_h AS ${NAME}score_h`, `p.stage_name AS ${NAME}stage`, `p.tier_name AS ${NAME}tier`];
}

/** The aggregates as output columns of the account query (`contacts#1`, ...: their values). */
function aggregateOutputs(plan: AccountPlan): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const aggregate of plan.account.aggregates) {
    if (seen.has(aggregate.field)) continue;
    seen.add(aggregate.field);
    out.push(`p.v${slotByName(plan.scoringIR, aggregate.field).id} AS ${plan.d.identifier(aggregate.field)}`);
  }
  return out;
}

/**
 * The account query of a rule file with an `account` block: a view (or with `select`, a plain
 * query) with one row per account (`accounts` mapping): the account id, `score`, `stage`,
 * `tier`, one column per account group, one per aggregate (`contacts#1`, ...: the number the
 * account rules read, NULL when missing) and, with `explain`, the points of each account rule.
 * The same results as the JavaScript `scorer.accounts.scoreAccount` given the account and the
 * contacts whose key names it.
 */
export function emitSqlAccounts(input: string | Model, options: SqlEmitOptions): string {
  const model = modelOf(input);
  if (model.account === null) {
    throw new SqlEmitError('the rule file has no `account` block: there are no accounts to score', 'declare one (`account KEY = LEAD_FIELD { ... }`), or emit the lead view alone');
  }
  const plan = planAccounts(model, options);
  return emitQuery(
    plan.scoringIR,
    { ...options, mapping: plan.accountMapping, view: accountsViewName(options) },
    'all',
    { ...plan.accountHooks, prelude: [...plan.values, ...plan.rollUp], outputs: aggregateOutputs(plan) },
  ) as string;
}

/**
 * The contact query of a rule file with an `account` block: the lead view's columns, plus one
 * boolean column per aggregate with a `where` (`contacts#N`: whether the contact meets it), each
 * contact scored with its account's fields (and, when its rules read them, its account's stage,
 * score and tier).
 */
export function emitSqlContacts(model: Model, options: SqlEmitOptions): string {
  const plan = planAccounts(model, options);
  const probeColumn = (aggregate: number) => plan.account.aggregates[aggregate].field;
  if (!plan.account.contactsReadAccountResult) {
    return emitQuery(plan.contactIR, options, 'all', { ...plan.contactHooks(false), prelude: plan.values, probeColumn, tables: plan.accountHooks.tables }) as string;
  }
  const results = emitQuery(plan.scoringIR, { ...options, mapping: plan.accountMapping, select: true, explain: false }, 'all', {
    ...plan.accountHooks,
    nested: "5. each account scored (its stage, score and tier, which the contacts' rules read)",
    outputs: resultOutputs(plan),
  }) as string;
  return emitQuery(plan.contactIR, options, 'all', {
    ...plan.contactHooks(true),
    prelude: [...plan.values, ...plan.rollUp, `${NAME}account_results AS (\n${results})`],
    probeColumn,
    tables: plan.accountHooks.tables,
  }) as string;
}

/** Both views of a rule file with an `account` block, accounts first (one text). */
export function emitAccountViews(model: Model, options: SqlEmitOptions): string {
  return `${emitSqlAccounts(model, options)}\n${emitSqlContacts(model, options)}`;
}

