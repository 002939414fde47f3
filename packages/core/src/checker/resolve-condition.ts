/**
 * Resolving conditions: every name in a condition is looked up (lead field, group, segment,
 * `let`, or an event's property inside `where`), every operator is checked against the type it
 * is applied to, every value is typed and folded, and the result is the small resolved form
 * {@link Cond}. Parentheses vanish.
 *
 * A part that cannot be resolved is reported and becomes an empty `or` (false), so the model
 * stays usable for hover and completion; the result says whether everything resolved.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import type {
  BetweenCondition,
  CompareCondition,
  CompareOperator,
  Condition,
  Duration,
  EventCountCondition,
  HasCondition,
  Identifier,
  InCondition,
  IsCondition,
  ListLiteral,
  NameRef,
  NumericTest,
  Operand,
  Range,
  RefCondition,
  StageRef,
  TableLookup,
  TextCondition,
  Value,
} from '../syntax/ast.js';
import type { CheckContext, ConditionNameKind } from './context.js';
import type { AtomicTest, Cond, ConstValue, EventInfo, EventQuery, FieldType, NumericCheck, NumValue, Subject } from './model.js';
import { formatName, quoteText } from './source-text.js';
import {
  allowedOperators,
  checkOneOf,
  describeConst,
  describeType,
  inferredTypeOf,
  listOperators,
  quoteFix,
  type InferredType,
  type ListItem,
  type SubjectTypeKind,
  type ValueResolver,
} from './types-and-values.js';
import { reportUnknownEvent, reportUnknownField, reportUnknownName, reportUnknownProperty } from './unknown-names.js';
import { fold } from '../runtime/fold.js';
import { addLeadFieldFix, replaceNameFix } from './fixes.js';

/** Where a condition is written: which names it may read. */
export interface ConditionScope {
  readonly owner: 'rule' | 'segment' | 'stage' | 'tier';
  /**
   * Issue 17: the `where` of a test over contacts (`count contacts where C`): the contact's
   * scope, where `score`, groups, `stage` and `tier` (the contact's results) can be read too.
   */
  readonly contacts?: boolean;
}

interface Scope {
  readonly owner: ConditionScope['owner'];
  /** Inside an event's `where`: only that event's properties and `let`s are visible. */
  readonly where?: EventInfo;
  /** See {@link ConditionScope.contacts}. */
  readonly contacts?: boolean;
}

/** A condition after resolution, and whether every part of it resolved. */
export interface Resolved<T> {
  readonly value: T;
  readonly complete: boolean;
}

/** What one side of a comparison turned out to be. */
type Side =
  | { readonly kind: 'subject'; readonly subject: Subject; readonly type: FieldType | { readonly kind: 'group' | 'score' }; readonly label: string; readonly node: Operand }
  | { readonly kind: 'value'; readonly value: ConstValue; readonly node: Operand }
  | { readonly kind: 'relative'; readonly offsetSeconds: number; readonly node: Operand }
  | { readonly kind: 'unknown'; readonly node: NameRef }
  | { readonly kind: 'failed' };

const MIRRORED: Readonly<Record<CompareOperator, CompareOperator>> = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** An empty `or`: false. Stands for a part that did not resolve. */
export function unresolvedCond(range: Range): Cond {
  return { kind: 'or', operands: [], range };
}

function typeKind(type: Side & { kind: 'subject' }): SubjectTypeKind {
  return type.type.kind;
}

export class ConditionResolver {
  private complete = true;
  /** The atomic condition being resolved, to quote in messages. */
  private atom: Range | undefined;

  constructor(
    private readonly ctx: CheckContext,
    private readonly values: ValueResolver,
  ) {}

  /** Resolves a condition written in `scope`. */
  resolve(condition: Condition | undefined, scope: ConditionScope, fallbackRange: Range): Resolved<Cond> {
    this.complete = true;
    const value = condition === undefined ? this.fail(fallbackRange) : this.cond(condition, scope.contacts === true ? { owner: scope.owner, contacts: true } : { owner: scope.owner });
    return { value, complete: this.complete };
  }

  /** Resolves the event, `where` and `within` of an `each` rule. */
  resolveQuery(event: Identifier | undefined, where: Condition | undefined, within: Duration | undefined, scope: ConditionScope): Resolved<EventQuery | undefined> {
    this.complete = true;
    const value = this.query(event, where, within, { owner: scope.owner });
    return { value, complete: this.complete && value !== undefined };
  }

  private fail(range: Range): Cond {
    this.complete = false;
    return unresolvedCond(range);
  }

  private cond(c: Condition, s: Scope): Cond {
    if (c.kind !== 'And' && c.kind !== 'Or' && c.kind !== 'Not' && c.kind !== 'Paren') this.atom = c.range;
    switch (c.kind) {
      case 'And':
      case 'Or': {
        const operands = (c.operands ?? []).filter((o) => o !== undefined).map((o) => this.cond(o, s));
        return { kind: c.kind === 'And' ? 'and' : 'or', operands, range: c.range };
      }
      case 'Not':
        return c.operand === undefined ? this.fail(c.range) : { kind: 'not', operand: this.cond(c.operand, s), range: c.range };
      case 'Paren':
        return c.inner === undefined ? this.fail(c.range) : this.cond(c.inner, s);
      case 'Ref':
        return this.ref(c, s);
      case 'Compare':
        if (c.left?.kind === 'StageRef' && s.contacts === true && s.where === undefined) return this.stageTest(c.left, c);
        return this.compare(c, s);
      case 'Between':
        if (c.subject?.kind === 'StageRef' && s.contacts === true && s.where === undefined) return this.stageTest(c.subject, c);
        return this.between(c, s);
      case 'In':
        if (c.subject?.kind === 'StageRef' && s.contacts === true && s.where === undefined) return this.stageTest(c.subject, c);
        return this.inList(c, s);
      case 'Text':
        if (c.subject?.kind === 'StageRef' && s.contacts === true && s.where === undefined) return this.stageTest(c.subject, c);
        return negate(this.textMatch(c, s), c.negated === true);
      case 'Has':
        if (c.subject?.kind === 'StageRef' && s.contacts === true && s.where === undefined) return this.stageTest(c.subject, c);
        return negate(this.has(c, s), c.negated === true);
      case 'Is':
        if (c.subject?.kind === 'StageRef' && s.contacts === true && s.where === undefined) return this.stageTest(c.subject, c);
        return this.is(c, s);
      case 'ContactCount':
      case 'ContactAggregate': {
        // A file without accounts that declares an event `contacts` counts that event, as before
        // issue 17 (`count contacts where C >= 2`; a `within` there is no longer read).
        if (c.kind === 'ContactCount' && !this.ctx.hasAccount && this.ctx.events.has('contacts') && c.test !== undefined) {
          const range = c.contacts.range;
          const event: Identifier = { kind: 'Identifier', name: 'contacts', parts: [{ text: 'contacts', quoted: false, range }], range };
          const count: EventCountCondition = c.where === undefined ? { kind: 'EventCount', event, test: c.test, range: c.range } : { kind: 'EventCount', event, where: c.where, test: c.test, range: c.range };
          return this.cond(count, s);
        }
        // Issue 17: only an account rule reads its contacts, and not inside another such test.
        const what = this.ctx.source.collapsed(this.ctx.source.rangeAt(c.range.start.offset, c.test?.range.start.offset ?? c.range.end.offset));
        if (s.contacts === true || s.where !== undefined) {
          this.ctx.report('R067', c.range, `\`${what}\` cannot go inside the \`where\` of another test over contacts`, {
            help: 'a `where` reads one contact at a time; join two tests over contacts with `and` instead',
          });
        } else {
          this.ctx.report('R062', c.range, `\`${what}\` reads an account's contacts; it can only be written inside \`score accounts { }\``, {
            help: this.ctx.hasAccount
              ? 'move the rule into the `score accounts` block; a contact rule reads its account as `account.NAME`, `account.stage`, `account.score` or `account.tier`'
              : 'declare an `account KEY = LEAD_FIELD { ... }` block and write this test in a `score accounts { }` block',
          });
        }
        return this.fail(c.range);
      }
      case 'EventExists':
      case 'EventCount':
      case 'DaysSince': {
        if (s.where !== undefined) {
          this.ctx.report('R019', c.range, `an event test cannot go inside \`where\`, which sees only the properties of \`${s.where.name}\``, {
            help: 'move it out of `where` and join the two with `and`',
          });
          return this.fail(c.range);
        }
        if (c.kind !== 'DaysSince' && c.within !== undefined && Number.isFinite(c.within.seconds) && c.within.seconds <= 0) {
          // As on an `each` rule: an empty window keeps no occurrences, so the test could never hold.
          this.ctx.report('R035', c.within.range, `\`within ${this.ctx.source.collapsed(c.within.range)}\` keeps no occurrences; it must be longer than 0`, {
            help: 'give a window such as `within 30 days`, or remove it',
          });
        }
        const query = this.query(c.event, c.where, c.kind === 'DaysSince' ? undefined : c.within, s);
        if (query === undefined) return this.fail(c.range);
        const distinct = c.kind === 'EventCount' && c.distinct !== undefined ? this.distinctProperty(c, query.event) : undefined;
        if (distinct === false) return this.fail(c.range);
        if (c.kind === 'EventExists') return { kind: 'event-exists', quantifier: c.quantifier, query, range: c.range };
        const check = this.numericCheck(c.test, c.kind === 'EventCount' ? 'a count' : 'a number of days');
        if (check === undefined) return this.fail(c.range);
        if (c.kind === 'DaysSince') return { kind: 'days-since', query, check, range: c.range };
        return distinct === undefined ? { kind: 'event-count', query, check, range: c.range } : { kind: 'event-count', query, check, range: c.range, distinct };
      }
      default:
        return this.fail((c as { range: Range }).range);
    }
  }

  /**
   * The property of `count distinct EVENT.PROPERTY`: declared on the event (R012), and a single
   * value (R014 for a list, whose items are not one value). False when reported.
   */
  private distinctProperty(c: EventCountCondition, event: string): string | false {
    const property = c.property;
    if (property === undefined) {
      // One fix per single-valued property (the first few), naming it after the event.
      const candidates = [...(this.ctx.events.get(event)?.properties.values() ?? [])].filter((p) => p.type.kind !== 'list').slice(0, 3);
      const end = this.ctx.source.rangeAt(c.event.range.end.offset, c.event.range.end.offset);
      this.ctx.report('R059', c.event.range, `\`count distinct\` counts the distinct values of one property of \`${event}\`, and none is named`, {
        help: `name the property after the event: \`count distinct ${formatName(event)}.PROPERTY\`, or count the occurrences with \`count ${formatName(event)}\``,
        fixes: candidates.map((p) => ({ title: `count distinct \`${event}.${p.name}\``, edits: [{ range: end, newText: `.${formatName(p.name)}` }] })),
      });
      return false;
    }
    const info = this.ctx.events.get(event)?.properties.get(property.name);
    if (info === undefined) {
      reportUnknownProperty(this.ctx, event, property, 'text');
      return false;
    }
    this.ctx.reference('property', property.name, property.range, event);
    if (info.type.kind === 'list') {
      this.ctx.report('R014', property.range, `\`count distinct\` is not valid on \`${property.name}\` (${describeType(info.type)}): a list holds several values`, {
        help: `count the occurrences that have an item instead, e.g. \`count ${formatName(event)} where ${formatName(property.name)} has ...\``,
      });
      return false;
    }
    return property.name;
  }

  private query(event: Identifier | undefined, where: Condition | undefined, within: Duration | undefined, s: Scope): EventQuery | undefined {
    if (event === undefined) return undefined;
    const info = this.ctx.events.get(event.name);
    if (info === undefined) {
      reportUnknownEvent(this.ctx, event);
      return undefined;
    }
    this.ctx.reference('event', info.name, event.range);
    const whereCond = where === undefined ? undefined : this.cond(where, { owner: s.owner, where: info });
    const withinSeconds = within === undefined || !Number.isFinite(within.seconds) ? undefined : within.seconds;
    return {
      event: info.name,
      ...(whereCond !== undefined ? { where: whereCond } : {}),
      ...(withinSeconds !== undefined ? { withinSeconds } : {}),
    };
  }

  // ------------------------------------------------------------------------- names

  /** What a name stands for in this scope; reports what cannot be read here. */
  private side(operand: Operand | undefined, s: Scope): Side {
    if (operand === undefined) return { kind: 'failed' };
    switch (operand.kind) {
      case 'StageRef':
        // Issue 17: a contact's stage or tier is read only inside an aggregate over contacts.
        this.ctx.report('R062', operand.range, `\`${operand.which}\` can only be read inside \`count contacts where\` (and the other tests over contacts) in \`score accounts\``, {
          help: `a lead's own ${operand.which} is known only after its rules run; test \`score\` in a stage or tier condition instead`,
        });
        return { kind: 'failed' };
      case 'ScoreRef':
        if (s.where !== undefined) {
          this.reportOutOfWhere(operand.range, '`score`', s.where);
          return { kind: 'failed' };
        }
        if (s.owner !== 'stage' && s.owner !== 'tier' && s.contacts !== true) {
          this.ctx.report('R034', operand.range, `\`score\` can only be read in \`stage\` and \`tier\` conditions, not in a ${s.owner}`, {
            help: "rules run before the total exists; read a group's value instead, e.g. `fit >= 40`",
          });
          return { kind: 'failed' };
        }
        return { kind: 'subject', subject: { kind: 'score' }, type: { kind: 'score' }, label: '`score`', node: operand };
      case 'NameRef':
        return this.nameSide(operand, s);
      case 'TableLookup':
        return this.tableSide(operand, s);
      case 'RelativeTime': {
        const seconds = operand.duration?.seconds;
        if (seconds === undefined || !Number.isFinite(seconds)) return { kind: 'failed' };
        return { kind: 'relative', offsetSeconds: operand.direction === 'ago' ? -seconds : seconds, node: operand };
      }
      default: {
        const value = this.values.scalar(operand);
        if (value === undefined) return { kind: 'failed' };
        // A bare word naming a `let` is a copy of it.
        if (operand.kind === 'WordValue' && this.ctx.letDecls.has(operand.name?.name ?? '') && !this.values.admitCopy(value, operand.range)) return { kind: 'failed' };
        return { kind: 'value', value, node: operand };
      }
    }
  }

  /**
   * `TABLE(INPUT)`: a text subject whose `one of` is the table's values, so `=`, `in`, `is set`
   * work as on a `one of` field and a value that is no output is R015 (did you mean). The table
   * must exist (R013); the input is a text or one-of field, or an event property inside `where`.
   */
  private tableSide(lookup: TableLookup, s: Scope): Side {
    const tableName = lookup.table?.name;
    if (tableName === undefined) return { kind: 'failed' };
    const table = this.ctx.tables.get(tableName);
    if (table === undefined) {
      const candidate = this.ctx.suggest('tables', tableName, () => this.ctx.tables.keys());
      this.ctx.report('R013', lookup.table.range, `unknown table \`${tableName}\`${candidate === undefined ? '' : `; did you mean \`${candidate}\`?`}`, {
        help:
          candidate === undefined
            ? `declare it: \`table ${formatName(tableName)} { "pattern" -> value }\``
            : `replace it with \`${candidate}\`, or declare \`table ${formatName(tableName)} { ... }\``,
        ...(candidate === undefined ? {} : { fixes: [replaceNameFix(lookup.table.range, candidate)] }),
      });
      return { kind: 'failed' };
    }
    this.ctx.reference('table', tableName, lookup.table.range);
    const input = this.nameSide(lookup.input, s);
    if (input.kind === 'unknown') {
      this.reportUnknownSubject(lookup.input, 'text', s);
      return { kind: 'failed' };
    }
    if (input.kind !== 'subject') {
      if (input.kind !== 'failed') {
        this.ctx.report('R014', lookup.input.range, `table \`${tableName}\` looks up a field's text, and \`${this.ctx.source.collapsed(lookup.input.range)}\` is no field`, {
          help: `give it a text field, e.g. \`${formatName(tableName)}(job)\``,
        });
      }
      return { kind: 'failed' };
    }
    const subject = input.subject;
    if ((subject.kind !== 'field' && subject.kind !== 'property') || (subject.type.kind !== 'text' && subject.type.kind !== 'one-of')) {
      this.ctx.report('R014', lookup.input.range, `table \`${tableName}\` looks up text, but ${input.label} is ${describeType(input.type)}`, {
        help: `give it a text or \`one of\` field, e.g. \`${formatName(tableName)}(job)\``,
      });
      return { kind: 'failed' };
    }
    const type: FieldType = { kind: 'one-of', values: table.folded, written: table.outputs };
    const label = `\`${tableName}(${this.ctx.source.collapsed(lookup.input.range)})\``;
    return { kind: 'subject', subject: { kind: 'table', table: tableName, input: subject, type }, type, label, node: lookup };
  }

  private nameSide(ref: NameRef, s: Scope): Side {
    const identifier = ref.name;
    const name = identifier?.name;
    if (name === undefined) return { kind: 'failed' };
    if (s.where !== undefined) {
      const property = s.where.properties.get(name);
      if (property !== undefined) {
        this.ctx.reference('property', name, identifier.range, s.where.name);
        return {
          kind: 'subject',
          subject: { kind: 'property', event: s.where.name, name, type: property.type },
          type: property.type,
          label: `\`${name}\``,
          node: ref,
        };
      }
    }
    const kind = this.ctx.conditionNameKind(name);
    if (kind === 'let') {
      this.ctx.reference('let', name, identifier.range);
      const value = this.values.letValue(name);
      return value === undefined || !this.values.admitCopy(value, ref.range) ? { kind: 'failed' } : { kind: 'value', value, node: ref };
    }
    if (s.where !== undefined && kind !== undefined) {
      this.reportOutOfWhere(identifier.range, `${kind === 'field' ? 'the lead field' : `the ${kind}`} \`${name}\``, s.where, { kind, name });
      return { kind: 'failed' };
    }
    if (kind === 'field') {
      const field = this.ctx.fields.get(name);
      if (field === undefined) return { kind: 'failed' };
      this.ctx.reference('field', name, identifier.range);
      if (field.synthetic !== undefined && s.contacts === true) {
        this.reportAccountInContacts(identifier);
        return { kind: 'failed' };
      }
      return { kind: 'subject', subject: { kind: 'field', name, type: field.type }, type: field.type, label: `\`${name}\``, node: ref };
    }
    if (kind === 'group') {
      this.ctx.reference('group', name, identifier.range);
      return { kind: 'subject', subject: { kind: 'group', name }, type: { kind: 'group' }, label: `\`${name}\``, node: ref };
    }
    if (kind === 'segment') {
      this.ctx.reference('segment', name, identifier.range);
      this.ctx.report('R014', identifier.range, `\`${name}\` is a segment (a condition) and cannot be compared`, {
        help: `use it alone as a condition: \`when ${formatName(name)} add ...\``,
      });
      return { kind: 'failed' };
    }
    if (this.reportStageOrTier(identifier)) return { kind: 'failed' };
    return { kind: 'unknown', node: ref };
  }

  /** Stages and tiers are outputs: no condition reads them. Reports and returns true for one. */
  private reportStageOrTier(identifier: Identifier): boolean {
    const stage = this.ctx.stageDecls.get(identifier.name);
    if (stage !== undefined) {
      this.ctx.reference('stage', identifier.name, identifier.range);
      this.ctx.report('R037', identifier.range, `\`${identifier.name}\` is a stage; conditions cannot read stages`, {
        help: `stages are chosen after scoring; compare the score with the stage's threshold instead: \`score >= ${stage.threshold?.raw ?? 'N'}\` (in a stage or tier), or a group's value`,
      });
      return true;
    }
    if (this.ctx.tierDecls.has(identifier.name)) {
      this.ctx.reference('tier', identifier.name, identifier.range);
      this.ctx.report('R037', identifier.range, `\`${identifier.name}\` is a tier; conditions cannot read tiers`, {
        help: "tiers are chosen after scoring; move the tier's condition into a `segment` and use that",
      });
      return true;
    }
    return false;
  }

  private reportOutOfWhere(range: Range, what: string, event: EventInfo, name?: { kind: ConditionNameKind; name: string }): void {
    // The name does exist: record the use, so it is not also reported as unused.
    if (name !== undefined) this.ctx.reference(name.kind, name.name, range);
    const test = this.atom === undefined ? 'this test' : this.ctx.source.collapsed(this.atom);
    this.ctx.report('R019', range, `${what} is outside the scope of \`where\`, which sees only the properties of \`${event.name}\` and \`let\`s`, {
      help: `move \`${test}\` out of \`where\` and join it with \`and\`: \`any ${formatName(event.name)} where ... and ${test}\``,
    });
  }

  private reportUnknownSubject(ref: NameRef, type: InferredType, s: Scope): void {
    if (s.where !== undefined) reportUnknownProperty(this.ctx, s.where.name, ref.name, type);
    else if (this.ctx.otherLevel?.(ref.name, s.contacts === true) !== true) reportUnknownField(this.ctx, ref.name, type, true);
  }

  /** R066: `account.NAME` inside the `where` of a test over contacts (issue 17). */
  private reportAccountInContacts(identifier: Identifier): void {
    const bare = identifier.name.slice('account.'.length);
    this.ctx.report('R066', identifier.range, `\`${identifier.name}\` is the account's, and the \`where\` of a test over contacts reads one contact (its fields, segments, events, \`score\`, groups, \`stage\` and \`tier\`)`, {
      help: `test the account outside the test over contacts, joined with \`and\`: \`when ${formatName(bare)} ... and count contacts where ...\``,
    });
  }

  /**
   * `stage OP NAME`, `tier in [..]`, `stage is set` inside the \`where\` of a test over contacts
   * (issue 17): the contact's stage or tier, a \`one of\` its level's names (folded). An order
   * (\`stage >= mql\`) is the stages from (or up to) the named one, in file order; tiers have none.
   */
  private stageTest(ref: StageRef, c: Condition): Cond {
    const which = ref.which;
    const decls: ReadonlyMap<string, unknown> = which === 'stage' ? this.ctx.stageDecls : this.ctx.tierDecls;
    const names = [...decls.keys()];
    const type: FieldType = { kind: 'one-of', values: names.map((n) => fold(n)), written: names };
    const subject: Subject = { kind: which, type };
    const label = `\`${which}\``;
    const allowed = which === 'stage' ? '`=`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`, `is set` and `is missing`' : '`=`, `!=`, `in`, `not in`, `is set` and `is missing`';
    const invalid = (what: string): Cond => {
      this.ctx.report('R067', c.range, `\`${what}\` is not a test of the contact's ${which}`, { help: `\`${which}\` takes ${allowed}, with ${which} names` });
      return this.fail(c.range);
    };
    /** The names a list or a name stands for, checked against the level's names. */
    const namesOf = (value: Operand | ListLiteral | NameRef | undefined): ListItem[] | undefined => {
      if (value === undefined) return undefined;
      let items: ListItem[] | undefined;
      if (value.kind === 'ListLiteral') items = this.values.listItems(value);
      else if ((value.kind === 'NameRef' || value.kind === 'WordValue') && this.ctx.letDecls.has(value.name.name)) {
        this.ctx.reference('let', value.name.name, value.name.range);
        const constant = this.values.letValue(value.name.name);
        if (constant?.kind === 'list') items = constant.values.map((text, i) => ({ text, folded: constant.folded[i], range: value.range, viaLet: value.name.name }));
        else if (constant?.kind === 'text') items = [{ text: constant.value, folded: constant.folded, range: value.range, viaLet: value.name.name }];
      } else if (value.kind === 'NameRef' || value.kind === 'WordValue') items = [{ text: value.name.name, folded: fold(value.name.name), range: value.range }];
      else if (value.kind === 'StringLiteral') items = [{ text: value.value, folded: fold(value.value), range: value.range }];
      if (items === undefined) {
        this.ctx.report('R067', value.range, `${label} is compared with ${which} names, and \`${this.ctx.source.collapsed(value.range)}\` is none`, { help: `write a ${which} name, e.g. \`${which} = ${names[0] ?? 'NAME'}\`` });
        return undefined;
      }
      for (const item of items) if (item.viaLet === undefined && decls.has(item.text)) this.ctx.reference(which, item.text, item.range);
      if (!checkOneOf(this.ctx, label, type, items)) {
        this.complete = false;
        return undefined;
      }
      return items;
    };
    const test = (atomic: AtomicTest): Cond => ({ kind: 'test', subject, test: atomic, range: c.range });
    switch (c.kind) {
      case 'Is':
        if (c.test === 'set' || c.test === 'missing') return test({ kind: c.test === 'set' ? 'is-set' : 'is-missing' });
        return invalid(`is ${c.test}`);
      case 'In': {
        const items = namesOf(c.list);
        return items === undefined ? this.fail(c.range) : test({ kind: 'text-in', values: unique(items.map((i) => i.folded)), negated: c.negated });
      }
      case 'Compare': {
        if (c.right?.kind === 'StageRef' || c.right?.kind === 'ScoreRef') return invalid(this.ctx.source.collapsed(c.range));
        const items = namesOf(c.right);
        if (items === undefined) return this.fail(c.range);
        const named = items[0].folded;
        if (c.operator === '=' || c.operator === '!=') return test({ kind: 'text-in', values: [named], negated: c.operator === '!=' });
        if (which === 'tier') return invalid(`tier ${c.operator}`);
        const at = type.values.indexOf(named);
        const kept = c.operator === '>=' ? type.values.slice(at) : c.operator === '>' ? type.values.slice(at + 1) : c.operator === '<=' ? type.values.slice(0, at + 1) : type.values.slice(0, at);
        return test({ kind: 'text-in', values: kept, negated: false });
      }
      case 'Between':
        return invalid(`${which} between`);
      case 'Text':
        return invalid(`${which} ${c.operator}`);
      case 'Has':
        return invalid(`${which} has`);
      default:
        return this.fail(c.range);
    }
  }

  /** The subject of a one-sided test (`x in ..`, `x is set`): must be a name that can be tested. */
  private subjectOf(operand: Operand | undefined, s: Scope, inferred: InferredType): (Side & { kind: 'subject' }) | undefined {
    const side = this.side(operand, s);
    if (side.kind === 'subject') return side;
    if (side.kind === 'unknown') this.reportUnknownSubject(side.node, inferred, s);
    else if (side.kind === 'value' || side.kind === 'relative') {
      const node = side.node;
      this.ctx.report('R032', node.range, `\`${this.ctx.source.collapsed(node.range)}\` is a value; a test needs a field to test`, {
        help: 'write the field first, e.g. `job in [CEO, CTO]`',
      });
    }
    return undefined;
  }

  // ------------------------------------------------------------------------- tests

  private test(subject: Side & { kind: 'subject' }, test: AtomicTest, range: Range): Cond {
    return { kind: 'test', subject: subject.subject, test, range };
  }

  /** Reports an operator the subject's type does not allow. */
  private badOperator(subject: Side & { kind: 'subject' }, operator: string, at: Range | undefined, fallback: Range, extraHelp = ''): void {
    const allowed = allowedOperators(typeKind(subject));
    this.ctx.report('R014', at ?? fallback, `\`${operator}\` is not valid on ${subject.label} (${describeType(subject.type)})`, {
      help: `${describeType(subject.type)} takes ${listOperators(allowed)}${extraHelp}`,
    });
  }

  private ref(c: RefCondition, s: Scope): Cond {
    const ref = c.ref;
    const name = ref?.name?.name;
    if (name === undefined) return this.fail(c.range);
    if (s.where !== undefined) {
      const property = s.where.properties.get(name);
      if (property !== undefined) {
        this.ctx.reference('property', name, ref.name.range, s.where.name);
        if (property.type.kind === 'bool') {
          return { kind: 'test', subject: { kind: 'property', event: s.where.name, name, type: property.type }, test: { kind: 'is-true' }, range: c.range };
        }
        this.ctx.report('R014', ref.name.range, `\`${name}\` is ${describeType(property.type)}, not a condition`, {
          help: `test it, e.g. \`${formatName(name)} is set\`; only a bool can be used alone`,
        });
        return this.fail(c.range);
      }
    }
    const kind = this.ctx.conditionNameKind(name);
    if (s.where !== undefined && kind !== undefined && kind !== 'let') {
      this.reportOutOfWhere(ref.name.range, `${kind === 'field' ? 'the lead field' : `the ${kind}`} \`${name}\``, s.where, { kind, name });
      return this.fail(c.range);
    }
    switch (kind) {
      case 'segment':
        this.ctx.reference('segment', name, ref.name.range);
        return { kind: 'segment', name, range: c.range };
      case 'field': {
        const field = this.ctx.fields.get(name);
        if (field === undefined) return this.fail(c.range);
        this.ctx.reference('field', name, ref.name.range);
        if (field.synthetic !== undefined && s.contacts === true) {
          this.reportAccountInContacts(ref.name);
          return this.fail(c.range);
        }
        if (field.type.kind === 'bool') return { kind: 'test', subject: { kind: 'field', name, type: field.type }, test: { kind: 'is-true' }, range: c.range };
        this.ctx.report('R014', ref.name.range, `\`${name}\` is ${describeType(field.type)}, not a condition`, {
          help: `test it, e.g. \`${formatName(name)} is set\`; only a bool field can be used alone`,
        });
        return this.fail(c.range);
      }
      case 'group':
        this.ctx.reference('group', name, ref.name.range);
        this.ctx.report('R014', ref.name.range, `\`${name}\` is a group (a number), not a condition`, {
          help: `compare its value, e.g. \`${formatName(name)} >= 20\``,
        });
        return this.fail(c.range);
      case 'let':
        this.ctx.reference('let', name, ref.name.range);
        this.ctx.report('R014', ref.name.range, `\`${name}\` is a \`let\` (a constant), not a condition`, {
          help: `compare a field with it, e.g. \`job in ${formatName(name)}\``,
        });
        return this.fail(c.range);
      default:
        break;
    }
    if (s.where === undefined && this.ctx.otherLevel?.(ref.name, s.contacts === true) === true) return this.fail(c.range);
    if (this.reportStageOrTier(ref.name)) return this.fail(c.range);
    if (s.where !== undefined) {
      reportUnknownProperty(this.ctx, s.where.name, ref.name, 'bool');
      return this.fail(c.range);
    }
    if (this.ctx.leads.length === 0) {
      reportUnknownField(this.ctx, ref.name, 'bool');
      return this.fail(c.range);
    }
    const fieldFix = addLeadFieldFix(this.ctx, name, 'bool');
    reportUnknownName(
      this.ctx,
      'name',
      ref.name,
      'segments+bools',
      () => [...this.ctx.segmentDecls.keys(), ...[...this.ctx.fields.values()].filter((f) => f.type.kind === 'bool').map((f) => f.name)],
      `a name used alone is a segment or a bool field: declare \`segment ${formatName(name)} = ...\` or \`${formatName(name)}: bool\` in the \`lead\` block`,
      [fieldFix],
    );
    return this.fail(c.range);
  }

  private compare(c: CompareCondition, s: Scope): Cond {
    const left = this.side(c.left, s);
    const right = this.side(c.right, s);
    // Only a message about the operator needs its range: found when one is written.
    const operatorRange = (): Range =>
      (c.left !== undefined && c.right !== undefined ? this.ctx.source.wordsBetween(c.left.range.end.offset, c.right.range.start.offset) : undefined) ?? c.range;
    if (left.kind === 'failed' || right.kind === 'failed') {
      if (left.kind === 'unknown') this.reportUnknownSubject(left.node, right.kind === 'value' ? inferredTypeOf(right.value) : right.kind === 'relative' ? 'date' : 'text', s);
      return this.fail(c.range);
    }
    let subject: Side & { kind: 'subject' };
    let value: Side;
    let operator = c.operator;
    if (left.kind === 'subject') {
      subject = left;
      value = right;
    } else if (right.kind === 'subject') {
      subject = right;
      value = left;
      operator = MIRRORED[operator] ?? operator;
    } else if (left.kind === 'unknown') {
      this.reportUnknownSubject(left.node, right.kind === 'value' ? inferredTypeOf(right.value) : right.kind === 'relative' ? 'date' : 'text', s);
      return this.fail(c.range);
    } else if (right.kind === 'unknown') {
      this.reportUnknownSubject(right.node, left.kind === 'value' ? inferredTypeOf(left.value) : left.kind === 'relative' ? 'date' : 'text', s);
      return this.fail(c.range);
    } else {
      this.ctx.report('R032', c.range, 'this compares two values; one side must be a field', {
        help: 'write the field on the left, e.g. `company.size > 50`',
      });
      return this.fail(c.range);
    }
    if (value.kind === 'unknown') {
      this.reportUnknownValueName(value.node);
      return this.fail(c.range);
    }
    if (value.kind === 'subject') {
      this.ctx.report('R032', value.node.range, `${value.label} is not a value; compare ${subject.label} with a value, not with another name`, {
        help: 'Rubric compares a field with a constant; use a `let` for a named constant',
      });
      return this.fail(c.range);
    }
    const test = this.compareTest(subject, operator, value, operatorRange, c.range);
    return test === undefined ? this.fail(c.range) : this.test(subject, test, c.range);
  }

  private reportUnknownValueName(ref: NameRef): void {
    reportUnknownName(this.ctx, 'name', ref.name, 'lets', () => this.ctx.letDecls.keys(), `declare it: \`let ${formatName(ref.name.name)} = ...\`, or quote it to compare with text`);
  }

  /** `subject OP value`, typed. */
  private compareTest(subject: Side & { kind: 'subject' }, operator: CompareOperator, value: Side & { kind: 'value' | 'relative' }, operatorRange: () => Range, range: Range): AtomicTest | undefined {
    const kind = typeKind(subject);
    switch (kind) {
      case 'number':
      case 'group':
      case 'score':
      case 'date': {
        const num = this.numValue(subject, value);
        return num === undefined ? undefined : { kind: 'compare', operator, value: num };
      }
      case 'text':
      case 'one-of': {
        if (operator !== '=' && operator !== '!=') {
          this.badOperator(subject, operator, operatorRange(), range);
          return undefined;
        }
        if (value.kind === 'value' && value.value.kind === 'list') {
          const replacement = operator === '=' ? 'in' : 'not in';
          // Same words as the syntax error a list literal after `=` becomes (equals-list.ts).
          const subjectText = this.ctx.source.collapsed(subject.node.range);
          const listText = this.ctx.source.collapsed(value.node.range);
          this.ctx.report('R032', value.node.range, `\`${operator}\` compares with one value, and \`${listText}\` is a list; to test the list write \`${subjectText} ${replacement} ${listText}\``, {
            help: `\`${replacement}\` is true when \`${subjectText}\` is ${operator === '=' ? 'one' : 'none'} of the list's values`,
            fixes: [{ title: `write \`${subjectText} ${replacement} ${listText}\``, edits: [{ range: operatorRange(), newText: replacement }] }],
          });
          return undefined;
        }
        const item = this.textOf(subject, value);
        if (item === undefined) return undefined;
        this.checkOneOf(subject, [item]);
        return { kind: 'text-in', values: [item.folded], negated: operator === '!=' };
      }
      case 'bool': {
        if (operator !== '=' && operator !== '!=') {
          this.badOperator(subject, operator, operatorRange(), range);
          return undefined;
        }
        if (value.kind !== 'value' || value.value.kind !== 'bool') {
          this.reportWrongValue(subject, value, '`true` or `false`');
          return undefined;
        }
        const isTrue = value.value.value === (operator === '=');
        return { kind: isTrue ? 'is-true' : 'is-false' };
      }
      case 'list':
        this.badOperator(subject, operator, operatorRange(), range, `; \`has X\` tests whether the list holds X`);
        return undefined;
    }
  }

  /** A number or date to compare a numeric or date subject with. */
  private numValue(subject: Side & { kind: 'subject' }, value: Side & { kind: 'value' | 'relative' }): NumValue | undefined {
    const isDate = subject.type.kind === 'date';
    if (value.kind === 'relative') {
      if (isDate) return { kind: 'relative', offsetSeconds: value.offsetSeconds };
      this.reportWrongValue(subject, value, 'a number');
      return undefined;
    }
    if (isDate && value.value.kind === 'date') return { kind: 'const', value: value.value.epochSeconds };
    if (!isDate && value.value.kind === 'number') return { kind: 'const', value: value.value.value };
    this.reportWrongValue(subject, value, isDate ? 'a date such as `2026-03-01` or `30 days ago`' : 'a number');
    return undefined;
  }

  /** Reports a value of the wrong type for `subject`, with a fix where the intent is clear. */
  private reportWrongValue(subject: Side & { kind: 'subject' }, value: Side & { kind: 'value' | 'relative' }, expected: string): void {
    const node = value.node;
    const written = this.ctx.source.collapsed(node.range);
    const what = value.kind === 'relative' ? 'a time' : describeConst(value.value);
    const fixes: Fix[] = [];
    if (value.kind === 'value' && value.value.kind === 'text' && node.kind === 'StringLiteral') {
      const inner = value.value.value;
      const unquotedFits =
        (subject.type.kind === 'number' || subject.type.kind === 'group' || subject.type.kind === 'score') ? /^-?\d+(\.\d+)?$/.test(inner)
          : subject.type.kind === 'date' ? /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(inner)
            : subject.type.kind === 'bool' ? inner === 'true' || inner === 'false' : false;
      if (unquotedFits) fixes.push({ title: `remove the quotes: ${inner}`, edits: [{ range: node.range, newText: inner }] });
    }
    this.ctx.report('R032', node.range, `${subject.label} is ${describeType(subject.type)}, but \`${written}\` is ${what}`, {
      help: `compare it with ${expected}`,
      fixes,
    });
  }

  /** The text of a value compared with a text subject; numbers and the like get a quote fix. */
  private textOf(subject: Side & { kind: 'subject' }, value: Side & { kind: 'value' | 'relative' }): ListItem | undefined {
    if (value.kind === 'value' && value.value.kind === 'text') {
      const node = value.node;
      const viaLet = (node.kind === 'NameRef' || node.kind === 'WordValue') && this.ctx.letDecls.has(node.name.name) ? node.name.name : undefined;
      return { text: value.value.value, folded: value.value.folded, range: node.range, ...(viaLet !== undefined ? { viaLet } : {}) };
    }
    const node = value.node;
    const written = this.ctx.source.collapsed(node.range);
    const isLiteral = node.kind === 'NumberLiteral' || node.kind === 'DateLiteral' || node.kind === 'BooleanLiteral';
    this.ctx.report('R032', node.range, `${subject.label} is ${describeType(subject.type)}, but \`${written}\` is ${value.kind === 'relative' ? 'a time' : describeConst(value.value)}`, {
      help: isLiteral ? `quote it to compare with text: \`${quoteText(written)}\`` : 'compare it with text',
      fixes: isLiteral ? [quoteFix(this.ctx, node as Value)] : [],
    });
    return undefined;
  }

  private checkOneOf(subject: Side & { kind: 'subject' }, items: readonly ListItem[]): void {
    // A value outside the set is an error; the condition is then not analysed any further.
    if (subject.type.kind === 'one-of' && !checkOneOf(this.ctx, subject.label, subject.type, items)) this.complete = false;
    this.referenceAccountResults(subject, items);
  }

  /**
   * Issue 17: `account.stage = buying` and `account.tier in [..]` in a contact rule name account
   * stages and tiers: record each as a use, so go-to-definition, references and rename reach them.
   */
  private referenceAccountResults(subject: Side & { kind: 'subject' }, items: readonly ListItem[]): void {
    if (subject.subject.kind !== 'field' || subject.type.kind !== 'one-of') return;
    const which = subject.subject.name === 'account.stage' ? 'stage' : subject.subject.name === 'account.tier' ? 'tier' : undefined;
    if (which === undefined || this.ctx.fields.get(subject.subject.name)?.synthetic !== 'account-result') return;
    const { values, written } = subject.type;
    for (const item of items) {
      if (item.viaLet !== undefined) continue;
      const index = values.indexOf(item.folded);
      const name = index < 0 ? undefined : written[index];
      if (name !== undefined) this.ctx.reference(which, name, item.range);
    }
  }

  private between(c: BetweenCondition, s: Scope): Cond {
    const low = this.side(c.low, s);
    const high = this.side(c.high, s);
    const lowType: InferredType = low.kind === 'relative' || (low.kind === 'value' && low.value.kind === 'date') ? 'date' : 'number';
    const subject = this.subjectOf(c.subject, s, lowType);
    if (subject === undefined) return this.fail(c.range);
    const kind = typeKind(subject);
    if (kind !== 'number' && kind !== 'date' && kind !== 'group' && kind !== 'score') {
      const at = c.subject !== undefined && c.low !== undefined ? this.ctx.source.wordsBetween(c.subject.range.end.offset, c.low.range.start.offset) : undefined;
      this.badOperator(subject, 'between', at, c.range);
      return this.fail(c.range);
    }
    const bounds: NumValue[] = [];
    for (const bound of [low, high]) {
      if (bound.kind === 'failed') return this.fail(c.range);
      if (bound.kind === 'unknown') {
        this.reportUnknownValueName(bound.node);
        return this.fail(c.range);
      }
      if (bound.kind === 'subject') {
        this.ctx.report('R032', bound.node.range, `${bound.label} is not a value; \`between\` takes two values`, { help: 'use numbers, dates or `let`s' });
        return this.fail(c.range);
      }
      const num = this.numValue(subject, bound);
      if (num === undefined) return this.fail(c.range);
      bounds.push(num);
    }
    return this.test(subject, { kind: 'between', low: bounds[0], high: bounds[1] }, c.range);
  }

  /** The text values of `in`, `starts`, `has`: a list, a list or text `let`, or one value. */
  private textValues(subject: Side & { kind: 'subject' }, values: Value | ListLiteral | NameRef | undefined, s: Scope): ListItem[] | undefined {
    if (values === undefined) return undefined;
    if (values.kind === 'ListLiteral') return this.values.listItems(values);
    if (values.kind === 'NameRef') {
      const name = values.name?.name ?? '';
      const kind = this.ctx.conditionNameKind(name);
      if (kind === 'let') {
        this.ctx.reference('let', name, values.name.range);
        const value = this.values.letValue(name);
        if (value === undefined || !this.values.admitCopy(value, values.range)) return undefined;
        if (value.kind === 'list') {
          if (!this.values.admitListUse(value, values.range)) return undefined;
          return value.values.map((text, i) => ({ text, folded: value.folded[i], range: values.range, viaLet: name }));
        }
        if (value.kind === 'text') return [{ text: value.value, folded: value.folded, range: values.range, viaLet: name }];
        this.ctx.report('R032', values.range, `\`${name}\` is ${describeConst(value)}, but ${subject.label} is compared with text`, {
          help: 'use a list of text, e.g. `[CEO, CTO]`',
        });
        return undefined;
      }
      if (kind !== undefined) {
        this.ctx.reference(kind, name, values.name.range);
        this.ctx.report('R032', values.range, `\`${name}\` is a ${kind}, not a list; this test takes a list or a list \`let\``, {
          help: 'write the values in brackets, e.g. `[CEO, CTO]`',
        });
        return undefined;
      }
      if (this.reportStageOrTier(values.name)) return undefined;
      reportUnknownName(this.ctx, 'list', values.name, 'lets', () => this.ctx.letDecls.keys(), `declare it: \`let ${formatName(name)} = [...]\``);
      return undefined;
    }
    const side = this.side(values, s);
    if (side.kind !== 'value') return undefined;
    const value = side.value;
    if (value.kind === 'list') {
      // `starts titles` with a list `let`: matches any of its values.
      if (!this.values.admitListUse(value, values.range)) return undefined;
      const viaLet = values.kind === 'WordValue' ? values.name.name : undefined;
      return value.values.map((text, i) => ({ text, folded: value.folded[i], range: values.range, ...(viaLet !== undefined ? { viaLet } : {}) }));
    }
    const item = this.textOf(subject, side);
    return item === undefined ? undefined : [item];
  }

  private inList(c: InCondition, s: Scope): Cond {
    const subject = this.subjectOf(c.subject, s, 'text');
    if (subject === undefined) return this.fail(c.range);
    const kind = typeKind(subject);
    const operator = c.negated ? 'not in' : 'in';
    if (kind !== 'text' && kind !== 'one-of') {
      const at = c.subject !== undefined && c.list !== undefined ? this.ctx.source.wordsBetween(c.subject.range.end.offset, c.list.range.start.offset) : undefined;
      this.badOperator(subject, operator, at, c.range, kind === 'list' ? '; `has any [..]` tests whether the list holds one of the values' : '');
      return this.fail(c.range);
    }
    const items = this.textValues(subject, c.list, s);
    if (items === undefined) return this.fail(c.range);
    this.checkOneOf(subject, items);
    return this.test(subject, { kind: 'text-in', values: unique(items.map((i) => i.folded)), negated: c.negated }, c.range);
  }

  private textMatch(c: TextCondition, s: Scope): Cond {
    const subject = this.subjectOf(c.subject, s, 'text');
    if (subject === undefined) return this.fail(c.range);
    const kind = typeKind(subject);
    if (kind !== 'text' && kind !== 'one-of') {
      const at = c.subject !== undefined && c.values !== undefined ? this.ctx.source.wordsBetween(c.subject.range.end.offset, c.values.range.start.offset) : undefined;
      this.badOperator(subject, c.operator, at, c.range);
      return this.fail(c.range);
    }
    const items = this.textValues(subject, c.values, s);
    if (items === undefined) return this.fail(c.range);
    return this.test(subject, { kind: 'text-match', operator: c.operator, values: unique(items.map((i) => i.folded)) }, c.range);
  }

  private has(c: HasCondition, s: Scope): Cond {
    const subject = this.subjectOf(c.subject, s, 'list of text');
    if (subject === undefined) return this.fail(c.range);
    if (typeKind(subject) !== 'list') {
      const at = c.subject !== undefined && c.values !== undefined ? this.ctx.source.wordsBetween(c.subject.range.end.offset, c.values.range.start.offset) : undefined;
      const hint = typeKind(subject) === 'text' || typeKind(subject) === 'one-of' ? '; `has` is for `list of text` fields' : '';
      this.badOperator(subject, c.any ? 'has any' : 'has', at, c.range, hint);
      return this.fail(c.range);
    }
    const items = this.textValues(subject, c.values, s);
    if (items === undefined) return this.fail(c.range);
    return this.test(subject, { kind: 'has', values: unique(items.map((i) => i.folded)) }, c.range);
  }

  private is(c: IsCondition, s: Scope): Cond {
    const subject = this.subjectOf(c.subject, s, c.test === 'true' || c.test === 'false' ? 'bool' : 'text');
    if (subject === undefined) return this.fail(c.range);
    const kind = typeKind(subject);
    const at = c.subject === undefined ? undefined : this.ctx.source.wordsBetween(c.subject.range.end.offset, c.range.end.offset);
    if (c.test === 'set' || c.test === 'missing') {
      if (kind === 'group' || kind === 'score') {
        this.ctx.report('R014', at ?? c.range, `\`is ${c.test}\` is not valid on ${subject.label}: ${describeType(subject.type)} is never missing`, {
          help: `${describeType(subject.type)} takes ${listOperators(allowedOperators(kind))}`,
        });
        return this.fail(c.range);
      }
      return this.test(subject, { kind: c.test === 'set' ? 'is-set' : 'is-missing' }, c.range);
    }
    if (kind !== 'bool') {
      this.badOperator(subject, `is ${c.test}`, at, c.range);
      return this.fail(c.range);
    }
    return this.test(subject, { kind: c.test === 'true' ? 'is-true' : 'is-false' }, c.range);
  }

  /** The test after `count ...` or `days since last ...`: numbers only. */
  private numericCheck(test: NumericTest | undefined, what: string): NumericCheck | undefined {
    if (test === undefined) return undefined;
    const number = (operand: Operand | undefined): NumValue | undefined => {
      const side = this.side(operand, { owner: 'rule' });
      if (side.kind === 'failed') return undefined;
      if (side.kind === 'value' && side.value.kind === 'number') return { kind: 'const', value: side.value.value };
      if (side.kind === 'unknown') {
        this.reportUnknownValueName(side.node);
        return undefined;
      }
      const node = side.node;
      this.ctx.report('R032', node.range, `${what} is compared with a number, but \`${this.ctx.source.collapsed(node.range)}\` is ${side.kind === 'value' ? describeConst(side.value) : side.kind === 'relative' ? 'a time' : 'a name'}`, {
        help: 'write a whole number, e.g. `>= 3`',
      });
      return undefined;
    };
    if (test.kind === 'CompareTest') {
      const value = number(test.value);
      return value === undefined ? undefined : { kind: 'compare', operator: test.operator, value };
    }
    const low = number(test.low);
    const high = number(test.high);
    return low === undefined || high === undefined ? undefined : { kind: 'between', low, high };
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * `email not ends any [..]`, `tags not has x`: the value is set and the test does not hold, so a
 * missing value makes it false, as for `not in` (two-valued tests, see the IR contract). Written
 * with `and`/`not` over the plain test, every analysis and target reads it as it is.
 */
function negate(cond: Cond, negated: boolean): Cond {
  if (!negated || cond.kind !== 'test') return negated ? { kind: 'not', operand: cond, range: cond.range } : cond;
  return {
    kind: 'and',
    operands: [{ kind: 'test', subject: cond.subject, test: { kind: 'is-set' }, range: cond.range }, { kind: 'not', operand: cond, range: cond.range }],
    range: cond.range,
  };
}
