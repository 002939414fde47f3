import {
  decayText,
  effectiveDecay,
  limitText,
  DATA_SETTING_DOCS,
  DATA_SETTINGS,
  DATA_VALUE_DOCS,
  type ConstValue,
  type DataDecl,
  type DataDialect,
  type DataSettingName,
  type FieldInfo,
  type GroupInfo,
  type Model,
  type Range,
  type RuleInfo,
  type StageInfo,
  type SymbolDeclaration,
} from '@rubric/core';
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import type { DocumentState } from '../document-state.js';
import { symbolAt } from '../symbols.js';
import { containsOffset, sliceRange, toLspRange } from '../text.js';
import { typeText } from './document-symbols.js';
import { accountHover, accountSymbolHover } from './hover-accounts.js';
import { codeBlock, escapeMarkdown, inlineCode } from '../markdown.js';

/** `source` (the file's text) as a fenced code block that no text in it can close. */
export function code(source: string): string {
  return codeBlock(source);
}

export function oneLine(source: string): string {
  return source.replace(/\s+/g, ' ').trim();
}

function points(value: number): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, '');
  return value > 0 ? `+${text}` : text;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function constText(value: ConstValue): string {
  switch (value.kind) {
    case 'text':
      return `text ${inlineCode(value.value)}`;
    case 'number':
      return `number ${value.value}`;
    case 'bool':
      return `bool ${value.value}`;
    case 'date':
      return `date ${Number.isFinite(value.epochSeconds) ? new Date(value.epochSeconds * 1000).toISOString() : '(invalid)'}`;
    case 'list':
      return `list of ${plural(value.values.length, 'value')}: ${value.values.map((v) => `${inlineCode(v)}`).join(', ')}`;
  }
}

function groupBounds(group: GroupInfo): string {
  const parts: string[] = [];
  if (group.max !== null) parts.push(`max ${group.max}`);
  if (group.min !== null) parts.push(`min ${group.min}`);
  return parts.length === 0 ? 'no cap' : parts.join(', ');
}

/** The most one rule can add and take away before group clamps (undefined: unbounded). */
function ruleSpan(rule: RuleInfo): { most: number; least: number } | undefined {
  if (rule.kind === 'when') return { most: Math.max(0, rule.points), least: Math.min(0, rule.points) };
  if (rule.cap === undefined) return undefined;
  return rule.points > 0 ? { most: rule.cap, least: 0 } : { most: 0, least: -rule.cap };
}

export function groupSummary(group: GroupInfo): string[] {
  const lines = [`${plural(group.rules.length, 'rule')}; clamp: ${groupBounds(group)}.`];
  let most = 0;
  let bounded = true;
  for (const rule of group.rules) {
    const span = ruleSpan(rule);
    if (span === undefined) bounded = false;
    else most += span.most;
  }
  if (bounded) {
    const capped = group.max !== null && group.max < most;
    lines.push(`Its rules can add up to ${most} points${capped ? `, capped at ${group.max}` : ''}.`);
  } else {
    lines.push('An `each` rule without `up to` makes its total unbounded before the clamp.');
  }
  const decay = decayText(group.decay);
  if (decay !== null) lines.push(`Decays its rules: ${decay}, unless a rule has its own decay.`);
  if (group.dependsOn.length > 0) lines.push(`Reads groups: ${group.dependsOn.map((g) => `${inlineCode(g)}`).join(', ')}.`);
  return lines;
}

/** `model`: the file's, or the account's scoring model for a rule of `score accounts` (issue 17). */
export function ruleHover(state: DocumentState, rule: RuleInfo, model: Model = state.analysis.model): string {
  const lines: string[] = [];
  // The label is the user's text: escaped, so `<b>x</b>` or `[x](javascript:...)` shows as written.
  const label = rule.hasLabel ? ` — “${escapeMarkdown(rule.label)}”` : '';
  const group = rule.group === null ? undefined : model.groups.find((g) => g.name === rule.group);
  // The decay the rule follows: its own, else its group's (as the compiler resolves it).
  const decay = effectiveDecay(rule, group?.decay);
  const decayFrom = decay === undefined ? '' : `${decayText(decay) ?? ''}${rule.decay === undefined ? ` (from group ${inlineCode(String(rule.group))})` : ''}`;
  if (rule.kind === 'when') {
    lines.push(`**rule** ${inlineCode(points(rule.points))} points once${label}`);
    if (decay !== undefined && rule.decayEvent !== undefined) {
      lines.push(`Decays: ${decayFrom}, with the age of the latest ${inlineCode(rule.decayEvent.event)} its \`any\` test matches.`);
    } else if (group?.decay !== undefined) {
      lines.push(`Not decayed: it tests no single \`any EVENT\` to take an age from (group ${inlineCode(group.name)} decays).`);
    }
  } else {
    const extras: string[] = [];
    if (rule.query.withinSeconds !== undefined) extras.push(`occurrences within ${rule.query.withinSeconds / 86400} days`);
    if (rule.cap !== undefined) extras.push(`up to ${rule.cap}`);
    const limit = limitText(rule.limit);
    if (limit !== null) extras.push(`${limit} (the latest of each period of age count)`);
    if (decay !== undefined) extras.push(decayFrom);
    lines.push(`**rule** ${inlineCode(points(rule.points))} points per ${inlineCode(rule.query.event)}${label}`);
    if (extras.length > 0) lines.push(extras.join(', '));
  }
  if (rule.group === null) {
    lines.push('No group: adds to the total directly.');
  } else {
    lines.push(`Group ${inlineCode(rule.group)}${group ? ` (${groupBounds(group)})` : ''}.`);
  }
  return lines.join('\n\n');
}

export function stageHover(state: DocumentState, stage: StageInfo, model: Model = state.analysis.model): string {
  const decl = stage.decl;
  // A stage of `score accounts` (issue 17) is the account's, reached by the account's score.
  const ofAccount = model !== state.analysis.model;
  const lines = [code(oneLine(sliceRange(state.text, decl.range)))];
  const conditions = stage.conditions ?? [];
  lines.push(`**${ofAccount ? 'account stage' : 'stage'}** ${inlineCode(stage.name)}: reached when ${ofAccount ? "the account's score" : 'the score'} is at least **${stage.threshold}**` +
    (stage.requires.length > 0 ? `, ${stage.requires.map((f) => `${inlineCode(f)}`).join(', ')} ${stage.requires.length === 1 ? 'is' : 'are'} set` : '') +
    (conditions.length > 0 ? `, ${conditions.map((part) => inlineCode(part.text)).join(', ')} ${conditions.length === 1 ? 'holds' : 'hold'}` : '') +
    (decl.when !== undefined ? ` and ${inlineCode(oneLine(sliceRange(state.text, decl.when.range)))} holds` : '') + '.');
  const index = model.stages.indexOf(stage);
  lines.push(`Stage ${index + 1} of ${model.stages.length}; ${ofAccount ? "an account's" : "a lead's"} stage is the last one it reaches, in file order.`);
  return lines.join('\n\n');
}

/** Where a declaration is, as the editor numbers lines (which may differ from the core's: a lone `\r`). */
function declarationLine(state: DocumentState, declaration: SymbolDeclaration): string {
  return `line ${state.lines.lineAt(declaration.nameRange.start.offset) + 1}`;
}

/** How a field or property is read, when its declaration says: `from` and `missing`. */
function readingText(info: FieldInfo | undefined, dialect: DataDialect): string[] {
  if (info === undefined) return [];
  const lines: string[] = [];
  if (info.column !== undefined) lines.push(`Read from the column ${inlineCode(info.column)}.`);
  const own = info.missing ?? [];
  if (own.length > 0 || dialect.missing.length > 0) {
    const all = [...new Set([...dialect.missing, ...own])].map((v) => `${inlineCode(v)}`);
    lines.push(`Missing when it is ${all.join(', ')}${own.length > 0 && dialect.missing.length > 0 ? ' (its own and the `data` block\'s)' : ''}.`);
  }
  return lines;
}

function isSettingName(name: string): name is DataSettingName {
  return (DATA_SETTINGS as readonly string[]).includes(name);
}

/** What the dialect of the file reads, for hover on the word `data`. */
function dialectSummary(dialect: DataDialect): string {
  const lines = ['**data block**: how the data the rules read writes its values.'];
  lines.push(`Numbers: ${inlineCode(dialect.numbers.replace('-', ' '))}; dates: ${inlineCode(dialect.dates.replace('-', ' '))} (ISO 8601 is always read).`);
  if (dialect.missing.length > 0) lines.push(`Missing in every field: ${dialect.missing.map((v) => `${inlineCode(v)}`).join(', ')}.`);
  if (dialect.trueWords.length > 0) lines.push(`Also true: ${dialect.trueWords.map((v) => `${inlineCode(v)}`).join(', ')}.`);
  if (dialect.falseWords.length > 0) lines.push(`Also false: ${dialect.falseWords.map((v) => `${inlineCode(v)}`).join(', ')}.`);
  return lines.join('\n\n');
}

/** Hover inside a `data` block: a setting's meaning, a value's meaning, the dialect on `data`. */
function dataHover(state: DocumentState, offset: number): { value: string; range: Range } | undefined {
  const statements = state.analysis.model.file.statements ?? [];
  const block = statements.find((s): s is DataDecl => s?.kind === 'DataDecl' && containsOffset(s.range, offset));
  if (block === undefined) return undefined;
  const start = block.range.start.offset;
  if (offset >= start && offset <= start + 'data'.length) {
    const range: Range = { start: block.range.start, end: { ...block.range.start, offset: start + 4, column: block.range.start.column + 4 } };
    return { value: dialectSummary(state.analysis.model.dialect), range };
  }
  for (const setting of block.settings ?? []) {
    const name = setting?.name;
    if (name === undefined) continue;
    if (containsOffset(name.range, offset)) {
      const text = isSettingName(name.text) ? DATA_SETTING_DOCS[name.text] : `${inlineCode(name.text)} is not a setting: the settings are ${DATA_SETTINGS.map((n) => `${inlineCode(n)}`).join(', ')}.`;
      return { value: `**${escapeMarkdown(name.text)}** (data setting)\n\n${text}`, range: name.range };
    }
    const value = setting.value;
    if (value?.kind === 'DataWords' && containsOffset(value.range, offset)) {
      const doc = DATA_VALUE_DOCS[value.text];
      if (doc !== undefined) return { value: `**${escapeMarkdown(name.text)}: ${escapeMarkdown(value.text)}**\n\n${doc}`, range: value.range };
    }
  }
  return undefined;
}

function symbolHover(state: DocumentState, declaration: SymbolDeclaration): string {
  const model = state.analysis.model;
  const uses = state.symbolIndex.references.get(declaration.key)?.length ?? 0;
  const used = `Declared on ${declarationLine(state, declaration)}; used ${uses === 1 ? 'once' : `${uses} times`}.`;
  // Issue 17: the account's own segments, groups, stages and tiers, and `account.NAME`.
  const account = accountSymbolHover(state, declaration, used);
  if (account !== undefined) return account;
  switch (declaration.kind) {
    case 'field': {
      const info = model.fields.get(declaration.name);
      const type = info ? typeText(state.text, info.decl.type) : declaration.detail;
      return [code(`${declaration.name}: ${type}`), `**lead field** of type ${inlineCode(oneLine(type))}.`, ...readingText(info, model.dialect), used].join('\n\n');
    }
    case 'account-field': {
      const info = model.account?.fields.get(declaration.name);
      const type = info ? typeText(state.text, info.decl.type) : declaration.detail;
      return [code(`${declaration.name}: ${type}`), `**account field** of type ${inlineCode(oneLine(type))}; contact rules read it as ${inlineCode(`account.${declaration.name}`)}, the rules of \`score accounts\` as ${inlineCode(declaration.name)}.`, ...readingText(info, model.dialect), used].join('\n\n');
    }
    case 'property': {
      const event = declaration.container ?? '';
      const info = model.events.get(event)?.properties.get(declaration.name);
      const type = info ? typeText(state.text, info.decl.type) : declaration.detail;
      return [code(`${declaration.name}: ${type}`), `**property** of event ${inlineCode(event)}.`, ...readingText(info, model.dialect), used].join('\n\n');
    }
    case 'event': {
      const info = model.events.get(declaration.name);
      const source = info ? oneLine(sliceRange(state.text, info.decl.range)) : `event ${declaration.name}`;
      const count = info?.properties.size ?? 0;
      return [code(source), `**event** with ${plural(count, 'property')} (plus \`at\`, its time).`, used].join('\n\n');
    }
    case 'let': {
      const info = model.lets.get(declaration.name);
      const source = info ? oneLine(sliceRange(state.text, info.decl.range)) : `let ${declaration.name}`;
      const value = info ? `**let**: ${constText(info.value)}.` : '**let**';
      return [code(source), value, used].join('\n\n');
    }
    case 'segment': {
      const info = model.segments.get(declaration.name);
      const source = info ? oneLine(sliceRange(state.text, info.decl.range)) : `segment ${declaration.name}`;
      return [code(source), '**segment**: a named condition, usable wherever a condition is.', used].join('\n\n');
    }
    case 'group': {
      const info = model.groups.find((g) => g.name === declaration.name);
      if (info === undefined) return [code(`group ${declaration.name}`), used].join('\n\n');
      const head = oneLine(sliceRange(state.text, { start: info.decl.range.start, end: info.decl.name.range.end }));
      const bounds = [info.max !== null ? `max ${info.max}` : '', info.min !== null ? `min ${info.min}` : ''].filter(Boolean).join(' ');
      return [code(`${head}${bounds ? ` ${bounds}` : ''}`), `**group**: ${groupSummary(info).join(' ')}`, used].join('\n\n');
    }
    case 'stage': {
      const info = model.stages.find((s) => s.name === declaration.name);
      return info ? `${stageHover(state, info)}\n\n${used}` : [code(`stage ${declaration.name}`), used].join('\n\n');
    }
    case 'tier': {
      const info = model.tiers.find((t) => t.name === declaration.name);
      const source = info ? oneLine(sliceRange(state.text, info.decl.range)) : `tier ${declaration.name}`;
      return [code(source), "**tier**: a second label; the first tier whose condition holds is the lead's.", used].join('\n\n');
    }
    case 'test':
      return [`**test** “${escapeMarkdown(declaration.name)}”`, `Declared on ${declarationLine(state, declaration)}.`].join('\n\n');
    case 'table': {
      // The table's lines as written: which texts give which value (the first match wins).
      const info = model.tables.get(declaration.name);
      if (info === undefined) return [code(`table ${declaration.name}`), used].join('\n\n');
      const lines = info.lines.map((line) => `  ${oneLine(sliceRange(state.text, line.range))}`);
      const values = info.outputs.map((v) => `${inlineCode(v)}`).join(', ');
      return [
        code([`table ${declaration.name} {`, ...lines, '}'].join('\n')),
        `**table**: gives ${values} to a text matching one of a line's patterns (\`*\` = any characters; case and accents ignored; the first matching line wins), and nothing (missing) to other texts.`,
        used,
      ].join('\n\n');
    }
  }
}

/**
 * Hover: a field's type and declaration, an event's properties, a `let`'s values, a segment's
 * condition, a group's clamp and reach, a stage's threshold and requirements; over a rule (off
 * any name), its points, group and the group's cap; in a `data` block, what a setting or value
 * means, and on the word `data` what the file's dialect reads.
 */
export function hover(state: DocumentState, params: HoverParams): Hover | null {
  const offset = state.lines.offsetAt(params.position);
  const hit = symbolAt(state, offset);
  if (hit !== undefined) {
    return { contents: { kind: MarkupKind.Markdown, value: symbolHover(state, hit.declaration) }, range: toLspRange(hit.range, state.lines) };
  }
  const data = dataHover(state, offset);
  if (data !== undefined) {
    return { contents: { kind: MarkupKind.Markdown, value: data.value }, range: toLspRange(data.range, state.lines) };
  }
  // Issue 17: a test over contacts, the account words, the rules of `score accounts`.
  const account = accountHover(state, offset, params.position.line);
  if (account !== undefined) {
    return { contents: { kind: MarkupKind.Markdown, value: account.value }, range: toLspRange(account.range, state.lines) };
  }
  const model = state.analysis.model;
  // Innermost first: rules live inside groups.
  const rule = model.rules.find((r) => containsOffset(r.range, offset));
  if (rule !== undefined) {
    return { contents: { kind: MarkupKind.Markdown, value: ruleHover(state, rule) }, range: toLspRange(rule.range, state.lines) };
  }
  const stage = model.stages.find((s) => containsOffset(s.decl.range, offset));
  if (stage !== undefined) {
    return { contents: { kind: MarkupKind.Markdown, value: stageHover(state, stage) }, range: toLspRange(stage.decl.range, state.lines) };
  }
  // On a group's header line (not on the blank lines of its body).
  const group = model.groups.find(
    (g) => containsOffset(g.decl.range, offset) && params.position.line === state.lines.lineAt(g.decl.range.start.offset),
  );
  if (group !== undefined) {
    return {
      contents: { kind: MarkupKind.Markdown, value: `**group** ${inlineCode(group.name)}: ${groupSummary(group).join(' ')}` },
      range: toLspRange(group.decl.name.range, state.lines),
    };
  }
  return null;
}
