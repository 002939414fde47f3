/**
 * Random account files (issue 17) and random accounts with contacts, on top of the shared
 * generator (`arbitrary.ts`): a random contact file, plus an `account` block (a key and random
 * fields, hostile names included), contact rules reading `account.NAME` (and, in some files,
 * `account.score|stage|tier`, with aggregates that then read no contact result: no R065 cycle),
 * and a `score accounts` block with account segments, groups, `when`/`each` rules over the
 * account's fields and all its contacts' events, aggregates of every kind (`count`, `best`,
 * `sum`, `average`, of `score` or a contact group, `top N`, `where` reading fields, segments,
 * events, `score`, groups, `stage` and `tier`), stages (with aggregates in `when`) and tiers.
 */
import fc from 'fast-check';
import {
  arbCondition,
  arbFieldType,
  arbitraryFileSpec,
  arbitraryLeadFor,
  arbRule,
  renderCondition,
  renderFields,
  renderHundredths,
  renderName,
  renderRule,
  renderRuleFile,
  withDefaults,
  type CondContext,
  type CondSpec,
  type FieldSpec,
  type FileSpec,
  type GeneratorOptions,
  type GroupSpec,
  type RuleSpec,
  type Schema,
  type WhenRuleSpec,
} from './arbitrary.js';

// `tags`, `source` and `country` are lead fields of the shared pool too: account fields are a namespace of their own.
const ACCOUNT_FIELD_POOL = ['industry', 'employees', 'plan', 'region', 'founded', 'tags', 'source', 'country', 'partner', 'name', 'hq.country'];
const HOSTILE_ACCOUNT_FIELD_POOL = ['__proto__', 'constructor'];
const ACCOUNT_SEGMENT_POOL = ['target_acct', 'big_acct'];
const ACCOUNT_GROUP_POOL = ['committee', 'firmo'];
const ACCOUNT_STAGE_POOL = ['target', 'engaged_acct', 'buying'];
const ACCOUNT_TIER_POOL = ['strategic', 'core'];

export type AggregateKind = 'count' | 'best' | 'sum' | 'average';
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `where` of an aggregate: a contact condition, or a test of the contact's stage or tier. */
export type WhereSpec =
  | { readonly kind: 'cond'; readonly cond: CondSpec }
  | { readonly kind: 'result'; readonly which: 'stage' | 'tier'; readonly test: string }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly WhereSpec[] };

export interface AggregateSpec {
  readonly kind: AggregateKind;
  /** `score` or a contact group (not for `count`). */
  readonly of: string;
  readonly top?: number;
  readonly where?: WhereSpec;
  readonly check: { readonly op: Op; readonly value: number } | { readonly low: number; readonly high: number };
}

/** A condition of the account level: a plain one over the account's fields and events, an aggregate, or both. */
export type AccountCondSpec =
  | { readonly kind: 'cond'; readonly cond: CondSpec }
  | { readonly kind: 'aggregate'; readonly aggregate: AggregateSpec }
  | { readonly kind: 'and' | 'or'; readonly parts: readonly AccountCondSpec[] }
  | { readonly kind: 'not'; readonly inner: AccountCondSpec };

export interface AccountFileSpec {
  /** The contact side (its rules may read `account.NAME`). */
  readonly contact: FileSpec;
  /** The account fields (the first is the key `id`). */
  readonly accountFields: readonly FieldSpec[];
  readonly segments: readonly { readonly name: string; readonly cond: AccountCondSpec }[];
  readonly groups: readonly { readonly name: string; readonly max?: number; readonly rules: readonly (RuleSpec | AccountWhen)[] }[];
  readonly rules: readonly (RuleSpec | AccountWhen)[];
  readonly stages: readonly { readonly name: string; readonly threshold: number; readonly when?: AccountCondSpec }[];
  readonly tiers: readonly { readonly name: string; readonly cond: AccountCondSpec }[];
  /** Contacts read `account.score|stage|tier`. */
  readonly readsResult: boolean;
}

/** A `when` rule of the account level whose condition may hold aggregates. */
export interface AccountWhen {
  readonly kind: 'account-when';
  readonly cond: AccountCondSpec;
  readonly hundredths: number;
}

const LEAD_KEY = 'company.id';

function contactGroups(spec: FileSpec): string[] {
  return spec.body.filter((b): b is GroupSpec => b.kind === 'group').map((g) => g.name);
}

/** Whether a contact condition reads a contact result (score or a group), through segments too. */
function readsResults(cond: CondSpec, spec: FileSpec, seen = new Set<string>()): boolean {
  switch (cond.kind) {
    case 'compare':
    case 'between':
      return cond.subject.kind === 'group' || cond.subject.kind === 'score';
    case 'segment': {
      if (seen.has(cond.name)) return false;
      seen.add(cond.name);
      const segment = spec.segments.find((s) => s.name === cond.name);
      return segment !== undefined && readsResults(segment.condition, spec, seen);
    }
    case 'and':
    case 'or':
      return cond.operands.some((c) => readsResults(c, spec, seen));
    case 'not':
      return readsResults(cond.operand, spec, seen);
    case 'paren':
      return readsResults(cond.inner, spec, seen);
    default:
      return false;
  }
}

function arbWhere(spec: FileSpec, ctx: CondContext, results: boolean): fc.Arbitrary<WhereSpec> {
  const plain = arbCondition(ctx, 1).map((cond): WhereSpec => ({ kind: 'cond', cond }));
  if (!results) return plain;
  const choices: fc.Arbitrary<WhereSpec>[] = [plain];
  const stages = spec.stages.map((s) => s.name);
  const tiers = spec.tiers.map((t) => t.name);
  if (stages.length > 0) {
    const name = fc.constantFrom(...stages).map(renderName);
    choices.push(
      fc.oneof(
        fc.tuple(fc.constantFrom('=', '!=', '<', '<=', '>', '>='), name).map(([op, n]) => `${op} ${n}`),
        fc.tuple(fc.constantFrom('in', 'not in'), fc.subarray(stages, { minLength: 1 })).map(([op, ns]) => `${op} [${ns.map(renderName).join(', ')}]`),
        fc.constantFrom('is set', 'is missing'),
      ).map((test): WhereSpec => ({ kind: 'result', which: 'stage', test })),
    );
  }
  if (tiers.length > 0) {
    const name = fc.constantFrom(...tiers).map(renderName);
    choices.push(
      fc.oneof(
        fc.tuple(fc.constantFrom('=', '!='), name).map(([op, n]) => `${op} ${n}`),
        fc.tuple(fc.constantFrom('in', 'not in'), fc.subarray(tiers, { minLength: 1 })).map(([op, ns]) => `${op} [${ns.map(renderName).join(', ')}]`),
        fc.constantFrom('is set', 'is missing'),
      ).map((test): WhereSpec => ({ kind: 'result', which: 'tier', test })),
    );
  }
  const atom = fc.oneof(...choices);
  return fc.oneof(
    { arbitrary: atom, weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(atom, { minLength: 2, maxLength: 2 })).map(([kind, parts]): WhereSpec => ({ kind, parts })), weight: 1 },
  );
}

const arbAggregateValue = fc.constantFrom(-1, 0, 0.01, 5, 10, 12.5, 20, 31.01, 40, 60, 100);

function arbAggregate(spec: FileSpec, where: fc.Arbitrary<WhereSpec>, onlyCount: boolean): fc.Arbitrary<AggregateSpec> {
  const groups = contactGroups(spec);
  const kind = onlyCount ? fc.constant<AggregateKind>('count') : fc.constantFrom<AggregateKind>('count', 'best', 'sum', 'average');
  return fc
    .record({
      kind,
      of: groups.length === 0 ? fc.constant('score') : fc.oneof(fc.constant('score'), fc.constantFrom(...groups)),
      top: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined, freq: 3 }),
      where: fc.option(where, { nil: undefined, freq: 2 }),
      count: fc.record({ op: fc.constantFrom<Op>('=', '!=', '<', '<=', '>', '>='), value: fc.integer({ min: 0, max: 4 }) }),
      number: fc.oneof(
        { arbitrary: fc.record({ op: fc.constantFrom<Op>('=', '!=', '<', '<=', '>', '>='), value: arbAggregateValue }), weight: 5 },
        { arbitrary: fc.tuple(arbAggregateValue, arbAggregateValue).map(([a, b]) => ({ low: Math.min(a, b), high: Math.max(a, b) })), weight: 1 },
      ),
    })
    .map(({ kind: k, of, top, where: w, count, number }): AggregateSpec => ({
      kind: k,
      of,
      ...(k === 'count' || top === undefined ? {} : { top }),
      ...(w === undefined ? {} : { where: w }),
      check: k === 'count' ? count : number,
    }));
}

function arbAccountCond(plain: fc.Arbitrary<CondSpec>, aggregate: fc.Arbitrary<AggregateSpec>): fc.Arbitrary<AccountCondSpec> {
  const atom = fc.oneof(
    { arbitrary: plain.map((cond): AccountCondSpec => ({ kind: 'cond', cond })), weight: 2 },
    { arbitrary: aggregate.map((a): AccountCondSpec => ({ kind: 'aggregate', aggregate: a })), weight: 3 },
  );
  return fc.oneof(
    { arbitrary: atom, weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom<'and' | 'or'>('and', 'or'), fc.array(atom, { minLength: 2, maxLength: 2 })).map(([kind, parts]): AccountCondSpec => ({ kind, parts })), weight: 1 },
    { arbitrary: atom.map((inner): AccountCondSpec => ({ kind: 'not', inner })), weight: 1 },
  );
}

/** A random account file. */
export function arbitraryAccountFileSpec(options: GeneratorOptions = {}): fc.Arbitrary<AccountFileSpec> {
  const opts = withDefaults({ ...options, tests: false });
  return arbitraryFileSpec({ ...options, tests: false }).chain((base) => {
    // The key field (text) on the lead; a generated field of that name is replaced.
    const contactFields: FieldSpec[] = [...base.fields.filter((f) => f.path !== LEAD_KEY && f.path !== 'company'), { path: LEAD_KEY, type: { kind: 'text' } }];
    const contactBase: FileSpec = { ...base, fields: contactFields };
    const pool = opts.hostileNames ? [...ACCOUNT_FIELD_POOL, ...HOSTILE_ACCOUNT_FIELD_POOL] : ACCOUNT_FIELD_POOL;
    const accountFields = fc
      .uniqueArray(fc.record({ path: fc.constantFrom(...pool), type: arbFieldType }), { minLength: 1, maxLength: 4, selector: (f) => f.path })
      .map((fields): FieldSpec[] => [{ path: 'id', type: { kind: 'text' } }, ...fields]);
    return fc.tuple(accountFields, fc.boolean(), fc.integer({ min: 0, max: 3 })).chain(([fields, readsResultWanted, resultStageCount]) => {
      const readsResult = readsResultWanted && resultStageCount > 0;
      const accountSchema: Schema = { fields, events: base.events, lets: base.lets };
      // Contacts read their account's fields as `account.NAME`.
      const readSchema: Schema = { fields: fields.map((f) => ({ ...f, path: `account.${f.path}` })), events: [], lets: base.lets };
      const readCtx: CondContext = { schema: readSchema, segments: [], groups: [], score: false, options: opts };
      const contactGroupNames = contactGroups(contactBase);
      const contactCtx: CondContext = {
        schema: { fields: contactFields, events: base.events, lets: base.lets },
        segments: readsResult ? base.segments.filter((s) => !readsResults(s.condition, contactBase)).map((s) => s.name) : base.segments.map((s) => s.name),
        groups: readsResult ? [] : contactGroupNames,
        score: !readsResult,
        options: opts,
      };
      const where = arbWhere(contactBase, contactCtx, !readsResult);
      const aggregate = arbAggregate(contactBase, where, readsResult);
      const stageNames = ACCOUNT_STAGE_POOL.slice(0, readsResult ? resultStageCount : 3);
      return fc
        .record({
          accountSegments: fc.shuffledSubarray(ACCOUNT_SEGMENT_POOL, { maxLength: 2 }),
          accountGroups: fc.shuffledSubarray(ACCOUNT_GROUP_POOL, { maxLength: 2 }),
          stageCount: fc.integer({ min: 0, max: stageNames.length }),
          tiers: fc.shuffledSubarray(ACCOUNT_TIER_POOL, { maxLength: 2 }),
          contactReads: fc.array(arbCondition(readCtx, 1), { maxLength: 2 }),
          points: fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 12, maxLength: 12 }),
        })
        .chain(({ accountSegments, accountGroups, stageCount, tiers, contactReads, points }) => {
          const stages = readsResult ? stageNames : stageNames.slice(0, stageCount);
          const segmentCtx: CondContext = { schema: accountSchema, segments: [], groups: [], score: false, options: opts };
          const ruleCtx: CondContext = { schema: accountSchema, segments: accountSegments, groups: [], score: false, options: opts };
          const scoreCtx: CondContext = { schema: accountSchema, segments: accountSegments, groups: accountGroups, score: true, options: opts };
          const ruleItem = fc.oneof(
            { arbitrary: arbRule(ruleCtx), weight: 2 },
            {
              arbitrary: fc
                .tuple(arbAccountCond(arbCondition(ruleCtx, 1), aggregate), fc.integer({ min: -500, max: 3000 }))
                .map(([cond, hundredths]): AccountWhen => ({ kind: 'account-when', cond, hundredths: hundredths === 0 ? 100 : hundredths })),
              weight: 3,
            },
          );
          return fc.record({
            segments: fc.tuple(...accountSegments.map((name) => arbAccountCond(arbCondition(segmentCtx, 1), aggregate).map((cond) => ({ name, cond })))),
            groups: fc.tuple(
              ...accountGroups.map((name, i) =>
                fc
                  .record({ rules: fc.array(ruleItem, { minLength: 1, maxLength: 3 }), max: fc.option(fc.constant(points[i] * 2), { nil: undefined }) })
                  .map(({ rules, max }) => ({ name, rules, ...(max === undefined ? {} : { max }) })),
              ),
            ),
            rules: fc.array(ruleItem, { maxLength: 3 }),
            stages: fc.tuple(
              ...stages.map((name, i) =>
                fc
                  .option(arbAccountCond(arbCondition(scoreCtx, 1), aggregate), { nil: undefined, freq: 2 })
                  .map((when) => ({ name, threshold: i === 0 ? 0 : points[4 + i], ...(when === undefined ? {} : { when }) })),
              ),
            ),
            tiers: fc.tuple(...tiers.map((name) => arbAccountCond(arbCondition(scoreCtx, 1), aggregate).map((cond) => ({ name, cond })))),
            resultReads: readsResult ? arbResultReads(stages) : fc.constant([] as CondSpec[]),
          }).map((parts): AccountFileSpec => {
            const reads: WhenRuleSpec[] = [...contactReads, ...parts.resultReads].map((condition, i) => ({
              kind: 'when',
              condition,
              sign: 'add',
              hundredths: points[8 + (i % 4)],
            }));
            return {
              contact: { ...contactBase, body: [...contactBase.body, ...reads] },
              accountFields: fields,
              segments: parts.segments,
              groups: parts.groups,
              rules: parts.rules,
              stages: parts.stages,
              tiers: parts.tiers,
              readsResult,
            };
          });
        });
    });
  });
}

/** Contact conditions reading the account's result. */
function arbResultReads(stages: readonly string[]): fc.Arbitrary<CondSpec[]> {
  const score: fc.Arbitrary<CondSpec> = fc
    .tuple(fc.constantFrom<Op>('>=', '<', '='), fc.constantFrom(0, 10, 20.5, 40))
    .map(([op, value]) => ({ kind: 'compare', subject: { kind: 'field', path: 'account.score' }, op, value: { kind: 'number', value, raw: String(value) } }) as CondSpec);
  const stage: fc.Arbitrary<CondSpec> = fc.constantFrom(...stages).map(
    (name) => ({ kind: 'equals', subject: { kind: 'field', path: 'account.stage' }, op: '=', value: { kind: 'text', value: name, quote: 'word' } }) as CondSpec,
  );
  const set: fc.Arbitrary<CondSpec> = fc.constantFrom<'set' | 'missing'>('set', 'missing').map(
    (test) => ({ kind: 'is', subject: { kind: 'field', path: 'account.tier' }, test }) as CondSpec,
  );
  return fc.array(fc.oneof(score, stage, set), { minLength: 1, maxLength: 2 });
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderNumber(value: number): string {
  return renderHundredths(Math.round(value * 100));
}

function renderWhere(where: WhereSpec): string {
  switch (where.kind) {
    case 'cond':
      return `(${renderCondition(where.cond)})`;
    case 'result':
      return `(${where.which} ${where.test})`;
    case 'and':
    case 'or':
      return `(${where.parts.map(renderWhere).join(` ${where.kind} `)})`;
  }
}

export function renderAggregate(a: AggregateSpec): string {
  const where = a.where === undefined ? '' : ` where ${renderWhere(a.where)}`;
  const check = 'op' in a.check ? `${a.check.op} ${renderNumber(a.check.value)}` : `between ${renderNumber(a.check.low)} and ${renderNumber(a.check.high)}`;
  if (a.kind === 'count') return `count contacts${where} ${check}`;
  const of = a.of === 'score' ? 'score' : renderName(a.of);
  return `${a.kind} ${of} of ${a.top === undefined ? '' : `top ${a.top} `}contacts${where} ${check}`;
}

export function renderAccountCond(cond: AccountCondSpec): string {
  switch (cond.kind) {
    case 'cond':
      return `(${renderCondition(cond.cond)})`;
    case 'aggregate':
      return `(${renderAggregate(cond.aggregate)})`;
    case 'and':
    case 'or':
      return cond.parts.map(renderAccountCond).join(` ${cond.kind} `);
    case 'not':
      return `not ${renderAccountCond(cond.inner)}`;
  }
}

function renderAccountRule(rule: RuleSpec | AccountWhen, spec: AccountFileSpec): string {
  if (rule.kind === 'account-when') {
    return `when ${renderAccountCond(rule.cond)} ${rule.hundredths < 0 ? 'sub' : 'add'} ${renderHundredths(Math.abs(rule.hundredths))}`;
  }
  return renderRule(rule, { ...spec.contact.layout, split: 'none' });
}

/** The text of an account file. */
export function renderAccountFile(spec: AccountFileSpec): string {
  const lines = [renderRuleFile(spec.contact).trimEnd()];
  lines.push(`account id = ${renderName(LEAD_KEY)} {`, ...renderFields(spec.accountFields, '  '), '}');
  lines.push('score accounts {');
  for (const segment of spec.segments) lines.push(`  segment ${renderName(segment.name)} = ${renderAccountCond(segment.cond)}`);
  for (const group of spec.groups) {
    lines.push(`  group ${renderName(group.name)}${group.max === undefined ? '' : ` max ${renderHundredths(group.max)}`} {`);
    for (const rule of group.rules) lines.push(`    ${renderAccountRule(rule, spec)}`);
    lines.push('  }');
  }
  for (const rule of spec.rules) lines.push(`  ${renderAccountRule(rule, spec)}`);
  for (const stage of spec.stages) {
    lines.push(`  stage ${renderName(stage.name)} at ${renderHundredths(stage.threshold)}${stage.when === undefined ? '' : ` when ${renderAccountCond(stage.when)}`}`);
  }
  for (const tier of spec.tiers) lines.push(`  tier ${renderName(tier.name)} when ${renderAccountCond(tier.cond)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Accounts and contacts

export interface AccountCase {
  readonly now: string;
  readonly account: Record<string, unknown>;
  readonly contacts: readonly Record<string, unknown>[];
}

/** Literals of the account fields: what the account's rules and the contacts' reads compare them with. */
function accountLiteralSpec(spec: AccountFileSpec): FileSpec {
  const conds: CondSpec[] = [];
  const walk = (cond: AccountCondSpec): void => {
    if (cond.kind === 'cond') conds.push(cond.cond);
    else if (cond.kind === 'and' || cond.kind === 'or') cond.parts.forEach(walk);
    else if (cond.kind === 'not') walk(cond.inner);
  };
  spec.segments.forEach((s) => walk(s.cond));
  for (const rule of [...spec.rules, ...spec.groups.flatMap((g) => g.rules)]) {
    if (rule.kind === 'account-when') walk(rule.cond);
    else if (rule.kind === 'when') conds.push(rule.condition);
  }
  spec.tiers.forEach((t) => walk(t.cond));
  const strip = (cond: CondSpec): CondSpec => JSON.parse(JSON.stringify(cond).replace(/"path":"account\./g, '"path":"')) as CondSpec;
  for (const item of spec.contact.body) if (item.kind === 'when') conds.push(strip(item.condition));
  return {
    ...spec.contact,
    fields: spec.accountFields,
    segments: [],
    body: conds.map((condition): WhenRuleSpec => ({ kind: 'when', condition, sign: 'add', hundredths: 100 })),
    stages: [],
    tiers: [],
  };
}

/** An account with 0 to `maxContacts` contacts (each with its events in `events`), at one `now`. */
export function arbitraryAccountFor(spec: AccountFileSpec, options: GeneratorOptions & { readonly maxContacts?: number } = {}): fc.Arbitrary<AccountCase> {
  const accountSpec = accountLiteralSpec(spec);
  const contact = arbitraryLeadFor(spec.contact, options).map((c) => {
    const lead = c.lead;
    if (c.events !== undefined) Object.defineProperty(lead, 'events', { value: c.events, enumerable: true, writable: true, configurable: true });
    return lead;
  });
  return fc
    .record({
      account: arbitraryLeadFor(accountSpec, options),
      contacts: fc.array(contact, { maxLength: options.maxContacts ?? 4 }),
      ownAccountKeys: fc.boolean(),
    })
    .map(({ account, contacts, ownAccountKeys }) => {
      // Contacts carrying their own `account` keys: they must never win over the account's.
      if (ownAccountKeys) {
        for (const c of contacts) {
          Object.defineProperty(c, 'account', { value: { ...account.lead }, enumerable: true, writable: true, configurable: true });
        }
      }
      const now = typeof account.now === 'string' ? account.now : account.now.toISOString();
      return { now, account: account.lead, contacts };
    });
}
