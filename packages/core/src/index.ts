/**
 * @rubric/core — the Rubric lead-scoring language: parse, check, compile, score, explain, test.
 *
 * Data flows one way: text -> tokens -> CST -> AST ({@link parse}) -> checked model
 * ({@link check}) -> IR -> JavaScript function ({@link compile}). Nothing here does I/O.
 */
export type * from './syntax/ast.js';
export type * from './checker/model.js';
export { PLAIN_DIALECT } from './checker/model.js';
export { detectCsvDelimiter } from './data/csv-delimiter.js';
export { DATA_SETTINGS, DATA_SETTING_DOCS, DATA_VALUE_DOCS, DATE_ORDERS, LIST_SETTINGS, NUMBER_FORMATS, type DataSettingName } from './checker/data-dialect.js';
export type * from './runtime/types.js';
export type * from './runtime/row-types.js';
export * from './diagnostics/diagnostic.js';
export { fold, foldTable, FOLD_TRIM_CHARACTERS } from './runtime/fold.js';
export { readNumberInFormat } from './runtime/read-number.js';
export { parse, type ParseResult } from './syntax/parse.js';
export { contextualWordRanges } from './syntax/contextual-words.js';
export { check, type CheckOptions, type CheckResult } from './checker/check.js';
export { emptyModel } from './checker/empty-model.js';
export { analyze, tooLargeAnalysis, type Analysis } from './analyze.js';
export { compile, instantiateScorer, type CompileResult, type CompiledScorer, type CompileOptions } from './compiler/compile.js';
export { lowerModel, LoweringError } from './compiler/lower.js';
export { decayText, effectiveDecay, limitText } from './checker/decay.js';
export type * from './compiler/ir.js';
export { stageConditionReasons } from './explain/stage-failures.js';
export { runTests, runCompiledTests, type TestRun, type TestResult, type ExpectationResult } from './testing/run-tests.js';
export { emitModule, type EmitModuleOptions } from './compiler/emit-js.js';
export { emitTypeDeclarations } from './compiler/emit-types.js';
export { format, formatRange, type FormatOptions, type FormatResult, type FormatRangeResult, type FormatSpan } from './format/format.js';
export * from './diff/index.js';
export * from './compiler/sql/index.js';
export * from './backtest/index.js';
export * from './limits.js';
export * from './profile/index.js';
