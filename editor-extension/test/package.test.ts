import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, startServer } from '../../test/language-server/client.js';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(HERE, '..');

/** The entries of a zip file (a .vsix), read from its central directory. */
function zipEntries(zip: Buffer): Map<string, () => Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = new Map<string, () => Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory');
    const method = zip.readUInt16LE(offset + 10);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, () => {
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataStart, dataStart + size);
      return method === 0 ? data : inflateRawSync(data);
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('the packaged extension', () => {
  let entries: Map<string, () => Buffer>;

  beforeAll(() => {
    execFileSync('npm', ['run', 'package', '-w', 'editor-extension'], { cwd: ROOT, stdio: 'pipe' });
    entries = zipEntries(readFileSync(join(HERE, 'rubric-vscode.vsix')));
  }, 120_000);

  it('holds the bundled client and server, the grammar and language configuration (snippets come from the server, where a statement starts)', () => {
    expect([...entries.keys()].sort()).toEqual(
      [
        '[Content_Types].xml',
        'extension.vsixmanifest',
        'extension/LICENSE.txt',
        'extension/readme.md',
        'extension/language-configuration.json',
        'extension/out/extension.js',
        'extension/out/server.js',
        'extension/package.json',
        'extension/syntaxes/rubric.tmLanguage.json',
      ].sort(),
    );
  });

  it('declares the language, grammar, settings and commands', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!().toString('utf8'));
    expect(manifest.contributes.languages[0]).toMatchObject({ id: 'rubric', extensions: ['.rubric'] });
    expect(manifest.contributes.grammars[0]).toMatchObject({ scopeName: 'source.rubric', path: './syntaxes/rubric.tmLanguage.json' });
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(['rubric.sampleLeads', 'rubric.sampleEncoding', 'rubric.previewNow', 'rubric.trace.server']);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(['rubric.previewScores', 'rubric.runTests']);
    const grammar = JSON.parse(entries.get('extension/syntaxes/rubric.tmLanguage.json')!().toString('utf8'));
    expect(grammar.scopeName).toBe('source.rubric');
  });

  it('bundles CommonJS with only vscode left external', () => {
    const client = entries.get('extension/out/extension.js')!().toString('utf8');
    const server = entries.get('extension/out/server.js')!().toString('utf8');
    const external = (code: string): string[] =>
      [...new Set([...code.matchAll(/require\("([^"./][^"]*)"\)/g)].map((m) => m[1]))].filter((name) => !name.startsWith('node:'));
    const builtins = new Set(['fs', 'path', 'os', 'crypto', 'util', 'net', 'url', 'child_process', 'events', 'stream', 'assert', 'buffer', 'string_decoder', 'tty', 'zlib']);
    expect(external(client).filter((name) => !builtins.has(name))).toEqual(['vscode']);
    expect(external(server).filter((name) => !builtins.has(name))).toEqual([]);
  });

  it('runs the bundled server', async () => {
    const client = startServer('ipc', join(HERE, 'out/server.js'));
    try {
      await client.initialize();
      const uri = 'file://' + join(FIXTURES, 'broken.rubric');
      client.open(uri, readFileSync(join(FIXTURES, 'broken.rubric'), 'utf8'));
      const diagnostics = await client.diagnostics(uri, 1);
      expect(diagnostics.some((d) => d.code === 'R010')).toBe(true);
    } finally {
      await client.close();
    }
  });
});
