import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleFiles } from '../src/sample-files.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'rubric-samples-'));
mkdirSync(join(dir, 'rules'));
mkdirSync(join(dir, 'data'));
writeFileSync(join(dir, 'rules', 'acme.rubric'), '');
writeFileSync(join(dir, 'rules', 'acme.sample.jsonl'), '{"id": "a"}\n{"id": "b"}\n');
writeFileSync(join(dir, 'data', 'leads.jsonl'), '{"id": "c"}\n');
const uri = pathToFileURL(join(dir, 'rules', 'acme.rubric')).toString();
const folder = pathToFileURL(dir).toString();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sample files', () => {
  it('reads NAME.sample.jsonl beside NAME.rubric', () => {
    const context = new SampleFiles().contextFor(uri, DEFAULT_SETTINGS, [folder]);
    expect(context.sample?.leads.map((l) => l.lead.id)).toEqual(['a', 'b']);
    expect(context.error).toBeUndefined();
  });

  it('prefers the setting, relative to the workspace folder', () => {
    const context = new SampleFiles().contextFor(uri, { ...DEFAULT_SETTINGS, sampleLeads: 'data/leads.jsonl' }, [folder]);
    expect(context.sample?.leads.map((l) => l.lead.id)).toEqual(['c']);
  });

  it('reports a configured file that does not exist, but not a missing beside-file', () => {
    const files = new SampleFiles();
    expect(files.contextFor(uri, { ...DEFAULT_SETTINGS, sampleLeads: 'nope.jsonl' }, [folder]).error).toMatch(/cannot read .*nope\.jsonl: no such file/);
    const other = pathToFileURL(join(dir, 'data', 'other.rubric')).toString();
    expect(files.contextFor(other, DEFAULT_SETTINGS, [folder])).toEqual({ nowSetting: null });
    expect(files.contextFor('untitled:Untitled-1', DEFAULT_SETTINGS, [])).toEqual({ nowSetting: null });
  });

  it('re-reads a sample only when it changes', () => {
    const files = new SampleFiles();
    const first = files.contextFor(uri, DEFAULT_SETTINGS, [folder]).sample;
    expect(files.contextFor(uri, DEFAULT_SETTINGS, [folder]).sample).toBe(first);
    const path = join(dir, 'rules', 'acme.sample.jsonl');
    writeFileSync(path, '{"id": "a"}\n{"id": "b"}\n{"id": "z"}\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(path, later, later);
    const second = files.contextFor(uri, DEFAULT_SETTINGS, [folder]).sample;
    expect(second).not.toBe(first);
    expect(second?.leads).toHaveLength(3);
  });
});
