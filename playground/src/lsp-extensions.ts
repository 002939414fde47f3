/**
 * What @codemirror/lsp-client does not do, written here against its public API: diagnostics that
 * carry the server's quick fixes (the lint tooltip and panel show them as buttons), and semantic
 * colouring from `textDocument/semanticTokens/full` (the names VS Code colours from the server).
 */
import { LSPPlugin, type LSPClient, type LSPClientExtension } from '@codemirror/lsp-client';
import { setDiagnostics, type Action, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { RangeSetBuilder, type Text } from '@codemirror/state';
import { Decoration, ViewPlugin, type DecorationSet, type EditorView, type ViewUpdate } from '@codemirror/view';
import type * as lsp from 'vscode-languageserver-protocol';

function severity(value: lsp.DiagnosticSeverity | undefined): CmDiagnostic['severity'] {
  return value === 2 ? 'warning' : value === 3 ? 'info' : value === 4 ? 'hint' : 'error';
}

function sameDiagnostic(a: lsp.Diagnostic, b: lsp.Diagnostic): boolean {
  return (
    a.code === b.code &&
    a.message === b.message &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}

/** The edits of a quick fix to this document, as CodeMirror changes (null when it edits nothing here). */
function fixChanges(plugin: LSPPlugin, action: lsp.CodeAction, doc: Text): { from: number; to: number; insert: string }[] | null {
  const edits = action.edit?.changes?.[plugin.uri];
  if (edits === undefined || edits.length === 0) return null;
  return edits.map((edit) => ({
    from: plugin.unsyncedChanges.mapPos(plugin.fromPosition(edit.range.start, doc)),
    to: plugin.unsyncedChanges.mapPos(plugin.fromPosition(edit.range.end, doc)),
    insert: edit.newText,
  }));
}

/** Syncs the document to the server a moment after the last change (as lsp-client's own does). */
const autoSync = ViewPlugin.fromClass(
  class {
    private pending = -1;
    constructor(private readonly view: EditorView) {}
    update(update: ViewUpdate): void {
      if (!update.docChanged) return;
      if (this.pending > -1) clearTimeout(this.pending);
      this.pending = window.setTimeout(() => {
        this.pending = -1;
        LSPPlugin.get(this.view)?.client.sync();
      }, 200);
    }
    destroy(): void {
      if (this.pending > -1) clearTimeout(this.pending);
    }
  },
);

/**
 * Diagnostics from `textDocument/publishDiagnostics`, each with the server's quick fixes for it
 * (one `textDocument/codeAction` request per publication, over the whole document). Replaces
 * lsp-client's `serverDiagnostics()`, which shows the messages without fixes.
 */
export function diagnosticsWithQuickFixes(): LSPClientExtension {
  return {
    clientCapabilities: { textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: {} } },
    notificationHandlers: {
      'textDocument/publishDiagnostics': (client: LSPClient, params: lsp.PublishDiagnosticsParams): boolean => {
        const file = client.workspace.getFile(params.uri);
        if (file === null || (params.version != null && params.version !== file.version)) return false;
        const view = file.getView();
        const plugin = view === null ? null : LSPPlugin.get(view);
        if (view === null || plugin === null) return false;
        const doc = plugin.syncedDoc;
        const show = (fixes: readonly lsp.CodeAction[]): void => {
          const list: CmDiagnostic[] = params.diagnostics.map((item) => {
            const actions: Action[] = fixes
              .filter((fix) => fix.diagnostics?.some((d) => sameDiagnostic(d, item)) === true)
              .map((fix) => ({
                name: fix.title,
                apply: (target: EditorView): void => {
                  const current = LSPPlugin.get(target);
                  const changes = current === null || current.syncedDoc !== doc ? null : fixChanges(current, fix, doc);
                  if (changes !== null) target.dispatch({ changes, userEvent: 'input.quickfix' });
                },
              }));
            return {
              from: plugin.unsyncedChanges.mapPos(plugin.fromPosition(item.range.start, doc)),
              to: plugin.unsyncedChanges.mapPos(plugin.fromPosition(item.range.end, doc)),
              severity: severity(item.severity),
              message: item.code === undefined ? item.message : `${item.message} (${String(item.code)})`,
              source: 'rubric',
              actions,
            };
          });
          view.dispatch(setDiagnostics(view.state, list));
        };
        show([]);
        if (params.diagnostics.length === 0 || client.serverCapabilities?.codeActionProvider === undefined) return true;
        const end = plugin.toPosition(doc.length, doc);
        client
          .request<lsp.CodeActionParams, (lsp.CodeAction | lsp.Command)[] | null>('textDocument/codeAction', {
            textDocument: { uri: params.uri },
            range: { start: { line: 0, character: 0 }, end },
            context: { diagnostics: params.diagnostics, only: ['quickfix'] },
          })
          .then((result) => {
            // Only if the document the diagnostics are about is still the one synced.
            if (LSPPlugin.get(view)?.syncedDoc !== doc) return;
            show((result ?? []).filter((item): item is lsp.CodeAction => 'title' in item && !('command' in item && typeof item.command === 'string')));
          })
          .catch((error: unknown) => plugin.reportError('Quick fixes failed', error));
        return true;
      },
    },
    editorExtension: autoSync,
  };
}

/** The CSS class of a semantic token type (`sem-property`, ...). */
function tokenClass(type: string, modifiers: readonly string[]): string {
  return [`sem-${type}`, ...modifiers.map((m) => `sem-mod-${m}`)].join(' ');
}

/**
 * Semantic colouring: after each pause in typing, asks the server for the document's semantic
 * tokens and marks them (classes `sem-TYPE`, styled in the page's CSS). A reply about a document
 * that has changed since is dropped and asked again.
 */
export const semanticColouring = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet = Decoration.none;
    private pending = -1;
    private destroyed = false;
    constructor(private readonly view: EditorView) {
      this.schedule(50);
    }
    update(update: ViewUpdate): void {
      if (update.docChanged) {
        this.decorations = this.decorations.map(update.changes);
        this.schedule(300);
      }
    }
    private schedule(delay: number): void {
      if (this.pending > -1) clearTimeout(this.pending);
      this.pending = window.setTimeout(() => {
        this.pending = -1;
        void this.fetch();
      }, delay);
    }
    private async fetch(): Promise<void> {
      const plugin = LSPPlugin.get(this.view);
      if (plugin === null) return;
      const client = plugin.client;
      await client.initializing;
      const legend = client.serverCapabilities?.semanticTokensProvider?.legend;
      if (legend === undefined) return;
      client.sync();
      const doc = plugin.syncedDoc;
      let tokens: lsp.SemanticTokens | null;
      try {
        tokens = await client.request<lsp.SemanticTokensParams, lsp.SemanticTokens | null>('textDocument/semanticTokens/full', { textDocument: { uri: plugin.uri } });
      } catch {
        return;
      }
      if (this.destroyed || tokens === null) return;
      if (plugin.syncedDoc !== doc || !plugin.unsyncedChanges.empty) {
        this.schedule(300);
        return;
      }
      const builder = new RangeSetBuilder<Decoration>();
      const data = tokens.data;
      let line = 0;
      let character = 0;
      for (let i = 0; i + 4 < data.length; i += 5) {
        line += data[i];
        character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
        const length = data[i + 2];
        const type = legend.tokenTypes[data[i + 3]] ?? 'unknown';
        const modifiers = legend.tokenModifiers.filter((_, bit) => (data[i + 4] & (1 << bit)) !== 0);
        if (line >= doc.lines) break;
        const from = plugin.fromPosition({ line, character }, doc);
        const to = Math.min(from + length, doc.line(line + 1).to);
        if (to > from) builder.add(from, to, Decoration.mark({ class: tokenClass(type, modifiers) }));
      }
      this.decorations = builder.finish();
      this.view.dispatch({}); // redraw with the new decorations
    }
    destroy(): void {
      this.destroyed = true;
      if (this.pending > -1) clearTimeout(this.pending);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);
