/**
 * The formatter's intermediate form: output lines that remember which source tokens they hold.
 *
 * The printer ({@link ./print.ts}) writes the AST into {@link OutputLine}s; each printed token
 * carries its source offsets (an anchor), so comments, which the AST keeps apart, can be put
 * back next to the token they were written next to ({@link ./comments.ts}).
 */

/** The source span of one printed token. */
export interface Anchor {
  readonly start: number;
  readonly end: number;
}

/**
 * A block level that holds entries one per line: the file, a `{ }` block or a list broken over
 * lines. Blank lines are only ever kept or added between entries of the same container.
 */
export interface Container {
  readonly id: number;
  /** True for the file itself (where blank lines between kinds of statement are enforced). */
  readonly topLevel: boolean;
  /** The indentation of the container's entries. */
  readonly indent: number;
  /** The entry whose line opens the container (-1 for the file). */
  readonly owner: number;
}

/**
 * One statement, rule, field, test item or list line: what blank lines separate. `group` says
 * which statements stay together without a blank line (one-line declarations of one kind).
 */
export interface Entry {
  readonly id: number;
  readonly container: number;
  readonly group: string;
  /** The source span of the entry (for formatRange and blank-line detection). */
  readonly start: number;
  readonly end: number;
  /** Set once printing is done: whether the entry took more than one line. */
  multiLine: boolean;
}

export interface OutputLine {
  indent: number;
  text: string;
  readonly anchors: Anchor[];
  /** The entry the line belongs to; for a comment line, the entry it was placed inside (if any). */
  readonly entry: number;
  /** The container of {@link entry}; for entry-level comment lines, the container they sit in. */
  readonly container: number;
  /** The first line of its entry (so a blank line may precede it). */
  readonly first: boolean;
  /** The id of the container this line opens at its end (`{` or `[`), if any. */
  opens: number | null;
  /** The id of the container whose closing `}` or `]` starts this line, if any. */
  readonly closes: number | null;
  /** The text of a comment kept at the end of the line (after `#`). */
  trailing: string | null;
  /** For a comment line, the comment's text (after `#`). */
  readonly comment: string | null;
  /** For a comment line: the offset of the comment in the source. */
  readonly commentOffset: number;
  /** The offset of the trailing comment in the source (-1 without one). */
  trailingOffset: number;
}

/** Writes output lines. Spacing is the caller's: `write(' and')`, `token('x', range)`. */
export class LineWriter {
  readonly lines: OutputLine[] = [];
  readonly entries: Entry[] = [];
  readonly containers: Container[] = [{ id: 0, topLevel: true, indent: 0, owner: -1 }];

  private current: OutputLine | null = null;

  /** The line being written. */
  get line(): OutputLine {
    if (this.current === null) throw new Error('formatter: no line started');
    return this.current;
  }

  /** A container opened at the end of the current line, owned by the current line's entry. */
  newContainer(indent: number): Container {
    const container: Container = { id: this.containers.length, topLevel: false, indent, owner: this.line.entry };
    this.containers.push(container);
    return container;
  }

  /** Starts a new entry (statement, rule, field, list line) on a new line. */
  startEntry(container: Container, group: string, start: number, end: number): Entry {
    const entry: Entry = { id: this.entries.length, container: container.id, group, start, end, multiLine: false };
    this.entries.push(entry);
    this.pushLine({ indent: container.indent, entry: entry.id, container: container.id, first: true, closes: null });
    return entry;
  }

  /** Breaks the current entry onto a new line (a condition broken after `and`/`or`). */
  continueEntry(indent: number): void {
    const { entry, container } = this.line;
    this.pushLine({ indent, entry, container, first: false, closes: null });
  }

  /** Starts the line that closes `closed` with `}` or `]`; it belongs to the entry that opened it. */
  closeContainer(closed: Container, ownerIndent: number, ownerEntry: number, ownerContainer: number): void {
    this.pushLine({ indent: ownerIndent, entry: ownerEntry, container: ownerContainer, first: false, closes: closed.id });
  }

  /** Marks the current line as opening `container` (its last text is `{` or `[`). */
  markOpens(container: Container): void {
    this.line.opens = container.id;
  }

  write(text: string): void {
    this.line.text += text;
  }

  /** Writes a token that came from the source at `[start, end)`. */
  token(text: string, start: number, end: number): void {
    this.line.text += text;
    this.line.anchors.push({ start, end });
  }

  /** Ends printing: records which entries took more than one line. */
  finish(): void {
    const counts = new Map<number, number>();
    for (const l of this.lines) counts.set(l.entry, (counts.get(l.entry) ?? 0) + 1);
    for (const e of this.entries) e.multiLine = (counts.get(e.id) ?? 0) > 1;
    this.current = null;
  }

  private pushLine(init: {
    indent: number;
    entry: number;
    container: number;
    first: boolean;
    closes: number | null;
  }): void {
    const line: OutputLine = {
      ...init,
      text: '',
      anchors: [],
      opens: null,
      trailing: null,
      comment: null,
      commentOffset: -1,
      trailingOffset: -1,
    };
    this.lines.push(line);
    this.current = line;
  }
}

/** A comment line, placed by {@link ./comments.ts}. */
export function commentLine(
  text: string,
  offset: number,
  indent: number,
  entry: number,
  container: number,
  entryLevel: boolean,
): OutputLine {
  return {
    indent,
    text: '',
    anchors: [],
    entry,
    container,
    first: entryLevel,
    opens: null,
    closes: null,
    trailing: null,
    comment: text,
    commentOffset: offset,
    trailingOffset: -1,
  };
}
