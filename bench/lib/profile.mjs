/**
 * Section 6: where Rubric's scoring time goes — a CPU profile of the compiled reference scorer
 * (taken with the inspector's sampling profiler, the same data as `node --cpu-prof`), reduced to
 * the functions with the most self time.
 */
import { Session } from 'node:inspector';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BENCH_NOW } from '../generate-leads.mjs';
import { compileRubric, missingFeature, ROOT } from './core.mjs';
import { formatInteger } from './measure.mjs';
import { REFERENCE_PATH, SIMPLE_PATH } from './throughput.mjs';

function post(session, method, params) {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}

function where(callFrame) {
  let file = callFrame.url;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  if (file.startsWith(ROOT)) file = file.slice(ROOT.length);
  if (file === '') return callFrame.functionName.startsWith('(') || callFrame.functionName === '' ? 'V8' : 'generated scorer code, or a built-in';
  return `${file}:${callFrame.lineNumber + 1}`;
}

/** Self time per function of a V8 CPU profile, highest first, as fractions of the total. */
export function selfTimes(profile) {
  const total = profile.samples.length;
  const hits = new Map(profile.nodes.map((node) => [node.id, 0]));
  for (const id of profile.samples) hits.set(id, hits.get(id) + 1);
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name} ${where(node.callFrame)}`;
    const entry = byFunction.get(key) ?? { name, where: where(node.callFrame), samples: 0 };
    entry.samples += hits.get(node.id);
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .filter((e) => e.samples > 0)
    .sort((a, b) => b.samples - a.samples)
    .map((e) => ({ ...e, share: e.samples / total }));
}

/** Profiles `work` (called until `seconds` have passed, at least once); returns the top entries. */
async function profileOf(work, seconds, top) {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
    const until = performance.now() + seconds * 1000;
    let passes = 0;
    do {
      work();
      passes++;
    } while (performance.now() < until);
    const { profile } = await post(session, 'Profiler.stop');
    return { top: selfTimes(profile).slice(0, top), passes };
  } finally {
    session.disconnect();
  }
}

const rowsOf = (top) => top.map((e) => [`${(e.share * 100).toFixed(1)}%`, `\`${e.name}\``, e.where]);

/**
 * Runs section 6: scoring `leads` with the reference scorer for about `seconds`, then compiling
 * the `compileRules`-rule generated file (`compileText`).
 */
export async function runProfile(coreState, leads, options) {
  const header = ['Self time', 'Function', 'Where'];
  const missing = missingFeature(coreState, 'compile');
  if (missing !== null) {
    return { id: 'profile', data: null, notes: [`Profile: ${missing}.`], tables: [{ caption: 'CPU profile of Rubric scoring', header, rows: [['—', '—', missing]] }] };
  }
  const top = options.top ?? 12;
  const scorer = compileRubric(coreState.core, readFileSync(REFERENCE_PATH, 'utf8'), 'bench/reference.rubric').scorer;
  const scoreOptions = { now: BENCH_NOW };
  let checksum = 0;
  const scoring = await profileOf(
    () => {
      for (let i = 0; i < leads.length; i++) checksum += scorer.score(leads[i], scoreOptions).score;
    },
    options.seconds,
    top,
  );
  // The simple fit workload has no events: its profile shows the cost of reading fields.
  const simpleLeads = options.simpleLeads ?? [];
  let simpleScoring = null;
  if (simpleLeads.length > 0) {
    const simpleScorer = compileRubric(coreState.core, readFileSync(SIMPLE_PATH, 'utf8'), 'bench/workloads/simple-fit.rubric').scorer;
    simpleScoring = await profileOf(
      () => {
        for (let i = 0; i < simpleLeads.length; i++) checksum += simpleScorer.score(simpleLeads[i], scoreOptions).score;
      },
      options.seconds,
      top,
    );
  }
  const compiling = await profileOf(() => compileRubric(coreState.core, options.compileText, 'generated.rubric'), options.seconds, top);
  return {
    id: 'profile',
    data: { scoring: scoring.top, simpleScoring: simpleScoring?.top ?? null, compiling: compiling.top, checksum },
    notes: [
      `Sampled every 100 µs with the inspector's CPU profiler (the data \`node --cpu-prof\` writes): scoring ran ${scoring.passes} pass(es) over ${formatInteger(leads.length)} leads${simpleScoring === null ? '' : ` (simple fit: ${simpleScoring.passes} over ${formatInteger(simpleLeads.length)})`}; compiling the ${formatInteger(options.compileRules)}-rule file ran ${compiling.passes} time(s). Self time excludes callees; \`(garbage collector)\` and \`(program)\` are V8 itself.`,
    ],
    tables: [
      { caption: 'Functions with the most self time while scoring (event-heavy reference ruleset)', header, rows: rowsOf(scoring.top) },
      ...(simpleScoring === null ? [] : [{ caption: 'Functions with the most self time while scoring (simple fit ruleset)', header, rows: rowsOf(simpleScoring.top) }]),
      { caption: `Functions with the most self time while compiling ${formatInteger(options.compileRules)} rules`, header, rows: rowsOf(compiling.top) },
    ],
  };
}
