/**
 * The in-file test runner: runs every `test "name" { ... }` of a rule file against the file's
 * compiled scorer and reports each expectation with what was expected and what happened.
 */
import { stageConditionReasons } from '../explain/stage-failures.js';
import { analyze } from '../analyze.js';
import type { FieldType, Model } from '../checker/model.js';
import { compile, type CompiledScorer } from '../compiler/compile.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AccountExplanation, Explanation, Lead, LeadEvent } from '../runtime/types.js';
import type {
  CompareOperator,
  Expectation,
  ListLiteral,
  Range,
  TestDecl,
  TestEvent,
  TestField,
  Value,
} from '../syntax/ast.js';

/** One `expect` line and its outcome. */
export interface ExpectationResult {
  readonly range: Range;
  /** The expectation as written, without `expect` (`score >= 40`, `stage purchase`, `no tier`). */
  readonly description: string;
  /** The expected value (`>= 40`, `purchase`, `no stage`). */
  readonly expected: string;
  /** What the lead got (`35`, `evaluation`, `no stage`). */
  readonly actual: string;
  readonly passed: boolean;
  /** When it failed, why, in a sentence (`purchase needs 40; the score is 35`). */
  readonly help?: string;
}

/** One test block and its outcome. */
export interface TestResult {
  readonly name: string;
  readonly range: Range;
  /** True when every expectation passed (and the test could run). */
  readonly passed: boolean;
  readonly expectations: readonly ExpectationResult[];
  /**
   * The explanation of the test's lead (absent when it could not be scored); for an account test
   * (`account { }`, issue 17) the account's explanation, with its aggregates and contacts.
   */
  readonly result?: Explanation | AccountExplanation;
  /**
   * Indexes of the rules that fired for the test's lead (for coverage); for an account test, the
   * file's (contact) rules that fired for any of its contacts.
   */
  readonly firedRules: readonly number[];
  /** Issue 17, account tests only: indexes into `Model.account.scoring.rules` of the account rules that fired. */
  readonly accountFiredRules?: readonly number[];
  /** Why the test could not run, when it could not. */
  readonly error?: string;
}

/** Every test of a file. Diagnostics are the file's; with errors no test runs. */
export interface TestRun {
  readonly results: readonly TestResult[];
  readonly diagnostics: readonly Diagnostic[];
  readonly passed: number;
  readonly failed: number;
}

/**
 * Parses, checks and compiles `text`, then runs its tests. A file with errors runs no test
 * (`results` is empty and the errors are in `diagnostics`).
 */
export function runTests(text: string, uri?: string): TestRun {
  const analysis = analyze(text, uri);
  if (hasErrors(analysis.diagnostics)) {
    return { results: [], diagnostics: analysis.diagnostics, passed: 0, failed: 0 };
  }
  const { scorer } = compile(analysis.model);
  if (scorer === null) return { results: [], diagnostics: analysis.diagnostics, passed: 0, failed: 0 };
  const results = runCompiledTests(scorer);
  const passed = results.filter((r) => r.passed).length;
  return { results, diagnostics: analysis.diagnostics, passed, failed: results.length - passed };
}

/** Runs the tests of an already compiled file (what the language server uses per version). */
export function runCompiledTests(scorer: CompiledScorer): TestResult[] {
  return scorer.model.tests.map((test) => runTest(scorer, test));
}

function runTest(scorer: CompiledScorer, test: TestDecl): TestResult {
  const base = { name: test.name.value, range: test.range };
  const nowSeconds = test.now !== undefined && Number.isFinite(test.now.epochSeconds) ? test.now.epochSeconds : Math.floor(Date.now() / 1000);
  if (test.account !== undefined) return runAccountTest(scorer, test, test.account, nowSeconds);
  let result: Explanation;
  try {
    const model = scorer.model;
    const lead = buildLead(model, test.lead);
    const events = test.events.map((event) => buildEvent(model, event, nowSeconds));
    result = scorer.explain(lead, { now: new Date(nowSeconds * 1000), events });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, passed: false, expectations: [], firedRules: [], error: `the test could not run: ${message}` };
  }
  const expectations = test.expectations.map((expectation) => checkExpectation(expectation, result, scorer.model));
  return {
    ...base,
    passed: expectations.every((e) => e.passed),
    expectations,
    result,
    firedRules: result.hits.map((hit) => hit.rule),
  };
}

/**
 * Issue 17: a test with `account { }` scores that account with its `contact { }` blocks (each
 * with its `events { }`) through the account scorer; its expectations (`expect account ...`)
 * read the account's result, with the account's rules, groups and stages.
 */
function runAccountTest(scorer: CompiledScorer, test: TestDecl, accountFields: readonly TestField[], nowSeconds: number): TestResult {
  const base = { name: test.name.value, range: test.range };
  const model = scorer.model;
  const side = model.account ?? null;
  if (side === null || scorer.accounts === null) {
    return { ...base, passed: false, expectations: [], firedRules: [], error: 'the test could not run: the file has no `account` block' };
  }
  let result: AccountExplanation;
  try {
    const account = buildRecord(model, accountFields, side.fields);
    const contacts = (test.contacts ?? []).map((contact) => {
      const lead = buildLead(model, contact.fields) as Record<string, unknown>;
      if (contact.events.length > 0) define(lead, 'events', contact.events.map((event) => buildEvent(model, event, nowSeconds)));
      return lead;
    });
    result = scorer.accounts.explainAccount(account, contacts, { now: new Date(nowSeconds * 1000) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...base, passed: false, expectations: [], firedRules: [], error: `the test could not run: ${message}` };
  }
  const expectations = test.expectations.map((expectation) => {
    if (expectation.account === undefined) {
      const description = 'an expectation without `account`';
      return {
        range: expectation.range,
        description,
        expected: 'expect account ...',
        actual: 'a lead expectation',
        passed: false,
        help: 'a test with `account { }` checks the account: write `expect account ...`',
      };
    }
    const checked = checkExpectation(expectation, result, side.scoring, 'account');
    const outcome: ExpectationResult = { ...checked, description: `account ${checked.description}` };
    if (outcome.passed || outcome.help !== undefined || (expectation.kind !== 'ExpectScore' && expectation.kind !== 'ExpectStage')) return outcome;
    return { ...outcome, help: aggregatesHelp(result) };
  });
  const fired = new Set<number>();
  for (const contact of result.contacts) for (const hit of contact.hits) fired.add(hit.rule);
  return {
    ...base,
    passed: expectations.every((e) => e.passed),
    expectations,
    result,
    firedRules: [...fired].sort((a, b) => a - b),
    accountFiredRules: result.hits.map((hit) => hit.rule),
  };
}

/** What the account rules read from the contacts, in words (the help of a failed account expectation). */
function aggregatesHelp(result: AccountExplanation): string {
  const contacts = `${result.contacts.length} contact${result.contacts.length === 1 ? '' : 's'} scored ${result.contacts.map((c) => formatNumber(c.score)).join(', ') || 'nothing'}`;
  if (result.aggregates.length === 0) return `the account's ${contacts}`;
  const values = result.aggregates.map(
    (a) => `\`${a.text}\` is ${a.value === null ? 'missing' : formatNumber(a.value)} (${a.contacts} contact${a.contacts === 1 ? '' : 's'})`,
  );
  return `the account's ${contacts}; ${values.join('; ')}`;
}

// ---------------------------------------------------------------------------------------------
// The test's lead and events

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty: a `__proto__` or `constructor` key is an ordinary own property here.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function scalarOf(model: Model, value: Value, type: FieldType | undefined): unknown {
  switch (value.kind) {
    case 'NumberLiteral':
      // A number written for a text field means its text (`zip: 75001`).
      return type !== undefined && (type.kind === 'text' || type.kind === 'one-of') ? value.raw.replace(/_/g, '') : value.value;
    case 'StringLiteral':
    case 'BooleanLiteral':
      return value.value;
    case 'DateLiteral':
      return Number.isFinite(value.epochSeconds) ? new Date(value.epochSeconds * 1000) : value.raw;
    case 'WordValue': {
      const found = model.lets.get(value.name.name);
      if (found === undefined) return value.name.name;
      const constant = found.value;
      switch (constant.kind) {
        case 'text':
          return constant.value;
        case 'number':
          return constant.value;
        case 'bool':
          return constant.value;
        case 'date':
          return new Date(constant.epochSeconds * 1000);
        case 'list':
          return [...constant.values];
      }
    }
  }
}

function valueOf(model: Model, value: Value | ListLiteral, type: FieldType | undefined): unknown {
  if (value.kind !== 'ListLiteral') {
    const scalar = scalarOf(model, value, type);
    // One value for a list field is a list of one.
    return type?.kind === 'list' && !Array.isArray(scalar) ? [scalar] : scalar;
  }
  const items: unknown[] = [];
  for (const item of value.items) {
    const scalar = scalarOf(model, item, type);
    if (Array.isArray(scalar)) items.push(...scalar);
    else items.push(scalar);
  }
  return items;
}

function buildLead(model: Model, fields: readonly TestField[]): Lead {
  const lead: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of fields) {
    const name = field.name.name;
    const info = model.fields.get(name);
    // A test names fields; the scorer reads a field declared `from "COLUMN"` at its column.
    define(lead, info?.column ?? name, valueOf(model, field.value, info?.type));
  }
  return lead;
}

/** An account record from `account { }`: each field at its column (`from`), typed by the account fields. */
function buildRecord(model: Model, fields: readonly TestField[], declared: ReadonlyMap<string, { readonly column?: string; readonly type: FieldType }>): Lead {
  const record: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of fields) {
    const name = field.name.name;
    const info = declared.get(name);
    define(record, info?.column ?? name, valueOf(model, field.value, info?.type));
  }
  return record;
}

function buildEvent(model: Model, event: TestEvent, nowSeconds: number): LeadEvent {
  const name = event.event.name;
  const declared = model.events.get(name);
  const at =
    event.at.kind === 'DateLiteral'
      ? event.at.epochSeconds
      : nowSeconds + (event.at.direction === 'ago' ? -1 : 1) * event.at.duration.seconds;
  const result: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  define(result, 'type', name);
  define(result, 'at', Number.isFinite(at) ? new Date(at * 1000) : event.at.kind === 'DateLiteral' ? event.at.raw : '');
  for (const prop of event.properties) {
    const propName = prop.name.name;
    const info = declared?.properties.get(propName);
    define(result, info?.column ?? propName, valueOf(model, prop.value, info?.type));
  }
  return result as unknown as LeadEvent;
}

// ---------------------------------------------------------------------------------------------
// Expectations

function compareHundredths(actual: number, operator: CompareOperator, expected: number): boolean {
  const a = Math.round(actual * 100);
  const b = Math.round(expected * 100);
  switch (operator) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function expectedNumber(operator: CompareOperator, raw: string): string {
  return operator === '=' ? raw : `${operator} ${raw}`;
}

/** Why the lead is not at `stage`, in words. */
function stageHelp(result: Explanation, expected: string): string | undefined {
  const stage = result.stages.find((s) => s.name === expected);
  if (stage === undefined) return undefined;
  const why: string[] = [];
  if (!stage.scoreReached) why.push(`it needs a score of ${stage.threshold} and the score is ${result.score}`);
  if (stage.missing.length > 0) why.push(`${stage.missing.map((m) => `\`${m}\``).join(', ')} ${stage.missing.length === 1 ? 'is' : 'are'} missing`);
  why.push(...stageConditionReasons(stage));
  if (why.length > 0) return `\`${expected}\` is not reached: ${why.join('; ')}`;
  if (result.stage !== null && result.stage !== expected) {
    return `\`${expected}\` is reached, but \`${result.stage}\` comes later in the file and is reached too`;
  }
  return undefined;
}

/** `expect rule "LABEL" fired` / `not fired`: the rule fired when it is among the explanation's hits. */
function checkRuleExpectation(expectation: Extract<Expectation, { kind: 'ExpectRule' }>, result: Explanation, model: Model, scored: 'lead' | 'account' = 'lead'): ExpectationResult {
  const range = expectation.range;
  const label = expectation.label.value;
  const written = expectation.label.raw;
  const expected = expectation.fired ? 'fired' : 'not fired';
  const description = `rule ${written} ${expected}`;
  // The checker makes the label name exactly one rule; the runner still compares by index.
  const rule = model.rules.find((r) => r.hasLabel && r.label === label);
  if (rule === undefined) {
    return { range, description, expected, actual: 'no such rule', passed: false, help: `no rule has the label ${written}` };
  }
  const hit = result.hits.find((h) => h.rule === rule.index);
  const actual = hit === undefined ? 'not fired' : 'fired';
  const passed = actual === expected;
  let help: string | undefined;
  if (!passed && hit !== undefined) help = `the rule on line ${rule.line} fired and contributed ${formatNumber(hit.points)} points`;
  else if (!passed) help = `the rule on line ${rule.line} did not fire for this ${scored}`;
  return { range, description, expected, actual, passed, ...(help !== undefined ? { help } : {}) };
}

/** `scored`: what the test scores, for the words of a help (an account test's rules are the account's). */
function checkExpectation(expectation: Expectation, result: Explanation, model: Model, scored: 'lead' | 'account' = 'lead'): ExpectationResult {
  const range = expectation.range;
  switch (expectation.kind) {
    case 'ExpectScore': {
      const expected = expectedNumber(expectation.operator, expectation.value.raw);
      const passed = compareHundredths(result.score, expectation.operator, expectation.value.value);
      return { range, description: `score ${expected}`, expected, actual: formatNumber(result.score), passed };
    }
    case 'ExpectGroup': {
      const name = expectation.group.name;
      const expected = expectedNumber(expectation.operator, expectation.value.raw);
      const description = `group ${name} ${expected}`;
      const detail = result.groupDetails.find((g) => g.name === name);
      if (detail === undefined) {
        return { range, description, expected, actual: 'no such group', passed: false, help: `the file has no group \`${name}\`` };
      }
      const passed = compareHundredths(detail.value, expectation.operator, expectation.value.value);
      const help =
        !passed && detail.clampedBy !== null
          ? `\`${name}\` adds up to ${detail.raw}, clamped to ${detail.value} by its ${detail.clampedBy}`
          : undefined;
      return { range, description, expected, actual: formatNumber(detail.value), passed, ...(help ? { help } : {}) };
    }
    case 'ExpectStage': {
      const expected = expectation.stage?.name ?? null;
      const passed = result.stage === expected;
      const help = passed || expected === null ? undefined : stageHelp(result, expected);
      return {
        range,
        description: expected === null ? 'no stage' : `stage ${expected}`,
        expected: expected ?? 'no stage',
        actual: result.stage ?? 'no stage',
        passed,
        ...(help ? { help } : {}),
      };
    }
    case 'ExpectTier': {
      const expected = expectation.tier?.name ?? null;
      return {
        range,
        description: expected === null ? 'no tier' : `tier ${expected}`,
        expected: expected ?? 'no tier',
        actual: result.tier ?? 'no tier',
        passed: result.tier === expected,
      };
    }
    case 'ExpectRule':
      return checkRuleExpectation(expectation, result, model, scored);
  }
}
