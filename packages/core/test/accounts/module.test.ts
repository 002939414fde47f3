// Issue 17: the standalone module exports the account scorer (ESM and CommonJS, run in a separate
// Node process, same results as in-process), its `.d.ts` declares it and type-checks a consumer,
// and a file without an account block exports `accounts: null`.
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

const directory = mkdtempSync(join(tmpdir(), 'rubric-account-module-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const NOW = '2026-03-01T00:00:00Z';

export const ACCOUNT_RULES = `lead {
  job: text
  company.id: text
}
event page_view { url: text }
account id = company.id {
  id: text
  industry: one of [logiciel, services]
  employees: number
  \`__proto__\`: text
}
let decision_makers = [CEO, CFO, "Directeur Général"]
segment engaged = any page_view within 30 days
group \`say "hi"\` max 40 {
  when job in decision_makers add 20
  when account.employees >= 200 add 10.5 "Large \\"account\\" </script>"
  when account.\`__proto__\` = "x" add 1
}
when engaged add 5
stage mql at 20
tier top when score >= 30
score accounts {
  when industry = logiciel add 10 "Target ' industry"
  group committee max 60 {
    when count contacts where job in decision_makers >= 1 add 20
    when count contacts where engaged >= 2 add 20
  }
  when average \`say "hi"\` of top 2 contacts >= 20 add 5
  each page_view within 90 days add 1 up to 10
  when count contacts where job in ["\${1+1}", "'); drop table leads; --", "</script><script>alert(1)</script>", "*/ throw 1; /*"] >= 1 add 2 "\\\\ \${x}"
  stage target at 0
  stage buying at 30 when count contacts where (job in decision_makers and engaged) >= 1
  tier strategic when employees >= 1000
}
`;

const ACCOUNTS = [
  { id: 'a', industry: 'Logiciel', employees: 300, __proto__: 'x' },
  JSON.parse('{"id": "b", "__proto__": "x", "employees": "5000"}') as unknown,
  { id: 'c', employees: 'many' },
  null,
  ...HOSTILE_STRINGS.map((s) => ({ id: s, industry: s, __proto__: s })),
];
const CONTACTS = [
  [],
  [{ job: 'CEO', events: [{ type: 'page_view', at: '2026-02-25', url: '/' }] }, { job: 'cfo', account: { employees: 1 } }, { job: 'dev', events: [{ type: 'page_view', at: '2026-02-20', url: '/x' }] }],
  [{ job: '  directeur général ', events: [{ type: 'page_view', at: '2026-02-28', url: '/' }, { type: 'page_view', at: '2026-02-27', url: '/' }] }],
  [null, 'x', { events: 'nope' }, ...HOSTILE_STRINGS.map((s) => ({ job: s }))],
  [{ job: '\${1+1}' }, { job: "'); drop table leads; --" }],
];

function runInNode(file: string, format: 'esm' | 'cjs'): unknown {
  const load = format === 'esm' ? `const m = await import(${JSON.stringify(`file://${file}`)});` : `const m = require(${JSON.stringify(file)});`;
  const script = `
${load}
// Parsed, not written as literals: a literal \`"__proto__"\` key would set the prototype.
const accounts = JSON.parse(${JSON.stringify(JSON.stringify(ACCOUNTS))});
const contacts = JSON.parse(${JSON.stringify(JSON.stringify(CONTACTS))});
const out = [];
for (const account of accounts) {
  for (const cs of contacts) {
    out.push(m.scoreAccount(account, cs, { now: ${JSON.stringify(NOW)} }));
    out.push(m.default.accounts.explainAccount(account, cs, { now: ${JSON.stringify(NOW)} }));
    out.push(m.scoreContact(cs[0], { now: ${JSON.stringify(NOW)} }), m.explainContact(cs[1], { now: ${JSON.stringify(NOW)} }));
    const v = m.scoreAccountAndValidate(account, cs, { now: ${JSON.stringify(NOW)} });
    out.push([v.result.score, v.result.stage, v.result.contacts.map((c) => c.score), v.invalid, m.accounts.scoreContactAndValidate(cs[0], { now: ${JSON.stringify(NOW)} }).invalid]);
    const tally = m.accounts.beginAccount(account, { now: ${JSON.stringify(NOW)} });
    const added = cs.map((c) => tally.addContact(c));
    out.push([tally.contacts, added, tally.finishAndValidate()]);
    const table = m.accounts.beginAccounts([account, account], { now: ${JSON.stringify(NOW)} });
    const inTable = cs.map((c) => (table.addContact(0, c), table.addContact(1, c)));
    out.push([table.size, table.contacts(1), inTable, table.finishAndValidate(1), table.finish(0)]);
  }
  out.push(m.accounts.validateAccount(account));
}
process.stdout.write(JSON.stringify(out));
`;
  const runner = join(directory, format === 'esm' ? 'run-esm.mjs' : 'run-cjs.cjs');
  writeFileSync(runner, format === 'esm' ? script : `(async () => {${script}})();`);
  return JSON.parse(execFileSync(process.execPath, [runner], { encoding: 'utf8', maxBuffer: 256 << 20 })) as unknown;
}

describe.each(['esm', 'cjs'] as const)('the %s module of an account file', (format) => {
  const { scorer, diagnostics } = compile(ACCOUNT_RULES);
  if (scorer === null || scorer.accounts === null) throw new Error(`the rules must compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  const accounts = scorer.accounts;
  const text = emitModule(scorer.model, { format });

  it('is ASCII-only text with no dependency', () => {
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(text)).toBe(true);
    expect(text).not.toMatch(/\brequire\(|\bimport\s*[({'"]/);
    expect(text).not.toContain('</script');
  });

  it('scores accounts exactly as in-process, in a separate Node process', () => {
    const file = join(directory, format === 'esm' ? 'accounts.mjs' : 'accounts.cjs');
    writeFileSync(file, text);
    const expected: unknown[] = [];
    const parsedAccounts = JSON.parse(JSON.stringify(ACCOUNTS)) as Array<Record<string, unknown>>;
    const parsedContacts = JSON.parse(JSON.stringify(CONTACTS)) as Array<Array<Record<string, unknown>>>;
    for (const account of parsedAccounts) {
      for (const cs of parsedContacts) {
        expected.push(accounts.scoreAccount(account, cs, { now: NOW }));
        expected.push(accounts.explainAccount(account, cs, { now: NOW }));
        expected.push(accounts.scoreContact(cs[0], { now: NOW }), accounts.explainContact(cs[1], { now: NOW }));
        const v = accounts.scoreAccountAndValidate(account, cs, { now: NOW });
        expected.push([v.result.score, v.result.stage, v.result.contacts.map((c) => c.score), v.invalid, accounts.scoreContactAndValidate(cs[0], { now: NOW }).invalid]);
        // The streamed entry gives the same contacts and account as the one-call entry.
        expect(accounts.contactsReadAccountResult).toBe(false);
        const tally = accounts.beginAccount(account, { now: NOW });
        const added = cs.map((c) => tally.addContact(c));
        expect(added.map((a) => a.result)).toEqual(v.result.contacts);
        const finished = tally.finishAndValidate();
        const { contacts: _contacts, ...own } = v.result;
        expect(finished.result).toEqual(own);
        expected.push([tally.contacts, added, finished]);
        // The same account twice in one table (beginAccounts), contacts added to both in turn.
        const table = accounts.beginAccounts([account, account], { now: NOW });
        const inTable = cs.map((c) => (table.addContact(0, c), table.addContact(1, c)));
        expect(inTable).toEqual(added);
        expected.push([table.size, table.contacts(1), inTable, table.finishAndValidate(1), table.finish(0)]);
        expect(table.contacts(0)).toBe(cs.length);
      }
      expected.push(accounts.validateAccount(account));
    }
    expect(runInNode(file, format)).toEqual(JSON.parse(JSON.stringify(expected)));
    const scores = new Set((expected as Array<{ score?: number }>).map((r) => r.score));
    expect(scores.size).toBeGreaterThan(4);
    expect(expected).toContainEqual(expect.objectContaining({ stage: 'buying' }));
  });
});

describe('an account module', () => {
  it('a file without an account block exports accounts: null', () => {
    const { scorer } = compile('lead { job: text }\nwhen job = ceo add 1\n');
    const text = emitModule(scorer!.model);
    expect(text).toContain('export const accounts = null;');
    expect(text).not.toContain('createAccountScorer');
    expect(emitTypeDeclarations(scorer!.model)).toContain('export declare const accounts: null;');
  });

  it('its declarations type-check a consumer', () => {
    const { scorer } = compile(ACCOUNT_RULES);
    writeFileSync(join(directory, 'accounts-types.mjs'), emitModule(scorer!.model));
    const declarations = emitTypeDeclarations(scorer!.model);
    expect(declarations).not.toContain('"account.employees"');
    writeFileSync(join(directory, 'accounts-types.d.mts'), declarations);
    writeFileSync(
      join(directory, 'account-consumer.mts'),
      `import scorer, { scoreAccount, explainAccount, validateAccount, scoreContact, explainContact, scoreAccountAndValidate, accounts, type Account, type AccountStageName } from './accounts-types.mjs';
const account: Account = { id: 'a', industry: 'logiciel', employees: 300 };
const result = scoreAccount(account, [{ job: 'CEO', events: [{ type: 'page_view', at: '2026-02-01', url: '/' }] }], { now: '2026-03-01' });
const stage: AccountStageName | null = result.stage;
const committee: number = result.groups.committee;
const contactStage: 'mql' | null = result.contacts[0].stage;
const explained = explainAccount(account, [], { now: new Date() });
const firstAggregate: number | null = explained.aggregates[0].value;
const problems: readonly { field: string }[] = validateAccount(account);
accounts.scoreAccount(account, []);
const alone: number = scoreContact({ job: 'CEO' }).score + explainContact({}, { now: '2026-03-01' }).hits.length;
scorer.scoreAccount(account, []);
const checked: readonly (readonly { field: string }[])[] = scoreAccountAndValidate(account, [{ job: 'CEO' }]).invalid;
const checkedStage: AccountStageName | null = accounts.scoreAccountAndValidate(account, []).result.stage;
const aloneChecked: number = scorer.scoreContactAndValidate({ job: 'CEO' }).result.score;
const tally = accounts.beginAccount(account, { now: '2026-03-01' });
const added: number = tally.addContact({ job: 'CEO' }, { events: [{ type: 'page_view', at: '2026-02-01', url: '/' }], eventTimes: [Date.parse('2026-02-01')] }).result.score;
const tallied: AccountStageName | null = accounts.contactsReadAccountResult ? null : tally.finishAndValidate().result.stage;
const table = accounts.beginAccounts([account, account], { now: '2026-03-01' });
const inTable: number = table.addContact(1, { job: 'CEO' }).result.score + table.contacts(0) + table.size;
const tableStage: AccountStageName | null = table.finish(1).stage;
// @ts-expect-error an account of a table is named by its number
table.finish('ACC-1');
// @ts-expect-error the tally's result has no contacts (it held none)
tally.finish().contacts;
// @ts-expect-error unknown account stage
const wrong: AccountStageName = 'mql';
// @ts-expect-error a number is not an account's text field
scoreAccount({ id: 5 }, []);
export { stage, committee, contactStage, firstAggregate, problems, wrong, alone, checked, checkedStage, aloneChecked, added, tallied, inTable, tableStage };
`,
    );
    const program = ts.createProgram([join(directory, 'account-consumer.mts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      types: [],
      skipLibCheck: false,
    });
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  });
});
