import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { SampleFiles } from './sample-files.js';
import { SERVER_VERSION, startServer } from './server.js';

const USAGE = `usage: rubric-language-server --stdio | --node-ipc | --socket=PORT

The Rubric language server (Language Server Protocol). Editors start it; it reads requests on
standard input (--stdio) or a Node IPC channel (--node-ipc).
`;

const TRANSPORTS = ['--stdio', '--node-ipc'];

/**
 * Starts the server on the transport named in `args` and returns 0, or prints usage and returns
 * 2 when none is named. The process then lives until the client sends `exit`.
 */
export function runFromCommandLine(args: readonly string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.includes('--version')) {
    process.stdout.write(`${SERVER_VERSION}\n`);
    return 0;
  }
  const transport = args.some((a) => TRANSPORTS.includes(a) || a.startsWith('--socket=') || a.startsWith('--pipe='));
  if (!transport) {
    process.stderr.write(`rubric-language-server: no transport given\n${USAGE}`);
    return 2;
  }
  // A bug in one handler must not take the editor's server down with it.
  process.on('uncaughtException', (error) => {
    process.stderr.write(`rubric-language-server: uncaught exception: ${error.stack ?? error.message}\n`);
  });
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`rubric-language-server: unhandled rejection: ${String(reason)}\n`);
  });
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection, { samples: new SampleFiles() });
  connection.listen();
  return 0;
}
