/**
 * The language server in a browser: the same server as over stdio (every feature, the same
 * answers), on a Web Worker's message channel (vscode-languageserver's browser entry). Sample
 * leads come from memory ({@link MemorySamples}) since a page has no file beside the rule file.
 *
 * In the worker script: `startBrowserServer(self, { samples })`; in the page, an LSP client posts
 * JSON-RPC messages to the worker (`worker.postMessage(message)`) and listens to its replies.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, type Connection } from 'vscode-languageserver/browser.js';
import { startServer, type ServerOptions } from './server.js';

export { MemorySamples, type SampleFormat } from './memory-samples.js';
export type { SampleSource } from './sample-source.js';
export { SERVER_VERSION, type ServerOptions } from './server.js';

/** What a browser message channel is: a worker's global scope, a Worker or a MessagePort. */
export type BrowserPort = ConstructorParameters<typeof BrowserMessageReader>[0];

/**
 * Starts the server on `port` (in a worker: its global scope `self`) and returns the connection,
 * already listening (a caller may add its own request handlers to it, with method names of its
 * own).
 */
export function startBrowserServer(port: BrowserPort, options: ServerOptions = {}): Connection {
  const connection = createConnection(new BrowserMessageReader(port), new BrowserMessageWriter(port));
  startServer(connection, options);
  connection.listen();
  return connection;
}
