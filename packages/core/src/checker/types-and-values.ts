/**
 * Types and constant values: the declared field types, the operators each type allows, and the
 * resolution of literals and bare words (a `let` of that name, else text) into typed, folded
 * constants. Lists splice list `let`s and reject what is not text.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import { fold } from '../runtime/fold.js';
import { MAX_LET_TEXT_PER_FILE, MAX_LIST_VALUES, MAX_LIST_VALUES_PER_FILE } from '../limits.js';
import type { LetDecl, ListLiteral, Range, Statement, TypeExpr, Value, WordValue } from '../syntax/ast.js';
import { walkNodesOverlapping, matchesIn } from './ast-walk.js';
import type { CheckContext } from './context.js';
import type { ConstValue, FieldType } from './model.js';
import { formatName, quoteText } from './source-text.js';
import { Suggester } from './suggest.js';

/** A type as a condition sees it: a declared type, or a group's / the score's number. */
export type SubjectTypeKind = FieldType['kind'] | 'group' | 'score';

/** The type written in a "declare this field" fix, inferred from how the field is used. */
export type InferredType = 'text' | 'number' | 'bool' | 'date' | 'list of text';

/** A text value of a list after resolution, with where it came from. */
export interface ListItem {
  readonly text: string;
  readonly folded: string;
  /** The range to point at: the item, or the `let` reference it was spliced from. */
  readonly range: Range;
  /** The `let` the item came from, when spliced. */
  readonly viaLet?: string;
}

// The characters of a list, counted once per list value.
const LIST_LENGTHS = new WeakMap<ConstValue, number>();

/** The characters of a text or a list's values (0 for numbers, dates and booleans). */
function textLength(value: ConstValue): number {
  if (value.kind === 'text') return value.value.length;
  if (value.kind !== 'list') return 0;
  let length = LIST_LENGTHS.get(value);
  if (length === undefined) {
    length = 0;
    for (const text of value.values) length += text.length;
    LIST_LENGTHS.set(value, length);
  }
  return length;
}

/** At most this many `let` cycles are reported in one file. */
const MAX_CYCLE_REPORTS = 100;

/** `131072` as `131,072`, the same on every machine. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n) || n > 1e18) return 'more than 10^18';
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const COMPARE_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'between'];
const TEXT_OPERATORS = ['=', '!=', 'in', 'not in', 'starts', 'ends', 'contains'];

/** The operators a type allows, for "use ... instead" messages. */
export function allowedOperators(kind: SubjectTypeKind): readonly string[] {
  switch (kind) {
    case 'number':
    case 'date':
      return [...COMPARE_OPERATORS, 'is set', 'is missing'];
    case 'group':
    case 'score':
      return COMPARE_OPERATORS;
    case 'text':
    case 'one-of':
      return [...TEXT_OPERATORS, 'is set', 'is missing'];
    case 'bool':
      return ['is true', 'is false', '= true', '= false', 'is set', 'is missing'];
    case 'list':
      return ['has', 'has any', 'is set', 'is missing'];
  }
}

/** `` `=`, `!=` or `between` `` */
export function listOperators(operators: readonly string[]): string {
  const quoted = operators.map((o) => `\`${o}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** A type in words, for messages: `a number`, `text`, `one of [free, pro]`. */
export function describeType(type: FieldType | { readonly kind: 'group' | 'score' }): string {
  switch (type.kind) {
    case 'text':
      return 'text';
    case 'number':
      return 'a number';
    case 'bool':
      return 'a bool';
    case 'date':
      return 'a date';
    case 'list':
      return 'a list of text';
    case 'one-of':
      return `one of [${listValues(type.written)}]`;
    case 'group':
      return 'a group (a number)';
    case 'score':
      return 'the score (a number)';
  }
}

/**
 * The values of a `one of` in a message: all of them up to a dozen, else the first ten and how
 * many more (a set of 100,000 values would otherwise be copied into every message about it).
 */
export function listValues(values: readonly string[]): string {
  if (values.length <= 12) return values.join(', ');
  return `${values.slice(0, 10).join(', ')}, ... (${values.length - 10} more)`;
}

/** A constant's type in words. */
export function describeConst(value: ConstValue): string {
  switch (value.kind) {
    case 'text':
      return 'text';
    case 'number':
      return 'a number';
    case 'bool':
      return 'a bool';
    case 'date':
      return 'a date';
    case 'list':
      return 'a list';
  }
}

/** The "declare it" type for a constant a field is compared with. */
export function inferredTypeOf(value: ConstValue | undefined): InferredType {
  if (value === undefined) return 'text';
  switch (value.kind) {
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'date':
      return 'date';
    case 'list':
      return 'list of text';
    case 'text':
      return 'text';
  }
}

/** A quick fix that quotes a value so it reads as text. */
export function quoteFix(ctx: CheckContext, value: Value): Fix {
  const text = writtenText(ctx, value);
  return { title: `quote it: \`${quoteText(text)}\``, edits: [{ range: value.range, newText: quoteText(text) }] };
}

/** The text a quoted version of `value` should hold. */
function writtenText(ctx: CheckContext, value: Value): string {
  switch (value.kind) {
    case 'WordValue':
      return value.name.name;
    case 'NumberLiteral':
      return value.raw;
    case 'DateLiteral':
      return value.raw;
    case 'BooleanLiteral':
      return String(value.value);
    case 'StringLiteral':
      return ctx.source.slice(value.range);
  }
}

function isDotted(word: WordValue): boolean {
  return (word.name?.parts?.length ?? 1) > 1 || (word.name?.name ?? '').includes('.');
}

/**
 * Resolves `let`s, literals and bare words. One per check: `let`s are resolved once each (so
 * their diagnostics and references are recorded once), in any order, with cycles reported.
 */
export class ValueResolver {
  private readonly stack: string[] = [];
  /** Position of each `let` on {@link stack}. */
  private readonly onStack = new Map<string, number>();
  private readonly reportedCycles = new Set<string>();
  private readonly failed = new Set<string>();
  /** Values copied out of list `let`s so far (see {@link MAX_LIST_VALUES_PER_FILE}). */
  private splicedValues = 0;
  private reportedFileTotal = false;
  /** Characters copied out of `let`s into conditions so far. */
  private copiedCharacters = 0;
  private reportedCharacters = false;

  constructor(private readonly ctx: CheckContext) {}

  /** Resolves every `let`, in file order, filling `ctx.lets`. */
  resolveAllLets(): void {
    for (const name of this.ctx.letDecls.keys()) this.letValue(name);
  }

  /**
   * The value of the `let` called `name`, or undefined if there is none or it is broken. The
   * `let`s it names are resolved first, deepest first, with an explicit stack rather than by
   * recursion, so a chain of 100,000 `let`s cannot overflow the call stack.
   */
  letValue(name: string): ConstValue | undefined {
    const known = this.ctx.lets.get(name);
    if (known !== undefined) return known.value;
    const decl = this.ctx.letDecls.get(name);
    if (decl === undefined || this.failed.has(name)) return undefined;
    const at = this.onStack.get(name);
    if (at !== undefined) {
      this.reportLetCycle(this.stack.slice(at), name);
      return undefined;
    }
    this.push(name);
    const work: { readonly name: string; readonly decl: LetDecl; readonly dependencies: readonly string[]; next: number }[] = [
      { name, decl, dependencies: this.dependencies(decl), next: 0 },
    ];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.dependencies.length) {
        const dependency = frame.dependencies[frame.next++];
        const dependencyDecl = this.ctx.letDecls.get(dependency);
        // Known, broken or on the stack (a cycle, reported when the value is built): nothing to do.
        if (dependencyDecl === undefined || this.ctx.lets.has(dependency) || this.failed.has(dependency) || this.onStack.has(dependency)) continue;
        this.push(dependency);
        work.push({ name: dependency, decl: dependencyDecl, dependencies: this.dependencies(dependencyDecl), next: 0 });
        continue;
      }
      work.pop();
      // Every `let` it names is now known or broken, or on the stack (a cycle).
      this.build(frame.name, frame.decl);
      this.pop();
    }
    return this.ctx.lets.get(name)?.value;
  }

  private push(name: string): void {
    this.onStack.set(name, this.stack.length);
    this.stack.push(name);
  }

  private pop(): void {
    const name = this.stack.pop();
    if (name !== undefined) this.onStack.delete(name);
  }

  /** The `let`s the value of `decl` names, in order. */
  private dependencies(decl: LetDecl): string[] {
    const value = decl.value;
    if (value === undefined) return [];
    const words = value.kind === 'ListLiteral' ? (value.items ?? []) : [value];
    const names: string[] = [];
    for (const word of words) {
      if (word?.kind !== 'WordValue') continue;
      const name = word.name?.name ?? '';
      if (this.ctx.letDecls.has(name)) names.push(name);
    }
    return names;
  }

  /** Builds the value of one `let` whose dependencies are resolved. */
  private build(name: string, decl: LetDecl): void {
    let value: ConstValue | undefined;
    if (decl.value === undefined) value = undefined;
    else if (decl.value.kind === 'ListLiteral') {
      const items = this.listItems(decl.value, decl);
      value = items === undefined ? undefined : { kind: 'list', values: items.map((i) => i.text), folded: items.map((i) => i.folded) };
    } else {
      value = this.scalar(decl.value);
    }
    if (value === undefined) this.failed.add(name);
    else this.ctx.lets.set(name, { name, value, decl });
  }

  /** `path` from the `let` named again (`name`) to the one naming it. */
  private reportLetCycle(path: readonly string[], name: string): void {
    // A hostile file can hold many long cycles: a few reports say enough, and cost no more.
    if (this.reportedCycles.size >= MAX_CYCLE_REPORTS) return;
    const cycle = [...path, name];
    const members = [...new Set(cycle)].sort().join(' ');
    if (this.reportedCycles.has(members)) return;
    this.reportedCycles.add(members);
    const first = this.ctx.letDecls.get(cycle[0]);
    if (first === undefined) return;
    const shown = cycle.length <= 12 ? cycle : [...cycle.slice(0, 5), `... (${cycle.length - 10} more)`, ...cycle.slice(-5)];
    const pathText = shown.map((n) => (n.startsWith('... (') ? n : `\`${n}\``)).join(' -> ');
    this.ctx.report('R018', first.name.range, `\`let ${cycle[0]}\` refers to itself: ${pathText}`, {
      help: 'give one of these `let`s a value written out in full',
    });
  }

  /**
   * Whether a list of `size` values, `spliced` of them copied from list `let`s, may be built:
   * one list holds at most {@link MAX_LIST_VALUES} values and a file copies at most
   * {@link MAX_LIST_VALUES_PER_FILE} out of `let`s; past either, R039 (the second once per file).
   * Sizes are known before anything is copied, so a list that doubles a `let` forty times is
   * reported, not built.
   */
  private admitList(size: number, spliced: number, range: Range, letDecl: LetDecl | undefined): boolean {
    if (size > MAX_LIST_VALUES) {
      const what = letDecl === undefined ? 'this list' : `the list \`${letDecl.name.name}\``;
      const holds = spliced === 0 ? `holds ${formatCount(size)} values` : `would hold ${formatCount(size)} values once its \`let\`s are expanded`;
      this.ctx.report('R039', letDecl?.name.range ?? range, `${what} ${holds}; the limit is ${formatCount(MAX_LIST_VALUES)}`, {
        help:
          spliced === 0
            ? 'split the values into several lists, or match on a shorter form with `starts`, `ends` or `contains`'
            : 'each `let` named in a list is copied into it in full: check that these `let`s do not repeat one another, or split the list',
      });
      return false;
    }
    if (spliced === 0) return true;
    if (this.splicedValues + spliced > MAX_LIST_VALUES_PER_FILE) {
      if (!this.reportedFileTotal) {
        this.reportedFileTotal = true;
        this.ctx.report('R039', letDecl?.name.range ?? range, `the lists of this file would hold more than ${formatCount(MAX_LIST_VALUES_PER_FILE)} values copied from \`let\`s; the limit is ${formatCount(MAX_LIST_VALUES_PER_FILE)}`, {
          help: 'every use of a list `let` copies all its values (into the compiled scorer and SQL too): use the large lists in fewer places, or split the file',
        });
      }
      return false;
    }
    this.splicedValues += spliced;
    return true;
  }

  /**
   * The values of a list `let` named where a list is expected (`job in titles`): counted like
   * the values copied into a list literal, since every such use holds a copy.
   */
  admitListUse(value: ConstValue & { kind: 'list' }, range: Range): boolean {
    return this.admitList(value.values.length, value.values.length, range, undefined);
  }

  /**
   * Whether the text of a `let` may be copied once more into a condition (`job = long_text`,
   * `job in titles`): a file copies at most {@link MAX_LET_TEXT_PER_FILE} characters out of
   * `let`s, since the compiled scorer and the SQL write each copy out; past it, R039 once.
   */
  admitCopy(value: ConstValue, range: Range, characters = textLength(value)): boolean {
    if (this.copiedCharacters + characters > MAX_LET_TEXT_PER_FILE) {
      if (!this.reportedCharacters) {
        this.reportedCharacters = true;
        this.ctx.report('R039', range, `the conditions of this file would hold more than ${formatCount(MAX_LET_TEXT_PER_FILE)} characters copied from \`let\`s; the limit is ${formatCount(MAX_LET_TEXT_PER_FILE)}`, {
          help: 'every use of a `let` copies its text (into the compiled scorer and SQL too): use long texts and large lists in fewer places',
        });
      }
      return false;
    }
    this.copiedCharacters += characters;
    return true;
  }

  /**
   * A bare word in value position: the `let` of that name (recording the reference) or text.
   * A dotted word that is not a `let` is an error whose fix quotes it.
   */
  word(word: WordValue): ConstValue | undefined {
    const name = word.name?.name ?? '';
    if (this.ctx.letDecls.has(name)) {
      this.ctx.reference('let', name, word.name.range);
      return this.letValue(name);
    }
    if (isDotted(word)) {
      this.ctx.report('R030', word.range, `\`${name}\` is read as a dotted name, not as text; quote it`, {
        help: `write \`${quoteText(name)}\` for the text`,
        fixes: [quoteFix(this.ctx, word)],
      });
      return undefined;
    }
    return { kind: 'text', value: name, folded: fold(name) };
  }

  /** A scalar literal or word. Dates that do not exist are undefined (reported elsewhere). */
  scalar(value: Value): ConstValue | undefined {
    switch (value.kind) {
      case 'NumberLiteral':
        return Number.isFinite(value.value) ? { kind: 'number', value: value.value } : undefined;
      case 'StringLiteral':
        return { kind: 'text', value: value.value, folded: fold(value.value) };
      case 'BooleanLiteral':
        return { kind: 'bool', value: value.value };
      case 'DateLiteral':
        return Number.isFinite(value.epochSeconds) ? { kind: 'date', epochSeconds: value.epochSeconds } : undefined;
      case 'WordValue':
        return this.word(value);
      default:
        return undefined;
    }
  }

  /**
   * The text items of a list literal, list `let`s spliced in. Numbers, dates, booleans and dotted
   * words are errors (their fix quotes them) and are left out. Undefined only when nothing is left
   * and something was wrong.
   */
  listItems(list: ListLiteral, letDecl?: LetDecl): ListItem[] | undefined {
    // First the `let`s it names (their references recorded once) and the size it would have.
    const letValues = new Map<ListLiteral['items'][number], ConstValue | undefined>();
    let size = 0;
    let spliced = 0;
    for (const item of list.items ?? []) {
      const name = item?.kind === 'WordValue' ? (item.name?.name ?? '') : '';
      if (item?.kind !== 'WordValue' || !this.ctx.letDecls.has(name)) {
        size++;
        continue;
      }
      this.ctx.reference('let', name, item.name.range);
      const value = this.letValue(name);
      letValues.set(item, value);
      const count = value?.kind === 'list' ? value.values.length : 1;
      size += count;
      if (value?.kind === 'list') spliced += count;
    }
    if (!this.admitList(size, spliced, list.range, letDecl)) return undefined;
    // Outside a `let` (in a condition, a `one of`, a test), the `let`s named are copies.
    if (letDecl === undefined) {
      let characters = 0;
      for (const value of letValues.values()) if (value !== undefined) characters += textLength(value);
      if (characters > 0 && !this.admitCopy({ kind: 'text', value: '', folded: '' }, list.range, characters)) return undefined;
    }
    const items: ListItem[] = [];
    let broken = false;
    for (const item of list.items ?? []) {
      if (item.kind === 'StringLiteral') {
        items.push({ text: item.value, folded: fold(item.value), range: item.range });
        continue;
      }
      if (item.kind === 'WordValue') {
        const name = item.name?.name ?? '';
        if (this.ctx.letDecls.has(name)) {
          const value = letValues.get(item);
          if (value === undefined) {
            broken = true;
          } else if (value.kind === 'list') {
            for (let i = 0; i < value.values.length; i++) items.push({ text: value.values[i], folded: value.folded[i], range: item.range, viaLet: name });
          } else if (value.kind === 'text') {
            items.push({ text: value.value, folded: value.folded, range: item.range, viaLet: name });
          } else {
            broken = true;
            this.ctx.report('R032', item.range, `\`${name}\` is ${describeConst(value)}, but a list holds text`, {
              help: `use a \`let\` of text here, or write the value in quotes`,
            });
          }
          continue;
        }
        if (isDotted(item)) {
          broken = true;
          this.ctx.report('R030', item.range, `\`${name}\` in a list is read as a dotted name; quote it to make it text`, {
            help: `write \`${quoteText(name)}\``,
            fixes: [quoteFix(this.ctx, item)],
          });
          continue;
        }
        items.push({ text: name, folded: fold(name), range: item.range });
        continue;
      }
      broken = true;
      const what = item.kind === 'NumberLiteral' ? 'a number' : item.kind === 'DateLiteral' ? 'a date' : 'a bool';
      const written = writtenText(this.ctx, item);
      this.ctx.report('R030', item.range, `\`${written}\` is ${what} inside a text list; quote it`, {
        help: `lists hold text: write \`${quoteText(written)}\``,
        fixes: [quoteFix(this.ctx, item)],
      });
    }
    return broken && items.length === 0 ? undefined : items;
  }

  /** The declared type of a field or property. `one of` lists splice `let`s like other lists. */
  fieldType(type: TypeExpr | undefined): FieldType | undefined {
    if (type === undefined) return undefined;
    switch (type.kind) {
      case 'PrimitiveType':
        return { kind: type.name };
      case 'ListType':
        return { kind: 'list' };
      case 'OneOfType': {
        const items = this.listItems(type.values) ?? [];
        const folded: string[] = [];
        const written: string[] = [];
        const seen = new Set<string>();
        for (const item of items) {
          if (seen.has(item.folded)) continue;
          seen.add(item.folded);
          folded.push(item.folded);
          written.push(item.text);
        }
        return { kind: 'one-of', values: folded, written };
      }
      default:
        return undefined;
    }
  }
}

// One suggester and one set of values per declared `one of` type (the type object is shared
// by every test of it), so testing a list against a large set is not quadratic.
const ONE_OF_SUGGESTERS = new WeakMap<FieldType, Suggester>();
const ONE_OF_SETS = new WeakMap<FieldType, ReadonlySet<string>>();

/** The values of a declared `one of` type as a set, built once per type (the checker's analyses share it). */
export function oneOfSet(type: FieldType & { kind: 'one-of' }): ReadonlySet<string> {
  let values = ONE_OF_SETS.get(type);
  if (values === undefined) {
    values = new Set(type.values);
    ONE_OF_SETS.set(type, values);
  }
  return values;
}

function oneOfSuggester(type: FieldType & { kind: 'one-of' }): Suggester {
  let suggester = ONE_OF_SUGGESTERS.get(type);
  if (suggester === undefined) {
    suggester = new Suggester(type.written);
    ONE_OF_SUGGESTERS.set(type, suggester);
  }
  return suggester;
}

/**
 * Values outside a `one of` set can never match (and in a test's lead they count as missing):
 * each is an error, with the closest value of the set as a quick fix.
 */
export function checkOneOf(ctx: CheckContext, subjectLabel: string, type: FieldType, items: readonly ListItem[]): boolean {
  if (type.kind !== 'one-of') return true;
  let ok = true;
  const values = oneOfSet(type);
  for (const item of items) {
    if (values.has(item.folded)) continue;
    ok = false;
    const candidate = oneOfSuggester(type).suggest(item.text);
    const source = item.viaLet === undefined ? '' : ` (from \`${item.viaLet}\`)`;
    const fixes: Fix[] = [];
    if (candidate !== undefined && item.viaLet === undefined) {
      const written = ctx.source.slice(item.range);
      const quoted = written.startsWith('"') || written.startsWith("'") || formatName(candidate) !== candidate;
      fixes.push({ title: `replace with \`${candidate}\``, edits: [{ range: item.range, newText: quoted ? quoteText(candidate) : candidate }] });
    }
    ctx.report('R015', item.range, `\`${item.text}\`${source} is not one of the values of ${subjectLabel}${candidate === undefined ? '' : `; did you mean \`${candidate}\`?`}`, {
      help: type.written.length === 0 ? noValuesHelp(subjectLabel, item.text) : `${subjectLabel} is one of [${listValues(type.written)}]`,
      fixes,
    });
  }
  return ok;
}

/**
 * Issue 17: the stages and tiers read across levels (`account.stage` in a contact rule, `stage`
 * in a test over contacts) are a `one of` of the other level's names, empty when it declares
 * none: say where to declare them rather than "is one of []".
 */
function noValuesHelp(subjectLabel: string, written: string): string {
  const name = formatName(written);
  switch (subjectLabel) {
    case '`account.stage`':
      return `the accounts have no stages: declare them in \`score accounts { }\`, e.g. \`stage ${name} at 50\``;
    case '`account.tier`':
      return `the accounts have no tiers: declare them in \`score accounts { }\`, e.g. \`tier ${name} when score >= 80\``;
    case '`stage`':
      return `the contacts have no stages: declare them outside \`score accounts\`, e.g. \`stage ${name} at 50\``;
    case '`tier`':
      return `the contacts have no tiers: declare them outside \`score accounts\`, e.g. \`tier ${name} when score >= 80\``;
    default:
      return `${subjectLabel} has no values`;
  }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why a date literal is not a real instant, in words. */
function whyNotADate(raw: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(raw);
  if (match === null) return 'it is not a date';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `${MONTHS[month - 1]} ${year} has ${days} days`;
  if (match[4] !== undefined && (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6] ?? 0) > 59)) return 'the time of day does not exist';
  return 'it is not a valid ISO 8601 instant';
}

/** Every date literal of the file that names no real instant (`2026-02-30`) is an error. */
export function checkDates(ctx: CheckContext, statements: readonly Statement[]): void {
  // A date literal is written like a date: only nodes whose text overlaps one are walked.
  walkNodesOverlapping(statements, matchesIn(ctx.source.text, /\d{4}-\d{2}-\d{2}/g), (record) => {
    if (record.kind === 'DateLiteral') {
      const date = record as { raw?: string; epochSeconds?: number; range: Range };
      if (!Number.isFinite(date.epochSeconds) && date.range !== undefined) {
        const raw = date.raw ?? ctx.source.slice(date.range);
        ctx.report('R016', date.range, `\`${raw}\` is not a date that exists: ${whyNotADate(raw)}`, {
          help: 'write a real date as YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SSZ for an instant',
        });
      }
      return true;
    }
    // Names and other literals hold no dates.
    return record.kind === 'Identifier' || record.kind === 'NumberLiteral' || record.kind === 'StringLiteral';
  });
}
