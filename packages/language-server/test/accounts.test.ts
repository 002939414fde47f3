/**
 * Account scoring in the editor (issue 17): completion, hover, rename and go-to-definition across
 * the contact and account levels, the outline, semantic tokens and the accounts sample's lenses.
 */
import { describe, expect, it } from 'vitest';
import { codeLenses } from '../src/features/code-lens.js';
import { dataHints } from '../src/features/data-hints.js';
import { completion } from '../src/features/completion.js';
import { findDefinition } from '../src/features/definition.js';
import { foldingRanges } from '../src/features/folding-ranges.js';
import { findReferences } from '../src/features/references.js';
import { documentSymbols } from '../src/features/document-symbols.js';
import { hover } from '../src/features/hover.js';
import { prepareRename, rename } from '../src/features/rename.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../src/features/semantic-tokens.js';
import { parseAccountSample } from '../src/sample-accounts.js';
import { parseSample } from '../src/sample-leads.js';
import { cursor, fixture, positionOf, stateOf } from './helpers.js';

const TEXT = fixture('abm.rubric');
const URI = 'file:///work/abm.rubric';
const state = stateOf(TEXT, URI);
const doc = { uri: URI };

/** The labels offered with `|` put at `at` (a text of the fixture) plus `insert`. */
function labelsAt(textWithCursor: string): string[] {
  const { state: s, position } = cursor(textWithCursor, URI);
  return completion(s, { textDocument: { uri: URI }, position }, { snippetSupport: false, today: '2026-03-01' }).items.map((i) => i.label);
}

/** The fixture with `line` inserted before the line starting `before` (and a cursor in `line`). */
function withLine(line: string, before: string): string {
  const at = TEXT.indexOf(before);
  if (at < 0) throw new Error(before);
  return TEXT.slice(0, at) + line + '\n' + TEXT.slice(at);
}

function apply(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const s = stateOf(text);
  const sorted = [...edits].sort((a, b) => s.lines.offsetAt(b.range.start) - s.lines.offsetAt(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, s.lines.offsetAt(edit.range.start)) + edit.newText + out.slice(s.lines.offsetAt(edit.range.end));
  return out;
}

function hoverText(needle: string, n = 0, delta = 1): string {
  const result = hover(state, { textDocument: doc, position: positionOf(state, needle, n, delta) });
  const contents = result?.contents;
  return contents !== undefined && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}

describe('accounts: the fixture', () => {
  it('checks without errors', () => {
    expect(state.analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(state.analysis.model.account).not.toBeNull();
  });
});

describe('accounts: completion', () => {
  it('offers the account fields and the tests over contacts at an account rule, no lead field', () => {
    const labels = labelsAt(withLine('  when |', '  stage target at 0'));
    expect(labels).toEqual(expect.arrayContaining(['industry', 'employees', 'plan', 'count contacts', 'best score of', 'sum score of', 'average score of', 'committee', 'any']));
    expect(labels).not.toContain('job');
    expect(labels).not.toContain('account.employees');
    expect(labels).not.toContain('fit');
  });

  it('offers the contact scope inside count contacts where', () => {
    const labels = labelsAt(withLine('  when count contacts where |', '  stage target at 0'));
    expect(labels).toEqual(expect.arrayContaining(['job', 'engaged_30', 'fit', 'stage', 'tier', 'score']));
    expect(labels).not.toContain('industry');
    expect(labels).not.toContain('account.employees');
    expect(labels).not.toContain('committee');
  });

  it('offers the contact stages after stage >= inside a where', () => {
    expect(labelsAt(withLine('  when count contacts where stage >= |', '  stage target at 0'))).toEqual(['mql', 'sql']);
    expect(labelsAt(withLine('  when count contacts where stage |', '  stage target at 0'))).toEqual(expect.arrayContaining(['>=', 'in', 'is set']));
    expect(labelsAt(withLine('  when count contacts where tier |', '  stage target at 0'))).not.toContain('>=');
  });

  it('walks through best ... of top N contacts', () => {
    const best = labelsAt(withLine('  when best |', '  stage target at 0'));
    expect(best).toEqual(expect.arrayContaining(['score', 'fit']));
    expect(best).not.toContain('committee');
    expect(labelsAt(withLine('  when best score |', '  stage target at 0'))).toEqual(expect.arrayContaining(['of', 'of top']));
    expect(labelsAt(withLine('  when sum score of |', '  stage target at 0'))).toEqual(expect.arrayContaining(['contacts', 'top']));
    expect(labelsAt(withLine('  when sum score of top 3 |', '  stage target at 0'))).toEqual(['contacts']);
    expect(labelsAt(withLine('  when count contacts |', '  stage target at 0'))).toEqual(expect.arrayContaining(['where', '>=']));
  });

  it('knows where an aggregate\'s where ends and an event\'s where starts', () => {
    const after = labelsAt(withLine('  when count contacts where job in decision_makers >= 1 |', '  stage target at 0'));
    expect(after).toEqual(expect.arrayContaining(['and', 'or', 'add', 'sub']));
    expect(after).not.toContain('hours');
    expect(after).not.toContain('within');
    const next = labelsAt(withLine('  when count contacts where (job = CEO) >= 2 and |', '  stage target at 0'));
    expect(next).toEqual(expect.arrayContaining(['industry', 'count contacts']));
    expect(next).not.toContain('job');
    const event = labelsAt(withLine('  when any page_view where |', '  stage target at 0'));
    expect(event).toContain('url');
    expect(event).not.toContain('count contacts');
    const contactEvent = labelsAt(withLine('  when count contacts where any email_click where |', '  stage target at 0'));
    expect(contactEvent).toContain('campaign');
    expect(contactEvent).not.toContain('stage');
    expect(labelsAt(withLine('  stage big at 10 when count contacts where |', '  stage target at 0'))).toEqual(expect.arrayContaining(['job', 'stage', 'score']));
  });

  it('offers account.NAME in contact rules', () => {
    const labels = labelsAt(withLine('when |', 'stage mql at 20'));
    expect(labels).toEqual(expect.arrayContaining(['job', 'account.employees', 'account.industry']));
    expect(labels).not.toContain('count contacts');
  });

  it('offers the account statements inside score accounts', () => {
    const labels = labelsAt(withLine('  |', '  stage target at 0'));
    expect(labels).toEqual(expect.arrayContaining(['when', 'each', 'group', 'stage', 'tier', 'segment']));
    expect(labels).not.toContain('lead');
    expect(labels).not.toContain('account');
  });

  it('completes the account and contact blocks of a test and expect account', () => {
    expect(labelsAt(withLine('  account { |', '  expect account score'))).toEqual(expect.arrayContaining(['industry', 'employees']));
    const contact = labelsAt(withLine('  contact { |', '  expect account score'));
    expect(contact).toEqual(expect.arrayContaining(['job', 'company.id']));
    expect(contact).not.toContain('account.employees');
    expect(labelsAt(withLine('  expect account stage |', '  expect account score'))).toEqual(['target', 'engaged', 'buying']);
    expect(labelsAt(withLine('  expect |', '  expect account score'))).toContain('account');
  });
});

describe('accounts: hover', () => {
  it('says what count contacts computes, without its synthetic field name', () => {
    const text = hoverText('count contacts where job');
    expect(text).toContain("how many of the account's contacts meeting `job in decision_makers`");
    expect(text).toContain('>= 1');
    expect(text).not.toContain('contacts#');
  });

  it('says what best, sum and average compute', () => {
    expect(hoverText('best score of')).toMatch(/highest of the contacts' scores .*missing \(the test is false\) when no contact meets it/);
    expect(hoverText('sum score of top 3')).toContain('keeping the 3 highest; 0 when no contact meets it');
    expect(hoverText('average fit of')).toMatch(/mean of the values of the contact group `fit` .*rounded half away from zero to the hundredth/);
  });

  it('says how the contact\'s stage compares inside a where', () => {
    const text = hoverText('stage >= sql', 0, 2);
    expect(text).toContain("**the contact's stage**: one of `mql`, `sql` (in file order)");
    expect(text).toContain('`stage >= NAME` holds for `NAME` and every later stage');
  });

  it('shows an account field from its bare name and from account.NAME', () => {
    expect(hoverText('employees between')).toContain('account field');
    expect(hoverText('account.employees >= 200', 0, 10)).toContain('account field');
  });

  it('shows an account stage and the account words', () => {
    expect(hoverText('stage buying', 0, 8)).toContain('account stage');
    expect(hoverText('score accounts', 0, 8)).toContain('Order:');
    expect(hoverText('account id = company.id', 0, 2)).toContain('`company.id`');
  });
});

describe('accounts: the account result in contact rules', () => {
  const text = [
    'lead {',
    '  job: text',
    '  company.id: text',
    '}',
    'account id = company.id {',
    '  id: text',
    '  plan: one of [free, team]',
    '}',
    'when account.stage = buying and job = CEO add 10',
    'score accounts {',
    '  when plan = team add 50',
    '  stage target at 0',
    '  stage buying at 40',
    '}',
    '',
  ].join('\n');

  it('checks without errors', () => {
    expect(stateOf(text, URI).analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('hovers account.stage with when it is known', () => {
    const s = stateOf(text, URI);
    const result = hover(s, { textDocument: doc, position: positionOf(s, 'account.stage', 0, 9) });
    const value = result?.contents !== undefined && typeof result.contents === 'object' && 'value' in result.contents ? result.contents.value : '';
    expect(value).toContain("**the account's stage**");
    expect(value).toContain('Order:');
  });

  it('completes the account stages after account.stage =', () => {
    const labels = labelsAt(text.replace('account.stage = buying', 'account.stage = |buying').replace('|buying', '|'));
    expect(labels).toEqual(expect.arrayContaining(['target', 'buying']));
  });
});

describe('accounts: rename and definition across levels', () => {
  it('goes from account.NAME and from the bare name to the account field', () => {
    const declaration = state.text.split('\n').findIndex((l) => l === '  employees: number');
    const fromContact = findDefinition(state, { textDocument: doc, position: positionOf(state, 'account.employees', 0, 10) });
    const fromAccount = findDefinition(state, { textDocument: doc, position: positionOf(state, 'employees between', 0, 2) });
    expect(fromContact?.range.start.line).toBe(declaration);
    expect(fromAccount?.range.start.line).toBe(declaration);
  });

  it('finds the references of an account field at both levels and in the tests', () => {
    const refs = findReferences(state, { textDocument: doc, position: positionOf(state, 'employees between', 0, 2), context: { includeDeclaration: true } });
    const lines = state.text.split('\n');
    expect(refs.map((r) => lines[r.range.start.line].trim())).toEqual([
      'employees: number',
      'when account.employees >= 200 add 10 "Large account"',
      'when employees between 50 and 2000 add 10',
      'tier strategic when employees >= 1000',
      'account { id: "acme", industry: logiciel, employees: 300 }',
    ]);
  });

  it('renames an account field from account.NAME in a contact rule, everywhere', () => {
    const position = positionOf(state, 'account.employees', 0, 10);
    expect(prepareRename(state, { textDocument: doc, position })?.placeholder).toBe('employees');
    const edit = rename(state, { textDocument: doc, position, newName: 'headcount' });
    const out = apply(state.text, edit?.changes?.[URI] ?? []);
    expect(out).toContain('  headcount: number');
    expect(out).toContain('when account.headcount >= 200');
    expect(out).toContain('when headcount between 50 and 2000');
    expect(out).toContain('tier strategic when headcount >= 1000');
    expect(out).toContain('account { id: "acme", industry: logiciel, headcount: 300 }');
    expect(out).not.toMatch(/employees/);
    const again = stateOf(out, URI);
    expect(again.analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('accounts: outline and semantic tokens', () => {
  it('lists the account block and score accounts with its groups, rules and stages', () => {
    const symbols = documentSymbols(state);
    const account = symbols.find((s) => s.name === 'account');
    expect(account?.detail).toContain('id = company.id');
    expect(account?.children?.map((c) => c.name)).toEqual(['id', 'name', 'industry', 'employees', 'plan']);
    const scoring = symbols.find((s) => s.name === 'score accounts');
    expect(scoring?.children?.map((c) => c.name)).toEqual(expect.arrayContaining(['committee', 'Target industry', 'target', 'engaged', 'buying', 'strategic']));
  });

  it('folds score accounts and the groups in it', () => {
    const lines = TEXT.split('\n');
    const folds = foldingRanges(state).map((r) => `${lines[r.startLine].trim()}..${r.endLine - r.startLine}`);
    expect(folds).toContain('score accounts {..15');
    expect(folds).toContain('group committee max 60 {..2');
  });

  function keywordTexts(text: string): string[] {
    const s = stateOf(text, URI);
    const { data } = semanticTokens(s);
    const lines = text.split('\n');
    const out: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
      if (SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]] === 'keyword') out.push(lines[line].slice(character, character + data[i + 2]));
    }
    return out;
  }

  it('marks the account words as keywords where they are words of the language', () => {
    const words = keywordTexts(TEXT);
    for (const word of ['account', 'accounts', 'contacts', 'best', 'sum', 'average', 'top', 'contact']) expect(words).toContain(word);
    // `account` of the schema, of the test's block and of `expect account`.
    expect(words.filter((w) => w === 'account')).toHaveLength(3);
  });

  it('leaves them values elsewhere', () => {
    const text = 'lead {\n  industry: text\n}\nwhen industry in [account, contacts, best, sum, average, top, contact] add 1\n';
    expect(stateOf(text).analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(keywordTexts(text)).toEqual([]);
  });
});

describe('accounts: sample lenses', () => {
  const sample = parseAccountSample(fixture('abm.sample.accounts.jsonl'), '/work/abm.sample.accounts.jsonl');

  it('reads accounts with their contacts and reports bad lines', () => {
    expect(sample.accounts.map((a) => a.line)).toEqual([1, 2, 3]);
    expect(sample.contactCount).toBe(3);
    expect(sample.problems).toEqual([{ line: 4, message: expect.stringMatching(/^invalid JSON/) }]);
    expect(sample.latestEventAt).toBe('2026-02-27T00:00:00.000Z');
    expect(sample.accounts[0].account).not.toHaveProperty('contacts');
  });

  it('reports accounts whose contacts are no array and contacts that are no object, and reads a JSON array', () => {
    const odd = parseAccountSample('{"id": "a", "contacts": 3}\n{"id": "b", "contacts": [1, {"job": "CEO"}]}\n[]', '/w/x.sample.accounts.jsonl');
    expect(odd.accounts.map((a) => a.contacts.length)).toEqual([0, 1]);
    expect(odd.problems.map((p) => p.line)).toEqual([1, 2, 3]);
    const array = parseAccountSample('[{"id": "a", "contacts": [{"job": "CEO", "events": [{"type": "email_click", "at": "2026-01-02"}]}]}]', '/w/x.sample.accounts.jsonl');
    expect(array.accounts).toHaveLength(1);
    expect(array.latestEventAt).toBe('2026-01-02T00:00:00.000Z');
  });

  it('counts the sample accounts each account rule fires for and each account stage is reached by', () => {
    const lenses = codeLenses(state, { textDocument: doc }, { nowSetting: null }, { nowSetting: null, sample });
    const titles = lenses.map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`);
    const lineOf = (needle: string): number => state.text.split('\n').findIndex((l) => l.includes(needle));
    expect(titles).toContain(`${lineOf('score accounts')}: Sample abm.sample.accounts.jsonl: 3 accounts (3 contacts) scored at 2026-02-27 (1 problem (first: line 4: ${sample.problems[0].message}))`);
    // acme and empty are in a target industry; only acme has a decision maker; acme is buying, the others target.
    expect(titles).toContain(`${lineOf('"Target industry"')}: fires for 2 of 3 sample accounts (67%)`);
    expect(titles).toContain(`${lineOf('"A decision maker"')}: fires for 1 of 3 sample accounts (33%)`);
    expect(titles).toContain(`${lineOf('stage target at 0')}: reached by 3 of 3 sample accounts (100%) · 2 end here`);
    expect(titles).toContain(`${lineOf('stage buying at 60')}: reached by 1 of 3 sample accounts (33%) · 1 end here`);
    expect(titles.filter((t) => t.includes('of 3 sample accounts'))).toHaveLength(12);
    // Contacts scored with their account: `account.employees >= 200` holds for acme's two.
    expect(titles).toContain(`${lineOf('"Large account"')}: fires for 2 of 3 contacts of the sample accounts (67%)`);
    expect(titles).toContain(`${lineOf('stage sql at 30')}: reached by 2 of 3 contacts of the sample accounts (67%) · 2 end here`);
    // The file's account test passes (run through the account scorer).
    expect(titles).toContain(`${lineOf('test "a buying committee"')}: ✓ passed (1 expectation)`);
  });

  it('says a lead sample is scored without accounts in an account file', () => {
    const leads = parseSample('{"job": "CEO", "company.id": "acme"}', '/work/abm.sample.jsonl');
    const titles = codeLenses(state, { textDocument: doc }, { nowSetting: null, sample: leads }).map((l) => l.command?.title ?? '');
    expect(titles).toContainEqual(expect.stringMatching(/^Sample abm\.sample\.jsonl: 1 lead scored at .* \(scored without their accounts\)/));
  });

  it('gives no data hint on account.* fields (they come from the account, not a lead column)', () => {
    const leads = parseSample('{"job": "CEO", "company.id": "acme", "email": "N/A"}\n{"job": "CFO", "company.id": "acme", "email": "N/A"}', '/work/abm.sample.jsonl');
    const hints = dataHints(state, { nowSetting: null, sample: leads }).map((d) => d.message);
    expect(hints.some((m) => m.includes('`email`'))).toBe(true);
    expect(hints.filter((m) => m.includes('account.'))).toEqual([]);
  });

  it('says nothing without a sample and without score accounts', () => {
    expect(codeLenses(state, { textDocument: doc }, { nowSetting: null }, { nowSetting: null }).filter((l) => l.command?.title.includes('sample accounts'))).toEqual([]);
    const plain = stateOf('lead {\n  job: text\n}\nwhen job = CEO add 1\n', URI);
    expect(codeLenses(plain, { textDocument: doc }, { nowSetting: null }, { nowSetting: null, sample })).toEqual([]);
  });
});
