import {
  CodeLensRefreshRequest,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentStore, type DocumentState } from './document-state.js';
import { codeActions } from './features/code-actions.js';
import { codeLenses } from './features/code-lens.js';
import { completion } from './features/completion.js';
import { findDefinition } from './features/definition.js';
import { computeDiagnostics } from './features/diagnostics.js';
import { dataHints } from './features/data-hints.js';
import { documentSymbols } from './features/document-symbols.js';
import { foldingRanges } from './features/folding-ranges.js';
import { formatDocument, formatRange, formatterAvailable } from './features/formatting.js';
import { hover } from './features/hover.js';
import { preview, PREVIEW_REQUEST, type PreviewParams } from './features/preview.js';
import { findReferences } from './features/references.js';
import { prepareRename, rename, RenameError } from './features/rename.js';
import { runTests, RUN_TESTS_REQUEST, type RunTestsParams } from './features/run-tests.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './features/semantic-tokens.js';
import { NO_SAMPLES, type SampleSource } from './sample-source.js';
import { DEFAULT_SETTINGS, readSettings, type RubricSettings } from './settings.js';

/** The server's version, reported in `initialize`. */
export const SERVER_VERSION = '0.1.0';

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function today(clock: () => Date): string {
  return clock().toISOString().slice(0, 10);
}

/** What `startServer` can be told (tests pin the clock). */
export interface ServerOptions {
  readonly clock?: () => Date;
  /**
   * Where sample leads come from (previews, data hints): files beside the rule file from the
   * command line (`SampleFiles`), memory in a browser (`MemorySamples`); none when not given.
   */
  readonly samples?: SampleSource;
}

/**
 * Wires the features to a connection. Every handler is guarded: a failure is logged and answered
 * with an error, and the server keeps serving. Call `connection.listen()` afterwards.
 */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const clock = options.clock ?? (() => new Date());
  const documents = new TextDocuments(TextDocument);
  const store = new DocumentStore();
  const samples = options.samples ?? NO_SAMPLES;
  const timers = new Map<string, NodeJS.Timeout>();
  let settings: RubricSettings = DEFAULT_SETTINGS;
  let initialSettings: RubricSettings = DEFAULT_SETTINGS;
  let capabilities: ClientCapabilities = {};
  let workspaceFolders: string[] = [];

  const log = (message: string): void => {
    try {
      connection.console.error(message);
    } catch {
      // The connection itself is gone; nothing left to tell.
    }
  };

  const stateOf = (uri: string): DocumentState | undefined => {
    const document = documents.get(uri);
    if (document === undefined) return undefined;
    return store.update(uri, document.version, document.getText());
  };

  /** Wraps a request handler: unknown documents get `empty`, failures an error response. */
  function guard<P extends { textDocument: { uri: string } }, R>(
    name: string,
    empty: R,
    run: (state: DocumentState, params: P) => R,
  ): (params: P) => R | ResponseError<void> {
    return (params: P) => {
      try {
        const state = stateOf(params.textDocument.uri);
        return state === undefined ? empty : run(state, params);
      } catch (error) {
        if (error instanceof RenameError) return new ResponseError(LSPErrorCodes.RequestFailed, error.message);
        log(`rubric: ${name} failed: ${describe(error)}`);
        return new ResponseError(ErrorCodes.InternalError, `rubric: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
  }

  const publish = (uri: string): void => {
    timers.delete(uri);
    const state = stateOf(uri);
    if (state === undefined) return;
    let diagnostics;
    try {
      diagnostics = computeDiagnostics(state);
    } catch (error) {
      log(`rubric: diagnostics failed: ${describe(error)}`);
      diagnostics = [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 1 as const,
          code: 'R999',
          source: 'rubric',
          message: `internal error while checking this file: ${error instanceof Error ? error.message : String(error)}`,
        },
      ];
    }
    // What the sample leads show about the data, as hints on the field declarations.
    try {
      diagnostics = [...diagnostics, ...dataHints(state, sampleContext(uri))];
    } catch (error) {
      log(`rubric: data hints failed: ${describe(error)}`);
    }
    void connection.sendDiagnostics({ uri, version: state.version, diagnostics }).catch((error: unknown) => log(`rubric: ${describe(error)}`));
  };

  const schedule = (uri: string): void => {
    const pending = timers.get(uri);
    if (pending !== undefined) clearTimeout(pending);
    if (settings.diagnosticsDelay === 0) {
      publish(uri);
      return;
    }
    timers.set(uri, setTimeout(() => publish(uri), settings.diagnosticsDelay));
  };

  const sampleContext = (uri: string) => samples.contextFor(uri, settings, workspaceFolders);

  const applySettings = (next: RubricSettings): void => {
    settings = next;
    samples.clear();
    // The sample (or where it is) may have changed: the data hints of open documents with it.
    for (const uri of store.uris()) schedule(uri);
    if (capabilities.workspace?.codeLens?.refreshSupport) {
      void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    initialSettings = readSettings(params.initializationOptions);
    settings = initialSettings;
    workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
    const serverCapabilities: ServerCapabilities = {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', '[', ',', ':'] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: { label: 'Rubric' },
      foldingRangeProvider: true,
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
    };
    if (formatterAvailable()) {
      serverCapabilities.documentFormattingProvider = true;
      serverCapabilities.documentRangeFormattingProvider = true;
    }
    return { capabilities: serverCapabilities, serverInfo: { name: 'rubric-language-server', version: SERVER_VERSION } };
  });

  connection.onInitialized(() => {
    if (capabilities.workspace?.configuration) {
      connection.workspace
        .getConfiguration('rubric')
        .then((value: unknown) => applySettings(readSettings(value, initialSettings)))
        .catch(() => undefined);
    }
  });

  connection.onDidChangeConfiguration((params) => {
    try {
      const value: unknown = params.settings;
      const hasRubric = typeof value === 'object' && value !== null && 'rubric' in value;
      if (hasRubric) {
        applySettings(readSettings(value, initialSettings));
      } else if (capabilities.workspace?.configuration) {
        connection.workspace
          .getConfiguration('rubric')
          .then((pulled: unknown) => applySettings(readSettings(pulled, initialSettings)))
          .catch(() => undefined);
      }
    } catch (error) {
      log(`rubric: configuration failed: ${describe(error)}`);
    }
  });

  // The client watches sample files; a change invalidates what was read and the lenses shown.
  connection.onDidChangeWatchedFiles(() => applySettings(settings));

  documents.onDidOpen((event) => {
    const pending = timers.get(event.document.uri);
    if (pending !== undefined) clearTimeout(pending);
    publish(event.document.uri);
  });
  documents.onDidChangeContent((event) => {
    const state = store.get(event.document.uri);
    // Opening fires this too; the open handler has already published that version.
    if (
      state !== undefined &&
      state.version === event.document.version &&
      state.text === event.document.getText() &&
      !timers.has(event.document.uri)
    ) {
      return;
    }
    schedule(event.document.uri);
  });
  documents.onDidClose((event) => {
    const uri = event.document.uri;
    const pending = timers.get(uri);
    if (pending !== undefined) clearTimeout(pending);
    timers.delete(uri);
    store.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  });

  connection.onCompletion(
    guard('completion', { isIncomplete: false, items: [] }, (state, params) =>
      completion(state, params, {
        snippetSupport: capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
        today: today(clock),
      }),
    ),
  );
  connection.onHover(guard('hover', null, hover));
  connection.onDefinition(guard('definition', null, findDefinition));
  connection.onReferences(guard('references', [], findReferences));
  connection.onPrepareRename(guard('prepareRename', null, prepareRename));
  connection.onRenameRequest(guard('rename', null, rename));
  connection.onDocumentSymbol(guard('documentSymbol', [], documentSymbols));
  connection.onFoldingRanges(guard('foldingRange', [], foldingRanges));
  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] }, semanticTokens));
  connection.onCodeAction(guard('codeAction', [], codeActions));
  connection.onCodeLens(
    guard('codeLens', [], (state, params) => codeLenses(state, params, sampleContext(state.uri), samples.accountsContextFor(state.uri, settings))),
  );
  connection.onDocumentFormatting(guard('formatting', [], formatDocument));
  connection.onDocumentRangeFormatting(guard('rangeFormatting', [], formatRange));
  connection.onRequest(
    PREVIEW_REQUEST,
    guard('preview', null, (state, params: PreviewParams) => preview(state, params, sampleContext(state.uri), settings.previewRows)),
  );
  connection.onRequest(RUN_TESTS_REQUEST, guard('runTests', null, (state, params: RunTestsParams) => runTests(state, params)));

  documents.listen(connection);
}
