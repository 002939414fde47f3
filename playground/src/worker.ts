/**
 * The Web Worker: the Rubric language server (its browser entry, every feature as in VS Code)
 * with sample leads held in memory, plus the playground's `explain` request. Everything runs
 * here, off the page's thread: checking, scoring the sample, running the file's tests.
 */
import { compile, type CompiledScorer, type Lead } from '@rubric/core';
import { MemorySamples, startBrowserServer, type BrowserPort } from '@rubric/language-server/browser';
import { EXPLAIN_REQUEST, SET_SAMPLE_REQUEST, type ExplainParams, type ExplainResult, type SetSampleParams, type SetSampleResult } from './protocol.js';

const samples = new MemorySamples();
const connection = startBrowserServer(self as unknown as BrowserPort, { samples });

connection.onRequest(SET_SAMPLE_REQUEST, (params: SetSampleParams): SetSampleResult => {
  const sample = samples.set(params.uri, params.text, params.format, params.name);
  return { leads: sample?.leads.length ?? 0, problems: sample?.problems.slice(0, 20) ?? [] };
});

/** The last compiled text and its scorer: explaining several leads of one file compiles once. */
let compiled: { readonly text: string; readonly scorer: CompiledScorer | null } | undefined;

connection.onRequest(EXPLAIN_REQUEST, (params: ExplainParams): ExplainResult => {
  const found = samples.get(params.uri)?.leads.find((lead) => lead.line === params.line);
  if (found === undefined) return { kind: 'error', message: `no lead on line ${params.line} of the sample` };
  if (compiled?.text !== params.text) compiled = { text: params.text, scorer: compile(params.text).scorer };
  if (compiled.scorer === null) return { kind: 'error', message: 'the rule file has errors: fix them to explain a lead' };
  const lead: Lead = found.lead;
  const label = ['id', 'email', 'name'].map((key) => lead[key]).find((value) => typeof value === 'string' && value !== '');
  return {
    kind: 'explanation',
    label: typeof label === 'string' ? label : `line ${params.line}`,
    explanation: compiled.scorer.explain(lead, params.now === undefined ? {} : { now: params.now }),
  };
});
