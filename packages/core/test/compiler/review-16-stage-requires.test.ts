// Review of issue 15 (STAGES) as a marketing-ops user would write it: `requires` items with
// parentheses, hostile text, French labels.
import { describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { stageConditionReasons } from '../../src/explain/stage-failures.js';

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  return scorer;
}

const LEAD = `
lead {
  email: text
  téléphone: text
  mobile: text
  consentement: bool
}
`;
const now = '2026-03-01T00:00:00Z';

describe('requires items in parentheses', () => {
  it('a bare field inside parentheses in a requires item means it is set, as without them', () => {
    const scorer = compileText(`${LEAD}
stage découverte at 0
stage contact at 0 requires (téléphone or mobile), email
stage joignable at 0 requires (téléphone or mobile) or (consentement), (email)
`);
    expect(scorer.score({ email: 'a@acme.fr', mobile: '06' }, { now }).stage).toBe('joignable');
    expect(scorer.score({ email: 'a@acme.fr' }, { now }).stage).toBe('découverte');
    expect(scorer.score({ mobile: '06' }, { now }).stage).toBe('découverte');
    // A bool in the `or` means it is set (false too), as `requires consentement or mobile` does.
    expect(scorer.score({ email: 'a@acme.fr', consentement: false }, { now }).stage).toBe('joignable');
    const contact = scorer.explain({ email: 'a@acme.fr' }, { now }).stages[1];
    expect(stageConditionReasons(contact)).toEqual(['neither `téléphone` nor `mobile` holds']);
  });
});
