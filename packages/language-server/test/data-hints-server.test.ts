// The server publishes the data hints with the diagnostics, and publishes again when the sample
// changes (the client's file watcher): over the protocol, with the built server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt, startServer, type TestClient } from '../../../test/language-server/client.js';

const RULES = 'lead {\n  phone: text\n}\nwhen phone is set add 5\n';

let dir: string;
let client: TestClient;

beforeAll(async () => {
  ensureServerBuilt();
  dir = mkdtempSync(join(tmpdir(), 'rubric-data-hints-'));
  client = startServer('stdio');
  await client.initialize({ diagnosticsDelay: 0 });
}, 180_000);

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The next publish for `uri` after `after` publishes, that `accept` accepts. */
async function publishedAfter(uri: string, after: number, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = client.published.slice(after).find((p) => p.uri === uri && accept(p.diagnostics));
    if (found !== undefined) return found.diagnostics;
    if (Date.now() > deadline) throw new Error(`no such publish for ${uri}: ${JSON.stringify(client.published.slice(after))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('data hints over the protocol', () => {
  it('shows the sample\'s placeholders on the field and follows the sample file', async () => {
    const path = join(dir, 'crm.rubric');
    writeFileSync(path, RULES);
    writeFileSync(join(dir, 'crm.sample.jsonl'), '{"phone": "N/A"}\n{"phone": "N/A"}\n{"phone": "06 12"}\n');
    const uri = pathToFileURL(path).toString();
    client.open(uri, RULES);
    const first = await client.diagnostics(uri, 1);
    const hint = first.find((d) => d.code === 'sample-data');
    expect(hint).toMatchObject({
      severity: 4,
      range: { start: { line: 1, character: 2 } },
      message: 'sample: 2 of 3 `phone` values are `N/A`, read as a real value today; if that means no phone, add `missing: ["N/A"]` to a `data` block',
    });

    const before = client.published.length;
    writeFileSync(join(dir, 'crm.sample.jsonl'), '{"phone": "06 12"}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(join(dir, 'crm.sample.jsonl')).toString(), type: 2 }] });
    const after = await publishedAfter(uri, before, (diagnostics) => !diagnostics.some((d) => d.code === 'sample-data'));
    expect(after.filter((d) => d.code === 'sample-data')).toEqual([]);
  });
});
