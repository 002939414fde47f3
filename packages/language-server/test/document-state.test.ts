import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../src/document-state.js';
import { LineIndex } from '../src/text.js';

describe('document store', () => {
  it('keeps one state per version and analyses it once', () => {
    const store = new DocumentStore();
    const first = store.update('file:///a.rubric', 1, 'lead { a: text }\n');
    expect(store.update('file:///a.rubric', 1, 'lead { a: text }\n')).toBe(first);
    expect(first.analysis).toBe(first.analysis);
    const second = store.update('file:///a.rubric', 2, 'lead { b: text }\n');
    expect(second).not.toBe(first);
    expect(store.get('file:///a.rubric')).toBe(second);
    store.delete('file:///a.rubric');
    expect(store.get('file:///a.rubric')).toBeUndefined();
  });

  it('completes from the last analysed version while a new one waits for its check', () => {
    const store = new DocumentStore();
    const first = store.update('file:///a.rubric', 1, 'lead { a: text }\n');
    void first.analysis;
    const second = store.update('file:///a.rubric', 2, 'lead { a: text, b: number }\n');
    expect([...second.modelForCompletion.fields.keys()]).toEqual(['a']);
    void second.analysis;
    expect([...second.modelForCompletion.fields.keys()]).toEqual(['a', 'b']);
  });
});

describe('line index', () => {
  it('maps offsets and positions over \\n, \\r\\n and \\r line ends, clamping out-of-range positions', () => {
    const lines = new LineIndex('ab\r\ncd\ref\ngh');
    expect(lines.lineCount).toBe(4);
    expect(lines.positionAt(5)).toEqual({ line: 1, character: 1 });
    expect(lines.offsetAt({ line: 2, character: 1 })).toBe(8);
    expect(lines.offsetAt({ line: 0, character: 99 })).toBe(2);
    expect(lines.offsetAt({ line: 99, character: 0 })).toBe(12);
    expect(lines.lineText(1)).toBe('cd');
  });

  it('puts an offset between the \\r and \\n of a line break at the end of its line (no position names it)', () => {
    const lines = new LineIndex('ab\r\ncd');
    expect(lines.positionAt(3)).toEqual({ line: 0, character: 2 });
    expect(lines.rangeOf(1, 3)).toEqual({ start: { line: 0, character: 1 }, end: { line: 0, character: 2 } });
    expect(lines.positionAt(4)).toEqual({ line: 1, character: 0 });
  });
});
