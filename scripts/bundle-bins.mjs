// Bundles the two commands, `rubric` and `rubric-language-server`, each into one ES module in its
// package's dist/ (run after `tsc -b`). Loading one file instead of the few hundred modules of the
// workspace packages and chevrotain takes start-up from ~0.6 s to ~0.2 s: every `rubric check`
// in a pre-commit hook and every editor start pays it. Native and optional packages stay
// external (DuckDB, esbuild itself), loaded from node_modules when a command needs them.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const bundles = [
  { entry: 'packages/cli/dist/index.js', out: 'packages/cli/dist/rubric.mjs' },
  { entry: 'packages/language-server/dist/main.js', out: 'packages/language-server/dist/rubric-language-server.mjs' },
];

for (const { entry, out } of bundles) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: out,
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
