// Builds the CommonJS entry of @rubric/core, packages/core/dist/index.cjs, from the ES module that
// `tsc -b` wrote (run after it; `npm run build` does). `require('@rubric/core')` then works in a
// CommonJS project: the package's `exports` map sends `require` here and `import` to dist/index.js.
// chevrotain is bundled in (it ships ES modules only, which `require` cannot load on Node 20), so
// the file stands alone. platform "neutral": core does no I/O and must not pull a Node built-in
// (esbuild fails the build if one is imported). The two entries are separate copies: a program that
// loads both gets two module instances (harmless here: core keeps no state a caller shares).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['packages/core/dist/index.js'],
  outfile: 'packages/core/dist/index.cjs',
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
