/**
 * `rubric build RULES --target sql`: the rule file as one SQL view (or query) for DuckDB or
 * PostgreSQL, scoring a whole leads table inside the database with the same results as the
 * JavaScript scorer. The options are added to `rubric build` by {@link addSqlBuildOptions};
 * `runBuild` hands `--target sql` to {@link runBuildSql}.
 */
import { Option, type Command } from 'commander';
import { emitSql, emitSqlAccounts, parseSqlMapping, SqlEmitError, type SqlMapping, type SqlNow } from '@rubric/core';
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { AtomicOutputFile, describeFileError, readTextFile } from '../files.js';
import { addHelpSection } from '../help.js';
import { writeWithBackpressure } from '../io.js';
import { loadScorer } from '../rules.js';
import { parseNowOption } from '../time.js';

/** The `--target` name of the SQL target. */
export const SQL_TARGET = 'sql';

/** What `--target sql` reads from the command line. */
export interface SqlBuildOptions {
  readonly out: string;
  readonly dialect: 'duckdb' | 'postgres';
  readonly mapping?: string;
  readonly select: boolean;
  readonly explain: boolean;
  readonly now?: string;
  readonly view?: string;
  readonly groupPrefix?: string;
  /** Issue 17: the account view's name (a file with an `account` block). */
  readonly accountsView?: string;
  /** Issue 17: with `--select`, write the account query instead of the contact query. */
  readonly accounts?: boolean;
}

const SQL_HELP = `--target sql writes ONE SQL view (CREATE OR REPLACE VIEW rubric_scores, or a plain query
with --select) that scores every row of a leads table with its events, inside DuckDB or
PostgreSQL, with the JavaScript scorer's exact results: the lead id, score, stage, tier and one
column per group (and per rule with --explain). --out FILE, or --out - for stdout.
Tables and columns come from --mapping FILE (JSON; see docs/sql.md); by default \`leads\` with
\`id\` and one text column per field named like it (\`company.size\`), and \`events\` with
\`lead_id\`, \`type\`, \`at\` and one column per property. \`now\` is the query's current time,
or --now ISO, or with --select --now parameter ($1, epoch milliseconds; a view cannot take it).
A file with an \`account\` block writes TWO views: the accounts (\`rubric_scores_accounts\`, or
--accounts-view NAME: one row per account of the \`accounts\` table) and the contacts; with
--select, the contact query, or the account query with --accounts.`;

/** Adds the options of `--target sql` to `rubric build`. */
export function addSqlBuildOptions(command: Command): void {
  command
    .addOption(new Option('--dialect <dialect>', 'SQL dialect of --target sql').choices(['duckdb', 'postgres']).default('duckdb'))
    .option('--mapping <file>', 'SQL target: JSON file naming the tables and columns (see docs/sql.md)')
    .option('--select', 'SQL target: write a plain SELECT instead of CREATE VIEW', false)
    .option('--explain', 'SQL target: add one points column per rule (r0, r1, ...)', false)
    .option('--now <iso>', 'SQL target: score at this instant (ISO 8601), or `parameter` for $1 with --select (default: the current time)')
    .option('--view <name>', 'SQL target: name of the view (default rubric_scores)')
    .option('--group-prefix <prefix>', 'SQL target: prefix of the group columns (default none)')
    .option('--accounts-view <name>', 'SQL target, file with an account block: name of the account view (default: the view name + _accounts)')
    .option('--accounts', 'SQL target, file with an account block, with --select: write the account query (default: the contact query)', false);
  addHelpSection(command, 'SQL target', SQL_HELP);
}

function sqlNow(text: string | undefined): SqlNow {
  if (text === undefined) return 'current';
  if (text === 'parameter' || text === 'current') return text;
  return parseNowOption(text);
}

async function readMapping(context: CommandContext, userPath: string | undefined): Promise<SqlMapping | undefined> {
  if (userPath === undefined) return undefined;
  const text = await readTextFile(context, userPath);
  try {
    return parseSqlMapping(text);
  } catch (error) {
    if (error instanceof SqlEmitError) {
      throw new CliError(`\`${context.displayPath(userPath)}\`: ${error.message}`, error.help === undefined ? {} : { help: error.help });
    }
    throw error;
  }
}

/** Builds the SQL of `rulesPath` into `--out` (a file, or `-` for stdout); returns the exit code. */
export async function runBuildSql(context: CommandContext, rulesPath: string, options: SqlBuildOptions): Promise<number> {
  const now = sqlNow(options.now);
  if (now === 'parameter' && !options.select) {
    // Checked here, before anything is read, with the command's own words; emitSql refuses it too.
    throw new CliError(
      '`--now parameter` needs `--select`: a view cannot take the bind parameter $1 (neither DuckDB nor PostgreSQL accepts one in CREATE VIEW)',
      { help: 'add `--select` to write a query that takes $1 when it runs, or give `--now ISO` (or no `--now`: the current time) to write a view' },
    );
  }
  const mapping = await readMapping(context, options.mapping);
  const { source } = await loadScorer(context, rulesPath, 'building');
  let sql: string;
  try {
    const model = source.analysis.model;
    if (options.accounts === true && model.account === null) {
      throw new CliError('`--accounts` needs a rule file with an `account` block', { help: 'remove `--accounts`, or declare the account block' });
    }
    const emit = options.accounts === true && options.select ? emitSqlAccounts : emitSql;
    sql = emit(model, {
      dialect: options.dialect,
      ...(mapping !== undefined ? { mapping } : {}),
      select: options.select,
      explain: options.explain,
      now,
      ...(options.view !== undefined ? { view: options.view } : {}),
      ...(options.groupPrefix !== undefined ? { groupPrefix: options.groupPrefix } : {}),
      ...(options.accountsView !== undefined ? { accountsView: options.accountsView } : {}),
      source: source.path,
    });
  } catch (error) {
    if (error instanceof SqlEmitError) {
      throw new CliError(`cannot build \`${source.path}\` as SQL: ${error.message}`, error.help === undefined ? {} : { help: error.help });
    }
    throw error;
  }
  if (options.out === '-') {
    await writeWithBackpressure(context.io.stdout, sql);
    return EXIT_OK;
  }
  const output = await AtomicOutputFile.open(context, options.out);
  try {
    await writeWithBackpressure(output.stream, sql);
    await output.commit();
  } catch (error) {
    await output.abort();
    throw new CliError(`cannot write \`${context.displayPath(options.out)}\`: ${describeFileError(error)}`);
  }
  const c = context.colors('stderr');
  const kilobytes = `${(Buffer.byteLength(sql) / 1000).toFixed(1)} kB`;
  context.io.stderr.write(`${c.green('wrote')} ${context.displayPath(options.out)}${c.dim(` (${options.dialect} ${options.select ? 'query' : 'view'}, ${kilobytes})`)}\n`);
  return EXIT_OK;
}
