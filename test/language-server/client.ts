// A small LSP client for the protocol tests: spawns the BUILT server (bin/rubric-language-server.js)
// and talks JSON-RPC to it over stdio or Node IPC.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node.js';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SERVER_BIN = join(ROOT, 'packages/language-server/bin/rubric-language-server.js');
export const FIXTURES = join(ROOT, 'test/language-server/fixtures');

export function fixtureUri(name: string): string {
  return pathToFileURL(join(FIXTURES, name)).toString();
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the server (compile, then bundle) when its bundle is missing or older than its sources (the root `npm test`
 * builds first; this keeps `npx vitest run test/language-server` honest on its own).
 */
export function ensureServerBuilt(): void {
  const output = join(ROOT, 'packages/language-server/dist/rubric-language-server.mjs');
  const upToDate = (): boolean => {
    let built = 0;
    try {
      built = statSync(output).mtimeMs;
    } catch {
      built = 0;
    }
    const sources = Math.max(newestSource(join(ROOT, 'packages/language-server/src')), newestSource(join(ROOT, 'packages/core/src')));
    return built >= sources;
  };
  if (upToDate()) return;
  // Test files run in parallel workers: one builds, the others wait for it.
  const lock = join(ROOT, 'packages/language-server/.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (upToDate()) return;
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', join(ROOT, 'packages/language-server')], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    } catch {
      // Type errors elsewhere in the workspace still emit JavaScript; fail only without output.
      statSync(join(ROOT, 'packages/language-server/dist/main.js'));
    }
    // The binary runs the bundle of the compiled server.
    execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-bins.mjs')], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface TestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  readonly stderr: () => string;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[];
  /** Resolves with the first publishDiagnostics for `uri` (and `version`, when given) from now on or already received. */
  diagnostics(uri: string, version?: number, timeoutMs?: number): Promise<Diagnostic[]>;
  initialize(options?: Record<string, unknown>, capabilities?: Record<string, unknown>): Promise<InitializeResult>;
  open(uri: string, text: string, version?: number): void;
  close(): Promise<void>;
}

/** Starts the built server (or the script `bin`) over `stdio` or `ipc` and returns a client to it. */
export function startServer(transport: 'stdio' | 'ipc' = 'stdio', bin = SERVER_BIN): TestClient {
  const child =
    transport === 'stdio'
      ? spawn(process.execPath, [bin, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] })
      : fork(bin, ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection =
    transport === 'stdio'
      ? createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!))
      : createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; version?: number; resolve: (d: Diagnostic[]) => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.uri === params.uri && (w.version === undefined || w.version === params.version)) {
        waiters.splice(i, 1);
        w.resolve(params.diagnostics);
      }
    }
  });
  connection.onNotification('window/logMessage', () => undefined);
  connection.onRequest('workspace/configuration', () => [null]);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.listen();
  return {
    connection,
    process: child,
    stderr: () => stderr,
    published,
    diagnostics(uri, version, timeoutMs = 10_000) {
      const already = published.find((p) => p.uri === uri && (version === undefined || p.version === version));
      if (already !== undefined && version !== undefined) return Promise.resolve(already.diagnostics);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version ?? '?'}; stderr: ${stderr}`)), timeoutMs);
        waiters.push({
          uri,
          version,
          resolve: (d) => {
            clearTimeout(timer);
            resolve(d);
          },
        });
      });
    },
    async initialize(options = {}, capabilities = {}) {
      const result = await connection.sendRequest<InitializeResult>('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(FIXTURES).toString(),
        workspaceFolders: [{ uri: pathToFileURL(FIXTURES).toString(), name: 'fixtures' }],
        capabilities: {
          textDocument: { completion: { completionItem: { snippetSupport: true } } },
          ...capabilities,
        },
        initializationOptions: options,
      });
      await connection.sendNotification('initialized', {});
      return result;
    },
    open(uri, text, version = 1) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rubric', version, text } });
    },
    async close() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      connection.dispose();
    },
  };
}
