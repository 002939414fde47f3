import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { emitModule, emitTypeDeclarations } from '@rubric/core';
import { CliError, EXIT_OK, type CommandContext } from '../context.js';
import { AtomicOutputFile, describeFileError } from '../files.js';
import { addExamples, addHelpSection } from '../help.js';
import { writeWithBackpressure } from '../io.js';
import { loadScorer, type RuleSource } from '../rules.js';
import { addSqlBuildOptions, runBuildSql, SQL_TARGET, type SqlBuildOptions } from './build-sql.js';

export interface BuildOptions {
  readonly out: string;
  readonly target: string;
  readonly format: 'esm' | 'cjs';
  readonly name?: string;
  readonly minify?: boolean;
}

/** A file a target produced. */
export interface BuiltFile {
  readonly fileName: string;
  readonly contents: string;
  /** Shown after the path (`12.1 kB`). */
  readonly note?: string;
}

/**
 * A compilation target of `rubric build`. To add one (the SQL target): write its `build` and add
 * it to {@link BUILD_TARGETS}; `--target NAME` picks it and `--help` lists it.
 */
export interface BuildTarget {
  readonly description: string;
  build(context: CommandContext, source: RuleSource, options: BuildOptions & { baseName: string }): Promise<BuiltFile[]>;
}

/** The JavaScript target: a standalone module (runtime inlined) and its type declarations. */
const javascriptTarget: BuildTarget = {
  description: 'a standalone JavaScript module (ESM or CommonJS) with no dependency, and its .d.ts',
  async build(_context, source, options) {
    const { model } = source.analysis;
    const moduleText = emitModule(model, { format: options.format });
    const extension = options.format === 'esm' ? 'mjs' : 'cjs';
    const declarations = emitTypeDeclarations(model);
    const checked = await checkStandalone(moduleText, options.format);
    const contents = options.minify === true ? checked.minified : moduleText;
    const size = options.minify === true ? `${kilobytes(checked.minified)} minified` : `${kilobytes(moduleText)}, ${kilobytes(checked.minified)} minified`;
    return [
      { fileName: `${options.baseName}.${extension}`, contents, note: size },
      { fileName: `${options.baseName}.d.${extension === 'mjs' ? 'mts' : 'cts'}`, contents: declarations },
    ];
  },
};

/** Targets by `--target` name. */
export const BUILD_TARGETS: ReadonlyMap<string, BuildTarget> = new Map([['js', javascriptTarget]]);

/** `rubric build RULES --out DIR`: compiles a rule file to a standalone scorer. */
export function registerBuildCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('build')
    .description('compile a rule file to a standalone scorer module with no runtime dependency on Rubric')
    .argument('<rules>', 'the rule file')
    .requiredOption('--out <dir>', 'the directory to write into (created if needed)')
    .option('--target <target>', `what to build: ${[...BUILD_TARGETS.keys(), SQL_TARGET].join(', ')}`, 'js')
    .addOption(new Option('--format <format>', 'module format of the js target').choices(['esm', 'cjs']).default('esm'))
    .option('--name <name>', 'base name of the files (default: the rule file\'s name)')
    .option('--minify', 'write the module minified')
    .action(async (rules: string, options: BuildOptions) => {
      context.setExitCode(await runBuild(context, rules, options));
    });
  addSqlBuildOptions(command);
  addExamples(command, [
    { command: 'rubric build rules/acme.rubric --out dist/', description: 'dist/acme.mjs and dist/acme.d.mts' },
    { command: 'rubric build rules/acme.rubric --out dist/ --format cjs --minify', description: 'a minified CommonJS module' },
  ]);
  addHelpSection(
    command,
    'Using the module',
    `import { score, explain, validate } from './dist/acme.mjs';
score({ job: 'CEO', company: { size: 50 } }, { now: '2026-03-01' });
// -> { score, stage, tier, groups }   (Lead, ScoreResult... are in acme.d.mts)`,
  );
}

/** Builds `rulesPath` for `options.target` into `options.out`; returns the exit code. */
export async function runBuild(context: CommandContext, rulesPath: string, options: BuildOptions): Promise<number> {
  if (options.target === SQL_TARGET) return runBuildSql(context, rulesPath, options as BuildOptions & SqlBuildOptions);
  const target = BUILD_TARGETS.get(options.target);
  if (target === undefined) {
    throw new CliError(`unknown --target \`${options.target}\``, {
      help: `available targets: ${[...BUILD_TARGETS.keys(), SQL_TARGET].join(', ')}`,
    });
  }
  const { source } = await loadScorer(context, rulesPath, 'building');
  const baseName = options.name ?? path.basename(source.userPath).replace(/\.rubric$/, '');
  if (baseName === '' || /[/\\]/.test(baseName)) {
    throw new CliError(`invalid --name \`${baseName}\`: expected a file name without folders`);
  }
  const files = await target.build(context, source, { ...options, baseName });

  const directory = context.resolvePath(options.out);
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new CliError(`cannot create \`${context.displayPath(options.out)}\`: ${describeFileError(error)}`);
  }
  const c = context.colors('stderr');
  for (const file of files) {
    const userPath = path.join(options.out, file.fileName);
    const output = await AtomicOutputFile.open(context, userPath);
    try {
      await writeWithBackpressure(output.stream, file.contents);
      await output.commit();
    } catch (error) {
      await output.abort();
      throw new CliError(`cannot write \`${context.displayPath(userPath)}\`: ${describeFileError(error)}`);
    }
    context.io.stderr.write(`${c.green('wrote')} ${context.displayPath(userPath)}${file.note !== undefined ? c.dim(` (${file.note})`) : ''}\n`);
  }
  return EXIT_OK;
}

/**
 * Proves the emitted module stands alone: esbuild bundles it with nothing external and must find
 * no import at all; also returns the minified text. A failure here is a compiler bug.
 */
async function checkStandalone(moduleText: string, format: 'esm' | 'cjs'): Promise<{ minified: string }> {
  // Loaded here, not at start-up: only `build` needs it.
  const { build: bundle, transform } = await import('esbuild');
  try {
    const bundled = await bundle({
      stdin: { contents: moduleText, loader: 'js', sourcefile: 'rubric-scorer.js' },
      bundle: true,
      write: false,
      platform: 'neutral',
      format,
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(bundled.metafile.inputs).flatMap((input) => input.imports);
    if (imports.length > 0) {
      throw new Error(`it imports ${imports.map((entry) => entry.path).join(', ')}`);
    }
    const minified = await transform(moduleText, { loader: 'js', minify: true, format, logLevel: 'silent' });
    return { minified: minified.code };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(`the generated module is not standalone JavaScript: ${detail}`, {
      help: 'this is a bug in the Rubric compiler; please report it with the rule file',
    });
  }
}

function kilobytes(text: string): string {
  return `${(Buffer.byteLength(text) / 1000).toFixed(1)} kB`;
}
