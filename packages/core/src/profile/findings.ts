/**
 * A profile's findings in words, one sentence per finding with what to declare: the text the CLI
 * prints under each field and the hints the language server shows on the field declarations.
 */
import { fold } from '../runtime/fold.js';
import type { ProfileEvidence } from './suggest.js';
import { rubricString } from './suggest.js';
import type { FieldProfile, ProfileFinding, ProfileSuggestions } from './types.js';

/** Suspected placeholders described per field (the most frequent first). */
const MAX_PLACEHOLDER_FINDINGS = 3;

function code(text: string): string {
  // A backtick inside a value would end the code span early; show it doubled-up safely.
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function valuesText(values: readonly { value: string; count: number }[], max = 3): string {
  const shown = values.slice(0, max).map((entry) => `${code(entry.value)} (${entry.count})`);
  const rest = values.length - max;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

function examplesText(examples: readonly string[]): string {
  return examples.map(code).join(', ');
}

/** `not a number`, `not a date`, ... for a field's invalid values. */
function notA(field: FieldProfile): string {
  if (field.type.startsWith('one of')) return 'outside its `one of` set';
  if (field.type === 'list of text') return 'not a list of text';
  if (field.type === 'text') return 'not text';
  return `not a ${field.type === 'bool' ? 'bool' : field.type}`;
}

function ofRows(count: number, field: FieldProfile): string {
  return `${count} of ${field.rows} ${code(field.name)} ${field.rows === 1 ? 'value' : 'values'}`;
}

/** The last part of a field's name, for "if that means no phone" (`value` for a compound name like `created_at`). */
function shortName(field: FieldProfile): string {
  const dot = field.name.lastIndexOf('.');
  const last = dot === -1 ? field.name : field.name.slice(dot + 1);
  return /^\p{L}+$/u.test(last) ? last : 'value';
}

/**
 * Every finding of `profile`, field by field in profile order: missing columns, suspected
 * placeholders, number formats, date orders, bool words, other invalid values, and declared
 * placeholders met. `dataName`: how the file of the records is named in them (`the data`; `the
 * accounts file` for an accounts profile).
 */
export function describeFindings(profile: ProfileEvidence, suggestions: ProfileSuggestions, dataName = 'the data'): ProfileFinding[] {
  const findings: ProfileFinding[] = [];
  const fromByField = new Map(suggestions.from.map((suggestion) => [suggestion.field, suggestion]));
  const globalMissing = new Set(suggestions.missing.map(fold));
  for (const field of profile.fields) {
    const base = { field: field.name, source: field.source, ...(field.event !== undefined ? { event: field.event } : {}) };
    const push = (kind: ProfileFinding['kind'], message: string): void => {
      findings.push({ ...base, kind, message });
    };
    if (!field.hasColumn && field.rows > 0) {
      const from = fromByField.get(field.name);
      const where = field.source === 'lead' ? dataName : `the \`${field.event ?? ''}\` events`;
      push(
        'no-column',
        from !== undefined
          ? `${code(field.name)} has no column in ${where} (it reads ${code(field.column)}), so it is always missing; the column ${code(from.column)} looks like it: \`${from.line}\``
          : `${code(field.name)} has no column in ${where} (it reads ${code(field.column)}), so it is always missing${field.source === 'lead' ? '; if the data names it differently, say which column with `from "COLUMN"`' : ''}`,
      );
    }
    for (const placeholder of field.placeholders.slice(0, MAX_PLACEHOLDER_FINDINGS)) {
      const today =
        placeholder.readAs === 'value'
          ? 'read as a real value today'
          : 'reported as invalid today';
      const declare =
        globalMissing.has(fold(placeholder.value))
          ? `add \`missing: [${rubricString(placeholder.value)}]\` to a \`data\` block`
          : `add \`missing [${rubricString(placeholder.value)}]\` to the declaration of ${code(field.name)}`;
      push('placeholder', `${ofRows(placeholder.count, field)} are ${code(placeholder.value)}, ${today}; if that means no ${shortName(field)}, ${declare}`);
    }
    const numbers = field.numberFormats;
    if (numbers !== undefined && suggestions.numbers !== undefined && suggestions.numbers !== profile.dialect.numbers) {
      const evidence = suggestions.numbers === 'decimal-comma' ? numbers.decimalComma : numbers.decimalPoint;
      if (evidence.count > 0) {
        const words = suggestions.numbers === 'decimal-comma' ? 'decimal comma' : 'decimal point';
        push(
          'number-format',
          `${ofRows(evidence.count, field)} are written like ${examplesText(evidence.examples)} (${suggestions.numbers === 'decimal-comma' ? 'thousands separated by spaces or dots, or a decimal comma' : 'thousands separated by commas'}); add \`numbers: ${words}\` to a \`data\` block`,
        );
      }
    }
    const dates = field.dateOrders;
    if (dates !== undefined) {
      if (suggestions.dates !== undefined && suggestions.dates !== profile.dialect.dates) {
        const evidence = suggestions.dates === 'day-first' ? dates.dayFirst : dates.monthFirst;
        const words = suggestions.dates === 'day-first' ? 'day first' : 'month first';
        if (evidence.count > 0) push('date-order', `${ofRows(evidence.count, field)} are written ${words}, like ${examplesText(evidence.examples)}; add \`dates: ${words}\` to a \`data\` block`);
      } else if (suggestions.dates === undefined && profile.dialect.dates === 'iso' && dates.ambiguous.count > 0) {
        push(
          'date-order',
          `${ofRows(dates.ambiguous.count, field)} like ${examplesText(dates.ambiguous.examples)} read either way (day or month first): Rubric never guesses; add \`dates: day first\` or \`dates: month first\` to a \`data\` block`,
        );
      }
      if (dates.twoDigitYear.count > 0) {
        push('date-order', `${ofRows(dates.twoDigitYear.count, field)} like ${examplesText(dates.twoDigitYear.examples)} have a two-digit year, never read: export four-digit years`);
      }
    }
    const words = field.boolWords ?? [];
    if (words.length > 0) {
      const trues = words.filter((word) => word.means).map((word) => rubricString(fold(word.value)));
      const falses = words.filter((word) => !word.means).map((word) => rubricString(fold(word.value)));
      const declare = [trues.length > 0 ? `\`true: [${trues.join(', ')}]\`` : '', falses.length > 0 ? `\`false: [${falses.join(', ')}]\`` : '']
        .filter((part) => part !== '')
        .join(' and ');
      push('bool-words', `${valuesText(words)} in ${code(field.name)} are not read as bools today (reported as invalid); add ${declare} to a \`data\` block`);
    }
    // Invalid values no hint above explains.
    if (field.unexplainedInvalid > 0) {
      push('invalid', `${ofRows(field.unexplainedInvalid, field)} are ${notA(field)} (reported, and read as missing): ${valuesText(field.unexplainedValues)}`);
    }
    if (field.declaredPlaceholders.length > 0) {
      const total = field.declaredPlaceholders.reduce((sum, entry) => sum + entry.count, 0);
      push('declared', `${ofRows(total, field)} are declared placeholders, read as missing: ${valuesText(field.declaredPlaceholders)}`);
    }
  }
  return findings;
}
