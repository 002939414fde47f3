import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CodeAction,
  Diagnostic,
  CodeLens,
  CompletionList,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  MarkupContent,
  SemanticTokens,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt, FIXTURES, fixtureUri, SERVER_BIN, startServer, type TestClient } from './client.js';

const acmeUri = fixtureUri('acme.rubric');
const brokenUri = fixtureUri('broken.rubric');
const acme = readFileSync(join(FIXTURES, 'acme.rubric'), 'utf8');
const broken = readFileSync(join(FIXTURES, 'broken.rubric'), 'utf8');

function position(text: string, needle: string, delta = 0): { line: number; character: number } {
  const offset = text.indexOf(needle) + delta;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

let client: TestClient;
let capabilities: Record<string, unknown>;

beforeAll(async () => {
  ensureServerBuilt();
  client = startServer('stdio');
  capabilities = (await client.initialize()).capabilities as Record<string, unknown>;
  client.open(acmeUri, acme);
  client.open(brokenUri, broken);
  await client.diagnostics(acmeUri, 1);
  await client.diagnostics(brokenUri, 1);
}, 120_000);

afterAll(async () => {
  await client?.close();
});

describe('the language server over stdio', () => {
  it('advertises the features it has', () => {
    expect(capabilities).toMatchObject({
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      semanticTokensProvider: { full: true },
      completionProvider: { triggerCharacters: expect.arrayContaining(['.']) },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
    });
  });

  it('formats a document', async () => {
    const uri = fixtureUri('messy.rubric');
    client.open(uri, 'lead {\n      job: text }\nwhen job in [CEO,CTO]    add 10\n');
    const edits = await client.connection.sendRequest<{ newText: string }[]>('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toContain('when job in [CEO, CTO]');
  });

  it('publishes diagnostics on open with codes, help and fixes', async () => {
    const diagnostics = await client.diagnostics(brokenUri, 1);
    const unknown = diagnostics.find((d) => d.code === 'R010');
    expect(unknown?.message).toContain('did you mean `company.size`?\nhelp:');
    expect(unknown?.range).toEqual({ start: { line: 8, character: 5 }, end: { line: 8, character: 17 } });
    expect(unknown?.data).toMatchObject({ fixes: [{ title: 'replace with `company.size`' }, expect.anything()] });
    expect(diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['R001', 'R015', 'R030']));
  });

  it('re-checks after incremental edits, once for a burst of typing', async () => {
    const uri = fixtureUri('edited.rubric');
    client.open(uri, broken, 1);
    await client.diagnostics(uri, 1);
    const before = client.published.filter((p) => p.uri === uri).length;
    // Type the fix one keystroke at a time: `compnay` -> `compay` -> `company`, versions 2..4.
    const edits = [
      { range: { start: { line: 8, character: 9 }, end: { line: 8, character: 10 } }, text: '' },
      { range: { start: { line: 8, character: 10 }, end: { line: 8, character: 10 } }, text: 'n' },
      { range: { start: { line: 8, character: 22 }, end: { line: 8, character: 22 } }, text: ' ' },
    ];
    edits.forEach((change, i) => {
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
    });
    const diagnostics = await client.diagnostics(uri, 4);
    expect(diagnostics.find((d) => d.code === 'R010')).toBeUndefined();
    expect(client.published.filter((p) => p.uri === uri).length).toBe(before + 1);
  });

  it('after a chain of edits, publishes what opening the final text publishes', async () => {
    // The server re-reads only the statements around each edit: the result must not depend on it.
    const uri = fixtureUri('chain.rubric');
    let text = acme;
    let version = 1;
    client.open(uri, text, version);
    await client.diagnostics(uri, version);
    const edit = async (from: number, to: number, insert: string, wait: boolean): Promise<void> => {
      const toPosition = (offset: number): { line: number; character: number } => {
        const lines = text.slice(0, offset).split('\n');
        return { line: lines.length - 1, character: lines[lines.length - 1].length };
      };
      const range = { start: toPosition(from), end: toPosition(to) };
      text = text.slice(0, from) + insert + text.slice(to);
      version += 1;
      void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
      if (wait) await client.diagnostics(uri, version);
    };
    // Warnings at the end of the file, which every later edit moves: a rule written twice (R021).
    await edit(text.length, text.length, '\nwhen student is true sub 20\nwhen student is true sub 20\n', true);
    const ruleAt = text.indexOf('  when job in decision_makers');
    await edit(ruleAt, ruleAt, '  when compnay.size > 5 add 2\n', true); // a new rule with a typo: R010
    await edit(0, 0, '\n\n# moved everything down\n', true); // every statement shifts
    const groupEnd = text.indexOf('}', text.indexOf('group fit'));
    await edit(groupEnd, groupEnd, '  when (job = CEO add 3\n', true); // an unclosed paren: R001
    const typo = text.indexOf('compnay');
    await edit(typo, typo + 7, 'company', false); // fixed while typing on (debounced together)
    const paren = text.indexOf('(job = CEO');
    await edit(paren, paren + 1, '', false);
    await edit(text.length, text.length, '\nwhen tags has vip add 5\n', true);
    const chained = await client.diagnostics(uri, version);

    const freshUri = fixtureUri('fresh.rubric');
    client.open(freshUri, text, 1);
    const fresh = await client.diagnostics(freshUri, 1);
    const comparable = (list: readonly Diagnostic[]): unknown => JSON.parse(JSON.stringify(list).replaceAll(freshUri, uri));
    expect(comparable(chained)).toEqual(comparable(fresh));
    expect(chained.some((d) => d.code === 'R010' || d.code === 'R001')).toBe(false);
    expect(chained.filter((d) => d.code === 'R021').map((d) => d.range.start.line)).toEqual([text.split('\n').indexOf('when student is true sub 20') + 1]);
  });

  it('completes fields in the line being typed', async () => {
    const uri = fixtureUri('typing.rubric');
    const text = acme.replace('stage discovery at 0', 'when company.\nstage discovery at 0');
    client.open(uri, text);
    const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: position(text, 'when company.', 'when company.'.length),
    });
    const labels = list.items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['company.size', 'company.industry']));
    expect(list.items.find((i) => i.label === 'company.size')?.detail).toBe('number');
  });

  it('completes event properties inside where', async () => {
    const list = await client.connection.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri: acmeUri },
      position: position(acme, 'asset contains'),
    });
    expect(list.items.map((i) => i.label)).toContain('asset');
  });

  it('hovers a rule with its points and its group cap', async () => {
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: acmeUri }, position: position(acme, 'add 15') });
    const value = (hover.contents as MarkupContent).value;
    expect(value).toContain('`+15` points');
    expect(value).toContain('Group `fit` (max 60)');
  });

  it('goes to a definition and finds references', async () => {
    const definition = await client.connection.sendRequest<Location>('textDocument/definition', {
      textDocument: { uri: acmeUri },
      position: position(acme, 'ideal_company add', 2),
    });
    expect(definition).toMatchObject({ uri: acmeUri, range: { start: position(acme, 'ideal_company =') } });
    const references = await client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri: acmeUri },
      position: position(acme, 'email_click add', 1),
      context: { includeDeclaration: true },
    });
    expect(references).toHaveLength(2);
  });

  it('renames a stage everywhere', async () => {
    const prepared = await client.connection.sendRequest<{ placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri: acmeUri },
      position: position(acme, 'stage purchase', 7),
    });
    expect(prepared.placeholder).toBe('purchase');
    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: acmeUri },
      position: position(acme, 'stage purchase', 7),
      newName: 'buying',
    });
    expect(edit.changes?.[acmeUri]).toHaveLength(2);
  });

  it('answers an impossible rename with an error, and keeps serving', async () => {
    await expect(
      client.connection.sendRequest('textDocument/rename', {
        textDocument: { uri: acmeUri },
        position: position(acme, 'stage purchase', 7),
        newName: 'discovery',
      }),
    ).rejects.toThrow(/already exists/);
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri: acmeUri }, position: position(acme, 'add 15') });
    expect(hover).not.toBeNull();
  });

  it('gives the outline, folding ranges and semantic tokens', async () => {
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: acmeUri } });
    expect(symbols.map((s) => s.name)).toEqual(expect.arrayContaining(['lead', 'fit', 'engagement', 'sales_ready']));
    const folds = await client.connection.sendRequest<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: acmeUri } });
    expect(folds.some((f) => f.startLine === position(acme, 'group fit').line)).toBe(true);
    const tokens = await client.connection.sendRequest<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: acmeUri } });
    expect(tokens.data.length % 5).toBe(0);
    expect(tokens.data.length / 5).toBeGreaterThan(40);
  });

  it('offers quick fixes for a diagnostic', async () => {
    const diagnostics = await client.diagnostics(brokenUri, 1);
    const unknown = diagnostics.find((d) => d.code === 'R010')!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: brokenUri },
      range: unknown.range,
      context: { diagnostics: [unknown] },
    });
    expect(actions[0]).toMatchObject({ title: 'replace with `company.size`', kind: 'quickfix', isPreferred: true });
    expect(actions[0].edit?.changes?.[brokenUri]?.[0].newText).toBe('company.size');
  });

  it('shows test results and sample counts as code lenses (sample beside the file)', async () => {
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: acmeUri } });
    const titles = lenses.map((l) => l.command?.title ?? '');
    expect(titles.filter((t) => t.startsWith('✓ passed'))).toHaveLength(2);
    expect(titles).toContain('Sample acme.sample.jsonl: 5 leads scored at 2026-03-01T08:00:00Z · open preview');
    expect(titles.filter((t) => t.startsWith('fires for'))).toHaveLength(14);
    expect(titles.filter((t) => t.startsWith('reached by'))).toHaveLength(4);
  });

  it('shows account sample counts over score accounts (NAME.sample.accounts.jsonl beside the file, issue 17)', async () => {
    const abmUri = fixtureUri('abm.rubric');
    const abm = readFileSync(join(FIXTURES, 'abm.rubric'), 'utf8');
    client.open(abmUri, abm);
    await client.diagnostics(abmUri, 1);
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: abmUri } });
    const titles = lenses.map((l) => l.command?.title ?? '');
    expect(titles).toContainEqual(expect.stringMatching(/^Sample abm\.sample\.accounts\.jsonl: 3 accounts \(3 contacts\) scored at 2026-02-27/));
    expect(titles.filter((t) => t.includes('of 3 sample accounts'))).toHaveLength(12);
    expect(titles).toContain('fires for 2 of 3 contacts of the sample accounts (67%)');
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: abmUri }, position: position(abm, 'count contacts where job', 2) });
    expect((hover.contents as MarkupContent).value).toContain("how many of the account's contacts meeting");
    // Completion inside an aggregate's where: the contact's stages after `stage >=`.
    const at = position(abm, 'stage >= sql', 'stage >= '.length);
    const items = await client.connection.sendRequest<CompletionList>('textDocument/completion', { textDocument: { uri: abmUri }, position: at });
    expect(items.items.map((i) => i.label)).toEqual(expect.arrayContaining(['mql', 'sql']));
  });

  it('goes to definitions across the account and contact levels (issue 17)', async () => {
    const abmUri = fixtureUri('abm.rubric');
    const abm = readFileSync(join(FIXTURES, 'abm.rubric'), 'utf8');
    client.open(abmUri, abm);
    await client.diagnostics(abmUri, 1);
    const lineOf = (needle: string): number => abm.split('\n').findIndex((l) => l.includes(needle));
    const go = (needle: string, delta: number): Promise<Location | null> =>
      client.connection.sendRequest<Location | null>('textDocument/definition', { textDocument: { uri: abmUri }, position: position(abm, needle, delta) });
    // A contact stage in an account rule's `where`, a contact group aggregated, the word `contacts`.
    expect((await go('stage >= sql', 'stage >= s'.length))?.range.start.line).toBe(lineOf('stage sql at'));
    expect((await go('average fit of', 'average f'.length))?.range.start.line).toBe(lineOf('group fit max'));
    expect((await go('best score of contacts', 'best score of con'.length))?.range.start.line).toBe(lineOf('account id = company.id'));
    // `account.employees` in a contact rule: the account field.
    expect((await go('account.employees', 'account.emp'.length))?.range.start.line).toBe(lineOf('  employees: number'));
    const references = await client.connection.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri: abmUri },
      position: position(abm, 'account.employees', 'account.emp'.length),
      context: { includeDeclaration: false },
    });
    expect(references.map((r) => r.range.start.line)).toEqual([lineOf('account.employees'), lineOf('employees between'), lineOf('tier strategic'), lineOf('account { id: "acme"')]);
  });

  it('answers rubric/preview with the table and histograms, and follows settings', async () => {
    const preview = await client.connection.sendRequest<{ status: string; rows: { label: string; score: number }[]; histograms: unknown[]; now: string }>(
      'rubric/preview',
      { textDocument: { uri: acmeUri }, rows: 2 },
    );
    expect(preview.status).toBe('ok');
    expect(preview.rows).toEqual([expect.objectContaining({ label: 'ana', score: 60 }), expect.objectContaining({ label: 'bob' })]);
    expect(preview.histograms).toHaveLength(5);
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { rubric: { previewNow: '2026-06-01', sampleLeads: 'acme.sample.jsonl' } },
    });
    const later = await client.connection.sendRequest<{ now: string; rows: { score: number }[] }>('rubric/preview', { textDocument: { uri: acmeUri }, rows: 1 });
    expect(later.now).toBe('2026-06-01T00:00:00.000Z');
    expect(later.rows[0].score).toBeLessThan(60); // the pricing visit is now outside its 30-day window
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { rubric: { sampleLeads: 'missing.jsonl' } } });
    const missing = await client.connection.sendRequest<{ status: string; message: string }>('rubric/preview', { textDocument: { uri: acmeUri } });
    expect(missing).toMatchObject({ status: 'sample-error', message: expect.stringContaining('missing.jsonl') });
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { rubric: { sampleLeads: '', previewNow: '' } } });
  });

  it('runs the tests on rubric/runTests', async () => {
    const uri = fixtureUri('failing.rubric');
    client.open(uri, readFileSync(join(FIXTURES, 'failing.rubric'), 'utf8'));
    const result = await client.connection.sendRequest<{ passed: number; failed: number }>('rubric/runTests', { textDocument: { uri } });
    expect(result).toMatchObject({ passed: 1, failed: 1 });
  });

  it('survives garbage: malformed params get an error, any text gets diagnostics', async () => {
    await expect(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: acmeUri } })).rejects.toThrow();
    const uri = fixtureUri('garbage.rubric');
    client.open(uri, '}}} when ((( [[ "x \u0000 `y\nlead { a: one of [ }\ngroup { each');
    const diagnostics = await client.diagnostics(uri, 1);
    expect(diagnostics.length).toBeGreaterThan(0);
    const symbols = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(Array.isArray(symbols)).toBe(true);
    expect(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///not/open.rubric' }, position: { line: 0, character: 0 } })).toBeNull();
  });

  it('clears diagnostics when a document closes', async () => {
    const count = client.published.length;
    void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: brokenUri } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const last = client.published.slice(count).find((p) => p.uri === brokenUri);
    expect(last?.diagnostics).toEqual([]);
  });
});

describe('the language server binary', () => {
  it('also speaks Node IPC', async () => {
    const ipc = startServer('ipc');
    try {
      await ipc.initialize();
      ipc.open(brokenUri, broken);
      const diagnostics = await ipc.diagnostics(brokenUri, 1);
      expect(diagnostics.some((d) => d.code === 'R010')).toBe(true);
    } finally {
      await ipc.close();
    }
  });

  it('prints usage and exits 2 without a transport', () => {
    const result = spawnSync(process.execPath, [SERVER_BIN], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: rubric-language-server --stdio');
  });

  it('exits cleanly on shutdown and exit', async () => {
    const c = startServer('stdio');
    await c.initialize();
    await c.close();
    expect(c.process.exitCode).toBe(0);
  });
});
