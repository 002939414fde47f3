// Bundles the two commands, `rubric` and `rubric-language-server`, each into ES modules in its
// package's dist/ (run after `tsc -b`). Loading one file instead of the few hundred modules of the
// workspace packages and chevrotain takes start-up from ~0.6 s to ~0.2 s: every `rubric check`
// in a pre-commit hook and every editor start pays it. Native and optional packages stay
// external (DuckDB, esbuild itself), loaded from node_modules when a command needs them.
//
// The CLI is split (esbuild `splitting`): what a command loads with `await import(...)` (the HTML
// report and backtest's run) is a chunk of its own beside rubric.mjs, loaded only by the
// commands that use it. In one file, esbuild wrapped each of the ~420 modules in a lazy
// initialiser so that import could run them later; without the wrappers `rubric score` starts
// about 5 ms sooner (10-lead file, 21 interleaved runs: mean CPU 200 -> 196 ms). The chunks
// stay in dist/ itself: the CLI finds its package.json from its module's URL (version.ts).
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const bundles = [
  { entry: 'packages/cli/dist/index.js', out: 'packages/cli/dist/rubric.mjs', split: true },
  // `rubric score`'s worker threads (parallel/score-worker.ts), in a file of their own: as a
  // chunk shared with the CLI they loaded all of it, the parser too (0.12 s of CPU per thread);
  // alone they are the runtime, the CSV reader and the writer (~80 KB; core's package.json says
  // its modules have no side effects, so what the worker does not use is left out).
  { entry: 'packages/cli/dist/parallel/score-worker.js', out: 'packages/cli/dist/score-worker.mjs', split: false },
  { entry: 'packages/language-server/dist/main.js', out: 'packages/language-server/dist/rubric-language-server.mjs', split: false },
];

/** The chunks of a split bundle are named `rubric-chunk-HASH.mjs`; an earlier build's are removed first. */
const CHUNK_PREFIX = 'rubric-chunk-';

for (const { entry, out, split } of bundles) {
  const outdir = join(root, out, '..');
  const name = out.slice(out.lastIndexOf('/') + 1, -'.mjs'.length);
  if (split) {
    for (const file of readdirSync(outdir)) if (file.startsWith(CHUNK_PREFIX) && file.endsWith('.mjs')) rmSync(join(outdir, file));
  }
  await build({
    absWorkingDir: root,
    ...(split
      ? { entryPoints: { [name]: entry }, outdir, splitting: true, chunkNames: `${CHUNK_PREFIX}[hash]`, outExtension: { '.js': '.mjs' } }
      : { entryPoints: [entry], outfile: out }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@duckdb/node-api', 'esbuild'],
    // CommonJS dependencies (commander, picocolors, vscode-languageserver) call `require`.
    banner: { js: "import { createRequire as __rubricCreateRequire } from 'node:module'; const require = __rubricCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}
