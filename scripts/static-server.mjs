// @ts-check
// A tiny static file server (node:http, no dependency) for the playground and the browser tests:
// GET/HEAD of files under one directory, nothing else. Paths are resolved inside `root` and a
// request that would leave it (`..`, encoded or not) is answered 404, as is anything that is not a
// regular file. Directories serve their index.html. Every response carries the headers given
// (the tests set a Content-Security-Policy here) and `Cache-Control: no-cache`.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Content types by extension (what the playground and the tests serve). */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Starts serving `root` on `host:port` (port 0 = an ephemeral port). Resolves once listening, with
 * the URL it serves and a `close` function.
 * @param {{ root: string, port?: number, host?: string, headers?: Record<string, string> }} options
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export function startStaticServer({ root, port = 0, host = '127.0.0.1', headers = {} }) {
  const base = path.resolve(root);
  const server = createServer((request, response) => {
    void (async () => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      } catch {
        response.writeHead(400).end();
        return;
      }
      let file = path.resolve(base, '.' + pathname);
      if (file !== base && !file.startsWith(base + path.sep)) {
        response.writeHead(404).end();
        return;
      }
      try {
        let info = await stat(file);
        if (info.isDirectory()) {
          file = path.join(file, 'index.html');
          info = await stat(file);
        }
        if (!info.isFile()) throw new Error('not a file');
        const body = await readFile(file);
        const type = TYPES[/** @type {keyof typeof TYPES} */ (path.extname(file).toLowerCase())] ?? 'application/octet-stream';
        response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
        response.end(request.method === 'HEAD' ? undefined : body);
      } catch {
        response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      }
    })();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
