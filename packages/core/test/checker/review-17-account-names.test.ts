// Review of issue 17 (found by using docs/language.md §14 as a new user): what the checker tells
// a user who misspells `account.NAME` in a contact rule. In a file with an `account` block,
// `account.NAME` reads the contact's account, and a lead field declared `account.…` is R064, so
// the help must point at the `account` block, never at the `lead` block.
import { describe, expect, it } from 'vitest';
import { checkText, renderDiagnostics } from './support.js';

const HEAD = `lead {
  fonction: text
  societe.siren: text
}
account siren = societe.siren {
  siren: text
  effectif: number
}
`;

function errors(text: string): string {
  return renderDiagnostics(checkText(text).diagnostics.filter((d) => d.severity === 'error'));
}

describe('an unknown `account.NAME` in a contact rule', () => {
  it('a typo: replace it with the account field, or declare it in the `account` block', () => {
    expect(errors(`${HEAD}when account.efectif > 3 add 1\n`)).toBe(
      [
        '[9:6..9:21] R010 error unknown account field `account.efectif`; did you mean `account.effectif`?',
        '    help: replace it with `account.effectif`, or declare `efectif: number` in the `account` block',
        '    fix: replace with `account.effectif`: [9:6..9:21] => "account.effectif"',
        '    fix: add `efectif: number` to the `account` block: [8:1..8:1] => "  efectif: number\\n"',
        '',
      ].join('\n'),
    );
  });

  it('a new name: declare it in the `account` block (a lead field `account.foo` would be R064)', () => {
    expect(errors(`${HEAD}when account.region = wallonie add 1\n`)).toBe(
      [
        '[9:6..9:20] R010 error unknown account field `account.region`',
        '    help: declare `region: text` in the `account` block',
        '    fix: add `region: text` to the `account` block: [8:1..8:1] => "  region: text\\n"',
        '',
      ].join('\n'),
    );
  });

  it('following the fix gives a file without errors', () => {
    const fixed = HEAD.replace('  effectif: number\n', '  effectif: number\n  region: text\n');
    expect(errors(`${fixed}when account.region = wallonie add 1\n`)).toBe('(no diagnostics)\n');
  });

  it('a file without an `account` block keeps the lead-field help', () => {
    expect(errors('lead {\n  x: number\n}\nwhen account.foo > 3 add 1\n')).toContain('declare it in the `lead` block: `account.foo: number`');
  });
});

describe('a misspelt `score` after `best`, `sum` or `average`', () => {
  it('suggests `score`, with a quick fix', () => {
    expect(errors(`${HEAD}when fonction = DAF add 5\nscore accounts {\n  when best scor of contacts >= 1 add 5\n}\n`)).toBe(
      [
        '[11:13..11:17] R013 error unknown group `scor`; did you mean `score`?',
        '    help: `best` takes `score` or a contact group: the file declares none',
        '    fix: replace with `score`: [11:13..11:17] => "score"',
        '',
      ].join('\n'),
    );
  });
  it('the fixed rule checks', () => {
    expect(errors(`${HEAD}when fonction = DAF add 5\nscore accounts {\n  when best score of contacts >= 1 add 5\n}\n`)).toBe('(no diagnostics)\n');
  });
});

describe('a stage or tier name when there are none to name', () => {
  it('`account.stage = x` without account stages says where to declare them (not "one of []")', () => {
    const out = errors(`${HEAD}when account.stage = x add 1\n`);
    expect(out).toContain('R015 error `x` is not one of the values of `account.stage`');
    expect(out).toContain('help: the accounts have no stages: declare them in `score accounts { }`, e.g. `stage x at 50`');
    expect(out).not.toContain('[]');
  });

  it('`account.tier = x` without account tiers', () => {
    expect(errors(`${HEAD}when account.tier = x add 1\n`)).toContain('help: the accounts have no tiers: declare them in `score accounts { }`, e.g. `tier x when score >= 80`');
  });

  it('`stage = x` in a test over contacts, in a file without contact stages', () => {
    const out = errors(`${HEAD}when fonction = DAF add 5\nscore accounts {\n  when count contacts where stage = x >= 1 add 1\n}\n`);
    expect(out).toContain('help: the contacts have no stages: declare them outside `score accounts`, e.g. `stage x at 50`');
  });
});

describe('a contact of an account test whose key names another account', () => {
  const test = (account: string, contact: string): string =>
    `${HEAD}when fonction = DAF add 5\nscore accounts {\n  when count contacts >= 2 add 1\n}\ntest "t" {\n  account { ${account} }\n  contact { fonction: DAF${contact} }\n  expect account score 0\n}\n`;

  it('is an error: it would be counted as the test account\'s contact, which no real data does', () => {
    expect(errors(test('siren: "552100554"', ', societe.siren: "400000000"'))).toBe(
      [
        '[15:43..15:54] R068 error test "t": this contact\'s `societe.siren` is "400000000", but the test\'s account has `siren: "552100554"`',
        '    help: a test\'s contacts belong to its account: leave `societe.siren` out, or write "552100554"',
        '    fix: write "552100554": [15:43..15:54] => "\\"552100554\\""',
        '',
      ].join('\n'),
    );
  });

  it('the same key, or none, is fine', () => {
    expect(errors(test('siren: "552100554"', ', societe.siren: "552100554"'))).toBe('(no diagnostics)\n');
    expect(errors(test('siren: "552100554"', ''))).toBe('(no diagnostics)\n');
    expect(errors(test('siren: acme', ', societe.siren: "acme"'))).toBe('(no diagnostics)\n');
  });
});

describe('unknown names inside `score accounts`', () => {
  const scoring = (rule: string): string => `${HEAD}when fonction = DAF add 5\nscore accounts {\n  ${rule}\n}\n`;

  it('a misspelt `account.NAME`: write the account field by its name', () => {
    expect(errors(scoring('when account.efectif > 3 add 1'))).toBe(
      [
        '[11:8..11:23] R010 error unknown account field `account.efectif`; did you mean `effectif`?',
        "    help: inside `score accounts` the account's fields are read by their names: write `effectif`",
        '    fix: replace with `effectif`: [11:8..11:23] => "effectif"',
        '',
      ].join('\n'),
    );
  });

  it('a misspelt account field: the fix that declares it says where it goes (the `account` block)', () => {
    expect(errors(scoring('when efectif > 3 add 1'))).toContain('    fix: add `efectif: number` to the account block: [8:1..8:1] => "  efectif: number\\n"');
  });
});
