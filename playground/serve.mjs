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
const portText = option('--port', process.env.PORT ?? '8417');
const port = Number(portText);
if (!/^\d+$/.test(portText) || port > 65535) {
  console.error(`--port ${portText} is no port: give a number from 0 to 65535 (0: any free port)`);
  process.exit(1);
}
if (!existsSync(join(root, 'index.html'))) {
  console.error(`no playground in ${root}: build it first (npm run playground does both)`);
  process.exit(1);
}
let server;
try {
  server = await startStaticServer({ root, port });
} catch (error) {
  // The usual case on a second `npm run playground`: say what to do, not a stack trace.
  if (error?.code !== 'EADDRINUSE') throw error;
  console.error(`port ${port} of 127.0.0.1 is in use (another playground?): open the one running, stop it, or serve on another port: node playground/serve.mjs --port N (0: any free port)`);
  process.exit(1);
}
console.log(`Rubric playground: ${server.url} (serving ${root}; Ctrl-C stops)`);
