/**
 * Dependencies between segments and between groups: a segment that uses itself, or a group
 * whose rules read its own value (directly, through other groups or through segments), has no
 * meaning and is an error naming the cycle. Groups are ordered so each comes after what it reads.
 */
import type { Range } from '../syntax/ast.js';
import type { CheckContext } from './context.js';
import { directReads, walkCond } from './cond-utils.js';
import type { Cond, RuleInfo, SegmentInfo } from './model.js';
import type { GroupDraft } from './rules.js';

/** Edges of a dependency graph: for each node, what it reads and where (first place). */
type Graph = Map<string, Map<string, Range>>;

/**
 * Strongly connected components (Tarjan), each in the order of `nodes`. Iterative, so a chain of
 * tens of thousands of declarations cannot overflow the call stack.
 */
function components(nodes: readonly string[], graph: Graph): string[][] {
  const position = new Map<string, number>();
  nodes.forEach((node, i) => position.set(node, i));
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  const work: { readonly node: string; readonly edges: Iterator<string> }[] = [];
  const enter = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    work.push({ node, edges: (graph.get(node) ?? new Map<string, Range>()).keys() });
  };
  for (const root of nodes) {
    if (indices.has(root)) continue;
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edge = frame.edges.next();
      if (edge.done !== true) {
        const next = edge.value;
        if (!graph.has(next)) continue;
        if (!indices.has(next)) enter(next);
        else if (onStack.has(next)) low.set(frame.node, Math.min(low.get(frame.node) as number, indices.get(next) as number));
        continue;
      }
      work.pop();
      const node = frame.node;
      if (low.get(node) === indices.get(node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        result.push(component.sort((a, b) => (position.get(a) as number) - (position.get(b) as number)));
      }
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent) as number, low.get(node) as number));
      }
    }
  }
  return result;
}

/** A shortest path `start -> ... -> start` inside `members`. */
function cyclePath(start: string, members: ReadonlySet<string>, graph: Graph): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const back: string[] = [];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) back.push(at);
        return [start, ...back.reverse(), start];
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
  /** Segments that use themselves (reported): no analysis expands them. */
  readonly segmentsInCycles: ReadonlySet<string>;
}

export function checkDependencies(ctx: CheckContext, segments: ReadonlyMap<string, SegmentInfo>, groups: readonly GroupDraft[]): DependencyResult {
  // Segments.
  const segmentGraph: Graph = new Map();
  const segmentNames = [...segments.keys()];
  for (const segment of segments.values()) {
    segmentGraph.set(segment.name, new Map());
    collectReads(segmentGraph, segment.name, segment.condition, 'segment');
  }
  const segmentsInCycles = reportCycles(ctx, segmentNames, segmentGraph, 'segment');

  // Groups a segment reads, through the segments it uses: each segment after those it uses,
  // with an explicit stack (a chain of 10,000 segments would overflow a recursive walk). A use
  // of a segment still open (a cycle, reported above) adds nothing.
  const segmentGroups = new Map<string, Map<string, Range>>();
  const open = new Set<string>();
  const resolveGroups = (root: string): void => {
    const work: { readonly name: string; readonly uses: readonly string[]; next: number }[] = [];
    const enter = (name: string): void => {
      open.add(name);
      const segment = segments.get(name);
      work.push({ name, uses: segment === undefined ? [] : [...directReads(segment.condition).segments], next: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.next < frame.uses.length) {
        const used = frame.uses[frame.next++];
        if (!segmentGroups.has(used) && !open.has(used) && segments.has(used)) enter(used);
        continue;
      }
      work.pop();
      const result = new Map<string, Range>();
      const segment = segments.get(frame.name);
      if (segment !== undefined) {
        walkCond(segment.condition, (c) => {
          if (c.kind === 'test' && c.subject.kind === 'group' && !result.has(c.subject.name)) result.set(c.subject.name, c.range);
          if (c.kind === 'segment') for (const group of segmentGroups.get(c.name)?.keys() ?? []) if (!result.has(group)) result.set(group, c.range);
        });
      }
      open.delete(frame.name);
      segmentGroups.set(frame.name, result);
    }
  };
  const groupsOfSegment = (name: string): ReadonlyMap<string, Range> => {
    if (!segmentGroups.has(name) && segments.has(name)) resolveGroups(name);
    return segmentGroups.get(name) ?? new Map<string, Range>();
  };

  // Groups.
  const groupGraph: Graph = new Map();
  const groupNames = groups.map((g) => g.name);
  for (const group of groups) {
    groupGraph.set(group.name, new Map());
    // Each segment once per group: its groups are the same for every rule that uses it.
    const segmentsSeen = new Set<string>();
    for (const rule of group.rules) {
      const cond = ruleCondition(rule);
      collectReads(groupGraph, group.name, cond, 'group');
      if (cond === undefined) continue;
      walkCond(cond, (c) => {
        if (c.kind !== 'segment' || segmentsSeen.has(c.name)) return;
        segmentsSeen.add(c.name);
        for (const dependency of groupsOfSegment(c.name).keys()) addEdge(groupGraph, group.name, dependency, c.range);
      });
    }
  }
  reportCycles(ctx, groupNames, groupGraph, 'group');

  const position = new Map<string, number>();
  groupNames.forEach((name, i) => position.set(name, i));
  const dependsOn = new Map<string, readonly string[]>();
  for (const name of groupNames) {
    const reads = [...(groupGraph.get(name)?.keys() ?? [])].filter((g) => position.has(g));
    dependsOn.set(name, reads.sort((a, b) => (position.get(a) as number) - (position.get(b) as number)));
  }
  return { dependsOn, groupOrder: orderGroups(groupNames, dependsOn), segmentsInCycles };
}

/**
 * Group names, each after the groups it reads: at each step the first group in file order whose
 * reads are all placed, or (inside a cycle) the first one not placed yet. Kahn's algorithm with
 * a heap of ready groups, so 10,000 chained groups take milliseconds, not seconds.
 */
function orderGroups(groupNames: readonly string[], dependsOn: ReadonlyMap<string, readonly string[]>): string[] {
  const count = groupNames.length;
  const position = new Map<string, number>();
  groupNames.forEach((name, i) => position.set(name, i));
  const waiting: number[] = new Array<number>(count).fill(0);
  const readers: number[][] = groupNames.map(() => []);
  groupNames.forEach((name, i) => {
    for (const dependency of dependsOn.get(name) ?? []) {
      const d = position.get(dependency);
      if (d === undefined || d === i) continue;
      waiting[i]++;
      readers[d].push(i);
    }
  });
  const ready = new MinHeap();
  for (let i = 0; i < count; i++) if (waiting[i] === 0) ready.push(i);
  const placed: boolean[] = new Array<boolean>(count).fill(false);
  const order: string[] = [];
  let firstUnplaced = 0;
  while (order.length < count) {
    let next = ready.pop();
    while (next !== undefined && placed[next]) next = ready.pop();
    if (next === undefined) {
      while (placed[firstUnplaced]) firstUnplaced++;
      next = firstUnplaced;
    }
    placed[next] = true;
    order.push(groupNames[next]);
    for (const reader of readers[next]) if (--waiting[reader] === 0 && !placed[reader]) ready.push(reader);
  }
  return order;
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  push(value: number): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0];
    const last = items.pop() as number;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const child = left + 1 < items.length && items[left + 1] < items[left] ? left + 1 : left;
        if (items[child] >= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
