/**
 * Keeps the bench from rotting: runs the whole harness in process with tiny sizes and checks
 * what must hold whatever the timings — on both workloads every implementation with Rubric's
 * semantics gives identical results on every generated lead (the naive ones are counted, not
 * held to it), the generated 200-rule file agrees with its oracle, the CLI and its floors
 * write every row, the two engines' outputs are byte for byte identical, every target has a
 * measured ratio, and the report has every section. Timings are never asserted.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BENCH_NOW, generateLead, generateLeads, leadToCsvRow, eventsToCsvRows } from './generate-leads.mjs';
import { generateSimpleLead, generateSimpleLeads, SIMPLE_CSV_COLUMNS, simpleLeadToCsvRow } from './generate-simple-leads.mjs';
import { missingFeature } from './lib/core.mjs';
import { runBench } from './lib/main.mjs';
import { SECTION_HEADINGS } from './lib/report.mjs';
import { checkAgreement, countDifferences, DisagreementError, NAMES, resultKey } from './lib/throughput.mjs';
import { createScorer as createHandwritten, parseIso } from './peers/handwritten.mjs';
import { scoreLead as simpleExact } from './peers/simple-exact.mjs';
import { scoreLead as simpleNaive } from './peers/simple-naive.mjs';

describe('lead generator', () => {
  it('is deterministic per (index, seed) and differs between seeds', () => {
    expect(JSON.stringify(generateLead(41))).toBe(JSON.stringify(generateLead(41)));
    expect(JSON.stringify(generateLeads(3, { start: 40 })[1])).toBe(JSON.stringify(generateLead(41)));
    expect(JSON.stringify(generateLead(41, 1))).not.toBe(JSON.stringify(generateLead(41, 2)));
  });

  it('writes a lead as one CSV row and its events as rows keyed by the lead id', () => {
    const lead = generateLeads(50).find((l) => Array.isArray(l.events) && l.events.length > 2);
    expect(lead).toBeDefined();
    expect(leadToCsvRow(lead).startsWith(`${lead.id},`)).toBe(true);
    const rows = eventsToCsvRows(lead);
    expect(rows).toHaveLength(lead.events.length);
    for (const row of rows) expect(row.startsWith(`${lead.id},`)).toBe(true);
  });

  it('makes simple-fit leads deterministically, with the mess a naive function gets wrong', () => {
    expect(JSON.stringify(generateSimpleLead(7))).toBe(JSON.stringify(generateSimpleLead(7)));
    expect(JSON.stringify(generateSimpleLeads(3, { start: 6 })[1])).toBe(JSON.stringify(generateSimpleLead(7)));
    const leads = generateSimpleLeads(2000);
    // Numbers as numeric strings, padded text, accents, wrong types: all present.
    expect(leads.some((l) => typeof l.emails_opened_90d === 'string' && /^\d+$/.test(l.emails_opened_90d))).toBe(true);
    expect(leads.some((l) => typeof l.job === 'string' && l.job !== l.job.trim())).toBe(true);
    expect(leads.some((l) => typeof l.job === 'string' && /[^\x00-\x7f]/.test(l.job))).toBe(true);
    expect(leads.some((l) => [l.job, l.email, l.phone, l.country].includes(42))).toBe(true);
    const differences = countDifferences(simpleExact, simpleNaive, leads);
    expect(differences.differ).toBeGreaterThan(0);
    expect(differences.differ).toBeLessThan(leads.length);
    for (const lead of leads) expect(simpleLeadToCsvRow(lead).startsWith(`${lead.id},`)).toBe(true);
    expect(SIMPLE_CSV_COLUMNS[0]).toBe('id');
  });
});

describe('hand-written baselines and floors', () => {
  it("the exact baseline's ISO parser reads what Date.parse reads, and rejects days that do not exist", () => {
    let compared = 0;
    for (const lead of generateLeads(200)) {
      for (const event of lead.events ?? []) {
        if (typeof event.at !== 'string' || Number.isNaN(Date.parse(event.at))) continue;
        expect(parseIso(event.at), event.at).toBe(Date.parse(event.at));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
    expect(parseIso('2026-03-01T10:30:15.250+02:00')).toBe(Date.parse('2026-03-01T10:30:15.250+02:00'));
    expect(parseIso('2024-02-29')).toBe(Date.parse('2024-02-29'));
    for (const bad of ['2026-02-30', '2026-13-01', '2026-03-01T24:00Z', '2026-03-01T10:00Zx', 'yesterday', '']) expect(parseIso(bad), bad).toBeNaN();
  });

  it('the CLI floor adds one column: non-empty cells, plus the lead\'s events when it reads them in step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rubric-floor-test-'));
    try {
      writeFileSync(join(dir, 'leads.csv'), 'id,job,size\nL1,CEO,12\nL2,,\nL3,CTO,\n');
      writeFileSync(join(dir, 'events.csv'), 'lead_id,type\nL0,open\nL1,open\nL1,click\nL3,open\n');
      const floor = fileURLToPath(new URL('./lib/cli-floor.mjs', import.meta.url));
      execFileSync(process.execPath, [floor, join(dir, 'leads.csv'), join(dir, 'out.csv')], { stdio: 'pipe' });
      expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('id,job,size,computed\nL1,CEO,12,3\nL2,,,1\nL3,CTO,,2\n');
      execFileSync(process.execPath, [floor, join(dir, 'leads.csv'), join(dir, 'out.csv'), '--events', join(dir, 'events.csv')], { stdio: 'pipe' });
      expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe('id,job,size,computed\nL1,CEO,12,5\nL2,,,1\nL3,CTO,,3\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('agreement check', () => {
  it('stops the bench when one implementation differs on a lead', async () => {
    const leads = generateLeads(20);
    const reference = createHandwritten();
    const score = (lead: object) => reference.score(lead, { now: BENCH_NOW });
    const offByOne = (lead: object) => {
      const result = score(lead);
      return lead === leads[7] ? { ...result, score: result.score + 1 } : result;
    };
    await expect(
      checkAgreement(
        [
          { name: 'hand-written JS', score },
          { name: 'wrong', score: offByOne },
        ],
        leads,
      ),
    ).rejects.toThrow(DisagreementError);
    await expect(checkAgreement([{ name: 'a', score }, { name: 'b', score }], leads)).resolves.toEqual({ b: 20 });
  });

  it('compares score, stage, tier and every group in hundredths', () => {
    const base = { score: 12.3, stage: 'evaluation', tier: null, groups: { fit: 10, engagement: 2.3 } };
    expect(resultKey(base)).toBe(resultKey({ ...base, score: 12.300000000000001 }));
    expect(resultKey(base)).not.toBe(resultKey({ ...base, groups: { fit: 10, engagement: 2.31 } }));
    expect(resultKey(base)).not.toBe(resultKey({ ...base, tier: 'warm' }));
  });

  it('says which feature is missing instead of measuring', () => {
    expect(missingFeature({ core: {}, error: null }, 'SQL target', 'emitSql')).toBe(
      'not available yet (feature `SQL target` not built: @rubric/core has no `emitSql` export)',
    );
  });
});

describe('the bench in tiny mode', () => {
  it('runs every section: the implementations agree, every ratio is measured, the report is complete', async () => {
    const { markdown, sections } = await runBench({ mode: 'tiny', log: () => {} });

    const { reference, simple } = sections.throughput.workloads;
    expect(reference.agreement.implementations).toEqual([NAMES.exact, NAMES.rubric, NAMES.exactDateParse, NAMES.jsonLogic, NAMES.jre]);
    expect(reference.agreement.compared).toEqual(Object.fromEntries(reference.agreement.implementations.map((name: string) => [name, reference.agreement.leads])));
    expect(simple.agreement.implementations).toEqual([NAMES.exact, NAMES.rubric]);
    expect(simple.agreement.compared).toEqual({ [NAMES.exact]: simple.agreement.leads, [NAMES.rubric]: simple.agreement.leads });
    for (const workload of [reference, simple]) {
      // The naive functions were compared on every lead; on this data they get some wrong.
      expect(workload.naiveDifferences.leads).toBe(workload.agreement.leads);
      expect(workload.naiveDifferences.differ).toBeGreaterThan(0);
      for (const name of [NAMES.rubric, NAMES.exact, NAMES.naive]) expect(workload.rates[name].leadsPerSecond, name).toBeGreaterThan(0);
    }
    for (const name of reference.agreement.implementations) expect(reference.rates[name].leadsPerSecond).toBeGreaterThan(0);
    expect(sections.throughput.targets).toHaveLength(3);
    for (const target of sections.throughput.targets) expect(target.ratio).toBeGreaterThan(0);

    // The generated file was checked against its json-logic oracle before being timed.
    expect(sections.throughput.scaling.ruleCount).toBe(200);
    expect(sections.throughput.scaling.oracleLeads).toBeGreaterThan(0);

    expect(sections.compile.data.map((d: { rules: number }) => d.rules)).toEqual([100]);
    expect(sections.profile.data.scoring.length).toBeGreaterThan(0);
    expect(sections.profile.data.compiling.length).toBeGreaterThan(0);

    // CLI: the floors and both `rubric score` runs wrote every row; the scores were checked.
    const cli = sections.cli.data;
    for (const key of ['floor', 'noEvents', 'noEventsOneThread', 'floorEvents', 'withEvents']) {
      expect(cli.runs[key].exitCode, key).toBe(0);
      expect(cli.runs[key].rowsOut, key).toBe(cli.leads);
    }
    expect(cli.runs.noEvents.check).toMatch(/^the first [\d,]+ scores and stages match/);
    expect(cli.runs.withEvents.check).toMatch(/^the first [\d,]+ scores and stages match/);
    expect(cli.runs.noEventsOneThread.check).toMatch(/^the first [\d,]+ scores and stages match/);
    expect(cli.ratios.noEvents).toBeGreaterThan(0);
    expect(cli.ratios.noEventsOneThread).toBeGreaterThan(0);
    expect(cli.ratios.withEvents).toBeGreaterThan(0);

    // DuckDB engine: same output as the JavaScript engine, both floors measured.
    const duckdb = sections.sql.data;
    expect(duckdb.identical).toBe('byte for byte identical');
    expect(duckdb.runs.engine.check).toMatch(/^the first [\d,]+ scores and stages match/);
    expect(duckdb.ratios.speedup).toBeGreaterThan(0);
    expect(duckdb.ratios.viewVsFloor).toBeGreaterThan(0);

    // Accounts: both runs wrote every contact; the ratio was measured.
    const accounts = sections.accounts.data;
    for (const key of ['contactOnly', 'accounts']) {
      expect(accounts.runs[key].code, key).toBe(0);
      expect(accounts.runs[key].rows, key).toBe(accounts.contacts);
    }
    expect(accounts.runs.accounts.accountsLine.startsWith(`accounts: ${accounts.accounts} read = ${accounts.accounts} scored + 0 rejected`)).toBe(true);
    expect(accounts.ratio).toBeGreaterThan(0);
    // And once at a larger size (ten times the accounts in full mode): both runs wrote every contact.
    expect(accounts.scale.contacts).toBeGreaterThan(accounts.contacts);
    for (const key of ['contactOnly', 'accounts']) expect(accounts.scale.runs[key].rows, key).toBe(accounts.scale.contacts);
    expect(accounts.scale.ratio).toBeGreaterThan(0);

    for (const heading of SECTION_HEADINGS) expect(markdown).toContain(heading);
    expect(markdown).toMatch(/Load average \(1 min\) at start \/ end \| [\d.]+ \/ [\d.]+/);
    for (const id of ['throughput', 'compile', 'cli', 'language-server', 'sql', 'profile', 'accounts']) {
      const section = sections[id];
      expect(section.tables.length, id).toBeGreaterThan(0);
      // A section either has numbers or says plainly that its feature is not there yet.
      if (section.data === null) expect(markdown).toMatch(/not available yet \(feature /);
    }
    expect(markdown).toMatch(/\| Node \| v\d+/);
    expect(markdown).toContain('npm run bench');
  });
});
