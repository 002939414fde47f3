/**
 * Reporting names that resolve to nothing, with the closest declared name ("did you mean") and
 * quick fixes: replace the name, or declare it.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import type { Identifier } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { addAccountFieldFix, addEventFix, addLeadFieldFix, addPropertyFix, replaceNameFix } from './fixes.js';
import { formatName } from './source-text.js';
import type { InferredType } from './types-and-values.js';

function didYouMean(candidate: string | undefined): string {
  return candidate === undefined ? '' : `; did you mean \`${candidate}\`?`;
}

function compact(fixes: readonly (Fix | undefined)[]): Fix[] {
  return fixes.filter((f): f is Fix => f !== undefined);
}

/**
 * An unknown lead field. In a file without a `lead` block nothing is reported here: the missing
 * block is reported once, with a fix declaring every field the file uses.
 */
export function reportUnknownField(ctx: CheckContext, name: Identifier, type: InferredType, alsoGroups = false): void {
  if (ctx.leads.length === 0) {
    if (!ctx.missingFields.has(name.name)) ctx.missingFields.set(name.name, { name: name.name, type });
    return;
  }
  if (ctx.hasAccount && name.name.startsWith('account.')) {
    reportUnknownAccountField(ctx, name, type);
    return;
  }
  const candidate = alsoGroups
    ? ctx.suggest('fields+groups', name.name, () => [...ctx.fieldDecls.keys(), ...ctx.groupDecls.keys()])
    : ctx.suggest('fields', name.name, () => ctx.fieldDecls.keys());
  const declare = `${ctx.source.written(name)}: ${type}`;
  ctx.report('R010', name.range, `unknown field \`${name.name}\`${didYouMean(candidate)}`, {
    help:
      candidate === undefined
        ? `declare it in the \`lead\` block: \`${declare}\``
        : `replace it with \`${candidate}\`, or declare \`${declare}\` in the \`lead\` block`,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), addLeadFieldFix(ctx, name.name, type)]),
  });
}

/**
 * Issue 17: an unknown `account.NAME` in a file with an `account` block is a missing account
 * field: the help and fix declare `NAME` in the `account` block (declaring `account.NAME` in the
 * `lead` block, the generic help, would be R064).
 */
function reportUnknownAccountField(ctx: CheckContext, name: Identifier, type: InferredType): void {
  const bare = name.name.slice('account.'.length);
  if (![...ctx.fieldDecls.keys()].some((f) => f.startsWith('account.'))) {
    // Inside `score accounts` (its fields are the account's, read bare): the nearest of them.
    const near = ctx.suggest('fields', bare, () => ctx.fieldDecls.keys());
    ctx.report('R010', name.range, `unknown account field \`${name.name}\`${didYouMean(near)}`, {
      help: `inside \`score accounts\` the account's fields are read by their names${near === undefined ? `: declare \`${formatName(bare)}: ${type}\` in the \`account\` block and write \`${formatName(bare)}\`` : `: write \`${near}\``}`,
      fixes: near === undefined ? [] : [replaceNameFix(name.range, near)],
    });
    return;
  }
  const candidate = ctx.suggest('account-fields', name.name, () => [...ctx.fieldDecls.keys()].filter((f) => f.startsWith('account.')));
  const declare = `\`${formatName(bare)}: ${type}\` in the \`account\` block`;
  ctx.report('R010', name.range, `unknown account field \`${name.name}\`${didYouMean(candidate)}`, {
    help: candidate === undefined ? `declare ${declare}` : `replace it with \`${candidate}\`, or declare ${declare}`,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), addAccountFieldFix(ctx, bare, type)]),
  });
}

export function reportUnknownEvent(ctx: CheckContext, name: Identifier): void {
  if (ctx.hasAccount && name.name === 'contacts' && !ctx.eventDecls.has('contacts')) {
    // `count contacts within D`: read as an event, since a test over contacts has no window.
    ctx.report('R011', name.range, '`count contacts` takes no `within`: a test over contacts reads the contacts\' results, not a window of events', {
      help: 'test recent events in its `where`: `count contacts where any email_click within 30 days >= 2`',
    });
    return;
  }
  if (ctx.hasAccount && name.name === 'contact' && !ctx.eventDecls.has('contact')) {
    // Issue 17: `count contact where ...` is the test over contacts with the word in the singular.
    ctx.report('R011', name.range, "unknown event `contact`; an account's contacts are counted with `count contacts` (plural)", {
      help: 'a test over contacts is `count contacts [where C] >= N`, written inside `score accounts`',
      fixes: [replaceNameFix(name.range, 'contacts')],
    });
    return;
  }
  const candidate = ctx.suggest('events', name.name, () => ctx.eventDecls.keys());
  ctx.report('R011', name.range, `unknown event \`${name.name}\`${didYouMean(candidate)}`, {
    help:
      candidate === undefined
        ? `declare it: \`event ${ctx.source.written(name)}\``
        : `replace it with \`${candidate}\`, or declare \`event ${ctx.source.written(name)}\``,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), addEventFix(ctx, name.name)]),
  });
}

// "`page_view` has `url`, `title`", once per event (not a copy of every property per name).
const PROPERTIES_TEXT = new WeakMap<ReadonlyMap<string, unknown>, string>();

function propertiesText(event: string, properties: ReadonlyMap<string, unknown> | undefined): string {
  if (properties === undefined || properties.size === 0) return `\`${event}\` has no properties`;
  let text = PROPERTIES_TEXT.get(properties);
  if (text === undefined) {
    text = `\`${event}\` has ${listNames([...properties.keys()])}`;
    PROPERTIES_TEXT.set(properties, text);
  }
  return text;
}

export function reportUnknownProperty(ctx: CheckContext, event: string, name: Identifier, type: InferredType): void {
  const properties = ctx.propertyDecls.get(event);
  const candidate = ctx.suggest(`properties:${event}`, name.name, () => properties?.keys() ?? []);
  const has = propertiesText(event, properties);
  const decl = ctx.eventDecls.get(event);
  ctx.report('R012', name.range, `unknown property \`${name.name}\` of event \`${event}\`${didYouMean(candidate)}`, {
    help: candidate === undefined ? `${has}; declare \`${ctx.source.written(name)}: ${type}\` in \`event ${event}\`` : has,
    fixes: compact([
      candidate === undefined ? undefined : replaceNameFix(name.range, candidate),
      decl === undefined ? undefined : addPropertyFix(ctx, decl, name.name, type),
    ]),
  });
}

/** Names in a help text: all of them up to a dozen, else the first ten and how many more. */
export function listNames(names: readonly string[]): string {
  const shown = names.length <= 12 ? names : names.slice(0, 10);
  const quoted = shown.map((n) => `\`${n}\``).join(', ');
  return shown.length === names.length ? quoted : `${quoted} and ${names.length - shown.length} more`;
}

/**
 * An unknown name of some kind (`stage`, `group`, `tier`, `list`, `name`) among the candidates
 * of the set called `candidatesKey` (see {@link CheckContext.suggest}). `help` says what the
 * name should be when there is no close candidate.
 */
export function reportUnknownName(
  ctx: CheckContext,
  what: string,
  name: Identifier,
  candidatesKey: string,
  candidates: () => Iterable<string>,
  help: string,
  extraFixes: readonly (Fix | undefined)[] = [],
): void {
  const candidate = ctx.suggest(candidatesKey, name.name, candidates);
  ctx.report('R013', name.range, `unknown ${what} \`${name.name}\`${didYouMean(candidate)}`, {
    help,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), ...extraFixes]),
  });
}
