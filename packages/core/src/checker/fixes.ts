/**
 * Quick fixes shared by several checks: replace a misspelt name, declare a missing field,
 * event or property, remove an unused declaration.
 */
import type { Fix, TextEdit } from '../diagnostics/diagnostic.js';
import type { EventDecl, Range } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { formatName } from './source-text.js';
import type { InferredType } from './types-and-values.js';

/** Replace the name at `range` with `candidate`. */
export function replaceNameFix(range: Range, candidate: string): Fix {
  return { title: `replace with \`${candidate}\``, edits: [{ range, newText: formatName(candidate) }] };
}

/**
 * Inserts `member` (`name: type`) as the last member of a `{ }` block (the `lead` block or an
 * event's properties): on its own line when the block is multi-line, after a comma otherwise.
 */
function insertIntoBlock(ctx: CheckContext, block: Range, members: readonly { readonly range: Range }[], member: string): TextEdit | undefined {
  const closing = block.end.offset - 1;
  if (ctx.source.text[closing] !== '}') return undefined;
  const last = members.length === 0 ? undefined : members[members.length - 1];
  if (ctx.source.startsLine(closing)) {
    const lineStart = ctx.source.lineStart(closing);
    const indent =
      last !== undefined && ctx.source.startsLine(last.range.start.offset)
        ? ctx.source.indentAt(last.range.start.offset)
        : `${ctx.source.indentAt(closing)}  `;
    return { range: ctx.source.rangeAt(lineStart, lineStart), newText: `${indent}${member}\n` };
  }
  if (last !== undefined) return { range: ctx.source.rangeAt(last.range.end.offset, last.range.end.offset), newText: `, ${member}` };
  const before = ctx.source.text[closing - 1] === ' ' ? '' : ' ';
  return { range: ctx.source.rangeAt(closing, closing), newText: `${before}${member} ` };
}

/** Declare `name` in the lead schema (a new `lead` block at the top when there is none). */
export function addLeadFieldFix(ctx: CheckContext, name: string, type: InferredType): Fix | undefined {
  const member = `${formatName(name)}: ${type}`;
  const lead = ctx.leads[0];
  if (lead === undefined) {
    return {
      title: `declare \`${name}\` in a new \`lead\` block`,
      edits: [{ range: ctx.source.rangeAt(0, 0), newText: `lead {\n  ${member}\n}\n\n` }],
    };
  }
  const edit = insertIntoBlock(ctx, lead.range, lead.fields ?? [], member);
  return edit === undefined ? undefined : { title: `add \`${member}\` to the lead schema`, edits: [edit] };
}

/**
 * Issue 17: declare `name` in the file's `account` block (an unknown `account.NAME` read by a
 * contact rule; a lead field `account.NAME` would be R064).
 */
export function addAccountFieldFix(ctx: CheckContext, name: string, type: InferredType): Fix | undefined {
  const account = ctx.file.statements.find((s) => s.kind === 'AccountDecl');
  if (account?.kind !== 'AccountDecl') return undefined;
  const member = `${formatName(name)}: ${type}`;
  const edit = insertIntoBlock(ctx, account.range, account.fields, member);
  return edit === undefined ? undefined : { title: `add \`${member}\` to the \`account\` block`, edits: [edit] };
}

/** Declare every missing field in a new `lead` block (for a file that has none). */
export function addLeadBlockFix(ctx: CheckContext, fields: readonly { readonly name: string; readonly type: string }[]): Fix {
  const members = fields.map((f) => `  ${formatName(f.name)}: ${f.type}\n`).join('');
  return { title: 'add a `lead` block', edits: [{ range: ctx.source.rangeAt(0, 0), newText: `lead {\n${members}}\n\n` }] };
}

/** Declare `event name` after the last event (or after the `lead` block). */
export function addEventFix(ctx: CheckContext, name: string): Fix {
  const anchor = lastEvent(ctx)?.range ?? ctx.leads[0]?.range;
  const declaration = `event ${formatName(name)}`;
  if (anchor === undefined) {
    return { title: `declare \`${declaration}\``, edits: [{ range: ctx.source.rangeAt(0, 0), newText: `${declaration}\n` }] };
  }
  const end = ctx.source.lineEnd(anchor.end.offset);
  return { title: `declare \`${declaration}\``, edits: [{ range: ctx.source.rangeAt(end, end), newText: `\n${declaration}` }] };
}

// The last event declared, found once per check (not once per unknown event: a copy of every
// event per unknown name was quadratic).
const LAST_EVENT = new WeakMap<CheckContext, EventDecl | undefined>();

function lastEvent(ctx: CheckContext): EventDecl | undefined {
  if (LAST_EVENT.has(ctx)) return LAST_EVENT.get(ctx);
  let last: EventDecl | undefined;
  for (const event of ctx.eventDecls.values()) last = event;
  LAST_EVENT.set(ctx, last);
  return last;
}

/** Add the property `name: type` to the declaration of `event`. */
export function addPropertyFix(ctx: CheckContext, event: EventDecl, name: string, type: InferredType): Fix | undefined {
  const member = `${formatName(name)}: ${type}`;
  const title = `add \`${member}\` to event \`${event.name.name}\``;
  const properties = event.properties ?? [];
  const blockStart = ctx.source.text.indexOf('{', event.name.range.end.offset);
  if (blockStart !== -1 && blockStart < event.range.end.offset) {
    const edit = insertIntoBlock(ctx, event.range, properties, member);
    return edit === undefined ? undefined : { title, edits: [edit] };
  }
  const end = event.range.end.offset;
  return { title, edits: [{ range: ctx.source.rangeAt(end, end), newText: ` { ${member} }` }] };
}

/**
 * Delete the declaration at `range`: its whole line(s) when nothing else is on them (a trailing
 * comment goes too), else just the range.
 */
export function removeFix(ctx: CheckContext, range: Range, title: string): Fix {
  const { text } = ctx.source;
  let start = range.start.offset;
  let end = range.end.offset;
  const lineStart = ctx.source.lineStart(start);
  const lineEnd = ctx.source.lineEnd(end);
  const rest = text.slice(end, lineEnd).trim();
  if (ctx.source.startsLine(start) && (rest === '' || rest.startsWith('#'))) {
    start = lineStart;
    end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
  }
  return { title, edits: [{ range: ctx.source.rangeAt(start, end), newText: '' }] };
}
