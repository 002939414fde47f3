// The language server on expansion bombs (issue 12): an 849-byte file whose `let`s double forty
// times used to run the server out of memory. It now publishes R039 and keeps answering.
import type { Hover } from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt, fixtureUri, startServer, type TestClient } from './client.js';

function listBomb(): string {
  const lines = ['lead { job: text }', 'let l0 = [a, b]'];
  for (let i = 1; i <= 40; i++) lines.push(`let l${i} = [l${i - 1}, l${i - 1}]`);
  lines.push('when job in l40 add 1');
  return `${lines.join('\n')}\n`;
}

function segmentBomb(): string {
  const lines = ['lead { company.size: number }', 'segment s1 = company.size > 10'];
  for (let i = 2; i <= 40; i++) lines.push(`segment s${i} = s${i - 1} and s${i - 1}`);
  lines.push('when s40 add 1');
  return `${lines.join('\n')}\n`;
}

let client: TestClient;

beforeAll(async () => {
  ensureServerBuilt();
  client = startServer('stdio');
  await client.initialize();
}, 120_000);

afterAll(async () => {
  await client?.close();
});

describe('the language server on expansion bombs', () => {
  it('publishes R039 for lists and segments that double forty times, and still answers', async () => {
    const lists = fixtureUri('expansion-lists.rubric');
    const segments = fixtureUri('expansion-segments.rubric');
    client.open(lists, listBomb());
    client.open(segments, segmentBomb());
    const listDiagnostics = await client.diagnostics(lists, 1, 20_000);
    expect(listDiagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['R039', 17]]);
    const segmentDiagnostics = await client.diagnostics(segments, 1, 20_000);
    expect(segmentDiagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['R039', 17]]);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: segments },
      position: { line: 41, character: 6 },
    });
    expect(JSON.stringify(hover)).toContain('s40');
  }, 60_000);
});
