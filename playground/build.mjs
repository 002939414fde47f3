// Builds the playground into playground/dist/ (or --outdir DIR): index.html, style.css, main.js
// (the page: CodeMirror 6 and the LSP client), worker.js (the language server, with the core) and
// sw.js (a service worker that keeps the page working offline),
// bundled by esbuild from the workspace sources (no separate build of the packages needed), with
// the examples/ folders embedded so the page needs nothing more once loaded. Prints each file's
// size, raw and compressed (gzip and brotli, what a static host sends), and the total.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const outdirIndex = args.indexOf('--outdir');
const outdir = outdirIndex >= 0 ? args[outdirIndex + 1] : join(here, 'dist');
const minify = !args.includes('--no-minify');
/** Leads of each example's sample embedded in the page (the first ones). */
const SAMPLE_LEADS = 100;

/** The examples/ folders that have NAME/NAME.rubric, with the first leads of NAME.sample.jsonl. */
function readExamples() {
  const examples = [];
  for (const name of readdirSync(join(root, 'examples')).sort()) {
    const folder = join(root, 'examples', name);
    if (!statSync(folder).isDirectory()) continue;
    const rulesPath = join(folder, `${name}.rubric`);
    if (!existsSync(rulesPath)) continue;
    const samplePath = join(folder, `${name}.sample.jsonl`);
    let sample = null;
    if (existsSync(samplePath)) {
      const lines = readFileSync(samplePath, 'utf8').split('\n').filter((line) => line.trim() !== '');
      const kept = lines.slice(0, SAMPLE_LEADS);
      sample = { fileName: `${name}.sample.jsonl`, text: kept.join('\n') + '\n', leads: kept.length, total: lines.length };
    }
    examples.push({ name, fileName: `${name}.rubric`, rules: readFileSync(rulesPath, 'utf8'), sample });
  }
  return examples;
}

/** The core lexer's keyword list (for the page's lexical colouring), read from the sources. */
async function readKeywords() {
  const result = await build({
    stdin: { contents: "export { KEYWORDS } from './packages/core/src/syntax/tokens.ts';", resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  const module = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
  return module.KEYWORDS;
}

const sources = {
  '@rubric/core': join(root, 'packages/core/src/index.ts'),
  '@rubric/language-server': join(root, 'packages/language-server/src/index.ts'),
  '@rubric/language-server/browser': join(root, 'packages/language-server/src/browser.ts'),
};

const examples = readExamples();
const keywords = await readKeywords();

/** Resolves the workspace packages to their sources and serves `virtual:examples`. */
const playgroundPlugin = {
  name: 'rubric-playground',
  setup(b) {
    b.onResolve({ filter: /^@rubric\/(core|language-server)(\/browser)?$/ }, (resolved) => ({ path: sources[resolved.path] }));
    b.onResolve({ filter: /^virtual:examples$/ }, () => ({ path: 'examples', namespace: 'virtual' }));
    b.onLoad({ filter: /.*/, namespace: 'virtual' }, () => ({ contents: `export const EXAMPLES = ${JSON.stringify(examples)};`, loader: 'js' }));
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: { main: 'src/main.ts', worker: 'src/worker.ts', sw: 'src/sw.ts' },
  outdir,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify,
  sourcemap: false,
  legalComments: 'none',
  define: { RUBRIC_KEYWORDS: JSON.stringify(keywords) },
  plugins: [playgroundPlugin],
  metafile: true,
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
copyFileSync(join(here, 'style.css'), join(outdir, 'style.css'));

// Every input a Node built-in would fail the browser build; say so if one slipped in anyway.
const nodeInputs = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('node:'));
if (nodeInputs.length > 0) throw new Error(`the playground bundles Node built-ins: ${nodeInputs.join(', ')}`);

const sizes = [];
for (const file of readdirSync(outdir).sort()) {
  const bytes = readFileSync(join(outdir, file));
  sizes.push({
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  });
}
const total = sizes.reduce((sum, s) => ({ raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip, brotli: sum.brotli + s.brotli }), { raw: 0, gzip: 0, brotli: 0 });
writeFileSync(join(outdir, 'sizes.json'), JSON.stringify({ files: sizes, total }, null, 2) + '\n');
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const s of sizes) console.log(`  ${s.file.padEnd(12)} ${kb(s.raw).padStart(11)} raw ${kb(s.gzip).padStart(11)} gzip ${kb(s.brotli).padStart(11)} brotli`);
console.log(`playground: ${outdir} (${examples.length} examples), total download ${kb(total.gzip)} gzip, ${kb(total.brotli)} brotli (${kb(total.raw)} raw)`);
