// Serves the built playground (playground/dist/) on http://127.0.0.1:PORT/ (default 8417; `--port
// N`, 0 for any free port) with the repository's tiny static server. Ctrl-C stops it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { startStaticServer } from '../scripts/static-server.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};
const root = option('--dir', join(here, 'dist'));
const port = Number(option('--port', process.env.PORT ?? '8417'));
if (!existsSync(join(root, 'index.html'))) {
  console.error(`no playground in ${root}: build it first (npm run playground does both)`);
  process.exit(1);
}
const server = await startStaticServer({ root, port });
console.log(`Rubric playground: ${server.url} (serving ${root}; Ctrl-C stops)`);
