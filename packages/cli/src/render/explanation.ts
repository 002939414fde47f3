/**
 * Explanations for people: the full breakdown of `rubric explain` and the one-line `why` column
 * of `rubric score --explain`.
 */
import { stageConditionReasons, type Explanation, type GroupExplanation, type Hit, type InvalidValue, type StageExplanation } from '@rubric/core';
import type { Colors } from '../context.js';
import { terminalText } from './terminal-text.js';

/** Points with two decimals at most and no `-0`. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** `+15`, `-5`, `+2.5`. */
export function formatPoints(value: number): string {
  const text = formatNumber(value);
  return value > 0 ? `+${text}` : text;
}

/**
 * Why a stage was not reached: `needs 40, has 32`, `phone is missing`, `` `email not ends any
 * personal_domains` does not hold ``, `` its `when` fails at `country in [FR, BE]` ``.
 */
export function stageReasons(stage: StageExplanation, score: number): string[] {
  const reasons: string[] = [];
  if (!stage.scoreReached) reasons.push(`needs ${formatNumber(stage.threshold)}, has ${formatNumber(score)}`);
  if (stage.missing.length > 0) {
    const names = stage.missing.map((field) => `\`${field}\``);
    reasons.push(`${joinWords(names)} ${names.length === 1 ? 'is' : 'are'} missing`);
  }
  reasons.push(...stageConditionReasons(stage));
  return reasons;
}

/** The stages after the lead's stage (the ones it could still move up to). */
function higherStages(explanation: Explanation): readonly StageExplanation[] {
  const current = explanation.stages.findIndex((stage) => stage.isStage);
  return explanation.stages.slice(current + 1).filter((stage) => !stage.reached);
}

export function describeInvalid(value: InvalidValue): string {
  return `\`${value.field}\`: expected ${value.expected}, got ${showJson(value.value)}`;
}

function showJson(value: unknown): string {
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Hits by group (`null`: rules outside groups), each in file order. */
function groupHits(hits: readonly Hit[]): Map<string | null, Hit[]> {
  const byGroup = new Map<string | null, Hit[]>();
  for (const hit of hits) {
    const list = byGroup.get(hit.group) ?? [];
    list.push(hit);
    byGroup.set(hit.group, list);
  }
  return byGroup;
}

function describeHitDetail(hit: Hit): string {
  const parts: string[] = [];
  if (hit.occurrences !== undefined) parts.push(`${hit.occurrences} ${hit.occurrences === 1 ? 'occurrence' : 'occurrences'}`);
  if (hit.capped === true) parts.push('capped by `up to`');
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function describeClamp(group: GroupExplanation): string {
  if (group.clampedBy === 'max') return `capped at max ${formatNumber(group.value)}; rules gave ${formatNumber(group.raw)}`;
  if (group.clampedBy === 'min') return `raised to min ${formatNumber(group.value)}; rules gave ${formatNumber(group.raw)}`;
  const bounds: string[] = [];
  if (group.min !== null) bounds.push(`min ${formatNumber(group.min)}`);
  if (group.max !== null) bounds.push(`max ${formatNumber(group.max)}`);
  return bounds.join(', ');
}

/**
 * The `why` column: the score's parts and the stage in one line, e.g.
 * `score 60: fit 25 (Ideal company profile +15, job in decision_makers +10); ...; stage purchase;
 * not sales_ready: `phone` is missing`. It starts with a word, never with `+`, `-` or `=`
 * (spreadsheets would read those as formulas).
 */
export function renderWhy(explanation: Explanation): string {
  const parts: string[] = [];
  const hitsByGroup = groupHits(explanation.hits);
  for (const group of explanation.groupDetails) {
    const hits = hitsByGroup.get(group.name) ?? [];
    if (hits.length === 0 && group.value === 0) continue;
    const clamp = group.clampedBy === null ? '' : `, ${describeClamp(group)}`;
    parts.push(`${group.name} ${formatNumber(group.value)} (${hits.map((hit) => `${hit.label} ${formatPoints(hit.points)}`).join(', ')}${clamp})`);
  }
  for (const hit of hitsByGroup.get(null) ?? []) parts.push(`${hit.label} ${formatPoints(hit.points)}`);
  if (explanation.scoreClampedBy !== null) {
    parts.push(`total ${formatNumber(explanation.rawScore)} clamped to ${formatNumber(explanation.score)} by \`score range\``);
  }
  parts.push(explanation.stage === null ? 'no stage' : `stage ${explanation.stage}`);
  for (const stage of higherStages(explanation)) parts.push(`not ${stage.name}: ${stageReasons(stage, explanation.score).join(', ')}`);
  if (explanation.invalidValues.length > 0) {
    parts.push(`ignored ${joinWords(explanation.invalidValues.map((value) => `\`${value.field}\``))} (wrong type)`);
  }
  return `score ${formatNumber(explanation.score)}: ${parts.join('; ')}`;
}

/** Where in a data file an explained lead was read (`rubric explain RULES DATA --id/--row`). */
export interface ExplainedRecord {
  /** The data file as shown in messages (`stdin` for `-`). */
  readonly file: string;
  /** The record's (first) line. */
  readonly line: number;
  /** Its data row number, 1-based (the header not counted). */
  readonly row: number;
  /** Its id (the id field as text), when it has one. */
  readonly id?: string;
}

/**
 * The full breakdown printed by `rubric explain` (ends with a newline). Labels, group, stage and
 * tier names, field names and values come from the rule file and the lead: they are shown with
 * their control characters escaped (see {@link terminalText}); the JSON output keeps them exact.
 */
export function renderExplanation(
  explanation: Explanation,
  options: { rulesPath: string; nowSource: string; data?: ExplainedRecord; subject?: 'lead' | 'account' },
  c: Colors,
): string {
  const subject = options.subject ?? 'lead';
  const out: string[] = [];
  const t = terminalText;
  const stage = t(explanation.stage ?? 'none');
  const tier = t(explanation.tier ?? 'none');
  out.push(`${c.bold(`score ${formatNumber(explanation.score)}`)}   stage ${c.bold(stage)}   tier ${c.bold(tier)}`);
  const data = options.data;
  if (data !== undefined) {
    // Ids and paths come from the data and the command line: escaped for the terminal.
    const lead = data.id === undefined ? `${subject} (no id)` : `${subject} ${t(data.id)}`;
    out.push(c.dim(`${lead}: ${t(data.file)} line ${data.line} (row ${data.row})`));
  }
  out.push(c.dim(`rules ${t(options.rulesPath)}, now ${t(explanation.now)} (${t(options.nowSource)})`));
  out.push('');

  const hitsByGroup = groupHits(explanation.hits);
  const hitText = (hit: Hit): string => t(`${hit.label}${describeHitDetail(hit)}`);
  const pointsWidth = Math.max(4, ...explanation.hits.map((hit) => formatPoints(hit.points).length));
  const labelWidth = Math.min(60, Math.max(10, ...explanation.hits.map((hit) => hitText(hit).length)));
  const hitLine = (hit: Hit): string => {
    const points = formatPoints(hit.points).padStart(pointsWidth);
    const label = hitText(hit).padEnd(labelWidth);
    return `    ${hit.points >= 0 ? c.green(points) : c.red(points)}  ${label}  ${c.dim(`line ${hit.line}`)}`;
  };

  out.push(c.bold('rules that fired'));
  if (explanation.hits.length === 0) out.push(c.dim('  none'));
  for (const group of explanation.groupDetails) {
    const hits = hitsByGroup.get(group.name) ?? [];
    const bounds = describeClamp(group);
    const clamp = group.clampedBy !== null ? c.yellow(` (${bounds})`) : bounds === '' ? '' : c.dim(` (${bounds})`);
    out.push(`  ${c.bold(t(group.name))} ${formatNumber(group.value)}${clamp}`);
    if (hits.length === 0) out.push(c.dim('    no rule fired'));
    for (const hit of hits) out.push(hitLine(hit));
  }
  const ungrouped = hitsByGroup.get(null) ?? [];
  if (ungrouped.length > 0) {
    out.push(`  ${c.bold('outside groups')} ${formatNumber(ungrouped.reduce((sum, hit) => sum + hit.points, 0))}`);
    for (const hit of ungrouped) out.push(hitLine(hit));
  }
  if (explanation.scoreClampedBy !== null) {
    out.push(
      c.yellow(
        `  total ${formatNumber(explanation.rawScore)} ${explanation.scoreClampedBy === 'max' ? 'capped' : 'raised'} to ${formatNumber(explanation.score)} by \`score range\``,
      ),
    );
  } else {
    out.push(`  total ${formatNumber(explanation.score)}`);
  }

  if (explanation.stages.length > 0) {
    out.push('');
    out.push(`${c.bold('stages')} ${c.dim(`(the ${subject} is in the last stage, in file order, whose conditions all hold)`)}`);
    const nameWidth = Math.max(...explanation.stages.map((s) => t(s.name).length));
    const thresholdWidth = Math.max(...explanation.stages.map((s) => formatNumber(s.threshold).length));
    for (const s of explanation.stages) {
      const head = `${t(s.name).padEnd(nameWidth)}  at ${formatNumber(s.threshold).padEnd(thresholdWidth)}`;
      if (s.isStage) out.push(`  ${c.green('→')} ${c.bold(head)}  ${c.green(`${subject}'s stage`)}`);
      else if (s.reached) out.push(`  ${c.green('✓')} ${head}  ${c.dim('reached (a later stage wins)')}`);
      else out.push(`  ${c.red('✗')} ${head}  ${t(stageReasons(s, explanation.score).join('; '))}`);
    }
  }

  if (explanation.invalidValues.length > 0) {
    out.push('');
    out.push(`${c.bold('invalid values')} ${c.dim('(ignored: they count as missing)')}`);
    for (const value of explanation.invalidValues) out.push(`  ${c.yellow(t(describeInvalid(value)))}`);
  }
  return `${out.join('\n')}\n`;
}
