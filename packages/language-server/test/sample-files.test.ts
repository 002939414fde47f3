import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { codeLenses } from '../src/features/code-lens.js';
import { preview } from '../src/features/preview.js';
import { MAX_SAMPLE_BYTES, SampleFiles } from '../src/sample-files.js';
import { MAX_SAMPLE_LEADS, parseSample, previewNow, sampleCoverage, scoreSample } from '../src/sample-leads.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';
import { fixture, stateOf } from './helpers.js';

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

describe('sample files are read within limits', () => {
  const acmeText = fixture('acme.rubric');
  const lead = (i: number): string => JSON.stringify({ id: `lead-${i}`, job: 'CEO', company: { size: 50, industry: 'services' } });
  /** A rule file `NAME.rubric` in the temporary folder, its state and its URI. */
  const ruleFile = (name: string) => {
    const path = join(dir, 'rules', `${name}.rubric`);
    writeFileSync(path, acmeText);
    const fileUri = pathToFileURL(path).toString();
    return { state: stateOf(acmeText, fileUri), uri: fileUri, sample: join(dir, 'rules', `${name}.sample.jsonl`) };
  };
  const header = (file: ReturnType<typeof ruleFile>, files: SampleFiles): string => {
    const context = files.contextFor(file.uri, DEFAULT_SETTINGS, [folder]);
    const titles = codeLenses(file.state, { textDocument: { uri: file.uri } }, context).map((l) => l.command?.title ?? '');
    return titles.find((title) => title.startsWith('Sample')) ?? '';
  };

  it.runIf(existsSync('/dev/zero') && process.platform !== 'win32')('refuses a sample symlinked to /dev/zero at once, with a lens saying why', () => {
    const file = ruleFile('zero');
    symlinkSync('/dev/zero', file.sample);
    const before = process.memoryUsage().rss;
    // No time is asserted (the load would decide it): reading /dev/zero never ends, so the test's
    // timeout catches it, and the memory bound catches a read that stops late.
    expect(header(file, new SampleFiles())).toBe(
      'Sample leads: not read: `zero.sample.jsonl` is not a regular file (a device, a FIFO, a socket or a folder); give a file of leads',
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    // The setting goes through the same reading.
    const configured = new SampleFiles().contextFor(uri, { ...DEFAULT_SETTINGS, sampleLeads: '/dev/urandom' }, [folder]);
    expect(configured.error).toMatch(/^not read: `urandom` is not a regular file/);
  }, 30_000);

  it.runIf(process.platform === 'linux')('refuses a FIFO without opening it for a blocking read', () => {
    const file = ruleFile('fifo');
    execFileSync('mkfifo', [file.sample]);
    // No time is asserted: a blocking read of a FIFO nobody writes to never returns (the whole
    // worker blocks), so the test's timeout catches it.
    expect(header(file, new SampleFiles())).toMatch(/^Sample leads: not read: `fifo\.sample\.jsonl` is not a regular file/);
  }, 30_000);

  it(`reads only the first ${MAX_SAMPLE_BYTES / 1024 / 1024} MiB of a larger file, and says so`, () => {
    const file = ruleFile('huge');
    // 10,000 leads, then a sparse hole of zeros up to 1 GiB: reading it all would take a gigabyte.
    writeFileSync(file.sample, `${Array.from({ length: 10_000 }, (_, i) => lead(i)).join('\n')}\n`);
    truncateSync(file.sample, 1024 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    // No time is asserted: the memory bound and `partialBytes` below show only the start was read.
    const files = new SampleFiles();
    const title = header(file, files);
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
    expect(title).toMatch(
      /^Sample huge\.sample\.jsonl: first 5,000 of more than 10,000 leads scored at [^ ]+ \(the file is larger than 20 MiB: only its start is read\) · open preview$/,
    );
    const sample = files.contextFor(file.uri, DEFAULT_SETTINGS, [folder]).sample;
    expect(sample?.leads).toHaveLength(MAX_SAMPLE_LEADS);
    expect(sample?.partialBytes).toBe(MAX_SAMPLE_BYTES);
    const result = preview(file.state, { textDocument: { uri: file.uri } }, files.contextFor(file.uri, DEFAULT_SETTINGS, [folder]));
    expect(result.sample).toMatchObject({ coverage: 'first 5,000 of more than 10,000 leads', notes: ['the file is larger than 20 MiB: only its start is read'] });
  }, 30_000);

  it('with lower limits: the first leads of a JSON Lines file, a large JSON array refused, a long line skipped', () => {
    const files = new SampleFiles({ maxBytes: 4096, maxArrayBytes: 1024 });
    const lines = ruleFile('lines');
    writeFileSync(lines.sample, `${Array.from({ length: 200 }, (_, i) => lead(i)).join('\n')}\n`);
    const sample = files.contextFor(lines.uri, DEFAULT_SETTINGS, [folder]).sample;
    // Whole lines only: the one cut at 4,096 bytes is left out.
    expect(sample?.leads.length).toBe(Math.floor(4096 / (lead(0).length + 1)));
    expect(sample?.problems).toEqual([]);
    expect(header(lines, files)).toMatch(/^Sample lines\.sample\.jsonl: first \d+ leads scored at .* \(the file is larger than 4 KiB: only its start is read\)/);

    const array = ruleFile('array');
    writeFileSync(array.sample, `[${Array.from({ length: 40 }, (_, i) => lead(i)).join(',\n')}]`);
    expect(header(array, files)).toBe(
      'Sample leads: not read: `array.sample.jsonl` is a JSON array larger than 1 KiB; write it as JSON Lines (one lead per line) to preview its first leads',
    );

    const long = parseSample(`{"id": "a"}\n{"id": "${'x'.repeat(9 * 1024 * 1024)}"}\n{"id": "b"}\n`, 'long.jsonl');
    expect(long.leads.map((l) => l.lead.id)).toEqual(['a', 'b']);
    expect(long.problems).toEqual([{ line: 2, message: 'the line is longer than 8 MiB; skipped' }]);
  });

  it('counts the leads past MAX_SAMPLE_LEADS without parsing them', () => {
    const text = `${Array.from({ length: MAX_SAMPLE_LEADS }, (_, i) => lead(i)).join('\n')}\n${'not json\n'.repeat(7000)}`;
    const sample = parseSample(text, 'many.jsonl');
    expect(sample.leads).toHaveLength(MAX_SAMPLE_LEADS);
    // Lines after the leads kept are counted, not parsed: no "invalid JSON" for them.
    expect(sample.problems).toEqual([]);
    expect(sample.truncated).toBe(7000);
  });

  // No time is asserted (the load would decide it): `problems` and `truncated` count what was
  // parsed, which is the load-independent measure of the work done.
  it('reads a million bad lines doing the work of 5,000: at most MAX_SAMPLE_LEADS entries parsed, problems kept', () => {
    const sample = parseSample('not json\n'.repeat(1_000_000), 'bad.jsonl');
    expect(sample.leads).toEqual([]);
    expect(sample.problems).toHaveLength(MAX_SAMPLE_LEADS);
    expect(sample.truncated).toBe(1_000_000 - MAX_SAMPLE_LEADS);
    const array = parseSample(`[${'1,'.repeat(100_000)}{}]`, 'numbers.json');
    expect(array.problems).toHaveLength(MAX_SAMPLE_LEADS);
    expect(array.truncated).toBe(100_001 - MAX_SAMPLE_LEADS);
  }, 30_000);

  it('stops scoring when the time budget is spent and says how many leads were scored', () => {
    const state = stateOf(acmeText);
    const scorer = state.scorer();
    if (scorer === undefined) throw new Error('acme.rubric should compile');
    const sample = parseSample(Array.from({ length: 1000 }, (_, i) => lead(i)).join('\n'), 'slow.jsonl');
    let time = 0;
    // A clock that moves 300 ms each time it is read: the budget of 1 s is spent before the 5th lead.
    const clock = (): number => (time += 300) - 300;
    const run = scoreSample(scorer, state.analysis.model.rules.length, [], sample, previewNow(null, sample, new Date()), { maxMs: 1000, clock });
    expect(run.scored.length + run.failures.length).toBe(4);
    expect(run.unscored).toBe(996);
    expect(sampleCoverage(sample, run)).toEqual({ leads: 4, text: '4 of 1,000 leads', notes: ['scoring stopped after 1 s'] });
  });
});

