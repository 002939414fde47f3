import { execFile, type ExecFileException } from 'node:child_process';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  analyze,
  compile,
  diffImpact,
  diffModels,
  emptyModel,
  type ImpactReport,
  type Lead,
  type LeadEvent,
  type Model,
  type Scorer,
  type SemanticDiff,
} from '@rubric/core';
import { CliError, EXIT_FINDINGS, EXIT_OK, type CommandContext } from '../context.js';
import { blankColumnsNotice, refuseDuplicateColumns } from '../input/blank-columns.js';
import { readTextFile } from '../files.js';
import { addExamples, addHelpSection } from '../help.js';
import { readItems } from '../input/data-file.js';
import { idText } from '../input/events-join.js';
import { columnRoles, eventFromRow, leadFromRow, schemaOf, type ColumnRole, type Schema } from '../input/leads.js';
import { ACCOUNTS_ENCODING_HELP, ENCODING_HELP, EVENTS_ENCODING_HELP, eventsReadOptions, formatFromExtension, openInput, parseAccountsEncoding, parseEncoding, parseEventsEncoding, type InputEncoding, type InputFormat, type ReadOptions } from '../input/source.js';
import { renderDiffMarkdown } from '../render/diff-markdown.js';
import { renderDiffText, type AccountImpact, type DiffVersions, type ImpactSource } from '../render/diff-text.js';
import { contactChanges, diffAccountImpact } from './diff-accounts.js';
import { refuseOnErrors } from '../rules.js';
import { resolveNow } from '../time.js';

export interface DiffOptions {
  readonly git?: string;
  readonly leads?: string;
  readonly events?: string;
  /** `--accounts`: the accounts of the contacts in --leads (a file with an `account` block). */
  readonly accounts?: string;
  readonly eventsKey: string;
  readonly id: string;
  /** `--encoding`, parsed: of the --leads and --events files. */
  readonly encoding?: InputEncoding;
  /** `--events-encoding`, parsed: of the events file (default: `encoding`). */
  readonly eventsEncoding?: InputEncoding;
  /** `--accounts-encoding`, parsed: of the --accounts file (default: `encoding`). */
  readonly accountsEncoding?: InputEncoding;
  readonly now?: string;
  readonly top: string;
  readonly format: 'text' | 'markdown' | 'json';
  readonly exitCode: boolean;
}

const VERSIONS_HELP = `OLD and NEW are rule files. OLD can also be a version in git, \`REF:path\` (read with
\`git show\`; the path is relative to the current directory), or give --git REF and one file to
compare it with its version at REF (\`rubric diff --git origin/main rules/acme.rubric\`).
A file that does not exist at REF is compared with an empty file (everything is added).`;

const MEANING_HELP = `Only changes in meaning are reported: rules added, removed or changed (points, condition,
group, label, cap, half-life), group bounds, score range, stages (threshold, requires,
condition, order), tiers, lets, segments and the lead and event schema. Rules are matched by
label, else by condition, else by position in their group. Layout, comments, quotes and the
order of rules within a group never show up: a reformatted file has no change in meaning.`;

const IMPACT_HELP = `With --leads FILE (CSV, JSON Lines or a JSON array, as for \`rubric score\`), both versions
score the leads at --now (default: the current time, printed) and the report adds: leads
changing stage (a from -> to table), mean and median score before and after, the leads that
move most (by --id) and, per changed rule, how many leads it treats differently.
--events FILE adds events (CSV or JSON Lines, one event a row: \`lead_id\`, \`type\`, \`at\`,
properties); it may be in any order. Both files are held in memory.
With --accounts FILE (both versions need an \`account\` block), --leads are the contacts: the
accounts of FILE are scored with all their contacts by both versions (the files are read as
\`rubric score --accounts\` reads them, with the new version's fields and key) and the report adds
the same tables for the accounts: accounts changing stage (from -> to), per account stage counts,
mean and median account score, and the accounts that move most (by their key).`;

/** `rubric diff OLD NEW`: what a change to a rule file changes in meaning, and for which leads. */
export function registerDiffCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('diff')
    .description('show what changed in meaning between two versions of a rule file, and how it moves leads')
    .argument('<old>', 'the old version: a file, or REF:path for a version in git (the file to compare, with --git)')
    .argument('[new]', 'the new version (a file)')
    .option('--git <ref>', 'read the old version of the file from git at REF (a branch, tag or commit)')
    .option('--leads <file>', 'score these leads with both versions and report the impact')
    .option('--events <file>', 'events of the leads (CSV or JSON Lines with a lead id column)')
    .option('--accounts <file>', 'with --leads (the contacts): the accounts file; report account stage moves too')
    .option('--events-key <column>', 'the events file column holding the lead id', 'lead_id')
    .option('--id <field>', 'the lead field holding its id', 'id')
    .option('--encoding <name>', ENCODING_HELP, parseEncoding)
    .option('--events-encoding <name>', EVENTS_ENCODING_HELP, parseEventsEncoding)
    .option('--accounts-encoding <name>', ACCOUNTS_ENCODING_HELP, parseAccountsEncoding)
    .option('--now <iso>', 'the instant to score the leads at, ISO 8601 (default: the current time)')
    .option('--top <n>', 'how many of the leads that move most to list', '10')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--exit-code', 'exit 1 when there are changes in meaning (for scripts)', false)
    .action(async (oldArg: string, newArg: string | undefined, options: DiffOptions) => {
      context.setExitCode(await runDiff(context, oldArg, newArg, options));
    });
  addExamples(command, [
    { command: 'rubric diff old.rubric rules/acme.rubric', description: 'compare two files' },
    { command: 'rubric diff --git origin/main rules/acme.rubric', description: 'compare the working copy with the main branch' },
    { command: 'rubric diff HEAD~1:rules/acme.rubric rules/acme.rubric --leads leads.csv --now 2026-03-01', description: 'and see which leads change stage' },
    {
      command: 'rubric diff old.rubric abm.rubric --leads contacts.csv --accounts accounts.csv --events events.csv',
      description: 'and which accounts change stage',
    },
    {
      command: 'rubric diff --git origin/main rules/acme.rubric --leads leads.csv --format markdown > comment.md',
      description: 'a pull request comment',
    },
  ]);
  addHelpSection(command, 'Versions', VERSIONS_HELP);
  addHelpSection(command, 'What is compared', MEANING_HELP);
  addHelpSection(command, 'Impact on leads', IMPACT_HELP);
  addHelpSection(command, 'Exit codes', '0 compared (with --exit-code: no change in meaning); 1 a version has errors, or changes with\n--exit-code; 2 usage, I/O or git error');
}

/** A version of the rule file: where it came from and its text. */
interface Version {
  /** As shown (`origin/main:rules/acme.rubric`, `rules/acme.rubric`). */
  readonly label: string;
  readonly text: string;
  /** False for a file that does not exist at the git ref (compared as empty). */
  readonly exists: boolean;
}

/** Runs `rubric diff`; returns the exit code. */
export async function runDiff(context: CommandContext, oldArg: string, newArg: string | undefined, options: DiffOptions): Promise<number> {
  const top = Number(options.top);
  if (!Number.isInteger(top) || top < 0) throw new CliError(`invalid --top \`${options.top}\`: expected a whole number`, { help: 'for example --top 20' });
  if (options.events !== undefined && options.leads === undefined) {
    throw new CliError('--events needs --leads', { help: 'give the leads to score with --leads FILE' });
  }
  if (options.accounts !== undefined && options.leads === undefined) {
    throw new CliError('--accounts needs --leads: the contacts of the accounts', { help: 'for example --leads contacts.csv --accounts accounts.csv' });
  }
  const { oldVersion, newPath } = await resolveVersions(context, oldArg, newArg, options.git);
  const newText = await readTextFile(context, newPath);
  const newLabel = context.displayPath(newPath);

  const oldAnalysis = analyze(oldVersion.text, oldVersion.label);
  const newAnalysis = analyze(newText, newLabel);
  if (oldVersion.exists) refuseOnErrors(context, { userPath: oldArg, path: oldVersion.label, text: oldVersion.text, analysis: oldAnalysis }, 'comparing');
  refuseOnErrors(context, { userPath: newPath, path: newLabel, text: newText, analysis: newAnalysis }, 'comparing');
  if (!oldVersion.exists) context.warn(`\`${oldVersion.label}\` does not exist: comparing with an empty file`);

  const diff = diffModels(oldVersion.exists ? oldAnalysis.model : emptyModel(newAnalysis.model.file), newAnalysis.model);
  const versions: DiffVersions = { old: oldVersion.label, new: newLabel };

  let impact: ImpactReport | null = null;
  let impactSource: ImpactSource | null = null;
  let accountImpact: AccountImpact | null = null;
  if (options.leads !== undefined && options.accounts !== undefined) {
    const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
    if (options.now === undefined) context.warn(`scoring at ${now.toISOString()} (${nowSource})`);
    const oldModel = oldVersion.exists ? oldAnalysis.model : emptyModel(newAnalysis.model.file);
    const both = await diffAccountImpact(context, { old: { label: oldVersion.label, model: oldModel }, new: { label: newLabel, model: newAnalysis.model } }, {
      contacts: options.leads,
      accounts: options.accounts,
      ...(options.events !== undefined ? { events: options.events } : {}),
      eventsKey: options.eventsKey,
      idColumn: options.id,
      ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
      ...(options.eventsEncoding !== undefined ? { eventsEncoding: options.eventsEncoding } : {}),
      ...(options.accountsEncoding !== undefined ? { accountsEncoding: options.accountsEncoding } : {}),
      now,
      diff,
      top,
    });
    impact = both.contacts.impact;
    impactSource = both.contacts.source;
    accountImpact = both.accounts;
  } else if (options.leads !== undefined) {
    const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
    if (options.now === undefined) context.warn(`scoring at ${now.toISOString()} (${nowSource})`);
    const oldScorer = scorerOf(oldVersion.exists ? oldAnalysis.model : emptyModel(newAnalysis.model.file));
    const newScorer = scorerOf(newAnalysis.model);
    const schema = mergedSchema(oldVersion.exists ? oldAnalysis.model : null, newAnalysis.model);
    const readOptions: ReadOptions = options.encoding === undefined ? {} : { encoding: options.encoding };
    const read = await readLeads(context, options.leads, schema, options.id, readOptions);
    const events = options.events === undefined ? undefined : await readEvents(context, options.events, options.eventsKey, schema, eventsReadOptions(options.encoding, options.eventsEncoding));
    impact = diffImpact(oldScorer, newScorer, read.leads, {
      now,
      // Account rule changes index the `score accounts` rules, not the leads' (issue 17).
      diff: contactChanges(diff),
      top,
      idField: options.id,
      ...(events !== undefined ? { events } : {}),
    });
    impactSource = { path: context.displayPath(options.leads), skippedRows: read.skipped };
  }

  const { io } = context;
  if (options.format === 'json') io.stdout.write(renderJson(diff, versions, impact, impactSource, accountImpact));
  else if (options.format === 'markdown') io.stdout.write(renderDiffMarkdown(diff, versions, impact, impactSource, accountImpact));
  else io.stdout.write(renderDiffText(diff, versions, impact, impactSource, context.colors('stdout'), accountImpact));
  return options.exitCode && diff.changes.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function renderJson(diff: SemanticDiff, versions: DiffVersions, impact: ImpactReport | null, source: ImpactSource | null, accounts: AccountImpact | null): string {
  const report = {
    old: versions.old,
    new: versions.new,
    changes: diff.changes,
    ...(impact !== null && source !== null ? { impact: { ...impact, leadsFile: source.path, skippedRows: source.skippedRows } } : {}),
    // Same shape as `impact`, its units accounts (`leads`, `movers[].id` = account keys).
    ...(accounts !== null ? { accountImpact: { ...accounts.impact, accountsFile: accounts.source.path, skippedRows: accounts.source.skippedRows } } : {}),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Versions

async function exists(context: CommandContext, userPath: string): Promise<boolean> {
  try {
    await stat(context.resolvePath(userPath));
    return true;
  } catch {
    return false;
  }
}

const GIT_SPEC = /^([^:]+):(.+)$/;

async function resolveVersions(
  context: CommandContext,
  oldArg: string,
  newArg: string | undefined,
  gitRef: string | undefined,
): Promise<{ oldVersion: Version; newPath: string }> {
  if (gitRef !== undefined) {
    // One file: its version at REF. Two: the first at REF (it may have been renamed), the second now.
    return { oldVersion: await gitVersion(context, gitRef, oldArg), newPath: newArg ?? oldArg };
  }
  if (newArg === undefined) {
    throw new CliError('`rubric diff` needs the old and the new version', {
      help: 'give two files (`rubric diff old.rubric new.rubric`), REF:path and a file, or --git REF and one file',
    });
  }
  if (!(await exists(context, oldArg))) {
    const match = GIT_SPEC.exec(oldArg);
    if (match !== null) return { oldVersion: await gitVersion(context, match[1], match[2]), newPath: newArg };
  }
  const text = await readTextFile(context, oldArg);
  return { oldVersion: { label: context.displayPath(oldArg), text, exists: true }, newPath: newArg };
}

/** The file at `ref`, via `git show REF:./path` run in the working directory. */
async function gitVersion(context: CommandContext, ref: string, userPath: string): Promise<Version> {
  if (ref.startsWith('-')) throw new CliError(`invalid git ref \`${ref}\``, { help: 'give a branch, tag or commit, e.g. --git origin/main' });
  const relative = path.relative(context.io.cwd, context.resolvePath(userPath)).split(path.sep).join('/');
  const label = `${ref}:${relative}`;
  const result = await new Promise<{ stdout: string; stderr: string; error: ExecFileException | null }>((resolve) => {
    execFile(
      'git',
      ['show', `${ref}:./${relative}`],
      { cwd: context.io.cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => resolve({ stdout, stderr, error }),
    );
  });
  if (result.error === null) {
    const text = result.stdout;
    return { label, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, exists: true };
  }
  if (result.error.code === 'ENOENT') {
    throw new CliError('cannot run `git`: it is not installed or not on the PATH', { help: 'install git, or give the old version as a file' });
  }
  const message = result.stderr.trim().split('\n')[0]?.replace(/^fatal:\s*/, '') ?? '';
  if (/does not exist in|exists on disk, but not in/.test(message)) return { label, text: '', exists: false };
  throw new CliError(`cannot read \`${label}\` from git: ${message || 'git show failed'}`, {
    help: /unknown revision|invalid object name|bad revision/i.test(message)
      ? `check the ref (\`git log ${ref}\`); in CI, fetch it first (\`git fetch origin main\`)`
      : 'run the command inside the git repository that holds the file',
  });
}

// ---------------------------------------------------------------------------------------------
// Leads

function scorerOf(model: Model): Scorer {
  // The model checked without errors (refuseOnErrors), or is empty, so it compiles.
  const { scorer } = compile(model);
  if (scorer === null) throw new Error('the compiler returned no scorer for a model without errors');
  return scorer;
}

/** Both versions' schemas (the new one wins for a field in both), to read the leads' cells. */
function mergedSchema(oldModel: Model | null, newModel: Model): Schema {
  const newer = schemaOf(newModel);
  if (oldModel === null) return newer;
  const older = schemaOf(oldModel);
  // Both versions' columns are read (a field may have moved to another column with `from`).
  return {
    fields: new Map([...older.fields, ...newer.fields]),
    columnOf: new Map([...older.columnOf, ...newer.columnOf]),
    fieldOfColumn: new Map([...older.fieldOfColumn, ...newer.fieldOfColumn]),
    parents: new Set([...older.parents, ...newer.parents]),
    events: new Map([...older.events, ...newer.events]),
    eventColumns: new Map([...older.eventColumns, ...newer.eventColumns]),
    eventsByColumn: new Map([...older.eventsByColumn, ...newer.eventsByColumn]),
  };
}

function formatOf(context: CommandContext, userPath: string, what: string): InputFormat {
  const format = formatFromExtension(userPath);
  if (format === undefined) {
    throw new CliError(`cannot tell the format of the ${what} \`${context.displayPath(userPath)}\``, {
      help: 'use a .csv, .jsonl or .json file name',
    });
  }
  return format;
}

/** At most this many unreadable rows are reported one by one; the rest are counted. */
const MAX_REPORTED_ROWS = 5;

async function readLeads(
  context: CommandContext,
  userPath: string,
  schema: Schema,
  idField: string,
  readOptions: ReadOptions,
): Promise<{ leads: Lead[]; skipped: number }> {
  const format = formatOf(context, userPath, 'leads file');
  const input = await openInput(context, userPath, readOptions);
  const leads: Lead[] = [];
  let skipped = 0;
  let columns: readonly string[] = [];
  let roles: readonly ColumnRole[] = [];
  try {
    for await (const item of readItems(input, format)) {
      switch (item.kind) {
        case 'header': {
          // As `rubric score` reads a header: two columns of one name refused, columns with no name read as no field.
          refuseDuplicateColumns(input.path, item.columns);
          const unnamed = blankColumnsNotice(item.columns, input.path, 'read');
          if (unnamed !== undefined) context.warn(unnamed);
          columns = item.columns;
          roles = columnRoles(columns, schema);
          break;
        }
        case 'row': {
          const { lead, events, rejected } = leadFromRow(columns, roles, item.fields);
          if (rejected !== undefined) {
            skipped++;
            if (skipped <= MAX_REPORTED_ROWS) context.warn(`\`${input.path}\` line ${item.line}: ${rejected.message}; row skipped`);
            break;
          }
          // The id column is kept even when it is not a declared field (it names the lead).
          const idColumn = columns.indexOf(idField);
          if (idColumn !== -1 && lead[idField] === undefined) {
            const id = idText(item.fields[idColumn]);
            if (id !== undefined) lead[idField] = id;
          }
          if (events !== undefined) lead.events = events;
          leads.push(lead);
          break;
        }
        case 'object':
          leads.push(item.value);
          break;
        case 'bad':
          skipped++;
          if (skipped <= MAX_REPORTED_ROWS) context.warn(`\`${input.path}\` line ${item.line}: ${item.message}; row skipped`);
          break;
        case 'notice':
          context.warn(item.message);
          break;
      }
    }
  } finally {
    await input.close();
  }
  if (skipped > MAX_REPORTED_ROWS) context.warn(`\`${input.path}\`: ${skipped} rows skipped in all`);
  return { leads, skipped };
}

/** The events file, grouped by lead id (any order). */
async function readEvents(context: CommandContext, userPath: string, key: string, schema: Schema, readOptions: ReadOptions): Promise<Map<string, LeadEvent[]>> {
  const format = formatOf(context, userPath, 'events file');
  const input = await openInput(context, userPath, readOptions);
  const byLead = new Map<string, LeadEvent[]>();
  const add = (id: string | undefined, line: number, event: Record<string, unknown>): void => {
    if (id === undefined) {
      context.warn(`\`${input.path}\` line ${line}: no \`${key}\`; event skipped`);
      return;
    }
    const list = byLead.get(id);
    if (list === undefined) byLead.set(id, [event as unknown as LeadEvent]);
    else list.push(event as unknown as LeadEvent);
  };
  let columns: readonly string[] = [];
  let keyIndex = -1;
  try {
    for await (const item of readItems(input, format)) {
      switch (item.kind) {
        case 'header': {
          columns = item.columns;
          keyIndex = columns.indexOf(key);
          const missing = [key, 'type', 'at'].filter((name) => !columns.includes(name));
          if (missing.length > 0) {
            throw new CliError(`\`${input.path}\` has no ${missing.map((m) => `\`${m}\``).join(', ')} column`, {
              help: 'an events file needs `lead_id`, `type` and `at` columns (name the id column with --events-key)',
            });
          }
          break;
        }
        case 'row':
          add(idText(item.fields[keyIndex]), item.line, eventFromRow(columns, item.fields, schema, new Set([keyIndex])));
          break;
        case 'object': {
          const { [key]: id, ...event } = item.value;
          add(idText(id), item.line, event);
          break;
        }
        case 'bad':
          context.warn(`\`${input.path}\` line ${item.line}: ${item.message}; event skipped`);
          break;
        case 'notice':
          context.warn(item.message);
          break;
      }
    }
  } finally {
    await input.close();
  }
  return byLead;
}
