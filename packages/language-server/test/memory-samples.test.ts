import { describe, expect, it } from 'vitest';
import { MemorySamples } from '../src/memory-samples.js';
import { NO_SAMPLES } from '../src/sample-source.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';

const URI = 'file:///playground/rules.rubric';

describe('MemorySamples (the browser server’s sample leads)', () => {
  it('parses JSON Lines and CSV text as sample files are parsed (an empty CSV cell is no value), per document', () => {
    const samples = new MemorySamples();
    const jsonl = samples.set(URI, '{"id":"a","job":"CEO"}\nnot json\n{"id":"b"}\n', 'jsonl', 'pasted');
    expect(jsonl?.leads.map((l) => [l.line, l.lead.id])).toEqual([
      [1, 'a'],
      [3, 'b'],
    ]);
    expect(jsonl?.problems.map((p) => p.line)).toEqual([2]);
    expect(samples.contextFor(URI, DEFAULT_SETTINGS).sample).toBe(jsonl);
    expect(samples.contextFor('file:///other.rubric', DEFAULT_SETTINGS)).toEqual({ nowSetting: null });

    const csv = samples.set(URI, 'id,company.size\nx,12\ny,\n', 'csv', 'pasted.csv');
    expect(csv?.leads.map((l) => l.lead)).toEqual([{ id: 'x', 'company.size': '12' }, { id: 'y' }]);
    expect(samples.get(URI)).toBe(csv);
  });

  it('forgets a document’s sample when its text is emptied; clear() keeps what the page set', () => {
    const samples = new MemorySamples();
    samples.set(URI, '{"id":"a"}\n', 'jsonl', 'pasted');
    samples.clear();
    expect(samples.get(URI)?.leads).toHaveLength(1);
    expect(samples.set(URI, '  \n', 'jsonl', 'pasted')).toBeUndefined();
    expect(samples.get(URI)).toBeUndefined();
    expect(samples.contextFor(URI, { ...DEFAULT_SETTINGS, previewNow: '2026-03-01' })).toEqual({ nowSetting: '2026-03-01' });
  });

  it('NO_SAMPLES gives every document no sample; neither source has an accounts sample', () => {
    expect(NO_SAMPLES.contextFor(URI, DEFAULT_SETTINGS, [])).toEqual({ nowSetting: null });
    expect(NO_SAMPLES.accountsContextFor(URI, DEFAULT_SETTINGS)).toEqual({ nowSetting: null });
    const samples = new MemorySamples();
    samples.set(URI, '{"id":"a"}\n', 'jsonl', 'pasted');
    expect(samples.accountsContextFor(URI, { ...DEFAULT_SETTINGS, previewNow: '2026-03-01' })).toEqual({ nowSetting: '2026-03-01' });
  });
});
