/** Renders the bench results as markdown: docs/performance.md is exactly this output. */
import { cpus, totalmem, platform, release, arch } from 'node:os';
import { COMPILE_TARGET_MS } from './compile-cost.mjs';
import { formatBytes, formatInteger, formatMs, formatRatio } from './measure.mjs';

/** The machine, Node and run description. */

/** "; single rounds 1.45x to 1.61x" for per-round ratios (measure.mjs roundRatios), else "". */
function roundsText(ratios) {
  if (!Array.isArray(ratios) || ratios.length < 2) return '';
  return `; single rounds ${formatRatio(Math.min(...ratios))} to ${formatRatio(Math.max(...ratios))}`;
}

export function machineDescription() {
  const cores = cpus();
  const models = [...new Set(cores.map((c) => c.model.trim()))].join(', ');
  return {
    cpu: `${cores.length} × ${models}${cores[0]?.speed ? ` (${cores[0].speed} MHz)` : ''}`,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GB`,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    cores: cores.length,
  };
}

function table({ caption, header, rows }) {
  const escape = (cell) => String(cell).replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [];
  if (caption) lines.push(`*${caption}*`, '');
  lines.push(`| ${header.map(escape).join(' | ')} |`);
  lines.push(`|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const row of rows) lines.push(`| ${row.map(escape).join(' | ')} |`);
  return lines.join('\n');
}

function sectionBody(section) {
  const parts = [];
  for (const t of section.tables) parts.push(table(t));
  for (const note of section.notes) parts.push(`- ${note}`);
  return parts.join('\n\n');
}

/** "met"/"missed" for a target row, or "not measured". */
function verdict(met) {
  return met === null || met === undefined ? 'not measured' : met ? 'met' : 'missed';
}

/** The headline figures, in words, from whatever sections ran: every ratio, no single verdict. */
function summary(sections, run) {
  const lines = [];
  const throughput = sections.throughput;
  if (throughput?.workloads) {
    const describe = (workload, title) => {
      const rates = workload.rates;
      const rubric = rates.Rubric?.leadsPerSecond;
      const parts = [];
      for (const [name, rate] of Object.entries(rates)) {
        if (name === 'Rubric') continue;
        const ratio = rubric === undefined ? '' : ` (Rubric ÷ it: ${formatRatio(rubric / rate.leadsPerSecond)})`;
        parts.push(`${name} ${formatInteger(rate.leadsPerSecond)}${ratio}`);
      }
      const head = rubric === undefined ? 'Rubric not measured (the compiler is not built)' : `Rubric ${formatInteger(rubric)} leads/s`;
      const naive = workload.naiveDifferences;
      const price = naive ? ` The naive function scores ${formatInteger(naive.differ)} of ${formatInteger(naive.leads)} leads (${((100 * naive.differ) / naive.leads).toFixed(1)}%) differently from Rubric.` : '';
      return `${title}: ${head}; ${parts.join(', ')}.${price}`;
    };
    lines.push(describe(throughput.workloads.reference, `Event-heavy ruleset (bench/reference.rubric, ${throughput.workloads.reference.rules} rules, ~13 events per lead)`));
    lines.push(describe(throughput.workloads.simple, `Simple fit ruleset (bench/workloads/simple-fit.rubric, ${throughput.workloads.simple.rules} rules, no events)`));
    if (throughput.targets) {
      lines.push(
        `Throughput targets: ${throughput.targets
          .map((t) => `${t.workload === 'simple' ? 'simple' : 'event-heavy'} ≥ ${formatRatio(t.goal)} ${t.against}: ${t.ratio === null ? '—' : formatRatio(t.ratio)}, ${verdict(t.met)}`)
          .join('; ')}.`,
      );
    }
    const scaling = throughput.scaling;
    if (scaling) {
      const marginal =
        scaling.fixedNsPerLead > 0 && scaling.referenceMarginalNsPerRule > 0
          ? `; leaving out the fixed cost per lead (${formatInteger(scaling.fixedNsPerLead)} ns), ${scaling.marginalNsPerRule.toFixed(1)} ns per rule against ${scaling.referenceMarginalNsPerRule.toFixed(1)} ns (${formatRatio(scaling.marginalRatio)})`
          : '';
      lines.push(`${formatInteger(scaling.ruleCount)}-rule file: ${scaling.generatedNsPerLeadPerRule.toFixed(1)} ns per lead per rule, ${formatRatio(scaling.ratio)} the reference file's ${scaling.referenceNsPerLeadPerRule.toFixed(1)} ns (goal ≤ 2x: ${scaling.goalMet ? 'met' : 'missed'})${marginal}.`);
    }
  }
  const compile = sections.compile?.data;
  if (compile) {
    const largest = compile.find((c) => c.rules === 10_000);
    const goal = largest === undefined ? '' : ` (target: 10,000 rules < ${formatMs(COMPILE_TARGET_MS)}: ${largest.compileMs < COMPILE_TARGET_MS ? 'met' : 'missed'})`;
    lines.push(`Compile (parse + check + compile): ${compile.map((c) => `${formatInteger(c.rules)} rules ${formatMs(c.compileMs)}`).join(', ')}${goal}.`);
  }
  const cli = sections.cli?.data;
  if (cli?.runs) {
    const r = cli.runs;
    const rss = (x) => (x.peakRssBytes === null ? 'n/a' : formatBytes(x.peakRssBytes));
    lines.push(
      `CLI, ${formatInteger(cli.leads)} leads from CSV: without events ${formatMs(r.noEvents.wallMs)} against the Node floor's ${formatMs(r.floor.wallMs)} (${cli.ratios.noEvents === null ? '—' : formatRatio(cli.ratios.noEvents)}, target ≤ 1.5x: ${cli.targets[0].result}${roundsText(cli.spread?.noEvents)}; ${r.noEvents.threads ?? 1} threads${cli.cpuRatio == null ? '' : `, ${formatRatio(cli.cpuRatio)} the floor's CPU time`}${r.noEventsOneThread ? `; on one thread ${formatMs(r.noEventsOneThread.wallMs)}, ${formatRatio(cli.ratios.noEventsOneThread)}` : ''}), peak RSS ${rss(r.noEvents)}; ` +
        `with events ${formatMs(r.withEvents.wallMs)} against ${formatMs(r.floorEvents.wallMs)} (${cli.ratios.withEvents === null ? '—' : formatRatio(cli.ratios.withEvents)}, target ≤ 2x: ${cli.targets[2].result}${roundsText(cli.spread?.withEvents)}), peak RSS ${rss(r.withEvents)} (target < 300 MB: ${cli.targets[3].result}).`,
    );
  }
  const ls = sections['language-server']?.data;
  if (ls?.stdio) {
    const bare = ls.stdioNoDelay ? `; with the debounce off: ${formatMs(ls.stdioNoDelay.p50)} / ${formatMs(ls.stdioNoDelay.p95)}` : '';
    lines.push(`Language server: fresh diagnostics ${formatMs(ls.stdio.p50)} (p50) / ${formatMs(ls.stdio.p95)} (p95) after an edit of a 2,000-line file, the server's debounce included${bare}.`);
  }
  const sql = sections.sql?.data;
  if (sql?.runs) {
    const ratio = (x) => (x === null ? '—' : formatRatio(x));
    lines.push(
      `DuckDB engine, ${formatInteger(sql.leads)} leads + ${sql.events === null ? '?' : formatInteger(sql.events)} events: \`rubric score --engine duckdb\` ${formatMs(sql.runs.engine.wallMs)} against the JavaScript engine's ${formatMs(sql.runs.js.wallMs)} (JavaScript ÷ DuckDB wall time ${ratio(sql.ratios.speedup)}; target ≥ 3x: ${verdict(sql.targets.speedup)}); ` +
        `the Rubric query over the CSV files ${sql.viewMs === null ? '—' : formatMs(sql.viewMs)} against DuckDB's own read + join + COPY ${sql.floorMs === null ? '—' : formatMs(sql.floorMs)} (${ratio(sql.ratios.viewVsFloor)}; target ≤ 3x: ${verdict(sql.targets.viewVsFloor)}); outputs of the two engines: ${sql.identical}.`,
    );
  }
  const accounts = sections.accounts?.data;
  if (accounts?.runs?.accounts && accounts?.runs?.contactOnly) {
    lines.push(
      `Accounts, ${formatInteger(accounts.contacts)} contacts in ${formatInteger(accounts.accounts)} accounts from CSV: \`rubric score --accounts\` ${formatMs(accounts.runs.accounts.wallMs)} against contact-only scoring's ${formatMs(accounts.runs.contactOnly.wallMs)} (${accounts.ratio === null ? '—' : formatRatio(accounts.ratio)}; target < ${formatRatio(accounts.target)}: ${accounts.result}${roundsText(accounts.spread?.wall)}); CPU time ${accounts.cpuRatio === null || accounts.cpuRatio === undefined ? '—' : formatRatio(accounts.cpuRatio)} (${accounts.cpuResult ?? 'not measured'})` +
        (accounts.scale?.ratio === null || accounts.scale?.ratio === undefined ? '.' : `; at ${formatInteger(accounts.scale.contacts)} contacts in ${formatInteger(accounts.scale.accounts)} accounts (one run, no target) ${formatRatio(accounts.scale.ratio)}.`),
    );
  }
  if (run?.loadAverage) lines.push(`Machine load (1-minute average) at start / end: ${run.loadAverage.map((l) => l.toFixed(1)).join(' / ')} on ${machineDescription().cores} cores.`);
  return lines.map((l) => `- ${l}`).join('\n');
}

const METHOD = `## Method

- **Workloads.** Two rule files. *Event-heavy*: \`bench/reference.rubric\` (21 rules, two capped
  groups, tiers, ~13 events per lead scanned for counts in windows, half-life sums, recency).
  *Simple fit*: \`bench/workloads/simple-fit.rubric\` (23 rules on fields only, engagement
  pre-aggregated into number fields, two \`and\` rules, three stages), the kind of file most teams
  start with. Each has its own generator.
- **Data.** \`bench/generate-leads.mjs\` (event-heavy) and \`bench/generate-simple-leads.mjs\`
  (simple fit) make every lead from a fixed seed (${'`'}20260301${'`'}) and its index, so
  any run, on any machine, scores the same leads. The data is messy on purpose: case and accent
  variants, padding, numbers as text, wrong types, blank text, absent fields, dotted keys, booleans
  as \`yes\`/\`1\`, unknown event types, event times in the future or unparseable (ignored),
  date-only times that fall exactly on \`within\` boundaries, and Date objects. Leads carry about
  13 events on average (0 to 39). Every implementation scores at the same instant,
  2026-03-01T00:00:00Z.
- **Agreement first.** Before timing, every implementation with Rubric's semantics scores every
  lead and the results (score, stage, tier and each group's value, in hundredths) must be
  identical to Rubric's; otherwise the bench stops and prints the differing leads. The naive
  functions are not held to that: the tables say on how many leads they differ. The
  2,000-rule file is checked the same way against an independent json-logic-js rendering of the
  same generated rules.
- **Timing.** Each round scores all the leads once with each implementation of a workload in
  turn (Rubric, the hand-written functions, json-rules-engine, json-logic-js, then again), with a
  full GC before each run;
  the table gives the median round. Interleaving means a noisy neighbour on the shared machine
  slows every contender alike. Times are wall-clock (\`performance.now()\`), in one Node process
  started with \`--expose-gc\`.
- **What each contender does per lead.**
  - *Rubric*: \`scorer.score(lead, {now})\` of the scorer compiled from the workload's file
    — everything: reading and validating fields, folding text, parsing event times, all rules,
    clamps, stage and tier.
  - *Hand-written (exact)* (\`bench/peers/handwritten.mjs\`, \`bench/peers/simple-exact.mjs\`):
    one function with Rubric's exact semantics, written the way a careful engineer would —
    folding with a fast path for already-folded text, the numeric-string and missing-value rules,
    own properties only, \`Set\` lookups, integer hundredths, caps and stages; for the event-heavy
    file one pass over the events and a hand-written ISO 8601 parser (no allocation). The
    *Date.parse* row is the same function parsing event times with \`Date.parse\`, the baseline of
    earlier reports.
  - *Hand-written (naive)* (\`bench/peers/handwritten-naive.mjs\`, \`bench/peers/simple-naive.mjs\`):
    what a developer writes in five minutes — raw values against the lists as written, JavaScript
    coercions for missing and wrong-typed values, \`new Date(at)\`, floating-point points. The
    speed one gets for free, at the price of the leads it scores differently.
  - *json-logic-js* (\`bench/peers/json-logic.mjs\`): normalizing the lead in JavaScript
    (folding, numbers, booleans, event times: json-logic has no operators for them), then
    \`jsonLogic.apply\` for each rule (event conditions are json-logic \`some\`/\`none\`/\`filter\`/
    \`reduce\` over the events), summing, clamping, stage and tier conditions also in json-logic.
  - *json-rules-engine* (\`bench/peers/json-rules-engine.mjs\`): the same normalization, plus the
    event-derived facts (counts in windows, half-life sums, days since last visit) computed in
    JavaScript because the engine cannot, then \`await engine.run(facts)\` on one reused engine,
    summing the points carried by the fired events, clamps, stage and tier in JavaScript. It is
    asynchronous and slow, so it is timed on a subset of the leads (the table says how many); its
    agreement is checked on all of them.
- **Scaling.** The 2,000-rule file (\`bench/lib/ruleset-generator.mjs\`, same rule kinds, 20
  capped groups) is timed against the reference file on the same leads, interleaved; the cost
  per lead per rule is time / leads / rules.
- **Compile cost.** Generated files of 100, 1,000 and 10,000 rules: \`parse\`, \`check\` and
  \`compile\` (which parses and checks again) are timed separately, after one unrecorded warm-up
  compile; median of the rounds, plus the first run of each size; heap retained by the scorer is
  measured after a full GC.
- **CLI.** The built \`rubric score\` spawned on generated CSV files — the simple-fit leads (no
  events); the reference leads with their events in a second file joined by lead id
  (\`--events\`) — writing \`--out\` a file, under \`/usr/bin/time -v\` for peak RSS; wall time
  includes Node start-up. Each run is next to the Node floor (\`bench/lib/cli-floor.mjs\`) on the
  same files: chunked reads, \`split\` into lines and cells, one computed column, chunked writes;
  its events variant reads the events file in step. The first 2,000 scores and stages in each
  output are checked against the hand-written exact functions on the same CSV rows.
- **Language server.** The built server driven over stdio with a minimal LSP client: open a
  generated 2,000-line file, then edits one at a time (a digit added to, then removed from, a
  rule's points), each timed from \`didChange\` to the \`publishDiagnostics\` for that version,
  after 10 unmeasured edits (typing into an open file; the first edits run before the JIT has
  compiled the re-check); once with the server's default settings (its debounce included, as
  users see it), once with \`diagnosticsDelay: 0\`.
- **DuckDB engine.** \`rubric score --engine duckdb\` spawned on the CLI section's files (leads +
  events) against the JavaScript engine's run, outputs compared byte for byte; then, in process
  on a fresh DuckDB, DuckDB's own floor (read both CSVs, count events per lead, join, COPY a CSV
  out in lead order) and the Rubric query (\`emitSql\`) over the same CSVs, COPYed out.
- **Accounts.** \`examples/abm/generate.mjs\` writes 10,000 accounts of exactly 10 contacts
  and their events (seeded) as three CSV files; \`rubric score examples/abm/abm.rubric\` is spawned
  on them with and without \`--accounts\` (same contacts, same events), interleaved rounds, median
  wall time and largest peak RSS; then the same pair once on 1,000,000 contacts in 100,000
  accounts (full mode), to show how the ratio grows with the accounts.
- **Profile.** The inspector's sampling CPU profiler (what \`node --cpu-prof\` records) around
  scoring with the reference scorer and around compiling the largest generated file; the tables
  list self time per function. The scorer is generated code instantiated with \`new Function\`,
  so its functions and the runtime helpers have no file.
- **Shared machine.** The bench machine is shared with other work; interleaved rounds and medians
  damp that, single runs (CLI, DuckDB, compile of one size) do not; the 1-minute load average
  at start and end is in the Run table. Compare ratios rather than absolute numbers across
  runs.`;

/**
 * The whole report. `run` is `{mode, command, date, build, durationMs}`; `sections` maps section
 * ids (throughput, compile, cli, language-server, sql, profile) to their results.
 */
export function renderReport(run, sections) {
  const machine = machineDescription();
  const out = [];
  out.push('# Performance');
  out.push('');
  out.push(
    `Measured by \`${run.command}\` (bench/) — this file is written by the bench; edit \`bench/lib/report.mjs\` (layout, method) or \`bench/notes.md\` (analysis) instead. ` +
      `Rubric is compared on two workloads with the same rules written by hand in JavaScript twice (naively, and with Rubric's exact semantics), and on the event-heavy one with json-rules-engine and json-logic-js, on the same generated leads, after checking that every implementation with Rubric's semantics gives identical results; its CLI and DuckDB engine are compared with floors (what Node, and DuckDB, cost on the same files).`,
  );
  out.push('');
  out.push('## Run');
  out.push('');
  out.push(
    table({
      caption: '',
      header: ['Run', ''],
      rows: [
        ['Date', run.date],
        ['Mode', run.mode],
        ['Command', `\`${run.command}\` (after \`npm ci && npm run build\`)`],
        ['CPU', machine.cpu],
        ['Memory', machine.memory],
        ['Node', machine.node],
        ['OS', machine.os],
        ['Build', run.build],
        ['Bench duration', formatMs(run.durationMs)],
        ...(run.loadAverage ? [['Load average (1 min) at start / end', `${run.loadAverage.map((l) => l.toFixed(1)).join(' / ')} on ${machine.cores} cores`]] : []),
      ],
    }),
  );
  out.push('');
  out.push('## Summary');
  out.push('');
  out.push(summary(sections, run));
  const titles = [
    ['throughput', '1. Scoring throughput'],
    ['compile', '2. Compile cost'],
    ['cli', '3. CLI: `rubric score` on a CSV'],
    ['language-server', '4. Language server: diagnostics latency'],
    ['sql', '5. DuckDB engine end to end'],
    ['profile', '6. Where Rubric spends its time (CPU profiles)'],
    ['accounts', '7. Accounts: `rubric score --accounts` against contact-only scoring'],
  ];
  for (const [id, title] of titles) {
    out.push('');
    out.push(`## ${title}`);
    out.push('');
    const section = sections[id];
    out.push(section === undefined ? '- not run (see the bench options)' : sectionBody(section));
  }
  if (run.analysis) {
    out.push('');
    out.push('## Analysis');
    out.push('');
    out.push(run.analysis);
  }
  out.push('');
  out.push(METHOD);
  out.push('');
  return out.join('\n');
}

/** The section headings every report has (the bench test checks them). */
export const SECTION_HEADINGS = [
  '## 1. Scoring throughput',
  '## 2. Compile cost',
  '## 3. CLI',
  '## 4. Language server',
  '## 5. DuckDB engine',
  '## 6. Where Rubric spends',
  '## 7. Accounts',
  '## Method',
];
