// Review of the unquoted-label hint (issue 15) with French labels: an apostrophe in a word
// (`l'acheteur`) opens a single-quoted string; the help says how to write it.
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/syntax/parse.js';

function onlyDiagnostic(text: string) {
  const { diagnostics } = parse(text);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0];
}

describe('an apostrophe inside a word', () => {
  it('says to put the whole text in double quotes, not to close the string with `\'`', () => {
    const d = onlyDiagnostic("lead {\n  poste: text\n}\nwhen poste = CTO add 5 l'acheteur technique\n");
    expect(d.code).toBe('R002');
    expect(d.message).toBe("this string has no closing `'`");
    expect(d.help).toBe('`\'` right after a letter is taken as the start of a text in single quotes; for an apostrophe, write the whole text in double quotes, e.g. `"l\'acheteur"`');
  });

  it('keeps the usual help for a string that starts after a space', () => {
    const d = onlyDiagnostic("lead {\n  poste: text\n}\nwhen poste = 'CTO add 5\n");
    expect(d.help).toBe("close the string with `'` on the same line");
  });
});
