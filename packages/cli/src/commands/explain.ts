import { Option, type Command } from 'commander';
import { MAX_VALUE_DEPTH, type LeadEvent, type ScoreOptions } from '@rubric/core';
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { readTextFile } from '../files.js';
import { addExamples } from '../help.js';
import { readCsv } from '../input/csv.js';
import { jsonValueProblem, readJsonArray, readJsonLines } from '../input/json.js';
import { idText } from '../input/events-join.js';
import { emptyRecord, eventFromRow, schemaOf, type Schema } from '../input/leads.js';
import { describeJsonError, formatFromExtension, INPUT_FORMATS, openInput, type InputFormat, type InputItem } from '../input/source.js';
import { renderExplanation } from '../render/explanation.js';
import { loadScorer } from '../rules.js';
import { resolveNow } from '../time.js';

export interface ExplainOptions {
  readonly lead: string;
  readonly id: string;
  readonly events?: string;
  readonly eventsKey: string;
  readonly eventsFormat?: InputFormat;
  readonly now?: string;
  readonly format: 'text' | 'json';
}

/** `rubric explain RULES --lead ...`: why one lead has its score, stage and tier. */
export function registerExplainCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('explain')
    .description("explain one lead's score: the rules that fired, caps, group totals, and why each stage was or was not reached")
    .argument('<rules>', 'the rule file')
    .requiredOption('--lead <json|file>', 'the lead: a JSON object, or a file holding one (- for stdin)')
    .option('--events <json|file>', 'its events: a JSON array, or a CSV, JSON Lines or JSON file (default: the lead\'s `events`)')
    .option('--events-key <column>', 'in an events file, the column of the lead id: only rows for this lead are used', 'lead_id')
    .option('--id <field>', 'the lead field holding its id (to pick its rows from an events file)', 'id')
    .addOption(new Option('--events-format <format>', 'format of the events file (default: by extension)').choices(INPUT_FORMATS))
    .option('--now <iso>', 'the instant to score at, ISO 8601 (default: the current time, printed)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (rules: string, options: ExplainOptions) => {
      context.setExitCode(await runExplain(context, rules, options));
    });
  addExamples(command, [
    {
      command: `rubric explain rules/acme.rubric --lead '{"job": "CEO", "company": {"size": 50}, "email": "ana@acme.fr"}' --now 2026-03-01`,
      description: 'explain an inline lead',
    },
    { command: 'rubric explain rules/acme.rubric --lead lead-4711.json --events events-4711.csv', description: 'a lead and its events from files' },
    { command: 'rubric explain rules/acme.rubric --lead lead.json --format json', description: 'the explanation as JSON' },
  ]);
}

/** Explains one lead; returns the exit code. */
export async function runExplain(context: CommandContext, rulesPath: string, options: ExplainOptions): Promise<number> {
  const { now, source: nowSource } = resolveNow(options.now, () => context.io.now());
  const { source: rules, scorer } = await loadScorer(context, rulesPath, 'explaining');
  const lead = await readLead(context, options.lead);
  const events =
    options.events === undefined
      ? undefined
      : await readEvents(context, options, schemaOf(rules.analysis.model), idText(lead[options.id]));
  const scoreOptions: ScoreOptions = events === undefined ? { now } : { now, events };
  const explanation = scorer.explain(lead, scoreOptions);
  if (options.format === 'json') {
    context.io.stdout.write(`${JSON.stringify({ rules: rules.path, ...explanation }, null, 2)}\n`);
  } else {
    context.io.stdout.write(renderExplanation(explanation, { rulesPath: rules.path, nowSource }, context.colors('stdout')));
  }
  return EXIT_OK;
}

/** The lead from `--lead`: inline JSON (starts with `{`), `-` for stdin, or a JSON file. */
async function readLead(context: CommandContext, value: string): Promise<Record<string, unknown>> {
  const inline = value.trimStart().startsWith('{');
  let text: string;
  let where: string;
  if (inline) {
    text = value;
    where = '--lead';
  } else if (value === '-') {
    text = await readAll(context);
    where = 'stdin';
  } else {
    text = await readTextFile(context, value);
    where = `\`${context.displayPath(value)}\``;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const { message, column } = describeJsonError(error);
    throw new CliError(`${where} is not valid JSON: ${message}${column !== undefined ? ` (at character ${column})` : ''}`, {
      help: `give one lead as a JSON object, e.g. --lead '{"job": "CEO", "company": {"size": 50}}'`,
    });
  }
  // Checked before any use: a value nested thousands deep would overflow the stack later on.
  const problem = jsonValueProblem(parsed, text);
  if (problem !== undefined) {
    throw new CliError(`${where} cannot be explained: ${problem.message} (at character ${problem.offset + 1})`, {
      help: `a lead's values may nest at most ${MAX_VALUE_DEPTH} levels of arrays and objects, and its text must be valid Unicode`,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${where} is not a lead: expected a JSON object`, {
      help: Array.isArray(parsed) ? 'explain takes one lead; to score many, use `rubric score`' : 'give one lead as a JSON object',
    });
  }
  return parsed as Record<string, unknown>;
}

async function readAll(context: CommandContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of context.io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The events from `--events`: an inline JSON array, or a CSV / JSON Lines / JSON array file.
 * In a file with a lead id column (`--events-key`), only the rows of the lead's id are kept.
 */
async function readEvents(context: CommandContext, options: ExplainOptions, schema: Schema, leadId: string | undefined): Promise<LeadEvent[]> {
  const value = options.events ?? '';
  const key = options.eventsKey;
  if (value.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new CliError(`--events is not valid JSON: ${describeJsonError(error).message}`, {
        help: `give a JSON array of events, e.g. --events '[{"type": "email_open", "at": "2026-02-01"}]'`,
      });
    }
    if (!Array.isArray(parsed)) throw new CliError('--events must be a JSON array of events');
    const problem = jsonValueProblem(parsed, value, 1);
    if (problem !== undefined) throw new CliError(`--events cannot be used: ${problem.message} (at character ${problem.offset + 1})`);
    return parsed as LeadEvent[];
  }
  const resolved = options.eventsFormat ?? formatFromExtension(value);
  if (resolved === undefined) {
    throw new CliError(`cannot tell the format of the events file \`${context.displayPath(value)}\``, {
      help: 'pass --events-format csv, jsonl or json (or use a .csv, .jsonl or .json file name)',
    });
  }
  const input = await openInput(context, value);
  const events: LeadEvent[] = [];
  let keyed = false;
  try {
    const items: AsyncGenerator<InputItem> =
      resolved === 'csv' ? readCsv(input.chunks()) : resolved === 'jsonl' ? readJsonLines(input.chunks(), input.path) : readJsonArray(input.chunks(), input.path);
    let columns: readonly string[] = [];
    let keyIndex = -1;
    const matches = (id: unknown): boolean => {
      keyed ||= id !== undefined;
      return id === undefined || leadId === undefined || idText(id) === leadId;
    };
    for await (const item of items) {
      if (item.kind === 'header') {
        columns = item.columns;
        keyIndex = columns.indexOf(key);
      } else if (item.kind === 'row') {
        if (!matches(keyIndex === -1 ? undefined : item.fields[keyIndex])) continue;
        events.push(eventFromRow(columns, item.fields, schema, new Set([keyIndex])) as unknown as LeadEvent);
      } else if (item.kind === 'object') {
        if (!matches(item.value[key])) continue;
        const event: Record<string, unknown> = emptyRecord();
        for (const name of Object.keys(item.value)) if (name !== key) event[name] = item.value[name];
        events.push(event as unknown as LeadEvent);
      } else if (item.kind === 'bad') {
        context.warn(`${input.path}:${item.line}${item.column !== undefined ? `:${item.column}` : ''}: ${item.message}; event skipped`);
      } else {
        context.warn(item.message);
      }
    }
  } finally {
    await input.close();
  }
  if (keyed && leadId === undefined) {
    context.warn(`the lead has no \`${options.id}\`, so every event of \`${input.path}\` is used; give the lead its id to pick its rows`);
  }
  return events;
}
