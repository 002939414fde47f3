/**
 * Finding out which parts of Rubric exist. The bench runs while the project is being built, so
 * every Rubric section asks here first and prints "not available yet (feature X not built)"
 * instead of numbers when its feature is missing; nothing else needs to change when it lands.
 *
 * `@rubric/core` resolves to packages/core/dist (the built package) under Node, and to the
 * TypeScript sources under vitest (see vitest.config.ts). RUBRIC_BENCH_CORE overrides it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function firstLine(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

let loaded;

/**
 * The core module, or the reason it cannot be loaded. Cached. Features are detected by their
 * exports: `compile`, `parse`, `check`, `analyze`, `emitSql`.
 */
export async function loadCore() {
  if (loaded !== undefined) return loaded;
  try {
    // RUBRIC_BENCH_CORE points the bench at another build (or, under `node --import tsx`, at
    // packages/core/src/index.ts) to compare versions.
    const override = process.env.RUBRIC_BENCH_CORE;
    const core = override ? await import(pathToFileURL(override).href) : await import('@rubric/core');
    loaded = { core, error: null };
  } catch (error) {
    loaded = { core: null, error: `@rubric/core does not load: ${firstLine(error)}` };
  }
  return loaded;
}

/** Why `feature` cannot be measured, or null when it can. */
export function missingFeature(coreState, feature, exportName = feature) {
  if (coreState.core === null) return `not available yet (feature \`${feature}\` not built: ${coreState.error})`;
  if (typeof coreState.core[exportName] !== 'function') {
    return `not available yet (feature \`${feature}\` not built: @rubric/core has no \`${exportName}\` export)`;
  }
  return null;
}

/**
 * Compiles Rubric text with the core's `compile`, throwing a readable error listing the
 * diagnostics when the file does not compile. Accepts `compile(text)` returning
 * `{scorer, diagnostics}` (the contract) and tolerates a scorer returned directly.
 */
export function compileRubric(core, text, uri = 'bench.rubric') {
  const result = core.compile(text, { uri });
  const scorer = result !== null && typeof result === 'object' && 'scorer' in result ? result.scorer : result;
  const diagnostics = result?.diagnostics ?? [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || scorer === null || scorer === undefined || typeof scorer.score !== 'function') {
    const listed = errors
      .slice(0, 10)
      .map((d) => `  ${uri}:${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`)
      .join('\n');
    throw new Error(`\`${uri}\` does not compile:\n${listed || '  (no scorer returned)'}`);
  }
  return { scorer, diagnostics };
}

/** The built CLI entry point, or null. */
export function cliEntry() {
  const bin = `${ROOT}packages/cli/bin/rubric.js`;
  const dist = `${ROOT}packages/cli/dist`;
  return existsSync(bin) && existsSync(dist) ? bin : null;
}

/** The built language server entry point, or null. */
export function languageServerEntry() {
  const bin = `${ROOT}packages/language-server/bin/rubric-language-server.js`;
  const dist = `${ROOT}packages/language-server/dist`;
  return existsSync(bin) && existsSync(dist) ? bin : null;
}

/** The language server's bench module (built), or null. */
export function languageServerBenchModule() {
  for (const path of ['packages/language-server/dist/bench.js', 'packages/language-server/dist/bench/index.js']) {
    if (existsSync(ROOT + path)) return ROOT + path;
  }
  return null;
}
