/**
 * `rubric diff --format text`: the changes in meaning and their impact on leads, for a terminal.
 */
import type { ImpactReport, SemanticDiff } from '@rubric/core';
import type { Colors } from '../context.js';
import { countChanges, describeDiff, ruleName, stageLabel, type DiffStyle } from './diff-describe.js';
import { formatNumber, formatPoints } from './explanation.js';
import { terminalText } from './terminal-text.js';

/** The two versions compared, as shown to the user. */
export interface DiffVersions {
  /** The old version (`origin/main:rules/acme.rubric` or a path). */
  readonly old: string;
  /** The new version (a path). */
  readonly new: string;
}

/** The words for the units of an impact: leads, contacts (beside accounts), or accounts (`diff --accounts`). */
export interface ImpactUnit {
  readonly one: string;
  readonly many: string;
}

export const LEAD_UNIT: ImpactUnit = { one: 'lead', many: 'leads' };
export const ACCOUNT_UNIT: ImpactUnit = { one: 'account', many: 'accounts' };
/** The leads of `diff --leads --accounts`: the accounts' contacts. */
export const CONTACT_UNIT: ImpactUnit = { one: 'contact', many: 'contacts' };

/** The impact on the accounts (`rubric diff --accounts`): the core's report, its units accounts (ids = keys). */
export interface AccountImpact {
  readonly impact: ImpactReport;
  readonly source: ImpactSource;
}

/** Where the leads of the impact came from, and how many rows could not be read. */
export interface ImpactSource {
  readonly path: string;
  readonly skippedRows: number;
}

function textStyle(c: Colors): DiffStyle {
  return {
    code: (text) => c.cyan('`' + terminalText(text) + '`'),
    strong: (text) => c.bold(terminalText(text)),
    // JSON escapes C0 controls (`\u001b`), terminalText what JSON leaves (DEL, C1, bidi).
    quoted: (text) => terminalText(JSON.stringify(text)),
  };
}

/** Columns padded to their widest cell; `right` columns are right-aligned. */
export function textTable(rows: readonly (readonly string[])[], right: readonly boolean[], indent: string): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const pad = ' '.repeat(widths[i] - visibleLength(cell));
        if (i === row.length - 1 && !right[i]) return cell;
        return right[i] ? pad + cell : cell + pad;
      });
      return indent + cells.join('  ');
    })
    .join('\n');
}

/** Length without ANSI colour codes. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/**
 * The diff (and its impact) as text. Names, labels, values, lead ids and paths come from the rule
 * files and the data: they are escaped for the terminal where they are put in (by the style's
 * `code`, `strong` and `quoted`, and for paths, ids and stages here).
 */
export function renderDiffText(
  diff: SemanticDiff,
  versionsInput: DiffVersions,
  impact: ImpactReport | null,
  source: ImpactSource | null,
  c: Colors,
  accounts: AccountImpact | null = null,
): string {
  const versions = { old: terminalText(versionsInput.old), new: terminalText(versionsInput.new) };
  const style = textStyle(c);
  const out: string[] = [];
  if (diff.changes.length === 0) {
    out.push(`${c.bold(versions.new)}: ${c.green('no change in meaning')}`);
    out.push(`  old: ${versions.old}`, `  new: ${versions.new}`);
    out.push('  (layout, comments or the order of rules within a group may differ)');
  } else {
    out.push(`${c.bold(versions.new)}: ${countChanges(diff)}`);
    out.push(`  old: ${versions.old}`, `  new: ${versions.new}`);
    for (const section of describeDiff(diff, style)) {
      out.push('', c.bold(section.title));
      for (const change of section.changes) {
        const mark = change.mark === '+' ? c.green('+') : change.mark === '-' ? c.red('-') : c.yellow('~');
        out.push(`  ${mark} ${change.headline}`);
        for (const detail of change.details) out.push(`      ${detail}`);
      }
    }
  }
  if (impact !== null) out.push('', renderImpactText(impact, source, style, c, accounts === null ? LEAD_UNIT : CONTACT_UNIT));
  if (accounts !== null) out.push('', renderImpactText(accounts.impact, accounts.source, style, c, ACCOUNT_UNIT));
  return out.join('\n') + '\n';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function renderImpactText(impact: ImpactReport, source: ImpactSource | null, style: DiffStyle, c: Colors, unit: ImpactUnit): string {
  const out: string[] = [];
  const from = source === null ? '' : ` from ${terminalText(source.path)}`;
  out.push(c.bold(`Impact on ${count(impact.leads, unit.one, unit.many)}${from}`) + ` (scored at ${terminalText(impact.now)})`);
  if (source !== null && source.skippedRows > 0) out.push(`  ${count(source.skippedRows, 'row', 'rows')} could not be read and ${source.skippedRows === 1 ? 'was' : 'were'} skipped`);
  if (impact.leads === 0) return out.join('\n');
  out.push(
    `  ${count(impact.leadsChangingStage, `${unit.one} changes`, `${unit.many} change`)} stage, ` +
      `${count(impact.leadsChangingScore, `${unit.one} changes`, `${unit.many} change`)} score (${impact.scoreUp} up, ${impact.scoreDown} down)`,
  );
  out.push('');
  out.push(
    textTable(
      [
        ['score', 'old', 'new', 'change'],
        ['mean', formatNumber(impact.old.mean), formatNumber(impact.new.mean), formatPoints(impact.change.mean)],
        ['median', formatNumber(impact.old.median), formatNumber(impact.new.median), formatPoints(impact.change.median)],
      ],
      [false, true, true, true],
      '  ',
    ),
  );
  if (impact.stageCounts.length > 0) {
    out.push('');
    out.push(
      textTable(
        [
          ['stage', 'old', 'new', 'change'],
          ...impact.stageCounts.map((row) => [terminalText(stageLabel(row.stage)), String(row.old), String(row.new), formatPoints(row.new - row.old)]),
        ],
        [false, true, true, true],
        '  ',
      ),
    );
  }
  if (impact.stageMoves.length > 0) {
    out.push('', '  stage moves');
    out.push(
      textTable(
        impact.stageMoves.map((m) => [terminalText(stageLabel(m.from)), '→', terminalText(stageLabel(m.to)), count(m.leads, unit.one, unit.many)]),
        [false, false, false, true],
        '    ',
      ),
    );
  }
  if (impact.movers.length > 0) {
    out.push('', `  ${unit.many} that move most`);
    out.push(
      textTable(
        impact.movers.map((m) => [
          terminalText(m.id),
          `${formatNumber(m.oldScore)} → ${formatNumber(m.newScore)}`,
          `(${formatPoints(m.change)})`,
          terminalText(m.oldStage === m.newStage ? stageLabel(m.newStage) : `${stageLabel(m.oldStage)} → ${stageLabel(m.newStage)}`),
        ]),
        [false, false, true, false],
        '    ',
      ),
    );
  }
  if (impact.rules.length > 0) {
    out.push('', `  ${unit.many} each changed rule treats differently`);
    out.push(
      textTable(
        impact.rules.map((r) => [
          r.change === 'rule-added' ? '+' : r.change === 'rule-removed' ? '-' : '~',
          ruleName(r.rule, style),
          count(r.leads, unit.one, unit.many),
        ]),
        [false, false, true],
        '    ',
      ),
    );
  }
  return out.join('\n');
}
