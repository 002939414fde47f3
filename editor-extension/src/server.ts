// The language server as bundled into the extension (out/server.js); the client starts it with
// `--node-ipc`.
import { runFromCommandLine } from '@rubric/language-server';

process.exitCode = runFromCommandLine(process.argv.slice(2));
