import { Option, type Command } from 'commander';
import { hasErrors, runTests, type Diagnostic, type ExpectationResult, type Model, type RuleInfo, type TestResult } from '@rubric/core';
import { CliError, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Colors, type CommandContext } from '../context.js';
import { expandRuleFilePaths } from '../files.js';
import { addExamples } from '../help.js';
import { formatLocation, plural, renderDiagnostics } from '../render/code-frame.js';
import { diagnosticToJson, rangeToJson } from '../render/json.js';
import { terminalText } from '../render/terminal-text.js';
import { loadRuleFile, type RuleSource } from '../rules.js';

export interface TestOptions {
  readonly coverage?: boolean;
  readonly filter?: string;
  readonly format: 'text' | 'json';
}

/** What running one file's tests gave. */
interface FileTestRun {
  readonly source: RuleSource;
  /** Error diagnostics that stopped tests from running (or made some tests invalid). */
  readonly errors: readonly Diagnostic[];
  readonly results: readonly TestResult[];
  /** Rules (by index) that fired in no selected test; only with `--coverage`. */
  readonly uncovered?: readonly RuleInfo[];
  /** Stages and tiers, each with whether a selected test's lead ended in it; only with `--coverage`. */
  readonly outcomes?: OutcomeCoverage;
  /** Issue 17, a file with an `account` block, only with `--coverage`: the same for `score accounts`. */
  readonly account?: AccountCoverage;
}

/** `--coverage` of `score accounts`: its rules no account test made fire, its stages and tiers reached. */
interface AccountCoverage {
  readonly rules: readonly RuleInfo[];
  readonly uncovered: readonly RuleInfo[];
  readonly outcomes: OutcomeCoverage;
}

/** One stage or tier and whether some selected test's lead got it. */
interface OutcomeReach {
  readonly name: string;
  /** 1-based line of its declaration. */
  readonly line: number;
  readonly reached: boolean;
}

/** `--coverage` for stages and tiers: a stage (tier) is reached when a test's lead ends in it. */
interface OutcomeCoverage {
  readonly stages: readonly OutcomeReach[];
  readonly tiers: readonly OutcomeReach[];
}

/** `rubric test FILE...`: runs the tests written inside rule files. */
export function registerTestCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('test')
    .description('run the tests written inside rule files (test "..." { ... } blocks)')
    .argument('<files...>', 'rule files, or folders to search for .rubric files')
    .option('--coverage', 'list the rules that no test made fire, and the stages and tiers no test reaches')
    .option('--filter <text>', 'run only the tests whose name contains this text (case-insensitive)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (files: string[], options: TestOptions) => {
      context.setExitCode(await runTestCommand(context, files, options));
    });
  addExamples(command, [
    { command: 'rubric test rules/acme.rubric', description: 'run every test of a file' },
    { command: 'rubric test rules/ --coverage', description: 'run all tests under rules/ and list rules no test exercises' },
    { command: 'rubric test rules/acme.rubric --filter student', description: 'run only tests whose name mentions "student"' },
  ]);
  command.addHelpText('after', '\nExit codes: 0 all tests pass, 1 a test fails or a file has errors, 2 usage or unreadable file.');
}

/** Runs the tests of `files`, prints the report, returns the exit code. */
export async function runTestCommand(context: CommandContext, files: readonly string[], options: TestOptions): Promise<number> {
  const runs: FileTestRun[] = [];
  let unreadable = 0;
  for (const userPath of await expandRuleFilePaths(context, files)) {
    let source: RuleSource;
    try {
      source = await loadRuleFile(context, userPath);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      const c = context.colors('stderr');
      context.io.stderr.write(`${c.red(c.bold('error'))}: ${terminalText(error.message)}\n`);
      unreadable += 1;
      continue;
    }
    runs.push(runFileTests(source, options));
  }

  const passed = runs.reduce((sum, run) => sum + run.results.filter((r) => r.passed).length, 0);
  const failed = runs.reduce((sum, run) => sum + run.results.filter((r) => !r.passed).length, 0);
  if (options.format === 'json') {
    context.io.stdout.write(renderTestJson(runs, passed, failed));
  } else {
    writeTextReport(context, runs, passed, failed, options);
  }

  if (unreadable > 0) return EXIT_USAGE;
  if (failed > 0 || runs.some((run) => run.errors.length > 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}

function runFileTests(source: RuleSource, options: TestOptions): FileTestRun {
  const outcome = runTests(source.text, source.path);
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  const filter = options.filter?.toLowerCase();
  const results = filter === undefined ? outcome.results : outcome.results.filter((r) => r.name.toLowerCase().includes(filter));
  if (options.coverage !== true || hasErrors(source.analysis.diagnostics)) return { source, errors, results };
  const fired = new Set<number>();
  for (const result of results) for (const rule of result.firedRules) fired.add(rule);
  const model = source.analysis.model;
  const uncovered = model.rules.filter((rule) => !fired.has(rule.index));
  // Only the lead's final stage and tier count: a test that ends in `purchase` does not
  // exercise `evaluation`, even though its conditions hold too.
  // An account test (issue 17) ends its account in an account stage and each of its contacts
  // (leads too) in a contact stage: each counts at its own level.
  const contactEnds: { stage: string | null; tier: string | null }[] = [];
  const accountEnds: { stage: string | null; tier: string | null }[] = [];
  const accountFired = new Set<number>();
  for (const result of results) {
    if (result.result === undefined) continue;
    if (result.accountFiredRules === undefined) {
      contactEnds.push(result.result);
      continue;
    }
    accountEnds.push(result.result);
    for (const rule of result.accountFiredRules) accountFired.add(rule);
    if ('contacts' in result.result) contactEnds.push(...result.result.contacts);
  }
  const outcomes = outcomeCoverage(model, contactEnds);
  const scoring = model.account?.scoring;
  if (scoring === undefined) return { source, errors, results, uncovered, outcomes };
  const account: AccountCoverage = {
    rules: scoring.rules,
    uncovered: scoring.rules.filter((rule) => !accountFired.has(rule.index)),
    outcomes: outcomeCoverage(scoring, accountEnds),
  };
  return { source, errors, results, uncovered, outcomes, account };
}

/** Which of `model`'s stages and tiers some result ended in. */
function outcomeCoverage(model: Model, ends: readonly { stage: string | null; tier: string | null }[]): OutcomeCoverage {
  const stagesReached = new Set<string>();
  const tiersReached = new Set<string>();
  for (const end of ends) {
    if (end.stage !== null) stagesReached.add(end.stage);
    if (end.tier !== null) tiersReached.add(end.tier);
  }
  return {
    stages: model.stages.map((stage) => ({ name: stage.name, line: stage.decl.range.start.line, reached: stagesReached.has(stage.name) })),
    tiers: model.tiers.map((tier) => ({ name: tier.name, line: tier.decl.range.start.line, reached: tiersReached.has(tier.name) })),
  };
}

function writeTextReport(context: CommandContext, runs: readonly FileTestRun[], passed: number, failed: number, options: TestOptions): void {
  const { io } = context;
  const c = context.colors('stdout');
  for (const run of runs) {
    // Names, labels, values and paths come from the rule file: escaped where they are printed.
    io.stdout.write(`${c.bold(terminalText(run.source.path))}\n`);
    if (run.errors.length > 0) {
      io.stdout.write(renderDiagnostics(run.errors, { path: run.source.path, text: run.source.text }, c).replace(/^(?=.)/gm, '  '));
      io.stdout.write(`\n  ${c.red(`${plural(run.errors.length, 'error')}: ${run.results.length === 0 ? 'no test could run' : 'some tests could not run'}`)}\n`);
    }
    if (run.results.length === 0 && run.errors.length === 0) {
      io.stdout.write(`  ${c.dim(options.filter === undefined ? 'no tests' : `no test name contains "${terminalText(options.filter)}"`)}\n`);
    }
    for (const result of run.results) writeTestResult(context, c, run, result);
    if (run.uncovered !== undefined) writeCoverage(c, context, run);
    io.stdout.write('\n');
  }
  const paint = failed > 0 ? c.red : c.green;
  io.stdout.write(`${paint(`${passed} passed, ${failed} failed`)}\n`);
}

function writeTestResult(context: CommandContext, c: Colors, run: FileTestRun, result: TestResult): void {
  const { io } = context;
  const name = terminalText(result.name);
  if (result.passed) {
    io.stdout.write(`  ${c.green('✓')} ${name}\n`);
    return;
  }
  const path = terminalText(run.source.path);
  io.stdout.write(`  ${c.red('✗')} ${name}  ${c.dim(formatLocation(path, result.range))}\n`);
  if (result.error !== undefined) io.stdout.write(`      ${c.red(terminalText(result.error))}\n`);
  for (const expectation of result.expectations) {
    if (expectation.passed) continue;
    io.stdout.write(`      ${c.dim(formatLocation(path, expectation.range))}  expect ${terminalText(expectation.description)}\n`);
    io.stdout.write(`        expected: ${c.green(terminalText(formatTestValue(expectation.expected)))}\n`);
    io.stdout.write(`        actual:   ${c.red(terminalText(formatTestValue(expectation.actual)))}\n`);
    if (expectation.help !== undefined) io.stdout.write(`        ${c.cyan('help')}: ${terminalText(expectation.help)}\n`);
  }
  const model = run.source.analysis.model;
  const firedList = (rules: readonly RuleInfo[], indexes: readonly number[]): string => {
    const fired = indexes.map((index) => rules[index]).filter((rule): rule is RuleInfo => rule !== undefined);
    return fired.length === 0 ? 'none' : fired.map((rule) => `${terminalText(rule.label)} (line ${rule.line})`).join(', ');
  };
  // An account test (issue 17) checks the account: its own rules first, then its contacts'.
  const accountRules = model.account?.scoring.rules;
  if (result.accountFiredRules !== undefined && accountRules !== undefined) {
    io.stdout.write(`      ${c.dim(`account rules that fired: ${firedList(accountRules, result.accountFiredRules)}`)}\n`);
    io.stdout.write(`      ${c.dim(`contact rules that fired: ${firedList(model.rules, result.firedRules)}`)}\n`);
    return;
  }
  io.stdout.write(`      ${c.dim(`rules that fired: ${firedList(model.rules, result.firedRules)}`)}\n`);
}

function writeCoverage(c: Colors, context: CommandContext, run: FileTestRun): void {
  const uncovered = run.uncovered ?? [];
  const total = run.source.analysis.model.rules.length;
  const covered = total - uncovered.length;
  const percent = total === 0 ? 100 : Math.floor((covered / total) * 100);
  const paint = uncovered.length === 0 ? c.green : c.yellow;
  context.io.stdout.write(`  ${paint(`coverage: ${covered} of ${plural(total, 'rule')} fired in a test (${percent}%)`)}\n`);
  for (const rule of uncovered) {
    const group = rule.group === null ? '' : `${terminalText(rule.group)}: `;
    context.io.stdout.write(`    ${c.dim(`${terminalText(run.source.path)}:${rule.line}`)}  ${group}${terminalText(rule.label)}\n`);
  }
  writeOutcomeCoverage(c, context, run.source.path, 'stage', run.outcomes?.stages ?? []);
  writeOutcomeCoverage(c, context, run.source.path, 'tier', run.outcomes?.tiers ?? []);
  const account = run.account;
  if (account === undefined) return;
  // Issue 17: `score accounts`, covered by the account tests.
  const accountTotal = account.rules.length;
  const accountCovered = accountTotal - account.uncovered.length;
  const accountPercent = accountTotal === 0 ? 100 : Math.floor((accountCovered / accountTotal) * 100);
  const accountPaint = account.uncovered.length === 0 ? c.green : c.yellow;
  context.io.stdout.write(`  ${accountPaint(`account coverage: ${accountCovered} of ${plural(accountTotal, 'account rule')} fired in a test (${accountPercent}%)`)}\n`);
  for (const rule of account.uncovered) {
    const group = rule.group === null ? '' : `${terminalText(rule.group)}: `;
    context.io.stdout.write(`    ${c.dim(`${terminalText(run.source.path)}:${rule.line}`)}  ${group}${terminalText(rule.label)}\n`);
  }
  writeOutcomeCoverage(c, context, run.source.path, 'account stage', account.outcomes.stages);
  writeOutcomeCoverage(c, context, run.source.path, 'account tier', account.outcomes.tiers);
}

/** `stages: 2 of 3 reached by a test`, then each one no test reached (nothing when the file has none). */
function writeOutcomeCoverage(c: Colors, context: CommandContext, path: string, kind: 'stage' | 'tier' | 'account stage' | 'account tier', items: readonly OutcomeReach[]): void {
  if (items.length === 0) return;
  const unreached = items.filter((item) => !item.reached);
  const paint = unreached.length === 0 ? c.green : c.yellow;
  context.io.stdout.write(`  ${paint(`${kind}s: ${items.length - unreached.length} of ${plural(items.length, kind)} reached by a test`)}\n`);
  for (const item of unreached) {
    context.io.stdout.write(`    ${c.dim(`${terminalText(path)}:${item.line}`)}  ${kind} ${terminalText(item.name)}\n`);
  }
}

/** How an expected or actual value reads: `60`, `purchase`, `no stage` for null. */
export function formatTestValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function expectationToJson(path: string, expectation: ExpectationResult): object {
  return {
    location: `${formatLocation(path, expectation.range)}`,
    range: rangeToJson(expectation.range),
    description: expectation.description,
    expected: expectation.expected,
    actual: expectation.actual,
    passed: expectation.passed,
    ...(expectation.help !== undefined ? { help: expectation.help } : {}),
  };
}

function renderTestJson(runs: readonly FileTestRun[], passed: number, failed: number): string {
  const document = {
    version: 1,
    files: runs.map((run) => ({
      path: run.source.path,
      errors: run.errors.map((d) => diagnosticToJson(d, run.source.path)),
      tests: run.results.map((result) => ({
        name: result.name,
        location: formatLocation(run.source.path, result.range),
        range: rangeToJson(result.range),
        passed: result.passed,
        ...(result.error !== undefined ? { error: result.error } : {}),
        expectations: result.expectations.map((e) => expectationToJson(run.source.path, e)),
        firedRules: result.firedRules,
        // Issue 17: an account test's own rules (indexes into `score accounts`) and its result.
        ...(result.accountFiredRules !== undefined ? { accountFiredRules: result.accountFiredRules } : {}),
        ...(result.accountFiredRules !== undefined && result.result !== undefined
          ? { account: { score: result.result.score, stage: result.result.stage, tier: result.result.tier } }
          : {}),
      })),
      ...(run.uncovered !== undefined
        ? {
            coverage: {
              rules: run.source.analysis.model.rules.length,
              uncovered: run.uncovered.map((rule) => ({ rule: rule.index, line: rule.line, group: rule.group, label: rule.label })),
              stages: run.outcomes?.stages ?? [],
              tiers: run.outcomes?.tiers ?? [],
              ...(run.account !== undefined
                ? {
                    account: {
                      rules: run.account.rules.length,
                      uncovered: run.account.uncovered.map((rule) => ({ rule: rule.index, line: rule.line, group: rule.group, label: rule.label })),
                      stages: run.account.outcomes.stages,
                      tiers: run.account.outcomes.tiers,
                    },
                  }
                : {}),
            },
          }
        : {}),
    })),
    passed,
    failed,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
