/**
 * How large conditions become once their segments are written out in place, computed from
 * per-segment sizes (each segment measured once, in dependency order), never by expanding:
 * `segment s2 = s1 and s1` repeated doubles the size at each line, and expanding it to find
 * out would take as long as the expansion the limit is there to prevent.
 *
 * A condition larger than {@link MAX_CONDITION_NODES} is an error (R039). The analyses that
 * expand segments (conditions that never hold) use these sizes to leave such conditions alone,
 * and to stay within a budget of work proportional to the file.
 */
import { MAX_CONDITION_NODES } from '../limits.js';
import type { Range } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { directReads } from './cond-utils.js';
import type { Cond, SegmentInfo } from './model.js';
import { formatCount } from './types-and-values.js';

/** The size of a condition with its segments written out: nodes, and depth of nesting. */
export interface ConditionSize {
  /** Tests, event tests and `and`/`or`/`not` nodes (`where` conditions included). */
  readonly nodes: number;
  /** The longest chain of nested nodes. */
  readonly depth: number;
}

/**
 * Segments nested deeper than this once expanded are not analysed for "never holds" (the
 * analysis recurses once per level). Written conditions nest at most about 130 levels
 * (`MAX_NESTING` parentheses and `not`s), so only chains of segments reach it.
 */
export const NEVER_FIRES_MAX_DEPTH = 400;

/**
 * Work allowed to the "never holds" analysis in one check, in expanded condition nodes: this
 * many, plus {@link NEVER_FIRES_NODES_PER_WRITTEN_NODE} per node written in the file. Past it, the
 * remaining conditions are not analysed (the analysis only ever says "never" when sure, so
 * saying nothing is always allowed).
 */
export const NEVER_FIRES_BASE_BUDGET = 2_000_000;
export const NEVER_FIRES_NODES_PER_WRITTEN_NODE = 10;

const ONE: ConditionSize = { nodes: 1, depth: 1 };

/**
 * Expanded sizes of the segments of one check, and of any condition over them. A segment in a
 * cycle (an error, R018) counts as one node wherever it is used: it is never expanded.
 */
export class ConditionSizes {
  private readonly segmentSizes = new Map<string, ConditionSize>();

  constructor(segments: ReadonlyMap<string, SegmentInfo>, inCycle: ReadonlySet<string>) {
    // Each segment after the segments it uses, with an explicit stack (chains can be long).
    const state = new Map<string, 'open' | 'done'>();
    for (const root of segments.keys()) {
      if (state.has(root) || inCycle.has(root)) continue;
      const work: { readonly name: string; readonly uses: readonly string[]; next: number }[] = [];
      const open = (name: string): void => {
        state.set(name, 'open');
        const segment = segments.get(name);
        work.push({ name, uses: segment === undefined ? [] : [...directReads(segment.condition).segments], next: 0 });
      };
      open(root);
      while (work.length > 0) {
        const frame = work[work.length - 1];
        if (frame.next < frame.uses.length) {
          const used = frame.uses[frame.next++];
          if (!state.has(used) && segments.has(used) && !inCycle.has(used)) open(used);
          continue;
        }
        work.pop();
        const segment = segments.get(frame.name);
        this.segmentSizes.set(frame.name, segment === undefined ? ONE : this.measure(segment.condition));
        state.set(frame.name, 'done');
      }
    }
  }

  /** The expanded size of segment `name` (one node for an unknown segment or one in a cycle). */
  segment(name: string): ConditionSize {
    return this.segmentSizes.get(name) ?? ONE;
  }

  /** Whether a use of segment `name` is expanded in place (false in a cycle or unknown). */
  expands(name: string): boolean {
    return this.segmentSizes.has(name);
  }

  /** The size of `cond` with every segment it uses written out in place. */
  measure(cond: Cond): ConditionSize {
    switch (cond.kind) {
      case 'and':
      case 'or': {
        let nodes = 1;
        let depth = 0;
        for (const operand of cond.operands) {
          const size = this.measure(operand);
          nodes += size.nodes;
          if (size.depth > depth) depth = size.depth;
        }
        return { nodes, depth: depth + 1 };
      }
      case 'not': {
        const size = this.measure(cond.operand);
        return { nodes: size.nodes + 1, depth: size.depth + 1 };
      }
      case 'segment':
        return this.segment(cond.name);
      case 'event-exists':
      case 'event-count':
      case 'days-since': {
        if (cond.query.where === undefined) return ONE;
        const size = this.measure(cond.query.where);
        return { nodes: size.nodes + 1, depth: size.depth + 1 };
      }
      case 'test':
        return ONE;
    }
  }

  /** The nodes of `cond` as written (a segment it uses counts one). */
  static written(cond: Cond): number {
    switch (cond.kind) {
      case 'and':
      case 'or': {
        let nodes = 1;
        for (const operand of cond.operands) nodes += ConditionSizes.written(operand);
        return nodes;
      }
      case 'not':
        return 1 + ConditionSizes.written(cond.operand);
      case 'event-exists':
      case 'event-count':
      case 'days-since':
        return 1 + (cond.query.where === undefined ? 0 : ConditionSizes.written(cond.query.where));
      default:
        return 1;
    }
  }
}

/** A condition to check against {@link MAX_CONDITION_NODES}, and how to name it. */
export interface SizedCondition {
  readonly cond: Cond;
  /** Where to report it: the segment's name, or the condition. */
  readonly range: Range;
  /** "segment `s17`", "this condition". */
  readonly what: string;
}

/**
 * Reports (R039) every segment and condition that would have more than
 * {@link MAX_CONDITION_NODES} nodes once its segments are written out, except those that are
 * only large because a segment they use is: that segment is reported instead, once.
 */
export function checkConditionSizes(ctx: CheckContext, sizes: ConditionSizes, segments: ReadonlyMap<string, SegmentInfo>, conditions: readonly SizedCondition[]): void {
  const oversized = (name: string): boolean => sizes.expands(name) && sizes.segment(name).nodes > MAX_CONDITION_NODES;
  const check = (item: SizedCondition, size: number): void => {
    if (size <= MAX_CONDITION_NODES) return;
    for (const used of directReads(item.cond).segments) if (oversized(used)) return;
    ctx.report('R039', item.range, `${item.what} would have ${formatCount(size)} parts (tests, \`and\`, \`or\`, \`not\`) once the segments it uses are written out in place; the limit is ${formatCount(MAX_CONDITION_NODES)}`, {
      help: 'a segment counts in full wherever it is used, so segments that use one another twice over double in size at each step: test the shared part once, with fewer layers of segments',
    });
  };
  for (const segment of segments.values()) {
    if (sizes.expands(segment.name)) check({ cond: segment.condition, range: segment.decl.name.range, what: `segment \`${segment.name}\`` }, sizes.segment(segment.name).nodes);
  }
  for (let i = 0; i < conditions.length; i++) check(conditions[i], sizes.measure(conditions[i].cond).nodes);
}

/** The budget and limits of the "never holds" analysis over one check (see never-fires.ts). */
export class NeverFiresGuard {
  private remaining: number;

  constructor(
    private readonly sizes: ConditionSizes,
    writtenNodes: number,
  ) {
    this.remaining = NEVER_FIRES_BASE_BUDGET + NEVER_FIRES_NODES_PER_WRITTEN_NODE * writtenNodes;
  }

  /** Whether a segment is expanded by the analysis (not one in a cycle). */
  expands(name: string): boolean {
    return this.sizes.expands(name);
  }

  /**
   * Whether `cond` (with `extra` nodes) may be analysed: not larger than the limit, not nested
   * too deep, and within what is left of the budget, which it then uses up.
   */
  admit(cond: Cond): boolean {
    const size = this.sizes.measure(cond);
    if (size.nodes > MAX_CONDITION_NODES || size.depth > NEVER_FIRES_MAX_DEPTH || size.nodes > this.remaining) return false;
    this.remaining -= size.nodes;
    return true;
  }
}
