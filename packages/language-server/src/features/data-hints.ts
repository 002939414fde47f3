/**
 * Data hints: with sample leads beside the rule file, what `rubric profile` finds in them
 * (placeholders read as values, numbers and dates in a locale the file does not declare, bool
 * words, values of the wrong type, fields no lead has), shown as Hint diagnostics on the field
 * declarations of the `lead` block (and on event properties). The profile is core's, so the
 * editor and the CLI say the same thing. Bounded: a few hints per field, a few dozen in all;
 * recomputed when the file or the sample changes (a new state or a new sample object).
 */
import { DataProfiler, lowerModel, type DataProfile, type ProfileFinding, type Range, type ScorerIR } from '@rubric/core';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import type { Sample, SampleContext } from '../sample-leads.js';
import { toLspRange } from '../text.js';

/** The code data hints carry (they are not checker diagnostics: no R code). */
export const DATA_HINT_CODE = 'sample-data';
/** Hints per field or property at most (its most telling findings come first). */
export const MAX_HINTS_PER_FIELD = 3;
/** Hints per document at most. */
export const MAX_DATA_HINTS = 40;
/** Findings that are not problems (declared placeholders met) are not shown in the editor. */
const SHOWN: ReadonlySet<ProfileFinding['kind']> = new Set(['placeholder', 'invalid', 'number-format', 'date-order', 'bool-words', 'no-column']);

/** The last hints computed per document state, with the sample they were computed from. */
const cache = new WeakMap<DocumentState, { sample: Sample; hints: Diagnostic[] }>();

/**
 * The last profile of each sample, with the reading it was made with: editing a rule (not a
 * declaration or the `data` block) reads the sample the same way, so it is not profiled again.
 */
const profiles = new WeakMap<Sample, { reading: string; profile: DataProfile }>();

/** Everything that decides how a sample is read and described: the slots, the events and the dialect. */
function readingOf(ir: ScorerIR): string {
  return JSON.stringify([
    ir.dialect,
    ir.events.map((event) => event.name),
    ir.slots.map((slot) => [slot.source, slot.event, slot.name, slot.key, slot.path, slot.type, slot.oneOf, slot.missing, slot.expected]),
  ]);
}

/** The profile of a sample against this version of the file, or undefined when the file does not compile. */
export function sampleProfile(state: DocumentState, sample: Sample): DataProfile | undefined {
  const scorer = state.scorer();
  if (scorer === undefined) return undefined;
  const model = state.analysis.model;
  // The scorer was compiled from this model; lowering it again gives the IR it was compiled from.
  const ir = lowerModel(model);
  const reading = readingOf(ir);
  const cached = profiles.get(sample);
  if (cached !== undefined && cached.reading === reading) return cached.profile;
  const profiler = new DataProfiler({ model, ir, validate: scorer.validate, validateEvent: scorer.validateEvent });
  for (const { lead } of sample.leads) profiler.addLead(lead);
  const profile = profiler.finish();
  profiles.set(sample, { reading, profile });
  return profile;
}

/** Where a finding is shown: the field's (or property's) declaration; an event's `at`, the event's name. */
function findingRange(state: DocumentState, finding: ProfileFinding): Range | undefined {
  const model = state.analysis.model;
  if (finding.source === 'lead') return model.fields.get(finding.field)?.decl.range;
  const event = finding.event === undefined ? undefined : model.events.get(finding.event);
  if (event === undefined || finding.event === undefined) return undefined;
  const property = finding.field.slice(finding.event.length + 1);
  return event.properties.get(property)?.decl.range ?? (property === 'at' ? event.decl.name.range : undefined);
}

/**
 * The data hints of a document for its sample (none without a sample, or while the file has
 * errors: the scorer is what reads the sample). Never throws on any sample.
 */
export function dataHints(state: DocumentState, context: SampleContext): Diagnostic[] {
  const sample = context.sample;
  if (sample === undefined || sample.leads.length === 0) return [];
  const cached = cache.get(state);
  if (cached !== undefined && cached.sample === sample) return cached.hints;
  const profile = sampleProfile(state, sample);
  const hints: Diagnostic[] = [];
  if (profile !== undefined) {
    const perField = new Map<string, number>();
    for (const finding of profile.findings) {
      if (hints.length >= MAX_DATA_HINTS) break;
      if (!SHOWN.has(finding.kind)) continue;
      const shown = perField.get(finding.field) ?? 0;
      if (shown >= MAX_HINTS_PER_FIELD) continue;
      const range = findingRange(state, finding);
      if (range === undefined) continue;
      perField.set(finding.field, shown + 1);
      hints.push({
        range: toLspRange(range, state.lines),
        severity: DiagnosticSeverity.Hint,
        code: DATA_HINT_CODE,
        source: 'rubric',
        message: `sample: ${finding.message}`,
      });
    }
  }
  cache.set(state, { sample, hints });
  return hints;
}
