// The standalone modules (`rubric build`): ESM and CommonJS text with the runtime inlined, run in
// a separate Node process, give exactly the in-process results; their `.d.ts` type-checks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { compile } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import { emitTypeDeclarations } from '../../src/compiler/emit-types.js';
import { HOSTILE_STRINGS } from '../support/hostile.js';
import { DESIGN_EXAMPLE_TEXT } from './design-model.js';

const directory = mkdtempSync(join(tmpdir(), 'rubric-module-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const NOW = '2026-03-01T00:00:00Z';

const RULES = `${DESIGN_EXAMPLE_TEXT}
tier A when fit >= 15 and engagement >= 40
tier B when score >= 20
when job contains "Général" add 1.25 'Accented: "DG" \\\\ \\u{2028}'

`;

// Leads as JSON (what a subprocess can receive): dates as ISO text.
const LEADS: unknown[] = [
  { company: { size: 50, industry: 'Services' }, email: 'ana@acme.fr', job: '  Directeur Général ' },
  { 'company.size': 12, company: { size: 5000 }, 'company.industry': 'RETAIL', job: 'CEO', phone: '1', budget_validated: 'YES' },
  { email: 'x@gmail.com', country: 'DE', student: 'true' },
  { job: 'cto', events: [{ type: 'email_click', at: '2026-02-28T12:00:00Z' }, { type: 'email_click', at: '2026-01-01' }] },
  ...HOSTILE_STRINGS.map((s) => ({ job: s, email: s, country: s, company: { industry: s } })),
  JSON.parse('{"__proto__": {"job": "ceo"}, "constructor": "x"}') as unknown,
  { events: [{ type: 'download', asset: 'Guide PME', at: '2026-02-01' }, { type: 'unsubscribe', at: '2026-02-02' }] },
  { events: 'nope' },
  null,
];
const EVENTS = [
  { type: 'page_view', url: '/pricing/pro', at: '2026-02-27' },
  { type: 'email_open', at: '2026-02-01' },
  { type: 'email_open', at: '2026-02-02' },
  { type: 'email_open', at: '2026-02-03' },
];

function runInNode(file: string, format: 'esm' | 'cjs'): unknown {
  const load = format === 'esm' ? `const scorer = await import(${JSON.stringify(`file://${file}`)});` : `const scorer = require(${JSON.stringify(file)});`;
  const script = `
${load}
const leads = ${JSON.stringify(LEADS)};
const events = ${JSON.stringify(EVENTS)};
const out = [];
for (const lead of leads) {
  out.push(scorer.score(lead, { now: ${JSON.stringify(NOW)} }));
  out.push(scorer.default.score(lead, { now: ${JSON.stringify(NOW)}, events }));
  out.push(scorer.explain(lead, { now: ${JSON.stringify(NOW)}, events }));
  out.push(scorer.validate(lead, { now: ${JSON.stringify(NOW)} }));
}
process.stdout.write(JSON.stringify(out));
`;
  const runner = join(directory, format === 'esm' ? 'run-esm.mjs' : 'run-cjs.cjs');
  writeFileSync(runner, format === 'esm' ? script : `(async () => {${script}})();`);
  return JSON.parse(execFileSync(process.execPath, [runner], { encoding: 'utf8' })) as unknown;
}

describe.each(['esm', 'cjs'] as const)('the %s module', (format) => {
  const { scorer, diagnostics } = compile(RULES);
  if (scorer === null) throw new Error(`the rules must compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  const text = emitModule(scorer.model, { format });

  it('is ASCII-only text with no dependency', () => {
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(text)).toBe(true);
    expect(text).not.toMatch(/\brequire\(|\bimport\s*[({'"]/);
    expect(text).not.toContain('</script');
  });

  it('gives exactly the in-process results in a separate Node process', () => {
    const file = join(directory, format === 'esm' ? 'scorer.mjs' : 'scorer.cjs');
    writeFileSync(file, text);
    const expected: unknown[] = [];
    for (const lead of LEADS as Array<Record<string, unknown>>) {
      expected.push(scorer.score(lead, { now: NOW }));
      expected.push(scorer.score(lead, { now: NOW, events: EVENTS }));
      expected.push(scorer.explain(lead, { now: NOW, events: EVENTS }));
      expected.push(scorer.validate(lead, { now: NOW }));
    }
    const actual = runInNode(file, format);
    expect(actual).toEqual(JSON.parse(JSON.stringify(expected)));
    // The cases are not trivial: several scores, stages and tiers occur.
    const scores = new Set((expected as Array<{ score?: number }>).map((r) => r.score));
    expect(scores.size).toBeGreaterThan(4);
  });
});

describe('the type declarations', () => {
  it('describe the lead, the events and the results, and type-check a consumer', () => {
    const { scorer } = compile(`lead {
  job: text
  company.size: number
  company.industry: one of [services, "Retail"]
  tags: list of text
  signup: date
  \`__proto__\`: bool
}
event page_view { url: text }
event unsubscribe
group fit max 10 {
  when job = ceo add 5
}
group \`say "hi"\` {
  when company.size > 10 add 1
}
when any page_view add 1
when any unsubscribe sub 1
when tags has vip add 1
when signup > 2026-01-01 add 1
when \`__proto__\` add 1
when company.industry = services add 1
stage hot at 5
tier A when score >= 5
`);
    if (scorer === null) throw new Error('the rules must compile');
    const declarations = emitTypeDeclarations(scorer.model);
    expect(declarations).toContain('export interface Lead {');
    expect(declarations).toContain('readonly "company.size"?: number | string | null;');
    expect(declarations).toContain('"services" | "Retail" | (string & {})');
    writeFileSync(join(directory, 'scorer.d.mts'), declarations);
    writeFileSync(
      join(directory, 'consumer.mts'),
      `import scorer, { score, explain, validate, type Lead, type StageName } from './scorer.mjs';
const lead: Lead = {
  job: 'CEO',
  company: { size: 50, industry: 'services' },
  tags: ['vip'],
  signup: new Date(),
  extra: { anything: true },
  events: [{ type: 'page_view', at: '2026-02-01', url: '/pricing' }, { type: 'custom', at: new Date(), x: 1 }],
};
const result = score(lead, { now: '2026-03-01' });
const stage: StageName | null = result.stage;
const fit: number = result.groups.fit + result.groups['say "hi"'];
const tier: 'A' | null = explain(lead).tier;
const problems: readonly { field: string }[] = validate(lead);
scorer.score({ 'company.size': '12' });
// @ts-expect-error a number is not text
score({ job: 5 });
// @ts-expect-error unknown stage name
const wrong: typeof result.stage = 'cold';
// @ts-expect-error no such group
result.groups.engagement;
export { stage, fit, tier, problems, wrong };
`,
    );
    const program = ts.createProgram([join(directory, 'consumer.mts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: false,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
