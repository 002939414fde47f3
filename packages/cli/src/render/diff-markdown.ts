/**
 * `rubric diff --format markdown`: the changes in meaning and their impact, readable as a pull
 * request comment (GitHub-flavoured markdown). Everything the rule file or the leads contain is
 * shown in code spans, so no label, value or lead id can become a link, a mention or HTML.
 */
import type { ImpactReport, SemanticDiff } from '@rubric/core';
import { countChanges, describeDiff, ruleName, type DiffStyle } from './diff-describe.js';
import { ACCOUNT_UNIT, CONTACT_UNIT, LEAD_UNIT, type AccountImpact, type DiffVersions, type ImpactSource, type ImpactUnit } from './diff-text.js';
import { formatNumber, formatPoints } from './explanation.js';

/** A code span holding `text` exactly, whatever backticks it contains. */
export function codeSpan(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  // Line breaks would end a table row or a list item: show them as the escapes they came from.
  const oneLine = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

const style: DiffStyle = {
  code: codeSpan,
  strong: (text) => `**${text}**`,
  quoted: (text) => codeSpan(JSON.stringify(text)),
};

/** A table cell: pipes escaped (GitHub splits cells on `|` even inside code spans). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function table(header: readonly string[], right: readonly boolean[], rows: readonly (readonly string[])[]): string {
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `|${right.map((r) => (r ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function stageCode(stage: string | null): string {
  return stage === null ? '_no stage_' : codeSpan(stage);
}

export function renderDiffMarkdown(
  diff: SemanticDiff,
  versions: DiffVersions,
  impact: ImpactReport | null,
  source: ImpactSource | null,
  accounts: AccountImpact | null = null,
): string {
  const out: string[] = [];
  if (diff.changes.length === 0) {
    out.push(`### Rubric: no change in meaning in ${codeSpan(versions.new)}`);
    out.push('', `Compared ${codeSpan(versions.old)} with ${codeSpan(versions.new)}: only layout, comments or the order of rules within a group differ.`);
  } else {
    out.push(`### Rubric: ${countChanges(diff)} in ${codeSpan(versions.new)}`);
    out.push('', `Compared ${codeSpan(versions.old)} with ${codeSpan(versions.new)}.`);
    for (const section of describeDiff(diff, style)) {
      out.push('', `#### ${section.title}`, '');
      for (const change of section.changes) {
        out.push(`- ${capitalize(change.headline)}`);
        for (const detail of change.details) out.push(`  - ${detail}`);
      }
    }
  }
  if (impact !== null) out.push('', renderImpactMarkdown(impact, source, accounts === null ? LEAD_UNIT : CONTACT_UNIT));
  if (accounts !== null) out.push('', renderImpactMarkdown(accounts.impact, accounts.source, ACCOUNT_UNIT));
  return out.join('\n') + '\n';
}

function renderImpactMarkdown(impact: ImpactReport, source: ImpactSource | null, unit: ImpactUnit): string {
  const title = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
  const out: string[] = [];
  const from = source === null ? '' : ` from ${codeSpan(source.path)}`;
  out.push(`#### Impact on ${count(impact.leads, unit.one, unit.many)}${from}`, '');
  const skipped =
    source !== null && source.skippedRows > 0 ? ` ${count(source.skippedRows, 'row', 'rows')} could not be read and ${source.skippedRows === 1 ? 'was' : 'were'} skipped.` : '';
  if (impact.leads === 0) {
    out.push(`No ${unit.many} to score.${skipped}`);
    return out.join('\n');
  }
  out.push(
    `Scored at ${codeSpan(impact.now)}: **${count(impact.leadsChangingStage, `${unit.one} changes`, `${unit.many} change`)} stage**, ` +
      `${count(impact.leadsChangingScore, `${unit.one} changes`, `${unit.many} change`)} score (${impact.scoreUp} up, ${impact.scoreDown} down).${skipped}`,
  );
  if (impact.stageMoves.length > 0) {
    out.push(
      '',
      table(
        ['Stage before', 'Stage after', title(unit.many)],
        [false, false, true],
        impact.stageMoves.map((m) => [stageCode(m.from), stageCode(m.to), String(m.leads)]),
      ),
    );
  }
  out.push(
    '',
    table(
      ['Stage', 'Before', 'After', 'Change'],
      [false, true, true, true],
      impact.stageCounts.map((row) => [stageCode(row.stage), String(row.old), String(row.new), formatPoints(row.new - row.old)]),
    ),
  );
  out.push(
    '',
    table(
      ['Score', 'Before', 'After', 'Change'],
      [false, true, true, true],
      [
        ['Mean', formatNumber(impact.old.mean), formatNumber(impact.new.mean), formatPoints(impact.change.mean)],
        ['Median', formatNumber(impact.old.median), formatNumber(impact.new.median), formatPoints(impact.change.median)],
      ],
    ),
  );
  if (impact.rules.length > 0) {
    out.push(
      '',
      table(
        ['Changed rule', `${title(unit.many)} it treats differently`],
        [false, true],
        impact.rules.map((r) => [
          `${r.change === 'rule-added' ? 'added ' : r.change === 'rule-removed' ? 'removed ' : ''}${ruleName(r.rule, style)}`,
          String(r.leads),
        ]),
      ),
    );
  }
  if (impact.movers.length > 0) {
    out.push(
      '',
      `<details><summary>The ${count(impact.movers.length, unit.one, unit.many)} that move most</summary>`,
      '',
      table(
        [title(unit.one), 'Score', 'Stage'],
        [false, false, false],
        impact.movers.map((m) => [
          codeSpan(m.id),
          `${formatNumber(m.oldScore)} → ${formatNumber(m.newScore)} (**${formatPoints(m.change)}**)`,
          m.oldStage === m.newStage ? stageCode(m.newStage) : `${stageCode(m.oldStage)} → ${stageCode(m.newStage)}`,
        ]),
      ),
      '',
      '</details>',
    );
  }
  return out.join('\n');
}
