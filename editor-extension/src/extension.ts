// The VS Code client: starts the bundled Rubric language server and adds the preview and test
// commands. Everything about the language itself lives in the server.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { PreviewResult, RunTestsResult } from '@rubric/language-server';
import { renderPreviewBody, renderPreviewShell } from './preview-html.js';

const PREVIEW_REQUEST = 'rubric/preview';
const RUN_TESTS_REQUEST = 'rubric/runTests';
const PREVIEW_ROWS = 200;

let client: LanguageClient | undefined;

function settings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('rubric');
  return {
    sampleLeads: config.get('sampleLeads', ''),
    sampleEncoding: config.get('sampleEncoding', 'utf-8'),
    previewNow: config.get('previewNow', ''),
  };
}

function rubricUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return vscode.Uri.parse(arg);
  const editor = vscode.window.activeTextEditor;
  return editor?.document.languageId === 'rubric' ? editor.document.uri : undefined;
}

/** One preview panel per rule file; it re-scores as the file changes (debounced). */
class PreviewPanel {
  private static readonly panels = new Map<string, PreviewPanel>();
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  static show(uri: vscode.Uri, languageClient: LanguageClient): void {
    const existing = PreviewPanel.panels.get(uri.toString());
    if (existing !== undefined) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      existing.refresh();
      return;
    }
    PreviewPanel.panels.set(uri.toString(), new PreviewPanel(uri, languageClient));
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(
    private readonly uri: vscode.Uri,
    private readonly languageClient: LanguageClient,
  ) {
    const name = uri.path.split('/').pop() ?? uri.toString();
    this.panel = vscode.window.createWebviewPanel('rubricPreview', `Scores: ${name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [],
    });
    this.panel.webview.html = renderPreviewShell(randomBytes(16).toString('hex'), this.panel.webview.cspSource, `Scores: ${name}`);
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === this.uri.toString()) this.schedule();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('rubric')) this.schedule();
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (document.fileName.endsWith('.jsonl') || document.fileName.endsWith('.json')) this.schedule();
      }),
    );
    this.panel.onDidDispose(() => this.dispose());
    this.refresh();
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 300);
  }

  refresh(): void {
    this.languageClient
      .sendRequest<PreviewResult | null>(PREVIEW_REQUEST, { textDocument: { uri: this.uri.toString() }, rows: PREVIEW_ROWS })
      .then(
        (result) => {
          const html = result === null ? '<p>Open the rule file to preview its scores.</p>' : renderPreviewBody(result);
          void this.panel.webview.postMessage({ type: 'render', html });
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          void this.panel.webview.postMessage({ type: 'render', html: `<p>Preview failed: ${message.replace(/[<>&]/g, '')}</p>` });
        },
      );
  }

  private dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    PreviewPanel.panels.delete(this.uri.toString());
    for (const disposable of this.disposables) disposable.dispose();
  }
}

async function runTests(languageClient: LanguageClient, output: vscode.OutputChannel, uriArg: unknown, name: unknown): Promise<void> {
  const uri = rubricUri(uriArg);
  if (uri === undefined) {
    void vscode.window.showWarningMessage('Rubric: open a .rubric file to run its tests.');
    return;
  }
  const params: { textDocument: { uri: string }; name?: string } = { textDocument: { uri: uri.toString() } };
  if (typeof name === 'string') params.name = name;
  const result = await languageClient.sendRequest<RunTestsResult | null>(RUN_TESTS_REQUEST, params);
  if (result === null) {
    void vscode.window.showWarningMessage('Rubric: open the rule file to run its tests.');
    return;
  }
  output.appendLine(`Tests of ${uri.fsPath || uri.toString()}`);
  if (result.error !== undefined) {
    output.appendLine(`  not run: ${result.error}`);
    output.show(true);
    void vscode.window.showErrorMessage(`Rubric: tests not run: ${result.error}`);
    return;
  }
  for (const test of result.tests) {
    output.appendLine(`  ${test.passed ? '✓' : '✗'} ${test.name} (line ${test.range.start.line + 1})`);
    for (const expectation of test.expectations) {
      if (expectation.passed) continue;
      output.appendLine(`      ${expectation.description}: expected ${expectation.expected}, got ${expectation.actual}`);
    }
    if (!test.passed && test.firedRules.length > 0) output.appendLine(`      rules that fired: ${test.firedRules.join('; ')}`);
  }
  output.appendLine(`  ${result.passed} passed, ${result.failed} failed`);
  output.show(true);
  const summary = `Rubric: ${result.passed} passed, ${result.failed} failed`;
  if (result.failed > 0) void vscode.window.showErrorMessage(summary);
  else void vscode.window.showInformationMessage(summary);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = vscode.window.createOutputChannel('Rubric');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'rubric' },
      { scheme: 'untitled', language: 'rubric' },
    ],
    synchronize: {
      configurationSection: 'rubric',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{jsonl,json,csv}'),
    },
    initializationOptions: settings(),
    outputChannel: output,
  };
  const languageClient = new LanguageClient('rubric', 'Rubric', serverOptions, clientOptions);
  client = languageClient;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('rubric.previewScores', (uriArg?: unknown) => {
      const uri = rubricUri(uriArg);
      if (uri === undefined) {
        void vscode.window.showWarningMessage('Rubric: open a .rubric file to preview its scores.');
        return;
      }
      PreviewPanel.show(uri, languageClient);
    }),
    vscode.commands.registerCommand('rubric.runTests', (uriArg?: unknown, name?: unknown) => runTests(languageClient, output, uriArg, name)),
  );
  await languageClient.start();
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
