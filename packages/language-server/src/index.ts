/**
 * @rubric/language-server — the Rubric language server. `startServer` wires the features to an
 * LSP connection; each feature is also exported as a pure function of a {@link DocumentState}.
 */
export { runFromCommandLine } from './main.js';
export { startServer, SERVER_VERSION, type ServerOptions } from './server.js';
export { DocumentState, DocumentStore } from './document-state.js';
export { LineIndex, toLspRange } from './text.js';
export { readSettings, DEFAULT_SETTINGS, type RubricSettings } from './settings.js';
export { parseSample, previewNow, sampleCoverage, scoreSample, MAX_SAMPLE_LEADS, MAX_PREVIEW_SCORING_MS } from './sample-leads.js';
export type { Sample, SampleContext, SampleCoverage, SampleLead, SampleProblem, SampleRun, ScoringBudget, NowSource } from './sample-leads.js';
export { SampleFiles, MAX_SAMPLE_BYTES, MAX_SAMPLE_ARRAY_BYTES, type SampleReadLimits } from './sample-files.js';
export { computeDiagnostics, toLspDiagnostic, type DiagnosticData } from './features/diagnostics.js';
export { completion, type CompletionOptions } from './features/completion.js';
export { cursorContext } from './features/completion-context.js';
export { hover } from './features/hover.js';
export { findDefinition } from './features/definition.js';
export { findReferences } from './features/references.js';
export { prepareRename, rename, RenameError } from './features/rename.js';
export { documentSymbols } from './features/document-symbols.js';
export { foldingRanges } from './features/folding-ranges.js';
export { semanticTokens, SEMANTIC_TOKENS_LEGEND } from './features/semantic-tokens.js';
export { codeActions } from './features/code-actions.js';
export { codeLenses, RUN_TESTS_COMMAND, PREVIEW_COMMAND } from './features/code-lens.js';
export { formatDocument, formatRange, formatterAvailable } from './features/formatting.js';
export { preview, PREVIEW_REQUEST, histogramBins } from './features/preview.js';
export type { PreviewParams, PreviewResult, PreviewRow, StageHistogram, HistogramBin } from './features/preview.js';
export { runTests, RUN_TESTS_REQUEST, type RunTestsParams, type RunTestsResult } from './features/run-tests.js';
