/**
 * scripts/static-server.mjs (the playground's and the browser tests' server): serves the files
 * under its root with their type and the headers it was given, index.html for a directory, and
 * nothing outside the root, encoded or not.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../scripts/static-server.mjs';

let base: string;
let server: { url: string; port: number; close: () => Promise<void> };

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'rubric-static-'));
  mkdirSync(path.join(base, 'root/sub'), { recursive: true });
  writeFileSync(path.join(base, 'root/index.html'), '<p>home</p>');
  writeFileSync(path.join(base, 'root/sub/app.js'), 'export {};');
  writeFileSync(path.join(base, 'secret.txt'), 'outside the root');
  server = await startStaticServer({ root: path.join(base, 'root'), headers: { 'X-Test': 'yes' } });
});

afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

/** A raw request (the path is sent as written, `..` and all). */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; type: string | undefined; header: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], header: res.headers['x-test'] as string | undefined, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the static server', () => {
  it('serves files with their type and the given headers, index.html for a directory', async () => {
    expect(await get('/')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', header: 'yes', body: '<p>home</p>' });
    expect(await get('/sub/app.js?v=1')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'export {};' });
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/sub')).status).toBe(404); // a directory without index.html
  });

  it('serves nothing outside its root and only GET and HEAD', async () => {
    for (const raw of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/../../secret.txt', '/%2e%2e%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await get(raw);
      expect(response.body).not.toContain('outside the root');
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
    expect((await get('/%E0%A4%A', 'GET')).status).toBe(400);
    expect((await get('/', 'POST')).status).toBe(405);
    expect(await get('/', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });
});
