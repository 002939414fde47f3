/**
 * A unified diff of two texts by lines (what `rubric fmt --diff` prints), from the shortest edit
 * script (Myers' O((N+M)D) algorithm: fast when the texts are close, as formatting changes are).
 */

const NO_EOL = '\u0000';

type Edit = { readonly kind: 'same' | 'delete' | 'insert'; readonly line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest list of edits turning `a` into `b`. */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] is the frontier at the start of round d (the end of round d - 1).
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d];
    const k = x - y;
    const previousK = k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]) ? k + 1 : k - 1;
    const previousX = frontier[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      edits.push({ kind: 'same', line: a[x - 1] });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === previousX) edits.push({ kind: 'insert', line: b[previousY] });
    else edits.push({ kind: 'delete', line: a[previousX] });
    x = previousX;
    y = previousY;
  }
  return edits.reverse();
}

/**
 * `--- a/PATH` / `+++ b/PATH` and `@@` hunks with `context` lines around each change; the empty
 * string when the texts are equal. Line endings are compared as written (`\r` shows as a change).
 */
export function unifiedDiff(oldText: string, newText: string, path: string, context = 3): string {
  if (oldText === newText) return '';
  // A last line without a line ending differs from the same line with one (it shows as changed).
  const a = splitLines(oldText);
  const b = splitLines(newText);
  if (a.length > 0 && !oldText.endsWith('\n')) a[a.length - 1] += NO_EOL;
  if (b.length > 0 && !newText.endsWith('\n')) b[b.length - 1] += NO_EOL;
  const edits = editScript(a, b);
  const out = [`--- a/${path}`, `+++ b/${path}`];
  // Positions (0-based) of each edit in a and b.
  const positions: { aAt: number; bAt: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const e of edits) {
    positions.push({ aAt: ai, bAt: bi });
    if (e.kind !== 'insert') ai++;
    if (e.kind !== 'delete') bi++;
  }
  let i = 0;
  while (i < edits.length) {
    if (edits[i].kind === 'same') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are closer than 2 * context lines apart.
    for (;;) {
      while (end < edits.length && edits[end].kind !== 'same') end++;
      let gap = end;
      while (gap < edits.length && edits[gap].kind === 'same') gap++;
      if (gap < edits.length && gap - end <= 2 * context) {
        end = gap;
        continue;
      }
      end = Math.min(edits.length, end + context);
      break;
    }
    const hunk = edits.slice(start, end);
    const aStart = positions[start].aAt;
    const bStart = positions[start].bAt;
    const aCount = hunk.filter((e) => e.kind !== 'insert').length;
    const bCount = hunk.filter((e) => e.kind !== 'delete').length;
    const range = (at: number, count: number): string => `${count === 0 ? at : at + 1}${count === 1 ? '' : `,${count}`}`;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@`);
    for (const e of hunk) {
      const mark = e.kind === 'same' ? ' ' : e.kind === 'delete' ? '-' : '+';
      if (e.line.endsWith(NO_EOL)) out.push(`${mark}${e.line.slice(0, -1)}`, '\\ No newline at end of file');
      else out.push(`${mark}${e.line}`);
    }
    i = end;
  }
  return out.join('\n') + '\n';
}
