/**
 * `rubric build` end to end: the standalone module (ESM and CommonJS), loaded in a separate Node
 * process with no access to Rubric, gives exactly the in-process scorer's results on many leads,
 * including hostile strings in the rule file and in the leads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, type Lead, type LeadEvent } from '@rubric/core';
import { ACME_RULES } from '../../packages/cli/test/support/fixtures.js';
import { requireBuiltCli, runNode, runRubric, TempDir } from './support.js';

/** Rules whose names, labels and values try to break out of the generated code. */
const HOSTILE_RULES = `lead {
  \`__proto__\`: text
  \`constructor\`: number
  job: text
  \`Lead Source\`: one of [web, "salon \${x}", "o'neil"]
}
event visit { \`toString\`: text }
when \`__proto__\` = "x" add 1 "label with \${process.exit(1)} and \`backticks\`"
when job contains "'); drop table leads; --" add 2 "\\"quoted\\" \\u{2028} line separator"
when \`constructor\` > 3 add 3 "</script><script>alert(1)</script>"
when \`Lead Source\` in ["salon \${x}", "o'neil"] add 4
when any visit where \`toString\` starts "\\\\" add 5
stage s at 1
`;

const NOW = '2026-03-01T00:00:00Z';

/** A deterministic generator of varied leads (wrong types, missing values, nested and dotted). */
function generateLeads(count: number): { lead: Lead; events: LeadEvent[] }[] {
  let seed = 42;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = <T>(values: readonly T[]): T => values[next(values.length)];
  const jobs = ['CEO', 'cto', ' VP Sales ', 'Intern', 'Directeur achats', '', null, 42, "'); drop table leads; --"];
  const industries = ['services', 'Retail', 'RETAIL ', 'industry', null, 7];
  const sizes = [5, 10, 50, 250, 251, '50', '1e3', 'fifty', null, -3];
  const emails = ['ana@acme.fr', 'bob@GMAIL.com', 'x@yahoo.com', '', null];
  const dates = ['2026-02-27', '2026-02-01T10:00:00Z', '2025-12-01', 'not a date', '2026-03-05', null];
  const leads: { lead: Lead; events: LeadEvent[] }[] = [];
  for (let i = 0; i < count; i++) {
    const nested = next(2) === 0;
    const lead: Record<string, unknown> = {
      id: String(i),
      job: pick(jobs),
      email: pick(emails),
      phone: next(3) === 0 ? '+33 1 23' : undefined,
      country: pick(['FR', 'be', 'DE', 'US', null]),
      tags: pick([['partner'], ['vip', 'PARTNER'], [], 'partner', null]),
      student: pick([true, false, 'yes', 'no', 'maybe', 1, 0, null]),
      budget_validated: pick([true, false, 'yes', null]),
      signup: pick(dates),
      constructor: pick([1, 5, '9', 'nope']),
      'Lead Source': pick(['web', 'Salon ${x}', "O'Neil", 'fair']),
    };
    // An own `__proto__` property (an object literal would set the prototype instead).
    Object.defineProperty(lead, '__proto__', { value: pick(['x', 'y', null]), enumerable: true, writable: true, configurable: true });
    if (nested) lead.company = { size: pick(sizes), industry: pick(industries) };
    else Object.assign(lead, { 'company.size': pick(sizes), 'company.industry': pick(industries) });
    const events: LeadEvent[] = [];
    const eventCount = next(6);
    for (let e = 0; e < eventCount; e++) {
      events.push(
        pick<LeadEvent>([
          { type: 'email_open', at: pick(dates) ?? '2026-02-01' },
          { type: 'download', at: pick(dates) ?? '2026-02-01', asset: pick(['Buyer guide', 'pricing sheet', 3]) },
          { type: 'page_view', at: pick(dates) ?? '2026-02-01', url: pick(['/pricing', '/PRICING/teams', '/blog']) },
          { type: 'visit', at: '2026-02-01', toString: pick(['\\\\x', 'x']) },
        ]),
      );
    }
    leads.push({ lead: JSON.parse(JSON.stringify(lead)) as Lead, events });
  }
  return leads;
}

let tmp: TempDir;
beforeAll(() => {
  requireBuiltCli();
  tmp = new TempDir();
  tmp.write('acme.rubric', ACME_RULES);
  tmp.write('hostile.rubric', HOSTILE_RULES);
});
afterAll(() => tmp.remove());

const SCORE_ALL = (leadsFile: string) => `
  const cases = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(leadsFile)}, 'utf8'));
  const out = cases.map(({ lead, events }) => ({
    score: scorer.score(lead, { now: ${JSON.stringify(NOW)}, events }),
    explain: scorer.explain(lead, { now: ${JSON.stringify(NOW)}, events }),
  }));
  process.stdout.write(JSON.stringify(out));
`;

describe.each([
  ['acme.rubric', 'acme'],
  ['hostile.rubric', 'hostile'],
])('rubric build %s', (rulesFile, name) => {
  const cases = generateLeads(400);
  const text = name === 'acme' ? ACME_RULES : HOSTILE_RULES;

  it.each(['esm', 'cjs'] as const)('the %s module scores like the in-process scorer', async (format) => {
    const build = await runRubric(['build', rulesFile, '--out', `dist-${format}`, '--format', format], tmp.dir);
    expect(build.stderr).not.toContain('error');
    expect(build.code).toBe(0);
    const leadsFile = tmp.write(`${name}-leads.json`, JSON.stringify(cases));
    const modulePath = `${tmp.dir}/dist-${format}/${name}.${format === 'esm' ? 'mjs' : 'cjs'}`;
    const script =
      format === 'esm'
        ? `import * as scorer from ${JSON.stringify(modulePath)}; import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);${SCORE_ALL(leadsFile)}`
        : `const scorer = require(${JSON.stringify(modulePath)});${SCORE_ALL(leadsFile)}`;
    // Run from an empty folder: the module must not need Rubric (or anything) to load.
    const outside = new TempDir();
    try {
      const result = await runNode(script, outside.dir, format === 'esm' ? 'module' : 'commonjs');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const standalone = JSON.parse(result.stdout) as unknown[];

      const { scorer } = compile(text);
      if (scorer === null) throw new Error('the rules do not compile');
      const inProcess = cases.map(({ lead, events }) => ({
        score: scorer.score(lead, { now: NOW, events }),
        explain: scorer.explain(lead, { now: NOW, events }),
      }));
      expect(standalone).toEqual(JSON.parse(JSON.stringify(inProcess)));
    } finally {
      outside.remove();
    }
  });
});
