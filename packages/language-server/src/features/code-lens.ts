import type { CodeLens, CodeLensParams, Command } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import type { AccountSampleContext } from '../sample-accounts.js';
import { sampleCoverage, type SampleContext } from '../sample-leads.js';
import { accountSampleLenses } from './code-lens-accounts.js';
import { toLspRange } from '../text.js';
import { basename } from './preview.js';

/** Client-side commands the lenses invoke (the VS Code extension registers them). */
export const RUN_TESTS_COMMAND = 'rubric.runTests';
export const PREVIEW_COMMAND = 'rubric.previewScores';

function lens(range: CodeLens['range'], title: string, command = '', args?: unknown[]): CodeLens {
  const cmd: Command = { title, command };
  if (args !== undefined) cmd.arguments = args;
  return { range, command: cmd };
}

function percent(part: number, whole: number): string {
  if (whole === 0) return '0%';
  const value = (100 * part) / whole;
  return `${value < 10 && value > 0 ? value.toFixed(1) : Math.round(value)}%`;
}

function testLenses(state: DocumentState): CodeLens[] {
  const tests = state.analysis.model.tests.length > 0 ? state.analysis.model.tests : [];
  if (tests.length === 0) return [];
  const run = state.testRun();
  const lenses: CodeLens[] = [];
  for (const test of tests) {
    const range = toLspRange(test.name.range, state.lines);
    const args = [state.uri, test.name.value];
    if (run.error !== undefined) {
      lenses.push(lens(range, `○ not run: ${run.error}`, RUN_TESTS_COMMAND, args));
      continue;
    }
    const result =
      run.results.find((r) => r.range.start.offset === test.range.start.offset) ??
      run.results.find((r) => r.name === test.name.value);
    if (result === undefined) {
      lenses.push(lens(range, '○ not run', RUN_TESTS_COMMAND, args));
      continue;
    }
    if (result.passed) {
      lenses.push(lens(range, `✓ passed (${result.expectations.length} expectation${result.expectations.length === 1 ? '' : 's'})`, RUN_TESTS_COMMAND, args));
      continue;
    }
    const failed = result.expectations.filter((e) => !e.passed);
    const first = failed[0];
    const summary = first === undefined ? 'failed' : `failed: ${first.description}: expected ${first.expected}, got ${first.actual}`;
    lenses.push(lens(range, `✗ ${summary}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}`, RUN_TESTS_COMMAND, args));
    for (const expectation of failed) {
      lenses.push(lens(toLspRange(expectation.range, state.lines), `✗ expected ${expectation.expected}, actual ${expectation.actual}`));
    }
  }
  return lenses;
}

function sampleLenses(state: DocumentState, context: SampleContext): CodeLens[] {
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (context.error !== undefined) return [lens(top, `Sample leads: ${context.error}`)];
  const sample = context.sample;
  if (sample === undefined) return [];
  const name = basename(sample.path);
  const run = state.sampleRun(sample, context.nowSetting);
  if (run === undefined) {
    return [lens(top, `Sample ${name}: ${sample.leads.length} leads; fix the errors to preview scores`, PREVIEW_COMMAND, [state.uri])];
  }
  // What was not read or scored (a huge file, a slow scorer) is said here rather than waited for.
  const coverage = sampleCoverage(sample, run);
  const total = coverage.leads;
  const at = run.now.replace(/T00:00:00(\.000)?Z$/, '').replace(/\.000Z$/, 'Z');
  // Issue 17: a lead sample is scored lead by lead, without accounts (`account.*` missing).
  const allNotes = state.analysis.model.account === null ? coverage.notes : [...coverage.notes, 'scored without their accounts'];
  const notes = allNotes.length === 0 ? '' : ` (${allNotes.join('; ')})`;
  const lenses: CodeLens[] = [lens(top, `Sample ${name}: ${coverage.text} scored at ${at}${notes} · open preview`, PREVIEW_COMMAND, [state.uri])];
  const model = state.analysis.model;
  for (const rule of model.rules) {
    const fires = run.ruleFires[rule.index] ?? 0;
    lenses.push(lens(toLspRange(rule.range, state.lines), `fires for ${fires} of ${total} sample leads (${percent(fires, total)})`));
  }
  for (const stage of model.stages) {
    const counts = run.stageCounts.get(stage.name) ?? { reached: 0, atStage: 0, heldBack: new Map<string, number>() };
    // What keeps the most leads with the score out of the stage, by source text.
    let top: [string, number] | undefined;
    for (const entry of counts.heldBack) if (top === undefined || entry[1] > top[1]) top = entry;
    const held = top === undefined ? '' : ` · held back most by ${top[0]} (${top[1]} ${top[1] === 1 ? 'lead' : 'leads'})`;
    lenses.push(
      lens(
        toLspRange(stage.decl.range, state.lines),
        `reached by ${counts.reached} of ${total} sample leads (${percent(counts.reached, total)}) · ${counts.atStage} end here${held}`,
      ),
    );
  }
  return lenses;
}

/**
 * Code lenses: over each `test`, whether it passes (and on failure, expected vs actual on each
 * failing `expect`); with sample leads, over each rule how many leads it fires for and over each
 * stage how many reach it; with sample accounts, the same over `score accounts`.
 */
export function codeLenses(state: DocumentState, _params: CodeLensParams, sample: SampleContext, accounts?: AccountSampleContext): CodeLens[] {
  // Issue 17: with `NAME.sample.accounts.jsonl`, the account rules' and stages' counts too.
  return [...testLenses(state), ...sampleLenses(state, sample), ...(accounts === undefined ? [] : accountSampleLenses(state, accounts))];
}
