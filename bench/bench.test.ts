/**
 * Keeps the bench from rotting: runs the whole harness in process with tiny sizes and checks
 * what must hold whatever the timings — the four implementations of the reference ruleset give
 * identical results on every generated lead, the generated 200-rule file agrees with its oracle,
 * and the report has every section. Timings are never asserted.
 */
import { describe, expect, it } from 'vitest';
import { BENCH_NOW, generateLead, generateLeads, leadToCsvRow, eventsToCsvRows } from './generate-leads.mjs';
import { createScorer as createHandwritten } from './peers/handwritten.mjs';
import { missingFeature } from './lib/core.mjs';
import { runBench } from './lib/main.mjs';
import { SECTION_HEADINGS } from './lib/report.mjs';
import { checkAgreement, DisagreementError, resultKey } from './lib/throughput.mjs';

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
  it('runs every section: the four implementations agree, the report is complete', async () => {
    const { markdown, sections } = await runBench({ mode: 'tiny', log: () => {} });

    const agreement = sections.throughput.agreement;
    expect(agreement.implementations).toEqual(['hand-written JS', 'Rubric', 'json-logic-js', 'json-rules-engine']);
    expect(agreement.compared).toEqual({
      'hand-written JS': agreement.leads,
      Rubric: agreement.leads,
      'json-logic-js': agreement.leads,
      'json-rules-engine': agreement.leads,
    });
    for (const name of agreement.implementations) expect(sections.throughput.rates[name].leadsPerSecond).toBeGreaterThan(0);

    // The generated file was checked against its json-logic oracle before being timed.
    expect(sections.throughput.scaling.ruleCount).toBe(200);
    expect(sections.throughput.scaling.oracleLeads).toBeGreaterThan(0);

    expect(sections.compile.data.map((d: { rules: number }) => d.rules)).toEqual([100]);
    expect(sections.profile.data.scoring.length).toBeGreaterThan(0);
    expect(sections.profile.data.compiling.length).toBeGreaterThan(0);

    for (const heading of SECTION_HEADINGS) expect(markdown).toContain(heading);
    for (const id of ['throughput', 'compile', 'cli', 'language-server', 'sql', 'profile']) {
      const section = sections[id];
      expect(section.tables.length, id).toBeGreaterThan(0);
      // A section either has numbers or says plainly that its feature is not there yet.
      if (section.data === null) expect(markdown).toMatch(/not available yet \(feature /);
    }
    expect(markdown).toMatch(/\| Node \| v\d+/);
    expect(markdown).toContain('npm run bench');
  });
});
