// Review of issue 14: the declarations `rubric profile` suggests are pasted into the rule file,
// so a field whose name is written in backticks (a keyword, or a name with a space) must keep
// them there: `job title: text from "Job Title"` does not parse.
import { describe, expect, it } from 'vitest';
import { analyze, compile, hasErrors, profileData, type CompiledScorer } from '../src/index.js';

function scorerOf(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return scorer;
}

const RULES = 'lead {\n  `job title`: text\n  `stage`: text\n}\nwhen `job title` = "CEO" add 10\nwhen `stage` is set add 1\n';

describe('profile suggestions name fields as the rule file writes them', () => {
  it('keeps the backticks of a field name in the suggested from and missing declarations', () => {
    const scorer = scorerOf(RULES);
    const leads = Array.from({ length: 6 }, (_, i) => ({ 'Job Title': i % 2 === 0 ? 'CEO' : 'CTO', stage: i % 3 === 0 ? '0000' : 'lead' }));
    const profile = profileData(scorer, leads, { columns: ['Job Title', 'stage'] });
    expect(profile.suggestions.from.map((s) => s.line)).toEqual(['`job title`: text from "Job Title"']);
    expect(profile.suggestions.declarations).toEqual(['`job title`: text from "Job Title"', '`stage`: text missing ["0000"]']);
    // Pasted in place of the declarations, the file still checks.
    const pasted = `lead {\n  ${profile.suggestions.declarations.join('\n  ')}\n}\nwhen \`job title\` = "CEO" add 10\nwhen \`stage\` is set add 1\n`;
    expect(hasErrors(analyze(pasted).diagnostics)).toBe(false);
  });
});
