/**
 * Reporting names that resolve to nothing, with the closest declared name ("did you mean") and
 * quick fixes: replace the name, or declare it.
 */
import type { Fix } from '../diagnostics/diagnostic.js';
import type { Identifier } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { addEventFix, addLeadFieldFix, addPropertyFix, replaceNameFix } from './fixes.js';
import { suggest } from './suggest.js';
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
export function reportUnknownField(ctx: CheckContext, name: Identifier, type: InferredType, extraCandidates: readonly string[] = []): void {
  if (ctx.leads.length === 0) {
    if (!ctx.missingFields.has(name.name)) ctx.missingFields.set(name.name, { name: name.name, type });
    return;
  }
  const candidate = suggest(name.name, [...ctx.fieldDecls.keys(), ...extraCandidates]);
  const declare = `${ctx.source.written(name)}: ${type}`;
  ctx.report('R010', name.range, `unknown field \`${name.name}\`${didYouMean(candidate)}`, {
    help:
      candidate === undefined
        ? `declare it in the \`lead\` block: \`${declare}\``
        : `replace it with \`${candidate}\`, or declare \`${declare}\` in the \`lead\` block`,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), addLeadFieldFix(ctx, name.name, type)]),
  });
}

export function reportUnknownEvent(ctx: CheckContext, name: Identifier): void {
  const candidate = suggest(name.name, ctx.eventDecls.keys());
  ctx.report('R011', name.range, `unknown event \`${name.name}\`${didYouMean(candidate)}`, {
    help:
      candidate === undefined
        ? `declare it: \`event ${ctx.source.written(name)}\``
        : `replace it with \`${candidate}\`, or declare \`event ${ctx.source.written(name)}\``,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), addEventFix(ctx, name.name)]),
  });
}

export function reportUnknownProperty(ctx: CheckContext, event: string, name: Identifier, type: InferredType): void {
  const properties = ctx.propertyDecls.get(event);
  const candidate = suggest(name.name, properties?.keys() ?? []);
  const declared = [...(properties?.keys() ?? [])].map((p) => `\`${p}\``);
  const has = declared.length === 0 ? `\`${event}\` has no properties` : `\`${event}\` has ${declared.join(', ')}`;
  const decl = ctx.eventDecls.get(event);
  ctx.report('R012', name.range, `unknown property \`${name.name}\` of event \`${event}\`${didYouMean(candidate)}`, {
    help: candidate === undefined ? `${has}; declare \`${ctx.source.written(name)}: ${type}\` in \`event ${event}\`` : has,
    fixes: compact([
      candidate === undefined ? undefined : replaceNameFix(name.range, candidate),
      decl === undefined ? undefined : addPropertyFix(ctx, decl, name.name, type),
    ]),
  });
}

/**
 * An unknown name of some kind (`stage`, `group`, `tier`, `list`, `name`) among `candidates`.
 * `help` says what the name should be when there is no close candidate.
 */
export function reportUnknownName(ctx: CheckContext, what: string, name: Identifier, candidates: Iterable<string>, help: string, extraFixes: readonly (Fix | undefined)[] = []): void {
  const candidate = suggest(name.name, candidates);
  ctx.report('R013', name.range, `unknown ${what} \`${name.name}\`${didYouMean(candidate)}`, {
    help,
    fixes: compact([candidate === undefined ? undefined : replaceNameFix(name.range, candidate), ...extraFixes]),
  });
}
