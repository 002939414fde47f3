/**
 * Dependencies between segments and between groups: a segment that uses itself, or a group
 * whose rules read its own value (directly, through other groups or through segments), has no
 * meaning and is an error naming the cycle. Groups are ordered so each comes after what it reads.
 */
import type { Range } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { walkCond } from './cond-utils.js';
import type { Cond, RuleInfo, SegmentInfo } from './model.js';
import type { GroupDraft } from './rules.js';

/** Edges of a dependency graph: for each node, what it reads and where (first place). */
type Graph = Map<string, Map<string, Range>>;

/** Strongly connected components (Tarjan), each in the order of `nodes`. */
function components(nodes: readonly string[], graph: Graph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      result.push(nodes.filter((n) => component.includes(n)));
    }
  };
  for (const node of nodes) if (!indices.has(node)) visit(node);
  return result;
}

/** A shortest path `start -> ... -> start` inside `members`. */
function cyclePath(start: string, members: ReadonlySet<string>, graph: Graph): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Reports every cycle of `graph` once, on the edge that starts it. */
function reportCycles(ctx: CheckContext, nodes: readonly string[], graph: Graph, what: 'segment' | 'group'): Set<string> {
  const inCycle = new Set<string>();
  for (const component of components(nodes, graph)) {
    const start = component[0];
    const selfLoop = graph.get(start)?.has(start) === true;
    if (component.length === 1 && !selfLoop) continue;
    for (const member of component) inCycle.add(member);
    const path = cyclePath(start, new Set(component), graph);
    const shown = path.map((n) => `\`${n}\``).join(' -> ');
    const first = graph.get(path[0])?.get(path[1]);
    if (first === undefined) continue;
    const related = [];
    for (let i = 1; i + 1 < path.length; i++) {
      const range = graph.get(path[i])?.get(path[i + 1]);
      if (range !== undefined) related.push({ message: `\`${path[i]}\` reads \`${path[i + 1]}\` here`, range });
    }
    const message =
      what === 'segment'
        ? path.length === 2
          ? `segment \`${start}\` uses itself`
          : `segment \`${start}\` uses itself through ${shown}`
        : path.length === 2
          ? `group \`${start}\` reads its own value`
          : `group \`${start}\` reads its own value through ${shown}`;
    ctx.report('R018', first, message, {
      help:
        what === 'segment'
          ? 'a segment cannot depend on itself; write the shared part as a third segment both use'
          : "a group's value cannot depend on itself; read it only from other groups, stages or tiers",
      related,
    });
  }
  return inCycle;
}

function addEdge(graph: Graph, from: string, to: string, range: Range): void {
  let edges = graph.get(from);
  if (edges === undefined) {
    edges = new Map();
    graph.set(from, edges);
  }
  if (!edges.has(to)) edges.set(to, range);
}

/** Records in `graph` what `cond` reads: segments (as `segment`) or groups (as `group`). */
function collectReads(graph: Graph, from: string, cond: Cond | undefined, kind: 'segment' | 'group'): void {
  if (cond === undefined) return;
  walkCond(cond, (c) => {
    if (kind === 'segment' && c.kind === 'segment') addEdge(graph, from, c.name, c.range);
    if (kind === 'group' && c.kind === 'test' && c.subject.kind === 'group') addEdge(graph, from, c.subject.name, c.range);
  });
}

function ruleCondition(rule: RuleInfo): Cond | undefined {
  return rule.kind === 'when' ? rule.condition : rule.query.where;
}

export interface DependencyResult {
  /** For each group, the groups its rules read (through segments too), in file order. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
  /** Group names, each after the groups it reads (groups in a cycle keep file order). */
  readonly groupOrder: readonly string[];
}

export function checkDependencies(ctx: CheckContext, segments: ReadonlyMap<string, SegmentInfo>, groups: readonly GroupDraft[]): DependencyResult {
  // Segments.
  const segmentGraph: Graph = new Map();
  const segmentNames = [...segments.keys()];
  for (const segment of segments.values()) {
    segmentGraph.set(segment.name, new Map());
    collectReads(segmentGraph, segment.name, segment.condition, 'segment');
  }
  reportCycles(ctx, segmentNames, segmentGraph, 'segment');

  // Groups a segment reads, through the segments it uses.
  const segmentGroups = new Map<string, Map<string, Range>>();
  const groupsOfSegment = (name: string, visiting: Set<string>): Map<string, Range> => {
    const known = segmentGroups.get(name);
    if (known !== undefined) return known;
    const result = new Map<string, Range>();
    const segment = segments.get(name);
    if (segment === undefined || visiting.has(name)) return result;
    visiting.add(name);
    walkCond(segment.condition, (c) => {
      if (c.kind === 'test' && c.subject.kind === 'group' && !result.has(c.subject.name)) result.set(c.subject.name, c.range);
      if (c.kind === 'segment') for (const group of groupsOfSegment(c.name, visiting).keys()) if (!result.has(group)) result.set(group, c.range);
    });
    visiting.delete(name);
    segmentGroups.set(name, result);
    return result;
  };

  // Groups.
  const groupGraph: Graph = new Map();
  const groupNames = groups.map((g) => g.name);
  for (const group of groups) {
    groupGraph.set(group.name, new Map());
    for (const rule of group.rules) {
      const cond = ruleCondition(rule);
      collectReads(groupGraph, group.name, cond, 'group');
      if (cond === undefined) continue;
      walkCond(cond, (c) => {
        if (c.kind !== 'segment') return;
        for (const dependency of groupsOfSegment(c.name, new Set()).keys()) addEdge(groupGraph, group.name, dependency, c.range);
      });
    }
  }
  reportCycles(ctx, groupNames, groupGraph, 'group');

  const dependsOn = new Map<string, readonly string[]>();
  for (const name of groupNames) {
    const reads = groupGraph.get(name) ?? new Map<string, Range>();
    dependsOn.set(name, groupNames.filter((g) => reads.has(g)));
  }

  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < groupNames.length) {
    const ready = groupNames.find((g) => !placed.has(g) && (dependsOn.get(g) ?? []).every((d) => d === g || placed.has(d)));
    const next = ready ?? groupNames.find((g) => !placed.has(g));
    if (next === undefined) break;
    placed.add(next);
    order.push(next);
  }
  return { dependsOn, groupOrder: order };
}
