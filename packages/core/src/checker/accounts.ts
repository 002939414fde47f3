/**
 * Accounts (issue 17): the `account KEY = LEAD_FIELD { fields }` block and `score accounts { }`.
 *
 * The contact side is the file's own model: {@link startAccounts} adds the synthetic
 * `account.NAME`, `account.stage`, `account.score` and `account.tier` fields before its
 * conditions are resolved. The account side is a model of its own ({@link AccountModel.scoring}),
 * checked by the same checker on a file made of the account fields (as its "lead"), the file's
 * events, `let`s, tables and `data` settings, and the statements of `score accounts` with each test
 * over contacts replaced by a test of a synthetic number field (`contacts#1`, ...). That check's
 * diagnostics inside the account blocks, its symbols and its uses are merged into the file's.
 *
 * Also here: the key (R063), name clashes across levels (R064), the cycle (R065), the scopes
 * (R066, through {@link CheckContext.otherLevel}), the aggregates (R067), account tests (R068)
 * and second blocks (R069).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type {
  AccountDecl,
  AccountScoringDecl,
  AccountStatement,
  Condition,
  ContactAggregateCondition,
  ContactCountCondition,
  DateLiteral,
  FieldDecl,
  Identifier,
  LeadDecl,
  NameRef,
  Range,
  Rule,
  RubricFile,
  Statement,
  TestDecl,
  TestField,
  TypeExpr,
} from '../syntax/ast.js';
import { fold } from '../runtime/fold.js';
import { checkLevel, type CheckOptions } from './check.js';
import { fieldReading } from './data-dialect.js';
import type { CheckContext } from './context.js';
import type { AccountModel, Cond, ContactAggregate, FieldInfo, FieldType, Model, SegmentInfo, StageInfo, TierInfo } from './model.js';
import type { ConditionResolver } from './resolve-condition.js';
import { formatName, quoteText } from './source-text.js';
import { checkExpectations, checkFields, checkTest, groupByLabel } from './tests.js';
import type { ValueResolver } from './types-and-values.js';
import { listNames, reportUnknownName } from './unknown-names.js';
import { replaceNameFix } from './fixes.js';

/** What the file's check has built when the account side is finished. */
export interface ContactSide {
  readonly resolver: ConditionResolver;
  readonly values: ValueResolver;
  readonly options: CheckOptions;
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  readonly stages: readonly StageInfo[];
  readonly tiers: readonly TierInfo[];
}

/** The account side of one check, between {@link startAccounts} and its {@link AccountsCheck.finish}. */
export interface AccountsCheck {
  finish(contacts: ContactSide): AccountModel | null;
}

/** The results of an account a contact rule may read, and their types. */
const RESULT_FIELDS = ['stage', 'score', 'tier'] as const;

/**
 * Starts the account side of the file's check `ctx` (after its schema, before its conditions):
 * R069 for second blocks, R064 for declared `account.*` lead fields, the synthetic fields and the
 * contact level's R066 hints. Undefined for a file without any account construct.
 */
export function startAccounts(ctx: CheckContext, values: ValueResolver, ast: RubricFile): AccountsCheck | undefined {
  let decl: AccountDecl | undefined;
  let scoringDecl: AccountScoringDecl | undefined;
  for (const statement of ast.statements ?? []) {
    if (statement?.kind === 'AccountDecl') {
      if (decl === undefined) decl = statement;
      else reportSecond(ctx, statement.keyword.range, 'account', decl.range);
    } else if (statement?.kind === 'AccountScoringDecl') {
      if (scoringDecl === undefined) scoringDecl = statement;
      else reportSecond(ctx, statement.keyword.range, 'score accounts', scoringDecl.range);
    }
  }
  const hasAccountTests = ctx.testDecls.some((t) => t.account !== undefined || t.contacts !== undefined || (t.expectations ?? []).some((e) => e?.account !== undefined));
  if (decl === undefined) {
    if (scoringDecl === undefined && !hasAccountTests) return undefined;
    const orphan = scoringDecl;
    return {
      finish: () => {
        if (orphan !== undefined) {
          ctx.report('R062', orphan.keyword.range, '`score accounts` scores accounts, and the file declares none', {
            help: 'declare the accounts and how a lead belongs to one first: `account id = company.id { id: text  industry: text }`',
          });
        }
        for (const test of ctx.testDecls) checkTestShape(ctx, test, false);
        return null;
      },
    };
  }
  ctx.hasAccount = true;
  const check = new Accounts(ctx, values, ast, decl, scoringDecl ?? null);
  check.prepare();
  return check;
}

function reportSecond(ctx: CheckContext, at: Range, what: 'account' | 'score accounts', first: Range): void {
  ctx.report('R069', at, `a second \`${what}\` block; a file has one`, {
    help: `move what it holds into the \`${what}\` block on line ${first.start.line}`,
    related: [{ message: `the first \`${what}\` block`, range: first }],
  });
}

/** An aggregate as written, with the synthetic field it became. */
interface WrittenAggregate {
  readonly node: ContactCountCondition | ContactAggregateCondition;
  readonly field: string;
  readonly text: string;
}

/** Names of the account level, by kind (from the `score accounts` statements). */
interface AccountNames {
  readonly segments: Map<string, Identifier>;
  readonly groups: Map<string, Identifier>;
  readonly stages: Map<string, Identifier>;
  readonly tiers: Map<string, Identifier>;
}

class Accounts implements AccountsCheck {
  /** Declared account fields (the first of each name), typed. */
  private readonly fields = new Map<string, FieldInfo>();
  private readonly names: AccountNames = { segments: new Map(), groups: new Map(), stages: new Map(), tiers: new Map() };
  private readonly aggregates: WrittenAggregate[] = [];

  constructor(
    private readonly ctx: CheckContext,
    private readonly values: ValueResolver,
    private readonly ast: RubricFile,
    private readonly decl: AccountDecl,
    private readonly scoringDecl: AccountScoringDecl | null,
  ) {}

  // ------------------------------------------------------------------ before the contact rules

  prepare(): void {
    const { ctx } = this;
    for (const field of this.decl.fields ?? []) {
      const name = field?.name?.name;
      if (name === undefined || this.fields.has(name)) continue;
      const type = this.values.fieldType(field.type);
      if (type !== undefined) this.fields.set(name, { name, type, decl: field, ...fieldReading(field) });
    }
    for (const statement of this.scoringDecl?.statements ?? []) {
      const name = statement?.kind === 'ScoreRangeDecl' || statement?.kind === 'WhenRule' || statement?.kind === 'EachRule' ? undefined : statement?.name;
      if (name === undefined) continue;
      const names = statement.kind === 'SegmentDecl' ? this.names.segments : statement.kind === 'GroupDecl' ? this.names.groups : statement.kind === 'StageDecl' ? this.names.stages : this.names.tiers;
      if (!names.has(name.name)) names.set(name.name, name);
    }

    // R064: a declared lead field `account` or `account.…` would stand for the account's.
    for (const [name, field] of ctx.fieldDecls) {
      if (name !== 'account' && !name.startsWith('account.')) continue;
      ctx.report('R064', field.name.range, `\`${name}\` is a lead field, but in a file with an \`account\` block \`account.NAME\` reads the contact's account`, {
        help: `rename the lead field (e.g. \`${formatName(name.replace(/^account/, 'company'))}\`), or declare the value as an account field in the \`account\` block`,
      });
    }

    // `account.stage`, `.score` and `.tier` are the account's results.
    for (const field of this.fields.values()) {
      if (!(RESULT_FIELDS as readonly string[]).includes(field.name)) continue;
      ctx.report('R064', field.decl.name.range, `an account field cannot be named \`${field.name}\`: contact rules read the account's result as \`account.${field.name}\``, {
        help: `rename it, e.g. \`${field.name}_name\``,
      });
    }

    // The synthetic fields of the contact model.
    const at = this.scoringDecl?.keyword.range ?? this.decl.keyword.range;
    const add = (info: FieldInfo): void => {
      if (ctx.fieldDecls.has(info.name)) return;
      ctx.fieldDecls.set(info.name, info.decl);
      ctx.fields.set(info.name, info);
    };
    for (const info of this.fields.values()) {
      add({ name: `account.${info.name}`, type: info.type, decl: info.decl, ...(info.missing !== undefined ? { missing: info.missing } : {}), synthetic: 'account-field' });
    }
    for (const result of RESULT_FIELDS) {
      const names = result === 'stage' ? [...this.names.stages.keys()] : result === 'tier' ? [...this.names.tiers.keys()] : [];
      const type: FieldType = result === 'score' ? { kind: 'number' } : { kind: 'one-of', values: names.map((n) => fold(n)), written: names };
      add({ name: `account.${result}`, type, decl: madeUpField(`account.${result}`, result === 'score' ? numberType(at) : oneOfType(names, at), at), synthetic: 'account-result' });
    }
    ctx.otherLevel = (name, inContacts) => this.contactLevelHint(name, inContacts);
  }

  /** R066 at the contact level: a bare name of the account level. */
  private contactLevelHint(id: Identifier, inContacts: boolean): boolean {
    const name = id.name;
    const where = inContacts ? 'the `where` of a test over contacts reads one contact\'s fields, segments, groups and events' : 'a contact rule reads its account through `account.NAME`';
    if (this.fields.has(name)) {
      this.ctx.report('R066', id.range, `\`${name}\` is an account field; ${inContacts ? where : `a contact rule reads it as \`account.${formatName(name)}\``}`, {
        help: inContacts
          ? `test the account outside the test over contacts, joined with \`and\`: \`when ${formatName(name)} ... and count contacts where ...\``
          : `a contact reads its account's fields as \`account.NAME\`: write \`account.${formatName(name)}\``,
        ...(inContacts ? {} : { fixes: [replaceNameFix(id.range, `account.${formatName(name)}`)] }),
      });
      return true;
    }
    const kind = this.names.segments.has(name) ? 'segment' : this.names.groups.has(name) ? 'group' : this.names.stages.has(name) ? 'stage' : this.names.tiers.has(name) ? 'tier' : undefined;
    if (kind === undefined) return false;
    this.ctx.report('R066', id.range, `\`${name}\` is an account ${kind} (in \`score accounts\`); ${inContacts ? where : 'a contact rule reads its account\'s result as `account.score`, `account.stage` or `account.tier`'}`, {
      help: inContacts
        ? 'a `where` over contacts reads the contact\'s own names; test the account outside it, joined with `and`'
        : kind === 'stage' || kind === 'tier'
          ? `e.g. \`when account.${kind} = ${formatName(name)} add 10\``
          : 'e.g. `when account.score >= 60 add 10`, or declare what it tests as a contact segment',
    });
    return true;
  }

  /** R066 at the account level: a bare name of the contact level, or `account.NAME`. */
  private accountLevelHint(id: Identifier): boolean {
    const name = id.name;
    const ctx = this.ctx;
    if (name.startsWith('account.')) {
      const bare = name.slice('account.'.length);
      if (this.fields.has(bare)) {
        ctx.report('R066', id.range, `inside \`score accounts\` the account's fields are read by their names: write \`${bare}\``, {
          help: '`account.NAME` is how a contact rule reads its account; the account rules are the account\'s own',
          fixes: [replaceNameFix(id.range, formatName(bare))],
        });
        return true;
      }
      if ((RESULT_FIELDS as readonly string[]).includes(bare)) {
        ctx.report('R066', id.range, `\`${name}\` is read by contact rules; inside \`score accounts\`, ${bare === 'score' ? 'write `score` in a stage or tier condition' : `the account's ${bare} is its result, not a condition`}`, {
          help: bare === 'score' ? 'e.g. `stage buying at 60` or `tier strategic when score >= 80`' : 'test the account\'s `score` or its groups instead',
        });
        return true;
      }
      return false;
    }
    const decl = ctx.fieldDecls.get(name);
    const kind = decl !== undefined && ctx.fields.get(name)?.synthetic === undefined ? 'lead field' : ctx.segmentDecls.has(name) ? 'contact segment' : ctx.groupDecls.has(name) ? 'contact group' : ctx.stageDecls.has(name) ? 'contact stage' : ctx.tierDecls.has(name) ? 'contact tier' : undefined;
    if (kind === undefined) return false;
    const help =
      kind === 'lead field' || kind === 'contact segment'
        ? `account rules read contacts through a test over contacts: \`count contacts where ${formatName(name)}${kind === 'lead field' ? ' ...' : ''} >= 1\``
        : kind === 'contact group'
          ? `read it over the contacts: \`best ${formatName(name)} of contacts >= N\`, \`sum ${formatName(name)} of contacts >= N\` or \`count contacts where ${formatName(name)} >= N >= 1\``
          : `count the contacts there: \`count contacts where ${kind === 'contact stage' ? 'stage' : 'tier'} = ${formatName(name)} >= 1\``;
    ctx.report('R066', id.range, `\`${name}\` is a ${kind}; \`score accounts\` reads the account's own fields, segments and groups, and its contacts through tests over contacts`, { help });
    return true;
  }

  // ------------------------------------------------------------------ after the contact rules

  finish(contacts: ContactSide): AccountModel {
    const { ctx } = this;
    this.checkKey();
    const aggregates = this.resolveAggregates(contacts);
    const sub = this.checkScoring(contacts.options);
    this.mergeScoring(sub.diagnostics, sub.symbols);
    this.checkNameClashes();
    const scoring = this.scoringModel(sub.model);
    const contactsReadAccountResult = this.checkCycle(aggregates, contacts.segments);
    for (const test of ctx.testDecls) {
      if (checkTestShape(ctx, test, true) && test.account !== undefined) this.checkAccountTest(test, contacts.values, scoring, sub.ctx);
    }
    this.renameContactReferences();
    return {
      decl: this.decl,
      key: { accountField: this.decl.key?.name ?? '', leadField: this.decl.leadKey?.name ?? '' },
      fields: this.fields,
      scoring,
      aggregates: aggregates.map((a) => a.aggregate),
      contactsReadAccountResult,
      scoringDecl: this.scoringDecl,
    };
  }

  /** R063: `account KEY = LEAD_FIELD`: an account field and a lead field, of one type, text or number. */
  private checkKey(): void {
    const { ctx, decl } = this;
    const key = decl.key;
    const leadKey = decl.leadKey;
    if (key === undefined || leadKey === undefined) return;
    const keyField = this.fields.get(key.name);
    if (keyField === undefined) {
      const candidate = ctx.suggest('account fields', key.name, () => this.fields.keys());
      ctx.report('R063', key.range, `the account key \`${key.name}\` is not one of the account's fields${candidate === undefined ? '' : `; did you mean \`${candidate}\`?`}`, {
        help: `the key is the account field that identifies an account: declare \`${formatName(key.name)}: text\` in the block, or name one of ${listNames([...this.fields.keys()]) || 'its fields'}`,
        ...(candidate === undefined ? {} : { fixes: [replaceNameFix(key.range, candidate)] }),
      });
    } else {
      ctx.referenceKey(`account-field:${key.name}`, key.range);
    }
    const leadField = ctx.fields.get(leadKey.name);
    if (leadField === undefined || leadField.synthetic !== undefined) {
      const candidate = ctx.suggest('lead fields for the key', leadKey.name, () => [...ctx.fields.values()].filter((f) => f.synthetic === undefined).map((f) => f.name));
      ctx.report('R063', leadKey.range, `\`${leadKey.name}\` is not a lead field${candidate === undefined ? '' : `; did you mean \`${candidate}\`?`}`, {
        help: `after \`=\` comes the lead field that holds each contact's account key: declare it in the \`lead\` block, e.g. \`${formatName(leadKey.name)}: ${keyField?.type.kind === 'number' ? 'number' : 'text'}\``,
        ...(candidate === undefined ? {} : { fixes: [replaceNameFix(leadKey.range, candidate)] }),
      });
    } else {
      ctx.reference('field', leadKey.name, leadKey.range);
    }
    const keyKind = keyField?.type.kind;
    if (keyKind !== undefined && keyKind !== 'text' && keyKind !== 'number') {
      ctx.report('R063', key.range, `the account key \`${key.name}\` is ${describeKind(keyKind)}; a key is text or a number`, {
        help: `declare \`${formatName(key.name)}: text\` (or \`number\`)`,
      });
    } else if (keyKind !== undefined && leadField !== undefined && leadField.synthetic === undefined && leadField.type.kind !== keyKind) {
      ctx.report('R063', leadKey.range, `the account key \`${key.name}\` is ${describeKind(keyKind)} but the lead field \`${leadKey.name}\` is ${describeKind(leadField.type.kind)}; a contact's key must have the account key's type`, {
        help: `declare both as \`${keyKind}\``,
        related: [{ message: `\`${key.name}\` is declared here`, range: keyField?.decl.range ?? key.range }],
      });
    }
  }

  /**
   * Every test over contacts of `score accounts`, in source order: its synthetic field (one per
   * distinct text), `where` resolved in the contact's scope, `of` and `top` checked (R067).
   */
  private resolveAggregates(contacts: ContactSide): { aggregate: ContactAggregate; written: WrittenAggregate; where: Cond | null }[] {
    const { ctx } = this;
    const nodes: (ContactCountCondition | ContactAggregateCondition)[] = [];
    for (const statement of this.scoringDecl?.statements ?? []) forEachCondition(statement, (c) => collectAggregates(c, nodes));
    const byText = new Map<string, string>();
    const out: { aggregate: ContactAggregate; written: WrittenAggregate; where: Cond | null }[] = [];
    for (const node of nodes) {
      if (node.test === undefined) continue;
      const text = ctx.source.collapsed(ctx.source.rangeAt(node.range.start.offset, node.test.range.start.offset)).trim();
      let field = byText.get(text);
      const first = field === undefined;
      if (field === undefined) {
        field = `contacts#${byText.size + 1}`;
        byText.set(text, field);
      }
      const where = node.where === undefined ? null : contacts.resolver.resolve(node.where, { owner: 'rule', contacts: true }, node.range).value;
      let of: ContactAggregate['of'] = null;
      let top: number | null = null;
      if (node.kind === 'ContactAggregate') {
        of = this.aggregateValue(node);
        if (node.top !== undefined) {
          top = node.top.value;
          if (!Number.isInteger(top) || top < 1) {
            ctx.report('R067', node.top.range, `\`top ${node.top.raw}\` keeps no whole number of contacts; write a whole number of 1 or more`, {
              help: `e.g. \`${node.aggregate} score of top 3 contacts >= 120\``,
            });
          }
        }
      }
      const written: WrittenAggregate = { node, field, text };
      if (first) this.aggregates.push(written);
      const aggregate: ContactAggregate = { field, kind: node.kind === 'ContactCount' ? 'count' : node.aggregate, of, top, where, text, range: node.range };
      out.push({ aggregate, written, where });
    }
    // One per field, the first written (identical texts share one field and one `where`).
    const seen = new Set<string>();
    return out.filter((a) => (seen.has(a.aggregate.field) ? false : (seen.add(a.aggregate.field), true)));
  }

  /** `score` or a contact group after `best`/`sum`/`average` (R067 for anything else, R013 for a typo). */
  private aggregateValue(node: ContactAggregateCondition): ContactAggregate['of'] {
    const { ctx } = this;
    const value = node.value;
    if (value?.kind === 'ScoreRef') return { kind: 'score' };
    const id = (value as NameRef | undefined)?.name;
    if (id === undefined) return null;
    const name = id.name;
    if (ctx.groupDecls.has(name)) {
      ctx.reference('group', name, id.range);
      return { kind: 'group', name };
    }
    const other = this.names.groups.has(name)
      ? 'an account group; a test over contacts reads a contact group'
      : ctx.fieldDecls.has(name) || this.fields.has(name)
        ? 'a field; a test over contacts takes `score` or a contact group\'s value'
        : ctx.segmentDecls.has(name) || this.names.segments.has(name)
          ? `a segment (a condition); count the contacts in it with \`count contacts where ${formatName(name)} >= N\``
          : undefined;
    if (other !== undefined) {
      ctx.report('R067', id.range, `\`${node.aggregate} ${name} of contacts\`: \`${name}\` is ${other}`, {
        help: `write \`${node.aggregate} score of contacts\` or \`${node.aggregate} GROUP of contacts\` with a group declared outside \`score accounts\``,
      });
      return null;
    }
    const help = `\`${node.aggregate}\` takes \`score\` or a contact group: ${listNames([...ctx.groupDecls.keys()]) || 'the file declares none'}`;
    // `best scor of contacts` is a typo of `score` far more often than of a group; the fix writes
    // the word bare (`score`, not the backquoted name of a group).
    if (ctx.suggest('contact groups+score', name, () => ['score', ...ctx.groupDecls.keys()]) === 'score') {
      ctx.report('R013', id.range, `unknown group \`${name}\`; did you mean \`score\`?`, {
        help,
        fixes: [{ title: 'replace with `score`', edits: [{ range: id.range, newText: 'score' }] }],
      });
      return null;
    }
    reportUnknownName(ctx, 'group', id, 'contact groups', () => ctx.groupDecls.keys(), help);
    return null;
  }

  /** The file the account scoring is checked as (see the file's comment). */
  private scoringFile(): RubricFile {
    const fieldOf = new Map<ContactCountCondition | ContactAggregateCondition, string>();
    const byText = new Map(this.aggregates.map((a) => [a.text, a.field]));
    const { source } = this.ctx;
    const fieldFor = (node: ContactCountCondition | ContactAggregateCondition): string => {
      let field = fieldOf.get(node);
      if (field === undefined) {
        const text = node.test === undefined ? '' : source.collapsed(source.rangeAt(node.range.start.offset, node.test.range.start.offset)).trim();
        field = byText.get(text) ?? 'contacts#0';
        fieldOf.set(node, field);
      }
      return field;
    };
    const lead: LeadDecl = { kind: 'LeadDecl', fields: this.decl.fields ?? [], range: this.decl.range };
    const shared = this.sharedStatements();
    const own = (this.scoringDecl?.statements ?? []).filter((s) => s !== undefined && s !== null).map((s) => mapStatement(s, (c) => replaceAggregates(c, fieldFor)));
    return { ...this.ast, statements: [lead, ...shared, ...own] };
  }

  /**
   * The file's statements the account scoring shares: every event and `data` block, and the
   * `let`s and tables the `score accounts` block names (directly or through other `let`s). The
   * others are left out: re-checking a few thousand `let`s or a long table the account rules never
   * read cost a third of checking a large file again.
   */
  private sharedStatements(): Statement[] {
    const { source } = this.ctx;
    const words = new Set<string>();
    const addWords = (range: Range | undefined): void => {
      if (range === undefined) return;
      for (const m of source.slice(range).matchAll(/[^\s()[\],=<>!:;{}"'`#]+|`[^`\n]*`/g)) {
        const word = m[0].startsWith('`') ? m[0].slice(1, -1) : m[0];
        words.add(word);
      }
    };
    addWords(this.scoringDecl?.range);
    const statements = (this.ast.statements ?? []).filter((s) => s !== undefined && s !== null);
    const lets = statements.filter((s): s is Statement & { kind: 'LetDecl' } => s.kind === 'LetDecl');
    const kept = new Set<Statement>();
    // `let`s name other `let`s: keep going until no more is named.
    for (let grew = true; grew; ) {
      grew = false;
      for (const l of lets) {
        if (kept.has(l) || l.name === undefined || !words.has(l.name.name)) continue;
        kept.add(l);
        addWords(l.value?.range);
        grew = true;
      }
    }
    return statements.filter((s) => {
      if (s.kind === 'EventDecl' || s.kind === 'DataDecl') return true;
      if (s.kind === 'LetDecl') return kept.has(s);
      if (s.kind === 'TableDecl') return s.name !== undefined && words.has(s.name.name);
      return false;
    });
  }

  /** The account scoring checked as a model of its own. */
  private checkScoring(options: CheckOptions): ReturnType<typeof checkLevel> & { ctx: CheckContext } {
    const used: string[] = [];
    for (const name of this.fields.keys()) if (this.ctx.isReferenced(`field:account.${name}`) || name === this.decl.key?.name) used.push(`field:${name}`);
    let subCtx: CheckContext | undefined;
    const aggregates = this.aggregates;
    const result = checkLevel(this.scoringFile(), options, {
      prepare: (ctx) => {
        subCtx = ctx;
        for (const a of aggregates) {
          const decl = madeUpField(a.field, numberType(a.node.range), a.node.range);
          ctx.fieldDecls.set(a.field, decl);
          ctx.fields.set(a.field, { name: a.field, type: { kind: 'number' }, decl, synthetic: 'aggregate' });
        }
        for (const key of used) ctx.markUsed(key);
        ctx.hasAccount = true;
        ctx.otherLevel = (id) => this.accountLevelHint(id);
      },
    });
    return { ...result, ctx: subCtx as CheckContext };
  }

  /** The scoring check's diagnostics inside the account blocks, its symbols and its uses, into the file's. */
  private mergeScoring(diagnostics: readonly Diagnostic[], symbols: ReturnType<typeof checkLevel>['symbols']): void {
    const { ctx } = this;
    const inside = (range: Range): boolean =>
      within(range, this.decl.range) || (this.scoringDecl !== null && within(range, this.scoringDecl.range));
    const already = new Set(ctx.diagnostics.map((d) => `${d.code}@${d.range.start.offset}:${d.range.end.offset}:${d.message}`));
    const texts = this.aggregates.map((a) => [`\`${a.field}\``, `\`${a.text}\``] as const);
    const reword = (text: string): string => {
      let out = text
        .replace(/the `lead` block/g, 'the `account` block')
        .replace(/a `lead` block/g, 'the `account` block')
        .replace(/lead field/g, 'account field')
        .replace(/lead schema/g, 'account block')
        .replace(/\bany lead\b/g, 'any account')
        .replace(/\ba lead\b/g, 'an account')
        .replace(/\bthe lead\b/g, 'the account');
      for (const [from, to] of texts) out = out.split(from).join(to);
      return out;
    };
    for (const d of diagnostics) {
      if (!inside(d.range)) continue;
      // Unused account segments are the file's check's to report (it sees every use); unused
      // account fields are this one's.
      if (d.code === 'R026' && !within(d.range, this.decl.range)) continue;
      let message = reword(d.message);
      if (within(d.range, this.decl.range)) message = message.replace(/^field `/, 'account field `');
      if (already.has(`${d.code}@${d.range.start.offset}:${d.range.end.offset}:${message}`)) continue;
      ctx.diagnostics.push({
        ...d,
        message,
        ...(d.help !== undefined ? { help: reword(d.help) } : {}),
        // The edits already land in the account block; the titles say so too.
        ...(d.fixes !== undefined ? { fixes: d.fixes.map((f) => ({ ...f, title: reword(f.title) })) } : {}),
      });
    }
    const accountField = (key: string): string | undefined => {
      if (!key.startsWith('field:')) return key;
      const name = key.slice('field:'.length);
      if (name.startsWith('contacts#')) return undefined;
      return `account-field:${name}`;
    };
    const declared = new Set(ctx.declarations.map((d) => d.key));
    for (const declaration of symbols.declarations) {
      if (declaration.kind === 'field') {
        if (declaration.name.startsWith('contacts#')) continue;
        ctx.declarations.push({ ...declaration, key: `account-field:${declaration.name}`, kind: 'account-field' });
        continue;
      }
      if (declaration.kind === 'segment' || declaration.kind === 'group' || declaration.kind === 'stage' || declaration.kind === 'tier') {
        // A clash (R064) keeps the contact level's declaration under the key.
        if (!declared.has(declaration.key)) ctx.declarations.push(declaration);
      }
    }
    for (const reference of symbols.references) {
      const key = accountField(reference.key);
      if (key !== undefined) ctx.referenceKey(key, reference.range);
    }
  }

  /** R064: an account segment, group, stage or tier named as a contact one, or as another account one. */
  private checkNameClashes(): void {
    const { ctx } = this;
    const contactKinds: [string, ReadonlyMap<string, { readonly name?: Identifier }>][] = [
      ['segment', ctx.segmentDecls],
      ['group', ctx.groupDecls],
      ['stage', ctx.stageDecls],
      ['tier', ctx.tierDecls],
    ];
    const accountKinds: [string, ReadonlyMap<string, Identifier>][] = [
      ['segment', this.names.segments],
      ['group', this.names.groups],
      ['stage', this.names.stages],
      ['tier', this.names.tiers],
    ];
    const seen = new Map<string, { kind: string; id: Identifier }>();
    const all: { kind: string; id: Identifier }[] = [];
    for (const [kind, names] of accountKinds) for (const id of names.values()) all.push({ kind, id });
    all.sort((a, b) => a.id.range.start.offset - b.id.range.start.offset);
    for (const { kind, id } of all) {
      const contact = contactKinds.find(([, names]) => names.has(id.name));
      if (contact !== undefined) {
        const first = contact[1].get(id.name)?.name;
        ctx.report('R064', id.range, `\`${id.name}\` is already a contact ${contact[0]}; an account ${kind} needs a name of its own`, {
          help: `rename it, e.g. \`account_${id.name}\`: names of segments, groups, stages and tiers are shared by contacts and accounts (rename and hover could not tell them apart)`,
          ...(first !== undefined ? { related: [{ message: `the contact ${contact[0]} \`${id.name}\``, range: first.range }] } : {}),
        });
        continue;
      }
      const earlier = seen.get(id.name);
      // Segment and group share the condition names: the scoring check reported that (R017).
      const bothConditions = earlier !== undefined && (earlier.kind === 'segment' || earlier.kind === 'group') && (kind === 'segment' || kind === 'group');
      if (earlier !== undefined && earlier.kind !== kind && !bothConditions) {
        ctx.report('R064', id.range, `\`${id.name}\` is already an account ${earlier.kind}; this ${kind} needs a name of its own`, {
          help: `rename one of them: account segments, groups, stages and tiers have one name each`,
          related: [{ message: `the account ${earlier.kind} \`${id.name}\``, range: earlier.id.range }],
        });
        continue;
      }
      if (earlier === undefined) seen.set(id.name, { kind, id });
    }
  }

  /** {@link AccountModel.scoring}: the scoring check's model, with the file's shared parts. */
  private scoringModel(model: Model): Model {
    const fields = new Map<string, FieldInfo>();
    for (const [name, info] of model.fields) if (info.synthetic === undefined) fields.set(name, info);
    for (const [name, info] of model.fields) if (info.synthetic !== undefined) fields.set(name, info);
    return { ...model, fields, events: this.ctx.events, lets: this.ctx.lets, tables: this.ctx.tables, tests: [], account: null };
  }

  /**
   * R065: contact rules read `account.stage|score|tier` and an account rule reads contact results
   * (a `score` or group over contacts, or a `where` reading score, groups, stage or tier).
   * Returns whether contacts read the account's result.
   */
  private checkCycle(aggregates: readonly { aggregate: ContactAggregate; written: WrittenAggregate }[], segments: ReadonlyMap<string, SegmentInfo>): boolean {
    const { ctx } = this;
    const resultKeys = new Set(RESULT_FIELDS.map((r) => `field:account.${r}`));
    const inTest = (range: Range): boolean => ctx.testDecls.some((t) => within(range, t.range));
    const reads = ctx.references.filter((r) => resultKeys.has(r.key) && !inTest(r.range) && !within(r.range, this.decl.range));
    if (reads.length === 0) return false;
    const readsResults = aggregates.find((a) => a.aggregate.of !== null || (a.aggregate.where !== null && readsContactResult(a.aggregate.where, segments)));
    if (readsResults !== undefined) {
      const first = reads[0];
      const name = first.key.slice('field:'.length);
      ctx.report('R065', first.range, `a contact rule reads \`${name}\`, and the account reads its contacts' results in \`${readsResults.aggregate.text}\`: each would wait for the other`, {
        help: "break the cycle: read the contacts' fields, segments or events there (not their `score`, groups, `stage` or `tier`), or stop reading the account's result in contact rules",
        related: [{ message: `the account reads its contacts' results here`, range: readsResults.aggregate.range }],
      });
    }
    return true;
  }

  /** R068 and the names of an account test, against the account's model. */
  private checkAccountTest(test: TestDecl, values: ValueResolver, scoring: Model, sub: CheckContext): void {
    const { ctx } = this;
    checkFields(ctx, values, test.account ?? [], 'the account', (field) => {
      const info = this.fields.get(field.name.name);
      if (info === undefined) {
        reportUnknownName(ctx, 'account field', field.name, 'account fields', () => this.fields.keys(), `the account fields are ${listNames([...this.fields.keys()])}`);
        return undefined;
      }
      ctx.referenceKey(`account-field:${info.name}`, field.name.range);
      return info.type;
    });
    // Each contact as a lead of its own (its fields and events); `now` missing is said once.
    let nowSaid = test.now !== undefined;
    for (const contact of test.contacts ?? []) {
      const hasTime = (contact.events ?? []).length > 0 || (contact.fields ?? []).some((f) => f.value?.kind === 'DateLiteral');
      const now: DateLiteral | undefined = test.now ?? (nowSaid ? { kind: 'DateLiteral', raw: '1970-01-01', epochSeconds: 0, range: test.range } : undefined);
      if (hasTime) nowSaid = true;
      const asLead: TestDecl = { kind: 'TestDecl', name: test.name, lead: contact.fields ?? [], events: contact.events ?? [], expectations: [], range: test.range, ...(now !== undefined ? { now } : {}) };
      checkTest(ctx, values, asLead, () => new Map());
    }
    this.checkContactKeys(test);
    let labels: ReturnType<typeof groupByLabel> | undefined;
    checkExpectations(sub, test.expectations ?? [], () => (labels ??= groupByLabel(scoring.rules)), true);
    // The names those expectations found are the file's symbols too.
    for (const e of test.expectations ?? []) {
      const id = e?.kind === 'ExpectStage' ? e.stage : e?.kind === 'ExpectTier' ? e.tier : e?.kind === 'ExpectGroup' ? e.group : undefined;
      if (id === undefined) continue;
      const kind = e.kind === 'ExpectStage' ? 'stage' : e.kind === 'ExpectTier' ? 'tier' : 'group';
      const names = kind === 'stage' ? this.names.stages : kind === 'tier' ? this.names.tiers : this.names.groups;
      if (names.has(id.name)) ctx.referenceKey(`${kind}:${id.name}`, id.range);
    }
    for (const d of sub.diagnostics.splice(0)) if (within(d.range, test.range)) ctx.diagnostics.push(d);
  }

  /**
   * R068: a test's contact whose key names another account than the test's. The runner gives the
   * test's account every contact written after it, so such a contact would be counted where real
   * data (matched by key) never puts it: the test would pass on a file that scores otherwise.
   */
  private checkContactKeys(test: TestDecl): void {
    const { ctx } = this;
    const keyName = this.decl.key?.name;
    const leadKey = this.decl.leadKey?.name;
    if (keyName === undefined || leadKey === undefined) return;
    const accountKey = (test.account ?? []).find((f) => f.name?.name === keyName)?.value;
    const expected = keyValue(accountKey);
    if (accountKey === undefined || expected === undefined) return;
    const written = ctx.source.slice(accountKey.range);
    for (const contact of test.contacts ?? []) {
      const field = (contact.fields ?? []).find((f) => f.name?.name === leadKey);
      const actual = keyValue(field?.value);
      if (field === undefined || actual === undefined || actual === expected) continue;
      const replacement = accountKey.kind === 'WordValue' ? quoteText(accountKey.name.name) : written;
      ctx.report('R068', field.value.range, `test "${test.name?.value ?? ''}": this contact's \`${leadKey}\` is ${ctx.source.slice(field.value.range)}, but the test's account has \`${keyName}: ${written}\``, {
        help: `a test's contacts belong to its account: leave \`${leadKey}\` out, or write ${replacement}`,
        fixes: [{ title: `write ${replacement}`, edits: [{ range: field.value.range, newText: replacement }] }],
      });
    }
  }

  /** A contact rule's `account.NAME` is a use of the account field `NAME` (rename, definition). */
  private renameContactReferences(): void {
    const { ctx } = this;
    const refs = ctx.references;
    for (let i = refs.length - 1; i >= 0; i--) {
      const key = refs[i].key;
      if (!key.startsWith('field:account.')) continue;
      const name = key.slice('field:account.'.length);
      if (ctx.fields.get(`account.${name}`)?.synthetic === 'account-field') {
        // The account field's own name in `account.NAME`, so a rename changes that part alone.
        const range = refs[i].range;
        const written = ctx.source.slice(range);
        const cut = written.startsWith('account.') ? ctx.source.rangeAt(range.start.offset + 'account.'.length, range.end.offset) : range;
        refs[i] = { key: `account-field:${name}`, range: cut };
        ctx.markUsed(`account-field:${name}`);
      } else if (ctx.fields.get(`account.${name}`)?.synthetic === 'account-result') {
        refs.splice(i, 1);
      }
    }
  }
}

/**
 * R068: the shape of a test. With `account { }` (`withAccount`: the file has an account block):
 * `contact` blocks and `expect account` lines only; without: none of them. True when the test is
 * an account test to check further.
 */
function checkTestShape(ctx: CheckContext, test: TestDecl, fileHasAccount: boolean): boolean {
  const name = test.name?.value ?? '';
  const isAccountTest = test.account !== undefined;
  if (isAccountTest && !fileHasAccount) {
    ctx.report('R068', test.range, `test "${name}" scores an account, and the file declares none`, {
      help: 'declare the accounts first: `account id = company.id { id: text ... }`, and their rules in `score accounts { }`',
    });
    return false;
  }
  if (isAccountTest) {
    let ok = true;
    if ((test.lead ?? []).length > 0 || (test.events ?? []).length > 0) {
      const at = (test.lead ?? [])[0]?.range ?? (test.events ?? [])[0]?.range ?? test.range;
      ctx.report('R068', at, `test "${name}" scores an account: its leads are its \`contact { }\` blocks, not \`lead { }\` or \`events { }\``, {
        help: 'write each contact as `contact { job: CEO, company.id: "acme" } events { email_click at 2026-02-25 }`',
      });
      ok = false;
    }
    for (const e of test.expectations ?? []) {
      if (e === undefined || e.account !== undefined) continue;
      ctx.report('R068', e.range, `test "${name}" scores an account: write \`expect account ...\``, {
        help: "an account test checks the account's result: `expect account score >= 60`, `expect account stage buying`",
        fixes: [{ title: 'write `expect account`', edits: [{ range: ctx.source.rangeAt(e.range.start.offset + 'expect'.length, e.range.start.offset + 'expect'.length), newText: ' account' }] }],
      });
      ok = false;
    }
    return ok;
  }
  for (const contact of test.contacts ?? []) {
    ctx.report('R068', contact.range, `test "${name}" has a \`contact { }\` but no \`account { }\``, {
      help: fileHasAccount ? 'an account test gives the account first: `account { id: "acme" ... }`, then its contacts' : 'contacts belong to an account test, and the file declares no account',
    });
  }
  for (const e of test.expectations ?? []) {
    if (e?.account === undefined) continue;
    ctx.report('R068', e.account.range, `\`expect account\` in test "${name}", which scores a lead, not an account`, {
      help: fileHasAccount ? 'give the test an `account { }` and its `contact { }` blocks, or expect the lead\'s own result' : 'the file declares no account',
    });
  }
  return false;
}

/** A key as the runner matches it: a number, or text (a bare word is its text); undefined for anything else. */
function keyValue(value: TestField['value'] | undefined): string | undefined {
  switch (value?.kind) {
    case 'NumberLiteral':
      return `number:${value.value}`;
    case 'StringLiteral':
      return `text:${value.value}`;
    case 'WordValue':
      return `text:${value.name.name}`;
    default:
      return undefined;
  }
}

function within(inner: Range, outer: Range): boolean {
  return inner.start.offset >= outer.start.offset && inner.end.offset <= outer.end.offset;
}

function describeKind(kind: FieldType['kind']): string {
  switch (kind) {
    case 'one-of':
      return 'a `one of`';
    case 'list':
      return 'a `list of text`';
    case 'number':
      return 'a number';
    case 'text':
      return 'text';
    default:
      return `a ${kind}`;
  }
}

function numberType(range: Range): TypeExpr {
  return { kind: 'PrimitiveType', name: 'number', range };
}

function oneOfType(names: readonly string[], range: Range): TypeExpr {
  return {
    kind: 'OneOfType',
    values: { kind: 'ListLiteral', items: names.map((name) => ({ kind: 'WordValue', name: identifierAt(name, range), range })), range },
    range,
  };
}

function identifierAt(name: string, range: Range): Identifier {
  return { kind: 'Identifier', name, parts: [{ text: name, quoted: false, range }], range };
}

/** A declaration the checker makes up for a synthetic field, at `range`. */
function madeUpField(name: string, type: TypeExpr, range: Range): FieldDecl {
  return { kind: 'FieldDecl', name: identifierAt(name, range), type, range };
}

/** Calls `visit` with each condition written directly in an account statement. */
function forEachCondition(statement: AccountStatement, visit: (c: Condition) => void): void {
  const rule = (r: Rule): void => {
    if (r?.kind === 'WhenRule' && r.condition !== undefined) visit(r.condition);
    if (r?.kind === 'EachRule' && r.where !== undefined) visit(r.where);
  };
  switch (statement?.kind) {
    case 'SegmentDecl':
      if (statement.condition !== undefined) visit(statement.condition);
      return;
    case 'GroupDecl':
      for (const r of statement.rules ?? []) rule(r);
      return;
    case 'WhenRule':
    case 'EachRule':
      rule(statement);
      return;
    case 'StageDecl':
      for (const c of statement.requirements ?? []) if (c !== undefined) visit(c);
      if (statement.when !== undefined) visit(statement.when);
      return;
    case 'TierDecl':
      if (statement.condition !== undefined) visit(statement.condition);
      return;
    default:
      return;
  }
}

/** The tests over contacts in `c`, in source order (not inside one's own `where`). */
function collectAggregates(c: Condition | undefined, out: (ContactCountCondition | ContactAggregateCondition)[]): void {
  if (c === undefined || c === null) return;
  switch (c.kind) {
    case 'ContactCount':
    case 'ContactAggregate':
      out.push(c);
      return;
    case 'And':
    case 'Or':
      for (const o of c.operands ?? []) collectAggregates(o, out);
      return;
    case 'Not':
      collectAggregates(c.operand, out);
      return;
    case 'Paren':
      collectAggregates(c.inner, out);
      return;
    case 'EventExists':
    case 'EventCount':
    case 'DaysSince':
      collectAggregates(c.where, out);
      return;
    default:
      return;
  }
}

/** `c` with each test over contacts replaced by the test of its synthetic field. */
function replaceAggregates(c: Condition, fieldFor: (node: ContactCountCondition | ContactAggregateCondition) => string): Condition {
  if (c === undefined || c === null) return c;
  switch (c.kind) {
    case 'ContactCount':
    case 'ContactAggregate': {
      const ref: NameRef = { kind: 'NameRef', name: identifierAt(fieldFor(c), c.range), range: c.range };
      const test = c.test;
      if (test === undefined) return c;
      if (test.kind === 'BetweenTest') return { kind: 'Between', subject: ref, low: test.low, high: test.high, range: c.range };
      return { kind: 'Compare', left: ref, operator: test.operator, right: test.value, range: c.range };
    }
    case 'And':
    case 'Or':
      return { ...c, operands: (c.operands ?? []).map((o) => replaceAggregates(o, fieldFor)) };
    case 'Not':
      return c.operand === undefined ? c : { ...c, operand: replaceAggregates(c.operand, fieldFor) };
    case 'Paren':
      return c.inner === undefined ? c : { ...c, inner: replaceAggregates(c.inner, fieldFor) };
    case 'EventExists':
    case 'EventCount':
    case 'DaysSince':
      return c.where === undefined ? c : { ...c, where: replaceAggregates(c.where, fieldFor) };
    default:
      return c;
  }
}

/** `statement` with `map` applied to each of its conditions. */
function mapStatement(statement: AccountStatement, map: (c: Condition) => Condition): AccountStatement {
  const rule = <R extends Rule>(r: R): R => {
    if (r?.kind === 'WhenRule') return (r.condition === undefined ? r : { ...r, condition: map(r.condition) }) as R;
    if (r?.kind === 'EachRule') return (r.where === undefined ? r : { ...r, where: map(r.where) }) as R;
    return r;
  };
  switch (statement.kind) {
    case 'SegmentDecl':
      return statement.condition === undefined ? statement : { ...statement, condition: map(statement.condition) };
    case 'GroupDecl':
      return { ...statement, rules: (statement.rules ?? []).map(rule) };
    case 'WhenRule':
    case 'EachRule':
      return rule(statement);
    case 'StageDecl': {
      const requirements = (statement.requirements ?? []).map((c) => (c === undefined ? c : map(c)));
      return statement.when === undefined ? { ...statement, requirements } : { ...statement, requirements, when: map(statement.when) };
    }
    case 'TierDecl':
      return statement.condition === undefined ? statement : { ...statement, condition: map(statement.condition) };
    default:
      return statement;
  }
}

/**
 * Whether `cond` reads a contact's results: `score`, a group, `stage` or `tier`, or the account's
 * own result through a contact segment (through segments too).
 */
function readsContactResult(cond: Cond, segments: ReadonlyMap<string, SegmentInfo>, seen = new Set<string>()): boolean {
  switch (cond.kind) {
    case 'and':
    case 'or':
      return cond.operands.some((o) => readsContactResult(o, segments, seen));
    case 'not':
      return readsContactResult(cond.operand, segments, seen);
    case 'segment': {
      if (seen.has(cond.name)) return false;
      seen.add(cond.name);
      const segment = segments.get(cond.name);
      return segment !== undefined && readsContactResult(segment.condition, segments, seen);
    }
    case 'test':
      // A contact segment may read `account.stage|score|tier` itself: known only after the account.
      return (
        cond.subject.kind === 'score' ||
        cond.subject.kind === 'group' ||
        cond.subject.kind === 'stage' ||
        cond.subject.kind === 'tier' ||
        (cond.subject.kind === 'field' && /^account\.(stage|score|tier)$/.test(cond.subject.name))
      );
    default:
      return false;
  }
}
