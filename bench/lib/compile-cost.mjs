/**
 * Section 2: what it costs to turn rule text into a scorer — parse, check, and the whole
 * `compile` (which parses and checks itself) — for generated files of 100, 1,000 and 10,000
 * rules, and the heap the compiled scorer keeps.
 */
import { compileRubric, missingFeature } from './core.mjs';
import { collectGarbage, formatBytes, formatInteger, formatMs, heapUsed, median } from './measure.mjs';
import { generateRuleset } from './ruleset-generator.mjs';

/** The issue's target for 10,000 rules, parse + check + compile (it was 1 s before issue 13). */
export const COMPILE_TARGET_MS = 500;

function timed(fn) {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

/** Parse and check times of `text`, in a function of their own so nothing outlives them. */
function timeParseAndCheck(core, text, hasCheck) {
  const parsed = timed(() => core.parse(text, 'generated.rubric'));
  const checkMs = hasCheck ? timed(() => core.check(parsed.value.ast)).ms : null;
  return { parseMs: parsed.ms, checkMs };
}

/**
 * Heap kept alive by one compiled scorer (with the model, IR and source it references, as an
 * embedder holding `scorer` keeps them), after full GCs on both sides.
 */
function retainedHeap(core, text) {
  const holder = [];
  const before = heapUsed();
  holder.push(compileRubric(core, text, 'generated.rubric').scorer);
  const after = heapUsed();
  if (holder.length !== 1) throw new Error('unreachable');
  return after - before;
}

/** Runs section 2. `options`: `{sizes: number[], rounds, log}`. */
export async function runCompileCost(coreState, options) {
  const header = ['Rules', 'Lines', 'Parse', 'Check', 'Parse + check + compile', 'First run', 'Heap kept by the scorer'];
  const missing = missingFeature(coreState, 'compile');
  if (missing !== null) {
    return {
      id: 'compile',
      data: null,
      notes: [`Compile cost: ${missing}.`],
      tables: [{ caption: 'Compile cost', header, rows: options.sizes.map((n) => [formatInteger(n), '—', '—', '—', '—', '—', missing]) }],
    };
  }
  const { core } = coreState;
  const hasParse = typeof core.parse === 'function';
  const hasCheck = hasParse && typeof core.check === 'function';
  const rows = [];
  const data = [];
  // One unrecorded compile first, so the first size does not pay for loading and JIT warm-up
  // of the compiler alone; "first run" below is then the first compile of that file's size.
  compileRubric(core, generateRuleset(50, 99).text, 'warm-up.rubric');
  for (const size of options.sizes) {
    const generated = generateRuleset(size);
    const text = generated.text;
    options.log(`  compiling ${formatInteger(size)} rules (${formatInteger(generated.lineCount)} lines), ${options.rounds} round${options.rounds === 1 ? '' : 's'}...`);
    const parseTimes = [];
    const checkTimes = [];
    const compileTimes = [];
    let first = null;
    for (let round = 0; round < options.rounds; round++) {
      collectGarbage();
      if (hasParse) {
        const { parseMs, checkMs } = timeParseAndCheck(core, text, hasCheck);
        parseTimes.push(parseMs);
        if (checkMs !== null) checkTimes.push(checkMs);
      }
      collectGarbage();
      const compiled = timed(() => compileRubric(core, text, `generated-${size}.rubric`));
      if (first === null) first = compiled.ms;
      compileTimes.push(compiled.ms);
    }
    const retained = retainedHeap(core, text);
    const result = {
      rules: size,
      lines: generated.lineCount,
      parseMs: hasParse ? median(parseTimes) : null,
      checkMs: hasCheck ? median(checkTimes) : null,
      compileMs: median(compileTimes),
      firstCompileMs: first,
      retainedBytes: retained,
    };
    data.push(result);
    rows.push([
      formatInteger(size),
      formatInteger(generated.lineCount),
      result.parseMs === null ? 'n/a' : formatMs(result.parseMs),
      result.checkMs === null ? 'n/a' : formatMs(result.checkMs),
      formatMs(result.compileMs),
      formatMs(result.firstCompileMs),
      formatBytes(Math.max(0, result.retainedBytes)),
    ]);
  }
  const largest = data.find((d) => d.rules === 10_000);
  const notes = [];
  if (largest !== undefined) {
    notes.push(
      `Target (issue 13): 10,000 rules parse + check + compile in under ${formatMs(COMPILE_TARGET_MS)} — ${largest.compileMs < COMPILE_TARGET_MS ? 'met' : `missed by ${formatMs(largest.compileMs - COMPILE_TARGET_MS)}`} (median ${formatMs(largest.compileMs)}, first run ${formatMs(largest.firstCompileMs)}).`,
    );
  }
  return {
    id: 'compile',
    data,
    notes,
    tables: [{ caption: `Compile cost, ${options.rounds === 1 ? 'one round' : `median of ${options.rounds} rounds`} (parse and check also timed on their own)`, header, rows }],
  };
}
