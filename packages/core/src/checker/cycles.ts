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
  /**
   * For each group, the groups its rules read (through segments too), in file order. Worked out
   * when asked (hover asks for one group): all of them at once can be quadratic in the file.
   */
  readonly dependsOn: (group: string) => readonly string[];
  /** Group names, each after the groups it reads (groups in a cycle keep file order). */
  readonly groupOrder: readonly string[];
  /** Segments that use themselves (reported): no analysis expands them. */
  readonly segmentsInCycles: ReadonlySet<string>;
}

/** The node of segment `name` in the graph of groups and segments (no name starts with NUL). */
function segmentNode(name: string): string {
  return `\u0000${name}`;
}

function isSegmentNode(node: string): boolean {
  return node.startsWith('\u0000');
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

  // Groups and segments in one graph: a group reads the groups and segments its rules name, a
  // segment the groups and segments its condition names. Reads through segments are paths in
  // it, never sets of groups per segment (those grow with the square of a chain).
  const graph: Graph = new Map();
  const groupNames = groups.map((g) => g.name);
  const reads = (from: string, cond: Cond | undefined): void => {
    if (cond === undefined) return;
    walkCond(cond, (c) => {
      if (c.kind === 'test' && c.subject.kind === 'group') addEdge(graph, from, c.subject.name, c.range);
      if (c.kind === 'segment' && segments.has(c.name)) addEdge(graph, from, segmentNode(c.name), c.range);
    });
  };
  for (const group of groups) {
    graph.set(group.name, new Map());
    for (let i = 0; i < group.rules.length; i++) reads(group.name, ruleCondition(group.rules[i]));
  }
  for (const segment of segments.values()) {
    const node = segmentNode(segment.name);
    if (!graph.has(node)) graph.set(node, new Map());
    reads(node, segment.condition);
  }
  reportGroupCycles(ctx, [...groupNames, ...segmentNames.map(segmentNode)], graph);

  const position = new Map<string, number>();
  groupNames.forEach((name, i) => position.set(name, i));
  const known = new Map<string, readonly string[]>();
  const dependsOn = (group: string): readonly string[] => {
    let result = known.get(group);
    if (result === undefined) {
      // The groups its rules read, directly or through segments (not through other groups).
      const found = new Set<string>();
      const seen = new Set<string>();
      const pending = [...(graph.get(group)?.keys() ?? [])];
      while (pending.length > 0) {
        const node = pending.pop() as string;
        if (!isSegmentNode(node)) {
          if (position.has(node)) found.add(node);
          continue;
        }
        if (seen.has(node)) continue;
        seen.add(node);
        for (const next of graph.get(node)?.keys() ?? []) pending.push(next);
      }
      result = [...found].sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
      known.set(group, result);
    }
    return result;
  };
  return { dependsOn, groupOrder: orderGroups(groupNames, graph), segmentsInCycles };
}

/**
 * Reports each group cycle once (a strongly connected part of the graph of groups and segments
 * that holds a group), as the groups along a shortest cycle from its first group.
 */
function reportGroupCycles(ctx: CheckContext, nodes: readonly string[], graph: Graph): void {
  for (const component of components(nodes, graph)) {
    const start = component[0];
    if (isSegmentNode(start)) continue; // groups come first: no group in it
    if (component.length === 1 && graph.get(start)?.has(start) !== true) continue;
    const full = cyclePath(start, new Set(component), graph);
    // The groups along it; each step's range is where the group's rule starts toward the next.
    const path: string[] = [start];
    const ranges: Range[] = [];
    for (let i = 0; i + 1 < full.length; i++) {
      if (isSegmentNode(full[i])) continue;
      const range = graph.get(full[i])?.get(full[i + 1]);
      if (range !== undefined) ranges.push(range);
      let j = i + 1;
      while (j < full.length - 1 && isSegmentNode(full[j])) j++;
      path.push(full[j]);
    }
    const first = ranges[0];
    if (first === undefined) continue;
    const related = [];
    for (let i = 1; i + 1 < path.length; i++) {
      const range = ranges[i];
      if (range !== undefined) related.push({ message: `\`${path[i]}\` reads \`${path[i + 1]}\` here`, range });
    }
    const shown = path.map((n) => `\`${n}\``).join(' -> ');
    ctx.report('R018', first, path.length === 2 ? `group \`${start}\` reads its own value` : `group \`${start}\` reads its own value through ${shown}`, {
      help: "a group's value cannot depend on itself; read it only from other groups, stages or tiers",
      related,
    });
  }
}

/**
 * Group names, each after the groups it reads: at each step the first group in file order whose
 * reads (through segments too) are all placed, or (inside a cycle) the first one not placed
 * yet. Kahn's algorithm over groups and segments, with a heap of ready groups: a segment is
 * ready once what it reads is; 10,000 chained groups take milliseconds.
 */
function orderGroups(groupNames: readonly string[], graph: Graph): string[] {
  const count = groupNames.length;
  const index = new Map<string, number>();
  groupNames.forEach((name, i) => index.set(name, i));
  const waiting = new Map<string, number>();
  const readers = new Map<string, string[]>();
  for (const [node, edges] of graph) {
    let n = 0;
    for (const target of edges.keys()) {
      if (target === node || !graph.has(target)) continue;
      n++;
      const list = readers.get(target);
      if (list === undefined) readers.set(target, [node]);
      else list.push(node);
    }
    waiting.set(node, n);
  }
  const ready = new MinHeap();
  const done = new Set<string>();
  // A node is done: its readers wait for one fewer; a segment whose reads are done is done too.
  const finish = (root: string): void => {
    const pending = [root];
    while (pending.length > 0) {
      const node = pending.pop() as string;
      for (const reader of readers.get(node) ?? []) {
        const left = (waiting.get(reader) as number) - 1;
        waiting.set(reader, left);
        if (left !== 0 || done.has(reader)) continue;
        if (isSegmentNode(reader)) {
          done.add(reader);
          pending.push(reader);
        } else ready.push(index.get(reader) as number);
      }
    }
  };
  for (const [node, n] of waiting) {
    if (n !== 0) continue;
    if (isSegmentNode(node)) {
      if (!done.has(node)) {
        done.add(node);
        finish(node);
      }
    } else ready.push(index.get(node) as number);
  }
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
    const name = groupNames[next];
    order.push(name);
    done.add(name);
    finish(name);
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
