/**
 * Prints the AST in Rubric's one canonical layout into {@link OutputLine}s. Layout decisions:
 *
 * - one statement per line, 2-space indentation inside `{ }`, one space around operators,
 *   lists as `[a, b, c]`;
 * - a condition breaks after `and`/`or` exactly where the author broke it (continuation lines are
 *   indented one level; nothing is ever aligned);
 * - a list written over several lines keeps the author's line breaks between its items, with `[`
 *   ending the line and `]` starting one;
 * - `{ }` blocks of a test's lead or an event's properties stay on one line when written on one;
 *   `lead`, `group`, `test` and `events` blocks hold one entry per line;
 * - strings in double quotes unless that needs more escapes; numbers, dates, names and duration
 *   units exactly as written (`1_000_000`, `day`/`days`, backticks).
 */
import type * as A from '../syntax/ast.js';
import { LCurly, Lead as LeadToken, RCurly, rubricLexer } from '../syntax/tokens.js';
import { LineWriter, type Container } from './layout.js';
import { canonicalString } from './strings.js';

const INDENT = 2;

/** Which statements stay together without a blank line when they are one-liners. */
export function statementGroup(statement: A.Statement): string {
  switch (statement.kind) {
    case 'LeadDecl':
      return 'lead';
    case 'EventDecl':
      return 'event';
    case 'LetDecl':
    case 'SegmentDecl':
      return 'definition';
    case 'GroupDecl':
      return 'group';
    case 'ScoreRangeDecl':
      return 'score-range';
    case 'WhenRule':
    case 'EachRule':
      return 'rule';
    case 'StageDecl':
      return 'stage';
    case 'TierDecl':
      return 'tier';
    case 'TestDecl':
      return 'test';
    case 'DataDecl':
      return 'data';
    case 'TableDecl':
      return 'table';
    case 'AccountDecl':
      return 'account';
    case 'AccountScoringDecl':
      return 'account-scoring';
  }
}

/**
 * A `lead { }`, `events { }` or `account { }` block inside a test, found from the tokens (the AST
 * merges them).
 */
interface TestBlock {
  readonly kind: 'lead' | 'events' | 'account';
  /** Offset of the `lead` / `events` word. */
  readonly start: number;
  /** Offset of the closing `}` (or the end of the test when it is missing). */
  readonly close: number;
}

type TestItem =
  | { readonly kind: 'now'; readonly start: number; readonly end: number; readonly date: A.DateLiteral }
  | { readonly kind: 'lead' | 'account'; readonly start: number; readonly end: number; readonly block: TestBlock; readonly fields: readonly A.TestField[] }
  | { readonly kind: 'contact'; readonly start: number; readonly end: number; readonly contact: A.TestContact }
  | { readonly kind: 'events'; readonly start: number; readonly end: number; readonly block: TestBlock; readonly events: readonly A.TestEvent[] }
  | { readonly kind: 'expect'; readonly start: number; readonly end: number; readonly expectation: A.Expectation };

export class AstPrinter {
  private readonly text: string;
  private readonly comments: readonly A.Comment[];

  /**
   * @param breaks false to print everything on one line (condition and rule texts for the
   *   semantic diff); true for the file layout.
   */
  constructor(
    private readonly w: LineWriter,
    source: { readonly text: string; readonly comments: readonly A.Comment[] },
    private readonly breaks: boolean,
  ) {
    this.text = source.text;
    this.comments = source.comments;
  }

  file(file: A.RubricFile): void {
    const root = this.w.containers[0];
    for (const statement of file.statements) this.statement(statement, root);
  }

  statement(s: A.Statement, container: Container): void {
    const entry = this.w.startEntry(container, statementGroup(s), s.range.start.offset, s.range.end.offset);
    const indent = container.indent;
    const cont = indent + INDENT;
    const w = this.w;
    switch (s.kind) {
      case 'LeadDecl': {
        this.keyword('lead', s);
        this.fieldBlock(s.fields, s.range.start.offset, s, entry.id, container);
        return;
      }
      case 'EventDecl': {
        this.keyword('event', s);
        w.write(' ');
        this.identifier(s.name);
        const inner = s.name.range.end.offset;
        if (s.properties.length === 0) {
          if (!this.hasCommentIn(inner, s.range.end.offset)) return;
          const c = this.openBlock(false, indent);
          if (c !== null) this.closeBlock(c, indent, entry.id, container.id, s.range.end.offset - 1);
          return;
        }
        if (!this.breaks || !this.spansLines(s.range.start.offset, s.range.end.offset)) {
          w.write(' { ');
          s.properties.forEach((p, i) => {
            if (i > 0) w.write(', ');
            this.fieldDecl(p);
          });
          w.write(' }');
          return;
        }
        const c = this.openBlock(false, indent);
        if (c === null) return;
        for (const p of s.properties) {
          w.startEntry(c, 'field', p.range.start.offset, p.range.end.offset);
          this.fieldDecl(p);
        }
        this.closeBlock(c, indent, entry.id, container.id, s.range.end.offset - 1);
        return;
      }
      case 'LetDecl':
        this.keyword('let', s);
        w.write(' ');
        this.identifier(s.name);
        w.write(' = ');
        if (s.value.kind === 'ListLiteral') this.list(s.value);
        else this.value(s.value);
        return;
      case 'SegmentDecl':
        this.keyword('segment', s);
        w.write(' ');
        this.identifier(s.name);
        w.write(' = ');
        this.condition(s.condition, cont);
        return;
      case 'GroupDecl': {
        this.keyword('group', s);
        w.write(' ');
        this.identifier(s.name);
        const bounds: Array<['max' | 'min', A.NumberLiteral]> = [];
        if (s.max !== undefined) bounds.push(['max', s.max]);
        if (s.min !== undefined) bounds.push(['min', s.min]);
        bounds.sort((a, b) => a[1].range.start.offset - b[1].range.start.offset);
        for (const [word, n] of bounds) {
          w.write(` ${word} `);
          this.number(n);
        }
        this.decay(s.halfLife, s.linearDecay);
        this.statementBlock(s.rules, s.name.range.end.offset, s, entry.id, container);
        return;
      }
      case 'ScoreRangeDecl':
        this.keyword('score', s);
        w.write(' range ');
        this.number(s.min);
        w.write(' to ');
        this.number(s.max);
        return;
      case 'WhenRule':
        this.keyword('when', s);
        w.write(' ');
        this.condition(s.condition, cont);
        w.write(` ${s.sign} `);
        this.number(s.points);
        if (s.limit !== undefined) this.runLimit(s.limit);
        this.decay(s.halfLife, s.linearDecay);
        if (s.label !== undefined) {
          w.write(' ');
          this.string(s.label);
        }
        return;
      case 'EachRule':
        this.keyword('each', s);
        w.write(' ');
        this.identifier(s.event);
        this.eventClauses(s.where, s.within, cont);
        w.write(` ${s.sign} `);
        this.number(s.points);
        if (s.upTo !== undefined) {
          w.write(' up to ');
          this.number(s.upTo);
        }
        if (s.limit !== undefined) this.runLimit(s.limit);
        this.decay(s.halfLife, s.linearDecay);
        if (s.label !== undefined) {
          w.write(' ');
          this.string(s.label);
        }
        return;
      case 'StageDecl':
        this.keyword('stage', s);
        w.write(' ');
        this.identifier(s.name);
        w.write(' at ');
        this.number(s.threshold);
        // `requirements` holds every item (bare names too); a tree made by hand may have only `requires`.
        if ((s.requirements ?? s.requires).length > 0) {
          w.write(' requires ');
          if (s.requirements === undefined) {
            s.requires.forEach((field, i) => {
              if (i > 0) w.write(', ');
              this.identifier(field);
            });
          } else {
            s.requirements.forEach((item, i) => {
              if (i > 0) w.write(', ');
              this.condition(item, cont);
            });
          }
        }
        if (s.when !== undefined) {
          w.write(' when ');
          this.condition(s.when, cont);
        }
        return;
      case 'TierDecl':
        this.keyword('tier', s);
        w.write(' ');
        this.identifier(s.name);
        w.write(' when ');
        this.condition(s.condition, cont);
        return;
      case 'TestDecl': {
        this.keyword('test', s);
        w.write(' ');
        this.string(s.name);
        const items = this.testItems(s);
        const c = this.openBlock(items.length === 0 && !this.hasCommentIn(s.name.range.end.offset, s.range.end.offset), indent);
        if (c === null) return;
        for (const item of items) {
          const itemEntry = w.startEntry(c, 'test-item', item.start, item.end);
          this.testItem(item, c, itemEntry.id);
        }
        this.closeBlock(c, indent, entry.id, container.id, s.range.end.offset - 1);
        return;
      }
      case 'DataDecl': {
        // One setting per line, in the order written (a comment stays with its setting).
        this.keyword('data', s);
        const c = this.openBlock(s.settings.length === 0 && !this.hasCommentIn(s.range.start.offset, s.range.end.offset), indent);
        if (c === null) return;
        for (const setting of s.settings) {
          w.startEntry(c, 'data-setting', setting.range.start.offset, setting.range.end.offset);
          this.dataSetting(setting);
        }
        this.closeBlock(c, indent, entry.id, container.id, s.range.end.offset - 1);
        return;
      }
      case 'AccountDecl': {
        // `account KEY = LEAD_FIELD {`, then one field per line like `lead`.
        this.keyword('account', s);
        w.write(' ');
        this.identifier(s.key);
        w.write(' = ');
        this.identifier(s.leadKey);
        this.fieldBlock(s.fields, s.leadKey.range.end.offset, s, entry.id, container);
        return;
      }
      case 'AccountScoringDecl': {
        // The same block as a `group`'s: one statement per line, blank lines kept where written.
        this.w.token('score accounts', s.keyword.range.start.offset, s.keyword.range.end.offset);
        this.statementBlock(s.statements, s.keyword.range.end.offset, s, entry.id, container);
        return;
      }
      case 'TableDecl': {
        // One line per table line, in file order (the order is the meaning: the first match wins).
        this.keyword('table', s);
        w.write(' ');
        this.identifier(s.name);
        const c = this.openBlock(s.lines.length === 0 && !this.hasCommentIn(s.name.range.end.offset, s.range.end.offset), indent);
        if (c === null) return;
        for (const line of s.lines) {
          w.startEntry(c, 'table-line', line.range.start.offset, line.range.end.offset);
          this.tableLine(line);
        }
        this.closeBlock(c, indent, entry.id, container.id, s.range.end.offset - 1);
        return;
      }
    }
  }

  /** `"ceo", pdg -> executive`: patterns one `, ` apart, then ` -> ` and the value. */
  private tableLine(line: A.TableLine): void {
    line.patterns.forEach((pattern, i) => {
      if (i > 0) this.w.write(', ');
      this.tableText(pattern);
    });
    this.w.write(' -> ');
    this.tableText(line.output);
  }

  private tableText(text: A.TableText): void {
    if (text.kind === 'WordValue') this.identifier(text.name);
    else this.value(text);
  }

  /** `name: [..]` or `name: word word` (the words one space apart). */
  private dataSetting(setting: A.DataSetting): void {
    const name = setting.name;
    this.w.token(name.text, name.range.start.offset, name.range.end.offset);
    this.w.write(': ');
    const value = setting.value;
    if (value.kind === 'ListLiteral') this.list(value);
    else this.w.token(value.text, value.range.start.offset, value.range.end.offset);
  }

  // ------------------------------------------------------------------------------ conditions

  /** Prints a condition; `cont` is the indentation of its continuation lines. */
  condition(c: A.Condition, cont: number): void {
    const w = this.w;
    switch (c.kind) {
      case 'And':
      case 'Or': {
        const word = c.kind === 'And' ? 'and' : 'or';
        c.operands.forEach((operand, i) => {
          if (i > 0) {
            w.write(` ${word}`);
            const previous = c.operands[i - 1];
            if (this.breaks && this.spansLines(previous.range.end.offset, operand.range.start.offset)) w.continueEntry(cont);
            else w.write(' ');
          }
          this.condition(operand, cont);
        });
        return;
      }
      case 'Not':
        w.write('not ');
        this.condition(c.operand, cont);
        return;
      case 'Paren':
        w.token('(', c.range.start.offset, c.range.start.offset + 1);
        this.condition(c.inner, cont);
        w.token(')', c.range.end.offset - 1, c.range.end.offset);
        return;
      case 'Compare':
        this.operand(c.left);
        w.write(` ${c.operator} `);
        this.operand(c.right);
        return;
      case 'Between':
        this.operand(c.subject);
        w.write(' between ');
        this.operand(c.low);
        w.write(' and ');
        this.operand(c.high);
        return;
      case 'In':
        this.operand(c.subject);
        w.write(c.negated ? ' not in ' : ' in ');
        if (c.list.kind === 'ListLiteral') this.list(c.list);
        else this.operand(c.list);
        return;
      case 'Text':
      case 'Has':
        this.operand(c.subject);
        w.write(`${c.negated === true ? ' not' : ''} ${c.kind === 'Has' ? 'has' : c.operator} ${c.any ? 'any ' : ''}`);
        if (c.values.kind === 'ListLiteral') this.list(c.values);
        else this.operand(c.values);
        return;
      case 'Is':
        this.operand(c.subject);
        w.write(` is ${c.test}`);
        return;
      case 'Ref':
        this.operand(c.ref);
        return;
      case 'EventExists':
        w.write(`${c.quantifier} `);
        this.identifier(c.event);
        this.eventClauses(c.where, c.within, cont);
        return;
      case 'EventCount':
        w.write(c.distinct === undefined ? 'count ' : 'count distinct ');
        this.identifier(c.event);
        if (c.property !== undefined) {
          w.write('.');
          this.identifier(c.property);
        }
        this.eventClauses(c.where, c.within, cont);
        w.write(' ');
        this.numericTest(c.test);
        return;
      case 'DaysSince':
        w.write('days since last ');
        this.identifier(c.event);
        this.eventClauses(c.where, undefined, cont);
        w.write(' ');
        this.numericTest(c.test);
        return;
      case 'ContactCount':
        w.write('count ');
        w.token('contacts', c.contacts.range.start.offset, c.contacts.range.end.offset);
        this.eventClauses(c.where, undefined, cont);
        w.write(' ');
        this.numericTest(c.test);
        return;
      case 'ContactAggregate':
        w.token(c.aggregate, c.aggregateRange.start.offset, c.aggregateRange.end.offset);
        w.write(' ');
        this.operand(c.value);
        w.write(' of ');
        if (c.top !== undefined) {
          w.write('top ');
          this.number(c.top);
          w.write(' ');
        }
        w.token('contacts', c.contacts.range.start.offset, c.contacts.range.end.offset);
        this.eventClauses(c.where, undefined, cont);
        w.write(' ');
        this.numericTest(c.test);
        return;
    }
  }

  /** `EVENT [where C] [within D]`: what an `each` rule counts. */
  eachQuery(rule: A.EachRule): void {
    this.identifier(rule.event);
    this.eventClauses(rule.where, rule.within, 0);
  }

  private eventClauses(where: A.Condition | undefined, within: A.Duration | undefined, cont: number): void {
    if (where !== undefined) {
      this.w.write(' where ');
      this.condition(where, cont);
    }
    if (within !== undefined) {
      this.w.write(' within ');
      this.duration(within);
    }
  }

  private numericTest(test: A.NumericTest): void {
    if (test.kind === 'CompareTest') {
      this.w.write(`${test.operator} `);
      this.operand(test.value);
    } else {
      this.w.write('between ');
      this.operand(test.low);
      this.w.write(' and ');
      this.operand(test.high);
    }
  }

  private operand(o: A.Operand): void {
    switch (o.kind) {
      case 'NameRef':
        this.identifier(o.name);
        return;
      case 'ScoreRef':
        this.w.token('score', o.range.start.offset, o.range.end.offset);
        return;
      case 'StageRef':
        this.w.token(o.which, o.range.start.offset, o.range.end.offset);
        return;
      case 'RelativeTime':
        this.relativeTime(o);
        return;
      case 'TableLookup':
        this.identifier(o.table);
        this.w.write('(');
        this.identifier(o.input.name);
        this.w.write(')');
        return;
      default:
        this.value(o);
    }
  }

  // ------------------------------------------------------------------------------ values

  value(v: A.Value): void {
    switch (v.kind) {
      case 'NumberLiteral':
        this.number(v);
        return;
      case 'StringLiteral':
        this.string(v);
        return;
      case 'BooleanLiteral':
        this.w.token(v.value ? 'true' : 'false', v.range.start.offset, v.range.end.offset);
        return;
      case 'DateLiteral':
        this.w.token(v.raw, v.range.start.offset, v.range.end.offset);
        return;
      case 'WordValue':
        this.identifier(v.name);
        return;
    }
  }

  private number(n: A.NumberLiteral): void {
    this.w.token(n.raw, n.range.start.offset, n.range.end.offset);
  }

  private string(s: A.StringLiteral): void {
    this.w.token(canonicalString(s), s.range.start.offset, s.range.end.offset);
  }

  identifier(id: A.Identifier): void {
    const text = id.parts.map((p) => (p.quoted ? '`' + p.text + '`' : p.text)).join('.');
    this.w.token(text, id.range.start.offset, id.range.end.offset);
  }

  private duration(d: A.Duration): void {
    this.w.token(`${d.amount.raw} ${d.unitRaw}`, d.range.start.offset, d.range.end.offset);
  }

  /** ` half-life D` or ` decay P% per PERIOD` (nothing when there is none). */
  private decay(halfLife: A.Duration | undefined, linear: A.LinearDecay | undefined): void {
    if (halfLife !== undefined) {
      this.w.write(' half-life ');
      this.duration(halfLife);
    }
    if (linear !== undefined) {
      this.w.write(' decay ');
      this.w.token(`${linear.percent.raw}%`, linear.percent.range.start.offset, linear.percent.range.end.offset + 1);
      this.w.write(' per ');
      this.period(linear.period);
    }
  }

  /** ` at most K per PERIOD` (`once` as written). */
  private runLimit(limit: A.RunLimit): void {
    this.w.write(' at most ');
    if (limit.count === undefined) this.w.write('once');
    else this.number(limit.count);
    this.w.write(' per ');
    this.period(limit.period);
  }

  private period(p: A.Period): void {
    this.w.token(p.amount === undefined ? p.unitRaw : `${p.amount.raw} ${p.unitRaw}`, p.range.start.offset, p.range.end.offset);
  }

  private relativeTime(r: A.RelativeTime): void {
    this.w.token(
      `${r.duration.amount.raw} ${r.duration.unitRaw} ${r.direction}`,
      r.range.start.offset,
      r.range.end.offset,
    );
  }

  /** `[a, b]`; a list written over several lines keeps its line breaks between items. */
  list(l: A.ListLiteral): void {
    const w = this.w;
    const open = l.range.start.offset;
    const close = l.range.end.offset - 1;
    const multiLine = this.breaks && this.spansLines(open, close) && (l.items.length > 0 || this.hasCommentIn(open, close));
    w.token('[', open, open + 1);
    if (!multiLine) {
      l.items.forEach((item, i) => {
        if (i > 0) w.write(', ');
        this.value(item);
      });
      w.token(']', close, close + 1);
      return;
    }
    const owner = w.line;
    const ownerIndent = owner.indent;
    const c = w.newContainer(ownerIndent + INDENT);
    w.markOpens(c);
    let row: A.Value[] = [];
    const rows: A.Value[][] = [];
    for (const item of l.items) {
      if (row.length > 0 && this.spansLines(row[row.length - 1].range.end.offset, item.range.start.offset)) {
        rows.push(row);
        row = [];
      }
      row.push(item);
    }
    if (row.length > 0) rows.push(row);
    rows.forEach((items, r) => {
      w.startEntry(c, 'list-item', items[0].range.start.offset, items[items.length - 1].range.end.offset);
      items.forEach((item, i) => {
        if (i > 0) w.write(', ');
        this.value(item);
      });
      if (r < rows.length - 1) w.write(',');
    });
    w.closeContainer(c, ownerIndent, owner.entry, owner.container);
    w.token(']', close, close + 1);
  }

  // ------------------------------------------------------------------------------ declarations

  /** `name: type`, then `from "COLUMN"` and `missing [..]` in that order, whatever the order written. */
  private fieldDecl(f: A.FieldDecl): void {
    this.identifier(f.name);
    this.w.write(': ');
    const t = f.type;
    switch (t.kind) {
      case 'PrimitiveType':
        this.w.token(t.name, t.range.start.offset, t.range.end.offset);
        break;
      case 'ListType':
        this.w.token('list of text', t.range.start.offset, t.range.end.offset);
        break;
      case 'OneOfType':
        this.w.token('one of', t.range.start.offset, t.range.start.offset + 3);
        this.w.write(' ');
        this.list(t.values);
        break;
    }
    if (f.from !== undefined) {
      this.w.write(' from ');
      this.string(f.from);
    }
    if (f.missing !== undefined) {
      this.w.write(' missing ');
      this.list(f.missing);
    }
  }

  // ------------------------------------------------------------------------------ tests

  private testItems(test: A.TestDecl): TestItem[] {
    const items: TestItem[] = [];
    if (test.now !== undefined) {
      items.push({ kind: 'now', start: test.now.range.start.offset, end: test.now.range.end.offset, date: test.now });
    }
    const contacts = test.contacts ?? [];
    // A contact's own `events { }` block belongs to the contact, not to the test.
    const blocks = this.testBlocks(test).filter(
      (b) => !contacts.some((c) => b.start >= c.range.start.offset && b.start < c.range.end.offset),
    );
    const inBlock = (block: TestBlock, r: A.Range): boolean => r.start.offset > block.start && r.end.offset <= block.close;
    for (const block of blocks.filter((b) => b.kind === 'account')) {
      const fields = (test.account ?? []).filter((f) => inBlock(block, f.range));
      items.push({ kind: 'account', start: block.start, end: block.close + 1, block, fields });
    }
    for (const contact of contacts) {
      items.push({ kind: 'contact', start: contact.range.start.offset, end: contact.range.end.offset, contact });
    }
    const leadBlocks = blocks.filter((b) => b.kind === 'lead');
    const eventBlocks = blocks.filter((b) => b.kind === 'events');
    for (const block of leadBlocks) {
      const fields = test.lead.filter((f) => inBlock(block, f.range));
      items.push({ kind: 'lead', start: block.start, end: block.close + 1, block, fields });
    }
    for (const block of eventBlocks) {
      const events = test.events.filter((e) => inBlock(block, e.range));
      items.push({ kind: 'events', start: block.start, end: block.close + 1, block, events });
    }
    // Anything no block was found for (never expected) is still printed, in a block of its own.
    const strayFields = test.lead.filter((f) => !leadBlocks.some((b) => inBlock(b, f.range)));
    if (strayFields.length > 0) {
      const start = strayFields[0].range.start.offset;
      const close = strayFields[strayFields.length - 1].range.end.offset;
      items.push({ kind: 'lead', start, end: close, block: { kind: 'lead', start, close }, fields: strayFields });
    }
    const strayEvents = test.events.filter((e) => !eventBlocks.some((b) => inBlock(b, e.range)));
    if (strayEvents.length > 0) {
      const start = strayEvents[0].range.start.offset;
      const close = strayEvents[strayEvents.length - 1].range.end.offset;
      items.push({ kind: 'events', start, end: close, block: { kind: 'events', start, close }, events: strayEvents });
    }
    for (const expectation of test.expectations) {
      items.push({ kind: 'expect', start: expectation.range.start.offset, end: expectation.range.end.offset, expectation });
    }
    return items.sort((a, b) => a.start - b.start);
  }

  /** The `lead { }`, `events { }` and `account { }` blocks directly inside a test, in source order. */
  private testBlocks(test: A.TestDecl): TestBlock[] {
    const base = test.range.start.offset;
    const tokens = rubricLexer.tokenize(this.text.slice(base, test.range.end.offset)).tokens;
    const blocks: TestBlock[] = [];
    let depth = 0;
    let open: { kind: TestBlock['kind']; start: number } | null = null;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.tokenType === LCurly) {
        depth++;
      } else if (t.tokenType === RCurly) {
        depth--;
        if (depth === 1 && open !== null) {
          blocks.push({ ...open, close: base + t.startOffset });
          open = null;
        }
      } else if (
        depth === 1 &&
        (t.tokenType === LeadToken || t.image === 'events' || t.image === 'account') &&
        tokens[i + 1]?.tokenType === LCurly
      ) {
        if (open !== null) blocks.push({ ...open, close: base + t.startOffset - 1 });
        open = { kind: t.tokenType === LeadToken ? 'lead' : t.image === 'events' ? 'events' : 'account', start: base + t.startOffset };
      }
    }
    if (open !== null) blocks.push({ ...open, close: test.range.end.offset - 1 });
    return blocks;
  }

  private testItem(item: TestItem, container: Container, entry: number): void {
    const w = this.w;
    const indent = container.indent;
    switch (item.kind) {
      case 'now':
        w.write('now ');
        this.value(item.date);
        return;
      case 'lead':
      case 'account':
        w.token(item.kind, item.block.start, item.block.start + item.kind.length);
        this.testFieldBlock(item.fields, item.block.start, item.block.close, indent, entry, container.id);
        return;
      case 'contact':
        this.testContact(item.contact, indent, entry, container.id);
        return;
      case 'events': {
        w.token('events', item.block.start, item.block.start + 6);
        const c = this.openBlock(item.events.length === 0 && !this.hasCommentIn(item.block.start, item.block.close), indent);
        if (c === null) return;
        for (const event of item.events) {
          w.startEntry(c, 'test-event', event.range.start.offset, event.range.end.offset);
          this.testEvent(event);
        }
        this.closeBlock(c, indent, entry, container.id, item.block.close);
        return;
      }
      case 'expect':
        this.expectation(item.expectation);
        return;
    }
  }

  /**
   * ` { a: 1, b: 2 }` (kept on one line when written on one, without comments), ` {}`, or one field
   * per line; `open` is the offset of the word before the block, `close` that of its `}`.
   */
  private testFieldBlock(fields: readonly A.TestField[], open: number, close: number, indent: number, entry: number, container: number): void {
    const w = this.w;
    const inline = !this.spansLines(open, close) && !this.hasCommentIn(open, close);
    if (fields.length === 0 && !this.hasCommentIn(open, close)) {
      w.write(' {}');
      return;
    }
    if (inline || !this.breaks) {
      w.write(' { ');
      this.testFields(fields);
      w.write(' }');
      return;
    }
    const c = this.openBlock(false, indent);
    if (c === null) return;
    for (const field of fields) {
      w.startEntry(c, 'field', field.range.start.offset, field.range.end.offset);
      this.testField(field);
    }
    this.closeBlock(c, indent, entry, container, close);
  }

  /**
   * `contact { fields } [events { ... }]` (issue 17). The events stay on the contact's line when
   * written on one line (`events { email_click at 2026-02-25 }`), else one per line.
   */
  private testContact(contact: A.TestContact, indent: number, entry: number, container: number): void {
    const w = this.w;
    const start = contact.range.start.offset;
    w.token('contact', start, start + 'contact'.length);
    const { fieldsClose, events } = this.contactBlocks(contact);
    this.testFieldBlock(contact.fields, start, fieldsClose, indent, entry, container);
    if (events === null) return;
    w.write(' ');
    w.token('events', events.start, events.start + 'events'.length);
    const empty = contact.events.length === 0 && !this.hasCommentIn(events.start, events.close);
    if (empty) {
      w.write(' {}');
      return;
    }
    if (!this.breaks || (!this.spansLines(events.start, events.close) && !this.hasCommentIn(events.start, events.close))) {
      w.write(' { ');
      contact.events.forEach((e, i) => {
        if (i > 0) w.write(', ');
        this.testEvent(e);
      });
      w.write(' }');
      return;
    }
    const c = this.openBlock(false, indent);
    if (c === null) return;
    for (const event of contact.events) {
      w.startEntry(c, 'test-event', event.range.start.offset, event.range.end.offset);
      this.testEvent(event);
    }
    this.closeBlock(c, indent, entry, container, events.close);
  }

  /** The offset of the `}` closing a contact's fields, and its `events { }` block if written. */
  private contactBlocks(contact: A.TestContact): { fieldsClose: number; events: { start: number; close: number } | null } {
    const base = contact.range.start.offset;
    const tokens = rubricLexer.tokenize(this.text.slice(base, contact.range.end.offset)).tokens;
    let depth = 0;
    let fieldsClose = -1;
    let eventsStart = -1;
    let eventsClose = -1;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.tokenType === LCurly) depth++;
      else if (t.tokenType === RCurly) {
        depth--;
        if (depth === 0) {
          if (fieldsClose === -1) fieldsClose = base + t.startOffset;
          else if (eventsStart !== -1 && eventsClose === -1) eventsClose = base + t.startOffset;
        }
      } else if (depth === 0 && fieldsClose !== -1 && t.image === 'events' && tokens[i + 1]?.tokenType === LCurly) {
        eventsStart = base + t.startOffset;
      }
    }
    const end = contact.range.end.offset - 1;
    if (fieldsClose === -1) fieldsClose = end;
    if (eventsStart === -1) return { fieldsClose, events: contact.events.length > 0 ? { start: fieldsClose, close: end } : null };
    return { fieldsClose, events: { start: eventsStart, close: eventsClose === -1 ? end : eventsClose } };
  }

  private testFields(fields: readonly A.TestField[]): void {
    fields.forEach((f, i) => {
      if (i > 0) this.w.write(', ');
      this.testField(f);
    });
  }

  private testField(f: A.TestField): void {
    this.identifier(f.name);
    this.w.write(': ');
    if (f.value.kind === 'ListLiteral') this.list(f.value);
    else this.value(f.value);
  }

  private testEvent(e: A.TestEvent): void {
    const w = this.w;
    this.identifier(e.event);
    if (e.properties.length > 0) {
      w.write(' { ');
      this.testFields(e.properties);
      w.write(' }');
    }
    if (e.at.kind === 'DateLiteral') {
      w.write(' at ');
      this.value(e.at);
    } else {
      w.write(' ');
      this.relativeTime(e.at);
    }
  }

  private expectation(x: A.Expectation): void {
    const w = this.w;
    w.token('expect', x.range.start.offset, x.range.start.offset + 6);
    if (x.account !== undefined) {
      w.write(' ');
      w.token('account', x.account.range.start.offset, x.account.range.end.offset);
    }
    switch (x.kind) {
      case 'ExpectScore':
        w.write(x.operator === '=' ? ' score ' : ` score ${x.operator} `);
        this.number(x.value);
        return;
      case 'ExpectGroup':
        w.write(' group ');
        this.identifier(x.group);
        w.write(x.operator === '=' ? ' ' : ` ${x.operator} `);
        this.number(x.value);
        return;
      case 'ExpectStage':
        if (x.stage === undefined) {
          w.write(' no stage');
        } else {
          w.write(' stage ');
          this.identifier(x.stage);
        }
        return;
      case 'ExpectTier':
        if (x.tier === undefined) {
          w.write(' no tier');
        } else {
          w.write(' tier ');
          this.identifier(x.tier);
        }
        return;
      case 'ExpectRule':
        w.write(' rule ');
        this.string(x.label);
        w.write(x.fired ? ' fired' : ' not fired');
        return;
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private keyword(word: string, node: { readonly range: A.Range }): void {
    this.w.token(word, node.range.start.offset, node.range.start.offset + word.length);
  }

  /** Writes ` {}` (empty) and returns null, or writes ` {` and returns the block's container. */
  /**
   * The `{ ... }` of a block of statements (a `group`'s rules, `score accounts`): `{}` when it
   * holds none and no comment after its head (`afterHead`), else one statement per line with the
   * blank lines written kept, the closing `}` on its own line at the owner's indentation.
   */
  private statementBlock(statements: readonly A.Statement[], afterHead: number, owner: A.Statement, ownerEntry: number, ownerContainer: Container): void {
    this.entryBlock(statements, afterHead, owner, ownerEntry, ownerContainer, (statement, c) => this.statement(statement, c));
  }

  /** The `{ ... }` of a block of field declarations (`lead`, `account`): one field per line. */
  private fieldBlock(fields: readonly A.FieldDecl[], afterHead: number, owner: A.Statement, ownerEntry: number, ownerContainer: Container): void {
    this.entryBlock(fields, afterHead, owner, ownerEntry, ownerContainer, (field, c) => {
      this.w.startEntry(c, 'field', field.range.start.offset, field.range.end.offset);
      this.fieldDecl(field);
    });
  }

  /** The one block printer of {@link statementBlock} and {@link fieldBlock}: `{}`, or `{`, each item, `}`. */
  private entryBlock<T>(items: readonly T[], afterHead: number, owner: A.Statement, ownerEntry: number, ownerContainer: Container, print: (item: T, c: Container) => void): void {
    const indent = ownerContainer.indent;
    const c = this.openBlock(items.length === 0 && !this.hasCommentIn(afterHead, owner.range.end.offset), indent);
    if (c === null) return;
    for (const item of items) print(item, c);
    this.closeBlock(c, indent, ownerEntry, ownerContainer.id, owner.range.end.offset - 1);
  }

  private openBlock(empty: boolean, indent: number): Container | null {
    if (empty) {
      this.w.write(' {}');
      return null;
    }
    this.w.write(' {');
    const c = this.w.newContainer(indent + INDENT);
    this.w.markOpens(c);
    return c;
  }

  private closeBlock(c: Container, indent: number, ownerEntry: number, ownerContainer: number, closeOffset: number): void {
    this.w.closeContainer(c, indent, ownerEntry, ownerContainer);
    this.w.token('}', closeOffset, closeOffset + 1);
  }

  private spansLines(from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (this.text.charCodeAt(i) === 10) return true;
    return false;
  }

  /** Whether a comment starts in `[from, to)` (comments are in source order: binary search). */
  private hasCommentIn(from: number, to: number): boolean {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid].range.start.offset < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.comments.length && this.comments[lo].range.start.offset < to;
  }
}
