// Bundles the VS Code client and the language server (with the core) to CommonJS in out/, with
// `vscode` external, and copies the TextMate grammar into syntaxes/. `--production` minifies and
// drops source maps. Nothing is downloaded.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const production = process.argv.includes('--production');

rmSync(join(here, 'out'), { recursive: true, force: true });
mkdirSync(join(here, 'syntaxes'), { recursive: true });
copyFileSync(join(root, 'grammar', 'rubric.tmLanguage.json'), join(here, 'syntaxes', 'rubric.tmLanguage.json'));

await build({
  absWorkingDir: here,
  entryPoints: { extension: 'src/extension.ts', server: 'src/server.ts' },
  outdir: 'out',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  // Bundle from the sources: no separate build of the workspace packages is needed.
  alias: {
    '@rubric/core': join(root, 'packages', 'core', 'src', 'index.ts'),
    '@rubric/language-server': join(root, 'packages', 'language-server', 'src', 'index.ts'),
  },
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
});
console.log(`editor-extension: bundled out/extension.js and out/server.js${production ? ' (production)' : ''}`);
