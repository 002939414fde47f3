/**
 * Section 1: scoring throughput of the reference ruleset in Rubric and its three peers, after
 * checking that all four agree on every lead; then the 2,000-rule file's cost per lead per rule.
 */
import { readFileSync } from 'node:fs';
import { BENCH_NOW } from '../generate-leads.mjs';
import * as handwritten from '../peers/handwritten.mjs';
import * as jsonLogicPeer from '../peers/json-logic.mjs';
import * as jsonRulesEnginePeer from '../peers/json-rules-engine.mjs';
import { compileRubric, missingFeature, ROOT } from './core.mjs';
import { formatInteger, formatRatio, interleavedRounds, median, timeAsync, timeSync } from './measure.mjs';
import { generateRuleset } from './ruleset-generator.mjs';

export const REFERENCE_PATH = `${ROOT}bench/reference.rubric`;
/** Rules in bench/reference.rubric (grouped and ungrouped `when` and `each` rules). */
export const REFERENCE_RULE_COUNT = 21;

/** Thrown when implementations disagree: the bench must not time code that is wrong. */
export class DisagreementError extends Error {}

const cents = (x) => Math.round(x * 100);

/** What must be identical: score, stage, tier and every group's value (in hundredths). */
export function resultKey(result) {
  const groups = Object.keys(result.groups)
    .sort()
    .map((name) => `${name}=${cents(result.groups[name])}`)
    .join(',');
  return `score=${cents(result.score)} stage=${result.stage} tier=${result.tier} ${groups}`;
}

function describeLead(lead) {
  return JSON.stringify(lead, (key, value) => (value instanceof Date ? `Date(${value.toISOString()})` : value));
}

/**
 * Scores `leads` with every implementation and throws a {@link DisagreementError} showing the
 * first differing leads when any result differs from the reference implementation's.
 * `implementations` is `[{name, score(lead) => result | Promise<result>, leads?}]`; the first
 * one is the reference. Returns the number of leads compared per implementation.
 */
export async function checkAgreement(implementations, leads, explain) {
  const [reference, ...others] = implementations;
  const expected = leads.map((lead) => resultKey(reference.score(lead)));
  const compared = {};
  const failures = [];
  for (const implementation of others) {
    const count = Math.min(implementation.limit ?? leads.length, leads.length);
    compared[implementation.name] = count;
    for (let i = 0; i < count; i++) {
      let result = implementation.score(leads[i]);
      if (result instanceof Promise) result = await result;
      const key = resultKey(result);
      if (key !== expected[i]) {
        failures.push({ index: i, name: implementation.name, got: key, expected: expected[i] });
        if (failures.filter((f) => f.name === implementation.name).length >= 5) break;
      }
    }
  }
  if (failures.length > 0) {
    const lines = [`implementations disagree (reference: ${reference.name}); nothing was timed.`];
    for (const failure of failures.slice(0, 10)) {
      lines.push('', `lead #${failure.index}: ${describeLead(leads[failure.index])}`);
      lines.push(`  ${reference.name.padEnd(22)} ${failure.expected}`);
      lines.push(`  ${failure.name.padEnd(22)} ${failure.got}`);
      if (explain !== undefined && failure.name.startsWith('Rubric')) {
        try {
          const explanation = explain(leads[failure.index]);
          for (const hit of explanation.hits ?? []) lines.push(`    hit line ${hit.line}: ${hit.points} ${hit.label}`);
        } catch (error) {
          lines.push(`    (explain failed: ${error instanceof Error ? error.message : String(error)})`);
        }
      }
    }
    throw new DisagreementError(lines.join('\n'));
  }
  return compared;
}

/**
 * Runs section 1. `options`: `{leads, rounds, jreLeads, scalingLeads, scalingRules,
 * oracleLeads, log}`. `coreState` comes from loadCore().
 */
export async function runThroughput(coreState, options) {
  const { leads, rounds, log } = options;
  const scoreOptions = { now: BENCH_NOW };
  const nowMs = BENCH_NOW.getTime();
  const notes = [];
  const rubricMissing = missingFeature(coreState, 'compile');
  let rubric = null;
  if (rubricMissing === null) {
    rubric = compileRubric(coreState.core, readFileSync(REFERENCE_PATH, 'utf8'), 'bench/reference.rubric').scorer;
  } else {
    notes.push(`Rubric: ${rubricMissing}.`);
  }

  const handwrittenScorer = handwritten.createScorer();
  const jsonLogicScorer = jsonLogicPeer.createScorer();
  const jreScorer = jsonRulesEnginePeer.createScorer();
  const jreLeads = leads.slice(0, Math.min(options.jreLeads, leads.length));

  log(`  checking that the implementations agree on ${formatInteger(leads.length)} leads...`);
  const implementations = [
    { name: 'hand-written JS', score: (lead) => handwrittenScorer.score(lead, scoreOptions) },
    ...(rubric === null ? [] : [{ name: 'Rubric', score: (lead) => rubric.score(lead, scoreOptions) }]),
    { name: 'json-logic-js', score: (lead) => jsonLogicScorer.score(lead, scoreOptions) },
    { name: 'json-rules-engine', score: (lead) => jreScorer.score(lead, scoreOptions), limit: options.jreAgreementLeads ?? leads.length },
  ];
  const explain = rubric !== null && typeof rubric.explain === 'function' ? (lead) => rubric.explain(lead, scoreOptions) : undefined;
  const compared = await checkAgreement(implementations, leads, explain);
  const agreement = {
    leads: leads.length,
    compared: { 'hand-written JS': leads.length, ...compared },
    implementations: implementations.map((i) => i.name),
  };
  let events = 0;
  for (const lead of leads) events += Array.isArray(lead.events) ? lead.events.length : 0;
  notes.push(
    `Agreement: ${agreement.implementations.join(', ')} give identical results (score, stage, tier, every group, in hundredths) on every one of the ${formatInteger(leads.length)} generated leads (${(events / leads.length).toFixed(1)} events per lead on average) before anything is timed.`,
  );

  const { minRunMs, settleMs } = options;
  const contenders = [];
  if (rubric !== null) contenders.push({ name: 'Rubric', leads: leads.length, run: () => timeSync(rubric, leads, scoreOptions, minRunMs) });
  contenders.push({ name: 'hand-written JS', leads: leads.length, run: () => timeSync(handwrittenScorer, leads, scoreOptions, minRunMs) });
  contenders.push({ name: 'json-rules-engine', leads: jreLeads.length, run: () => timeAsync(jreScorer, jreLeads, scoreOptions, minRunMs) });
  contenders.push({ name: 'json-logic-js', leads: leads.length, run: () => timeSync(jsonLogicScorer, leads, scoreOptions, minRunMs) });
  log(`  timing ${rounds} interleaved rounds (${contenders.map((c) => c.name).join(', ')})...`);
  const perRound = await interleavedRounds(contenders, rounds, { settleMs, onRound: (round) => log(`    round ${round}/${rounds} done`) });

  const rates = new Map();
  for (const contender of contenders) {
    const leadsPerSecond = median(perRound.get(contender.name));
    rates.set(contender.name, { leads: contender.leads, leadsPerSecond, rounds: perRound.get(contender.name) });
  }
  const baseline = rates.get('hand-written JS').leadsPerSecond;
  const timedWhat = {
    Rubric: '`scorer.score(lead, {now})`, compiled once',
    'hand-written JS': 'one hand-written function (the practical limit)',
    'json-logic-js': 'normalize lead + `jsonLogic.apply` per rule, stage and tier',
    'json-rules-engine': `normalize lead + event facts + \`await engine.run\` (first ${formatInteger(jreLeads.length)} leads)`,
  };
  const rows = [];
  for (const name of ['Rubric', 'hand-written JS', 'json-logic-js', 'json-rules-engine']) {
    const rate = rates.get(name);
    if (rate === undefined) {
      rows.push([name, '—', '—', '—', '—', rubricMissing ?? 'not run']);
      continue;
    }
    rows.push([
      name,
      formatInteger(rate.leads),
      formatInteger(rate.leadsPerSecond),
      `${(1e6 / rate.leadsPerSecond).toFixed(2)} µs`,
      formatRatio(baseline / rate.leadsPerSecond),
      timedWhat[name],
    ]);
  }

  const tables = [
    {
      caption: `Reference ruleset (${REFERENCE_RULE_COUNT} rules), ${rounds === 1 ? 'one round' : `median of ${rounds} interleaved rounds`}`,
      header: ['Implementation', 'Leads (distinct)', 'Leads/s (median)', 'Time per lead', 'Time vs hand-written', 'What is timed'],
      rows,
    },
  ];

  const scaling = await runScaling(coreState, rubric, leads, options, rubricMissing);
  return {
    id: 'throughput',
    agreement,
    rates: Object.fromEntries(rates),
    scaling: scaling.data,
    tables: [...tables, ...scaling.tables],
    notes: [...notes, ...scaling.notes],
    nowMs,
  };
}

/**
 * The 2,000-rule file against the reference file: time per lead per rule. A 10x smaller file of
 * the same generator is timed too, to split a lead's cost into a fixed part (reading the fields,
 * parsing the events) and a part per rule; the plain time / rules figure flatters big files
 * because the fixed part is spread over more rules.
 */
async function runScaling(coreState, referenceScorer, leads, options, rubricMissing) {
  const ruleCount = options.scalingRules;
  const smallCount = Math.max(1, Math.round(ruleCount / 10));
  const header = ['Ruleset', 'Rules', 'Leads (distinct)', 'Leads/s (median)', 'ns per lead per rule', 'Per-rule cost vs reference', 'First pass after compile'];
  if (referenceScorer === null) {
    return {
      data: null,
      notes: [`${ruleCount}-rule file: ${rubricMissing}.`],
      tables: [{ caption: `${formatInteger(ruleCount)}-rule file vs reference file`, header, rows: [[`generated, ${ruleCount} rules`, String(ruleCount), '—', '—', '—', rubricMissing]] }],
    };
  }
  const { log, rounds } = options;
  const scoreOptions = { now: BENCH_NOW };
  const subset = leads.slice(0, Math.min(options.scalingLeads, leads.length));
  const oracleLeads = subset.slice(0, Math.min(options.oracleLeads, subset.length));
  const files = [];
  for (const count of [smallCount, ruleCount]) {
    const generated = generateRuleset(count);
    const scorer = compileRubric(coreState.core, generated.text, `generated-${count}.rubric`).scorer;
    // The first pass right after compiling, before V8 has optimized the generated code.
    const cold = timeSync(scorer, subset, scoreOptions);
    log(`  ${count}-rule file: checking Rubric against a json-logic oracle on ${formatInteger(oracleLeads.length)} leads...`);
    await checkAgreement(
      [
        { name: 'json-logic oracle', score: (lead) => generated.score(lead, BENCH_NOW.getTime()) },
        { name: `Rubric (${count} rules)`, score: (lead) => scorer.score(lead, scoreOptions) },
      ],
      oracleLeads,
      typeof scorer.explain === 'function' ? (lead) => scorer.explain(lead, scoreOptions) : undefined,
    );
    files.push({ count, generated, scorer, coldRate: cold.scored / (cold.ms / 1000) });
  }
  // Big generated functions take V8 a while to optimize (a 2,000-rule scorer ran 10x slower in
  // its first half second): warm every contender up before the timed rounds.
  for (const scorer of [referenceScorer, ...files.map((f) => f.scorer)]) timeSync(scorer, subset, scoreOptions, options.warmupMs ?? 0);
  log(`  scaling: timing ${rounds} interleaved rounds on ${formatInteger(subset.length)} leads...`);
  const perRound = await interleavedRounds(
    [
      { name: 'reference', run: () => timeSync(referenceScorer, subset, scoreOptions, options.minRunMs) },
      ...files.map((f) => ({ name: String(f.count), run: () => timeSync(f.scorer, subset, scoreOptions, options.minRunMs) })),
    ],
    rounds,
    { settleMs: options.settleMs },
  );
  const referenceRate = median(perRound.get('reference'));
  const smallRate = median(perRound.get(String(smallCount)));
  const generatedRate = median(perRound.get(String(ruleCount)));
  const nsPerLead = (leadsPerSecond) => 1e9 / leadsPerSecond;
  const referencePerRule = nsPerLead(referenceRate) / REFERENCE_RULE_COUNT;
  const smallPerRule = nsPerLead(smallRate) / smallCount;
  const generatedPerRule = nsPerLead(generatedRate) / ruleCount;
  const ratio = generatedPerRule / referencePerRule;
  // cost(lead) = fixed + rules × marginal, fitted on the two generated files.
  const marginal = (nsPerLead(generatedRate) - nsPerLead(smallRate)) / (ruleCount - smallCount);
  const fixed = nsPerLead(smallRate) - smallCount * marginal;
  const referenceMarginal = (nsPerLead(referenceRate) - fixed) / REFERENCE_RULE_COUNT;
  const marginalRatio = marginal / referenceMarginal;
  const generated = files[files.length - 1].generated;
  const data = {
    ruleCount,
    lines: generated.lineCount,
    leads: subset.length,
    oracleLeads: oracleLeads.length,
    referenceNsPerLeadPerRule: referencePerRule,
    generatedNsPerLeadPerRule: generatedPerRule,
    ratio,
    goalMet: ratio <= 2,
    fixedNsPerLead: fixed,
    marginalNsPerRule: marginal,
    referenceMarginalNsPerRule: referenceMarginal,
    marginalRatio,
    coldLeadsPerSecond: files[files.length - 1].coldRate,
  };
  const estimate = referenceMarginal > 0 && fixed > 0;
  return {
    data,
    notes: [
      `The generated files agree with an independent json-logic-js rendering of the same rules on ${formatInteger(oracleLeads.length)} leads. Goal: a rule in the ${formatInteger(ruleCount)}-rule file costs at most 2x a rule of the reference file, per lead — ${ratio <= 2 ? 'met' : `missed (${formatRatio(ratio)})`}.`,
      estimate
        ? `Split into a fixed cost per lead (fitted on the ${smallCount}- and ${formatInteger(ruleCount)}-rule files: ${formatInteger(fixed)} ns, reading the fields and events) and a cost per rule: ${marginal.toFixed(1)} ns per rule per lead in the generated files against about ${referenceMarginal.toFixed(1)} ns for the reference file's rules once that fixed cost is taken out (${formatRatio(marginalRatio)}). This is the stricter reading of the goal.`
        : `A split into a fixed cost per lead and a cost per rule does not apply to this run: the fixed cost fitted on the ${smallCount}- and ${formatInteger(ruleCount)}-rule files (${formatInteger(fixed)} ns per lead, ${marginal.toFixed(1)} ns per extra rule) is not below the reference file's whole cost per lead (${formatInteger(nsPerLead(referenceRate))} ns): the reference's rules read values gathered in the one pass over the events, so beyond that pass they cost next to nothing.`,
    ],
    tables: [
      {
        caption: `${formatInteger(ruleCount)}-rule file vs reference file (Rubric), ${rounds === 1 ? 'one round' : `median of ${rounds} interleaved rounds`}`,
        header,
        rows: [
          ['bench/reference.rubric', String(REFERENCE_RULE_COUNT), formatInteger(subset.length), formatInteger(referenceRate), referencePerRule.toFixed(1), '1.00x', '(warm)'],
          [`generated (${formatInteger(files[0].generated.lineCount)} lines)`, formatInteger(smallCount), formatInteger(subset.length), formatInteger(smallRate), smallPerRule.toFixed(1), formatRatio(smallPerRule / referencePerRule), `${formatInteger(files[0].coldRate)} leads/s`],
          [`generated (${formatInteger(generated.lineCount)} lines)`, formatInteger(ruleCount), formatInteger(subset.length), formatInteger(generatedRate), generatedPerRule.toFixed(1), formatRatio(ratio), `${formatInteger(files[files.length - 1].coldRate)} leads/s`],
        ],
      },
    ],
  };
}
