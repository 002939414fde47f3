/**
 * The words of `rubric diff`, shared by the text and markdown renderers: each change in meaning
 * as a mark (`+` added, `-` removed, `~` changed), a headline and detail lines, grouped into
 * sections. Code (names, conditions, values) goes through `style.code` so each renderer shows it
 * its own way (backticks in a terminal, code spans in markdown).
 */
import type { RuleSummary, SemanticChange, SemanticDiff, StageSummary, ValueChange } from '@rubric/core';
import { formatNumber, formatPoints } from './explanation.js';

export interface DiffStyle {
  /** A name, value or condition. */
  code(text: string): string;
  /** A new value worth noticing. */
  strong(text: string): string;
  /** A text the user wrote (a label), shown in double quotes. */
  quoted(text: string): string;
}

export interface DescribedChange {
  readonly mark: '+' | '-' | '~';
  readonly headline: string;
  readonly details: readonly string[];
}

export interface DiffSection {
  readonly title: string;
  readonly changes: readonly DescribedChange[];
}

const SECTIONS: ReadonlyArray<readonly [string, (kind: SemanticChange['kind']) => boolean]> = [
  ['Schema', (k) => k.startsWith('field-') || k.startsWith('event-') || k.startsWith('property-')],
  ['How the data is read', (k) => k.startsWith('data-')],
  ['Lets and segments', (k) => k.startsWith('let-') || k.startsWith('segment-')],
  ['Synonym tables', (k) => k.startsWith('table-')],
  ['Groups and score range', (k) => k.startsWith('group-') || k === 'score-range-changed'],
  ['Rules', (k) => k.startsWith('rule-')],
  ['Stages', (k) => k.startsWith('stage')],
  ['Tiers', (k) => k.startsWith('tier')],
];

/**
 * The diff's changes, described and grouped into sections (empty sections left out). Account-level
 * changes (issue 17) come after the file's own, in sections titled `Accounts: ...`.
 */
export function describeDiff(diff: SemanticDiff, style: DiffStyle): DiffSection[] {
  const contact = diff.changes.filter((c) => c.level === undefined);
  const account = diff.changes.filter((c) => c.level === 'account');
  const accountBlock = account.filter((c) => c.kind.startsWith('account-'));
  return [
    ...sectionsOf(contact, '', style),
    { title: 'Accounts', changes: accountBlock.map((c) => describeChange(c, style)) },
    ...sectionsOf(account.filter((c) => !c.kind.startsWith('account-')), 'Accounts: ', style),
  ].filter((section) => section.changes.length > 0);
}

function sectionsOf(changes: readonly SemanticChange[], prefix: string, style: DiffStyle): DiffSection[] {
  const sections = SECTIONS.map(([title, belongs]) => ({
    title: prefix + title,
    changes: changes.filter((c) => belongs(c.kind)).map((c) => describeChange(c, style)),
  }));
  // A change no section claims is still shown: a reviewer must never miss one.
  const other = changes.filter((c) => !SECTIONS.some(([, belongs]) => belongs(c.kind)));
  if (other.length > 0) sections.push({ title: `${prefix}Other`, changes: other.map((c) => describeChange(c, style)) });
  return sections;
}

/** `3 changes in meaning`. */
export function countChanges(diff: SemanticDiff): string {
  const n = diff.changes.length;
  return n === 1 ? '1 change in meaning' : `${n} changes in meaning`;
}

const ARROW = '→';

function arrow(from: string, to: string): string {
  return `${from} ${ARROW} ${to}`;
}

function bound(value: number | null): string {
  return value === null ? 'none' : formatNumber(value);
}

function groupBounds(min: number | null, max: number | null): string {
  const parts: string[] = [];
  if (max !== null) parts.push(`max ${formatNumber(max)}`);
  if (min !== null) parts.push(`min ${formatNumber(min)}`);
  return parts.length === 0 ? 'no bounds' : parts.join(', ');
}

function place(group: string | null, style: DiffStyle): string {
  return group === null ? 'outside any group' : `in group ${style.code(group)}`;
}

/** `"Décideur"` for a labelled rule, else its source text as code. */
export function ruleName(rule: RuleSummary, style: DiffStyle): string {
  return rule.label === null ? style.code(rule.source) : style.quoted(rule.label);
}

function stageText(stage: StageSummary): string {
  let text = `${stage.name} at ${formatNumber(stage.threshold)}`;
  if (stage.requires.length > 0) text += ` requires ${stage.requires.join(', ')}`;
  if (stage.condition !== null) text += ` when ${stage.condition}`;
  return text;
}

function changeOf<T>(change: ValueChange<T>, show: (value: T) => string, style: DiffStyle): string {
  return arrow(show(change.old), style.strong(show(change.new)));
}

/** `+ "n/a", "-"; - "?"`: words that came and went. */
function wordsDelta(words: { readonly added: readonly string[]; readonly removed: readonly string[] }, style: DiffStyle): string {
  const list = (items: readonly string[]): string => items.map((item) => style.code(JSON.stringify(item))).join(', ');
  const parts: string[] = [];
  if (words.added.length > 0) parts.push(`+ ${list(words.added)}`);
  if (words.removed.length > 0) parts.push(`- ${list(words.removed)}`);
  return parts.join('; ');
}

function describeChange(c: SemanticChange, style: DiffStyle): DescribedChange {
  const code = style.code;
  switch (c.kind) {
    case 'account-added':
      return { mark: '+', headline: `added account ${code(c.key)}`, details: c.fields.length === 0 ? [] : [`fields: ${c.fields.map(code).join(', ')}`] };
    case 'account-removed':
      return { mark: '-', headline: `removed account ${code(c.key)}`, details: [] };
    case 'account-key-changed':
      return { mark: '~', headline: 'account key changed', details: [`key: ${changeOf(c.key, code, style)}`] };
    case 'field-added':
      return { mark: '+', headline: `added field ${code(`${c.name}: ${c.type}`)}`, details: [] };
    case 'field-removed':
      return { mark: '-', headline: `removed field ${code(`${c.name}: ${c.type}`)}`, details: [] };
    case 'field-retyped':
      return { mark: '~', headline: `field ${code(c.name)} is now ${code(c.type.new)} (was ${code(c.type.old)})`, details: [] };
    case 'event-added':
      return {
        mark: '+',
        headline: `added event ${code(c.properties.length === 0 ? c.name : `${c.name} { ${c.properties.join(', ')} }`)}`,
        details: [],
      };
    case 'event-removed':
      return { mark: '-', headline: `removed event ${code(c.name)}`, details: [] };
    case 'property-added':
      return { mark: '+', headline: `added property ${code(`${c.name}: ${c.type}`)} to event ${code(c.event)}`, details: [] };
    case 'property-removed':
      return { mark: '-', headline: `removed property ${code(`${c.name}: ${c.type}`)} from event ${code(c.event)}`, details: [] };
    case 'property-retyped':
      return {
        mark: '~',
        headline: `property ${code(`${c.event}.${c.name}`)} is now ${code(c.type.new)} (was ${code(c.type.old)})`,
        details: [],
      };
    case 'field-reading-changed': {
      const what = c.event === undefined ? `field ${code(c.name)}` : `property ${code(`${c.event}.${c.name}`)}`;
      const details: string[] = [];
      if (c.column !== undefined) {
        const show = (column: string | null): string => (column === null ? 'its own name' : code(`from ${JSON.stringify(column)}`));
        details.push(`column: ${arrow(show(c.column.old), style.strong(show(c.column.new)))}`);
      }
      if (c.missing !== undefined) details.push(`missing values: ${wordsDelta(c.missing, style)}`);
      return { mark: '~', headline: `${what} is read differently`, details };
    }
    case 'data-setting-changed':
      return { mark: '~', headline: `data block: ${code(c.setting)} is now ${code(c.value.new)} (was ${code(c.value.old)})`, details: [] };
    case 'data-words-changed':
      return { mark: '~', headline: `data block: ${code(c.setting)} ${wordsDelta(c, style)}`, details: [] };
    case 'let-added':
      return { mark: '+', headline: `added let ${code(`${c.name} = ${c.value}`)}`, details: [] };
    case 'let-removed':
      return { mark: '-', headline: `removed let ${code(`${c.name} = ${c.value}`)}`, details: [] };
    case 'let-changed':
      return { mark: '~', headline: `let ${code(c.name)} changed`, details: [`value: ${changeOf(c.value, code, style)}`] };
    case 'table-added':
      return { mark: '+', headline: `added table ${code(c.name)}`, details: c.lines.map((line) => code(line)) };
    case 'table-removed':
      return { mark: '-', headline: `removed table ${code(c.name)}`, details: c.lines.map((line) => code(line)) };
    case 'table-changed': {
      const details: string[] = [];
      if (c.values.added.length > 0) details.push(`new values: ${c.values.added.map(code).join(', ')}`);
      if (c.values.removed.length > 0) details.push(`values no longer given: ${c.values.removed.map(code).join(', ')}`);
      for (const p of c.patterns) {
        const parts: string[] = [];
        if (p.added.length > 0) parts.push(`+ ${p.added.map((t) => code(JSON.stringify(t))).join(', ')}`);
        if (p.removed.length > 0) parts.push(`- ${p.removed.map((t) => code(JSON.stringify(t))).join(', ')}`);
        details.push(`patterns of ${code(p.value)}: ${parts.join('; ')}`);
      }
      if (c.reordered) details.push('lines reordered: a text matching two lines may now get the other value');
      return { mark: '~', headline: `table ${code(c.name)} changed`, details };
    }
    case 'segment-added':
      return { mark: '+', headline: `added segment ${code(`${c.name} = ${c.condition}`)}`, details: [] };
    case 'segment-removed':
      return { mark: '-', headline: `removed segment ${code(`${c.name} = ${c.condition}`)}`, details: [] };
    case 'segment-changed':
      return { mark: '~', headline: `segment ${code(c.name)} changed`, details: [`condition: ${changeOf(c.condition, code, style)}`] };
    case 'group-added':
      return { mark: '+', headline: `added group ${code(c.group.name)} (${groupBounds(c.group.min, c.group.max)})`, details: [] };
    case 'group-removed':
      return { mark: '-', headline: `removed group ${code(c.group.name)} (${groupBounds(c.group.min, c.group.max)})`, details: [] };
    case 'group-bounds-changed': {
      const details: string[] = [];
      if (c.max !== undefined) details.push(`max: ${changeOf(c.max, bound, style)}`);
      if (c.min !== undefined) details.push(`min: ${changeOf(c.min, bound, style)}`);
      return { mark: '~', headline: `group ${code(c.name)} bounds changed`, details };
    }
    case 'score-range-changed': {
      const show = (range: { readonly min: number; readonly max: number } | null): string =>
        range === null ? 'none' : `${formatNumber(range.min)} to ${formatNumber(range.max)}`;
      return { mark: '~', headline: 'score range changed', details: [`range: ${changeOf(c.range, show, style)}`] };
    }
    case 'rule-added':
      return {
        mark: '+',
        headline: `added rule ${ruleName(c.rule, style)} ${place(c.rule.group, style)} (line ${c.rule.line})`,
        details: c.rule.label === null ? [] : [`rule: ${code(c.rule.source)}`],
      };
    case 'rule-removed':
      return {
        mark: '-',
        headline: `removed rule ${ruleName(c.rule, style)} ${place(c.rule.group, style)} (was line ${c.rule.line})`,
        details: c.rule.label === null ? [] : [`rule: ${code(c.rule.source)}`],
      };
    case 'rule-changed': {
      const details: string[] = [];
      if (c.ruleKind !== undefined) details.push(`kind: ${changeOf(c.ruleKind, code, style)}`);
      if (c.points !== undefined) details.push(`points: ${changeOf(c.points, formatPoints, style)}`);
      if (c.condition !== undefined) details.push(`condition: ${changeOf(c.condition, code, style)}`);
      if (c.group !== undefined) {
        const from = c.group.old === null ? 'outside any group' : `group ${code(c.group.old)}`;
        const to = c.group.new === null ? 'outside any group' : `group ${code(c.group.new)}`;
        details.push(`moved: ${arrow(from, style.strong(to))}`);
      }
      if (c.label !== undefined) {
        details.push(`label: ${changeOf(c.label, (l) => (l === null ? 'none' : style.quoted(l)), style)}`);
      }
      if (c.cap !== undefined) details.push(`up to: ${changeOf(c.cap, bound, style)}`);
      // `decay` says everything `halfLife` says (and linear and group decays): shown instead.
      if (c.decay !== undefined) details.push(`decay: ${changeOf(c.decay, (h) => h ?? 'none', style)}`);
      else if (c.halfLife !== undefined) details.push(`half-life: ${changeOf(c.halfLife, (h) => h ?? 'none', style)}`);
      if (c.limit !== undefined) details.push(`limit: ${changeOf(c.limit, (h) => h ?? 'none', style)}`);
      const lines = c.old.line === c.new.line ? `line ${c.new.line}` : `line ${c.old.line} ${ARROW} ${c.new.line}`;
      return { mark: '~', headline: `changed rule ${ruleName(c.old, style)} (${lines})`, details };
    }
    case 'stage-added':
      return { mark: '+', headline: `added stage ${code(stageText(c.stage))}`, details: [] };
    case 'stage-removed':
      return { mark: '-', headline: `removed stage ${code(stageText(c.stage))}`, details: [] };
    case 'stage-changed': {
      const details: string[] = [];
      if (c.threshold !== undefined) details.push(`threshold: ${changeOf(c.threshold, formatNumber, style)}`);
      if (c.requires !== undefined) {
        const parts: string[] = [];
        if (c.requires.added.length > 0) parts.push(`now also ${c.requires.added.map(code).join(', ')}`);
        if (c.requires.removed.length > 0) parts.push(`no longer ${c.requires.removed.map(code).join(', ')}`);
        details.push(`requires: ${parts.join('; ')}`);
      }
      if (c.condition !== undefined) details.push(`condition: ${changeOf(c.condition, (t) => (t === null ? 'none' : code(t)), style)}`);
      return { mark: '~', headline: `stage ${code(c.name)} changed`, details };
    }
    case 'stages-reordered':
      return {
        mark: '~',
        headline: 'stages reordered (the last stage reached wins)',
        details: [`order: ${changeOf(c.order, (names) => names.map(code).join(', '), style)}`],
      };
    case 'tier-added':
      return { mark: '+', headline: `added tier ${code(`${c.name} when ${c.condition}`)}`, details: [] };
    case 'tier-removed':
      return { mark: '-', headline: `removed tier ${code(`${c.name} when ${c.condition}`)}`, details: [] };
    case 'tier-changed':
      return { mark: '~', headline: `tier ${code(c.name)} changed`, details: [`condition: ${changeOf(c.condition, code, style)}`] };
    case 'tiers-reordered':
      return {
        mark: '~',
        headline: 'tiers reordered (the first match wins)',
        details: [`order: ${changeOf(c.order, (names) => names.map(code).join(', '), style)}`],
      };
  }
}

/** A stage name for tables: `(no stage)` for null. */
export function stageLabel(stage: string | null): string {
  return stage ?? '(no stage)';
}
