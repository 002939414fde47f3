/**
 * Go-to-definition, references and rename across the contact and account levels (issue 17): every
 * name an account or contact rule uses reaches its declaration, including the account stages and
 * tiers a contact rule compares `account.stage` / `account.tier` with, the word `contacts` (the
 * `account KEY = LEAD_FIELD` header) and `account.stage|score|tier` (the `score accounts` block).
 */
import { describe, expect, it } from 'vitest';
import { findDefinition } from '../src/features/definition.js';
import { findReferences } from '../src/features/references.js';
import { prepareRename, rename } from '../src/features/rename.js';
import { positionOf, stateOf } from './helpers.js';

const URI = 'file:///work/nav.rubric';
const doc = { uri: URI };

/** Contact rules read the account's result; account rules read only contact fields and events (no cycle). */
const READS_RESULT = `lead {
  job: text
  company.id: text
}
event page_view { url: text }
account id = company.id {
  id: text
  employees: number
  plan: one of [free, team]
}
let dm = [CEO, CFO]
segment engaged = any page_view within 30 days
group fit max 40 {
  when job in dm add 20
  when account.plan = team add 5
}
when account.stage = buying add 5
when account.stage in [Buying, target] add 1
when account.tier = strategic add 1
when account.score >= 10 add 1
stage mql at 20
score accounts {
  segment big = employees > 100
  when count contacts where job in dm >= 1 add 3
  when count contacts where engaged >= 1 add 1
  when plan = team add 1
  stage target at 0
  stage buying at 3 when big
  tier strategic when plan = team
}
test "t" {
  now 2026-03-01
  account { id: "a", plan: team, employees: 200 }
  contact { job: CEO }
  expect account stage buying
  expect account tier strategic
}
`;

/** Account rules read the contacts' results (stages, groups, scores); contacts read only account fields. */
const READS_CONTACTS = `lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  employees: number
}
let dm = [CEO, CFO]
group fit max 40 {
  when job in dm add 20
  when account.employees >= 200 add 10
}
stage mql at 20
stage sql at 30
tier vip when job in dm
score accounts {
  when best score of contacts >= 20 add 5
  when average fit of top 2 contacts where job in dm >= 10 add 5
  when count contacts where stage >= mql >= 1 add 5
  when count contacts where tier = vip >= 1 add 1
  when employees > 100 add 1
}
`;

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

function definitionLine(text: string, needle: string, n: number, delta: number): number | undefined {
  const state = stateOf(text, URI);
  return findDefinition(state, { textDocument: doc, position: positionOf(state, needle, n, delta) })?.range.start.line;
}

describe('accounts: go to definition', () => {
  it('checks both files without errors', () => {
    expect(stateOf(READS_RESULT, URI).analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(stateOf(READS_CONTACTS, URI).analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('goes from an account stage or tier compared with account.stage / account.tier to its declaration', () => {
    expect(definitionLine(READS_RESULT, 'account.stage = buying', 0, 'account.stage = '.length + 2)).toBe(lineOf(READS_RESULT, 'stage buying at'));
    expect(definitionLine(READS_RESULT, '[Buying, target]', 0, 3)).toBe(lineOf(READS_RESULT, 'stage buying at'));
    expect(definitionLine(READS_RESULT, '[Buying, target]', 0, 10)).toBe(lineOf(READS_RESULT, 'stage target at'));
    expect(definitionLine(READS_RESULT, 'account.tier = strategic', 0, 'account.tier = '.length + 1)).toBe(lineOf(READS_RESULT, 'tier strategic'));
  });

  it('goes from account.stage, account.score and account.tier to the score accounts block', () => {
    const block = lineOf(READS_RESULT, 'score accounts {');
    expect(definitionLine(READS_RESULT, 'account.stage = buying', 0, 9)).toBe(block);
    expect(definitionLine(READS_RESULT, 'account.score >=', 0, 2)).toBe(block);
    expect(definitionLine(READS_RESULT, 'account.tier =', 0, 10)).toBe(block);
  });

  it('goes from the word contacts to the account key header', () => {
    const header = lineOf(READS_RESULT, 'account id = company.id');
    expect(definitionLine(READS_RESULT, 'count contacts where job', 0, 'count con'.length)).toBe(header);
    expect(definitionLine(READS_CONTACTS, 'of contacts >= 20', 0, 5)).toBe(lineOf(READS_CONTACTS, 'account id = company.id'));
    // `count` itself is no name: nothing to go to.
    expect(definitionLine(READS_RESULT, 'count contacts where job', 0, 2)).toBeUndefined();
  });

  it('goes from the names of account rules to their declarations at both levels', () => {
    const t = READS_CONTACTS;
    expect(definitionLine(t, 'stage >= mql', 0, 'stage >= m'.length)).toBe(lineOf(t, 'stage mql at'));
    expect(definitionLine(t, 'tier = vip >=', 0, 'tier = v'.length)).toBe(lineOf(t, 'tier vip when'));
    expect(definitionLine(t, 'average fit of', 0, 'average f'.length)).toBe(lineOf(t, 'group fit max'));
    expect(definitionLine(t, 'where job in dm >= 10', 0, 'where jo'.length)).toBe(lineOf(t, '  job: text'));
    expect(definitionLine(t, 'where job in dm >= 10', 0, 'where job in d'.length)).toBe(lineOf(t, 'let dm'));
    expect(definitionLine(t, 'employees > 100', 0, 2)).toBe(lineOf(t, '  employees: number'));
    expect(definitionLine(t, 'account.employees >= 200', 0, 'account.emp'.length)).toBe(lineOf(t, '  employees: number'));
    // The key header: its account field and its lead field.
    expect(definitionLine(t, 'account id = company.id', 0, 'account i'.length)).toBe(lineOf(t, '  id: text'));
    expect(definitionLine(t, 'account id = company.id', 0, 'account id = comp'.length)).toBe(lineOf(t, '  company.id: text'));
  });
});

describe('accounts: references and rename of account stages and tiers', () => {
  it('finds every use of an account stage: account.stage in contact rules and the account tests', () => {
    const state = stateOf(READS_RESULT, URI);
    const refs = findReferences(state, { textDocument: doc, position: positionOf(state, 'stage buying at', 0, 7), context: { includeDeclaration: true } });
    const lines = READS_RESULT.split('\n');
    expect(refs.map((r) => lines[r.range.start.line].trim())).toEqual([
      'when account.stage = buying add 5',
      'when account.stage in [Buying, target] add 1',
      'stage buying at 3 when big',
      'expect account stage buying',
    ]);
  });

  it('renames an account stage everywhere, account.stage comparisons included, and the file still checks', () => {
    const state = stateOf(READS_RESULT, URI);
    const position = positionOf(state, 'account.stage = buying', 0, 'account.stage = b'.length);
    expect(prepareRename(state, { textDocument: doc, position })?.placeholder).toBe('buying');
    const edits = rename(state, { textDocument: doc, position, newName: 'purchasing' })?.changes?.[URI] ?? [];
    const sorted = [...edits].sort((a, b) => state.lines.offsetAt(b.range.start) - state.lines.offsetAt(a.range.start));
    let out = READS_RESULT;
    for (const e of sorted) out = out.slice(0, state.lines.offsetAt(e.range.start)) + e.newText + out.slice(state.lines.offsetAt(e.range.end));
    expect(out).not.toMatch(/buying/i);
    expect(out).toContain('when account.stage = purchasing add 5');
    expect(out).toContain('when account.stage in [purchasing, target] add 1');
    expect(stateOf(out, URI).analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('renames an account tier from account.tier = NAME', () => {
    const state = stateOf(READS_RESULT, URI);
    const position = positionOf(state, 'account.tier = strategic', 0, 'account.tier = s'.length);
    const edits = rename(state, { textDocument: doc, position, newName: 'key_account' })?.changes?.[URI] ?? [];
    // The declaration, the contact rule and the test's expectation.
    expect(edits.map((e) => e.range.start.line).sort((a, b) => a - b)).toEqual([lineOf(READS_RESULT, 'tier strategic'), lineOf(READS_RESULT, 'account.tier = strategic'), lineOf(READS_RESULT, 'expect account tier')].sort((a, b) => a - b));
    expect(edits.every((e) => e.newText === 'key_account')).toBe(true);
  });

  it('a contact stage is not confused with a same-word value of account.stage in another file', () => {
    // `mql` is a contact stage: `account.stage` compares account stages only, so it is R015 there.
    const text = READS_RESULT.replace('when account.stage = buying add 5', 'when account.stage = mql add 5');
    const state = stateOf(text, URI);
    expect(state.analysis.diagnostics.map((d) => d.code)).toContain('R015');
    const refs = findReferences(state, { textDocument: doc, position: positionOf(state, 'stage mql at', 0, 7), context: { includeDeclaration: false } });
    expect(refs).toEqual([]);
  });
});
