/**
 * Unused declarations: a field, event, `let` or segment that no rule, segment, stage, tier or
 * test reads is dead weight (or a sign that a rule names the wrong thing). Groups count as used
 * by existing (they add to the score); stages, tiers and tests are outputs.
 */
import type { Range } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { namedDeclaration } from './declarations.js';
import { removeFix } from './fixes.js';
import type { SymbolKind } from './model.js';

const CHECKED: ReadonlySet<SymbolKind> = new Set<SymbolKind>(['field', 'event', 'let', 'segment', 'table']);

// R066 (issue 17): a name read at the wrong level is unresolved there too.
const UNRESOLVED: ReadonlySet<string> = new Set(['R010', 'R011', 'R012', 'R013', 'R066']);

/**
 * R026 for each field, event, `let` or segment nothing reads; `mentionedInBroken` holds the names
 * written in statements that did not parse (their use is not in the tree): those are not reported.
 */
export function checkUnused(ctx: CheckContext, mentionedInBroken: ReadonlySet<string> = new Set()): void {
  // While a name does not resolve, "never used" mostly echoes the typo (`compnay.size` leaves
  // `company.size` unused): report the typo alone.
  if (ctx.diagnostics.some((d) => UNRESOLVED.has(d.code))) return;
  for (const declaration of ctx.declarations) {
    if (!CHECKED.has(declaration.kind) || ctx.isReferenced(declaration.key)) continue;
    if (mentionedInBroken.has(declaration.name)) continue;
    const whole: Range = declaration.range;
    const help =
      declaration.kind === 'field'
        ? 'score it in a rule, require it in a stage, or remove it from the `lead` block'
        : declaration.kind === 'event'
          ? 'score it (`when any ...`, `each ...`) or remove it'
          : 'use it in a condition, or remove it';
    ctx.report('R026', declaration.nameRange, `${namedDeclaration(declaration.kind, declaration.name)} is never used`, {
      help,
      fixes: [removeFix(ctx, whole, `remove ${namedDeclaration(declaration.kind, declaration.name)}`)],
    });
  }
}
