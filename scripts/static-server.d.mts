/** Types of static-server.mjs (a plain ES module, so the TypeScript tests can import it). */
export interface StaticServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts serving `root` on `host:port` (port 0 = an ephemeral port). Resolves once listening.
 * `headers` are added to every response (e.g. a Content-Security-Policy).
 */
export function startStaticServer(options: {
  readonly root: string;
  readonly port?: number;
  readonly host?: string;
  readonly headers?: Record<string, string>;
}): Promise<StaticServer>;
