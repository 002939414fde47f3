import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountProfileScorer, analyze, compile, DataProfiler, hasErrors, profileData, type CompiledScorer, type DataProfile, type FieldProfile, type Lead } from '../../src/index.js';

function scorerOf(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return scorer;
}

function field(profile: DataProfile, name: string): FieldProfile {
  const found = profile.fields.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no field ${name}`);
  return found;
}

const RULES = `lead {
  job: text
  phone: text
  company.size: number
  newsletter: bool
  created_at: date
  seniority: one of [junior, senior, unknown]
  tags: list of text
}
when job = "CEO" add 10
when phone is set add 5
when company.size > 10 add 5
when newsletter add 1
when created_at >= 30 days ago add 1
when seniority = senior add 1
when tags has vip add 1
`;

describe('DataProfiler: the scorer decides what is filled, missing and invalid', () => {
  it('counts each field as validate reports it; filled + missing + invalid = rows', () => {
    const scorer = scorerOf(RULES);
    const leads: Lead[] = [
      { job: 'CEO', phone: 'N/A', 'company.size': '1 200', newsletter: 'oui', created_at: '20/02/2026', seniority: 'junior', tags: 'vip;N/A' },
      { job: 'n/a', phone: '0000', 'company.size': '8,5', newsletter: 'non', created_at: '01/02/2026', seniority: 'boss', tags: [] },
      { job: '-', phone: 'N/A', company: { size: 12 }, newsletter: 'yes', created_at: '2026-01-01', seniority: 'unknown', tags: ['a', 3] },
      { job: '  ', phone: null, newsletter: true },
    ];
    const profile = profileData(scorer, leads);
    expect(profile.rows).toBe(4);
    for (const f of profile.fields) expect(f.filled + f.missing + f.invalid, f.name).toBe(f.rows);
    expect(field(profile, 'job')).toMatchObject({ filled: 3, missing: 1, invalid: 0 });
    expect(field(profile, 'company.size')).toMatchObject({ filled: 1, missing: 1, invalid: 2, examples: ['1 200', '8,5'] });
    expect(field(profile, 'newsletter')).toMatchObject({ filled: 2, missing: 0, invalid: 2 });
    expect(field(profile, 'seniority')).toMatchObject({ filled: 2, missing: 1, invalid: 1, invalidValues: [{ value: 'boss', count: 1 }] });
    // An empty array is missing; an array with a number in it is of the wrong type.
    expect(field(profile, 'tags')).toMatchObject({ filled: 1, missing: 2, invalid: 1 });
  });

  it('agrees with validate on random leads (property)', () => {
    const scorer = scorerOf(`lead {
  n: number
  b: bool
  d: date
  t: text
  o: one of [a, b]
  l: list of text
}
data {
  missing: ["N/A", "-"]
  numbers: decimal comma
  dates: day first
  true: [oui]
  false: [non]
}
`);
    const text = fc.constantFrom('', ' ', 'N/A', 'n/a', '-', '1 200', '8,5', '12', 'oui', 'non', 'yes', '20/02/2026', '2026-02-20', 'a', 'b', 'c', 'x;y', 'N/A;-', '0000');
    const value = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.constant(undefined));
    const lead = fc.record({ n: value, b: value, d: value, t: value, o: value, l: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(lead, { maxLength: 20 }), (leads) => {
        const profile = profileData(scorer, leads as Lead[]);
        for (const name of ['n', 'b', 'd', 't', 'o', 'l']) {
          const reported = leads.filter((one) => scorer.validate(one as Lead).some((value) => value.field === name)).length;
          const f = field(profile, name);
          expect(f.invalid, name).toBe(reported);
          expect(f.filled + f.missing + f.invalid).toBe(leads.length);
        }
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('counts declared placeholders as missing, apart, and never suspects them', () => {
    const scorer = scorerOf(`lead {
  phone: text missing ["0000"]
  size: number
}
data { missing: ["N/A"] }
when phone is set add 5
when size > 1 add 1
`);
    const profile = profileData(scorer, [{ phone: 'N/A', size: 'n/a' }, { phone: '0000' }, { phone: 'inconnu', size: '-' }, { phone: '06 12' }]);
    const phone = field(profile, 'phone');
    expect(phone).toMatchObject({ filled: 2, missing: 2, invalid: 0 });
    expect(phone.declaredPlaceholders).toEqual([
      { value: 'N/A', count: 1 },
      { value: '0000', count: 1 },
    ]);
    expect(phone.placeholders).toEqual([{ value: 'inconnu', count: 1, readAs: 'value', kind: 'word' }]);
    const size = field(profile, 'size');
    // `n/a` folds to the declared `n/a`: missing, not invalid (as is an absent size); `-` is a
    // suspected placeholder, reported today.
    expect(size).toMatchObject({ filled: 0, missing: 3, invalid: 1 });
    expect(size.placeholders).toEqual([{ value: '-', count: 1, readAs: 'invalid', kind: 'word' }]);
  });

  it('never suspects a value of the field\'s own `one of` set', () => {
    const profile = profileData(scorerOf(RULES), [{ seniority: 'unknown' }, { seniority: 'unknown' }]);
    expect(field(profile, 'seniority').placeholders).toEqual([]);
  });

  it('suspects a repeated symbol token, not a lone one', () => {
    const profile = profileData(scorerOf(RULES), [{ job: '**' }, { job: '**' }, { job: '//' }]);
    expect(field(profile, 'job').placeholders.map((p) => p.value)).toEqual(['**']);
  });

  it('keeps at most maxDistinct values per field and says "at least"', () => {
    const scorer = scorerOf(RULES);
    const leads = Array.from({ length: 50 }, (_, i) => ({ job: `job ${i % 10}` }));
    const bounded = profileData(scorer, leads, { maxDistinct: 4 });
    const job = field(bounded, 'job');
    expect(job.distinct).toBe(4);
    expect(job.distinctAtLeast).toBe(true);
    expect(job.topValues[0]).toEqual({ value: 'job 0', count: 5 });
    const full = field(profileData(scorer, leads), 'job');
    expect(full).toMatchObject({ distinct: 10, distinctAtLeast: false });
  });
});

describe('DataProfiler: columns', () => {
  it('lists unused columns (not the id) and columns fields read that are absent, with `from`', () => {
    const scorer = scorerOf(`lead {
  job: text from "Job Title"
  company.size: number
  email: text from "E-mail"
}
when job = "CEO" add 1
when company.size > 1 add 1
when email is set add 1
`);
    const profile = profileData(scorer, [], { columns: ['id', 'Job Title', 'Company Size', 'Comment'] });
    expect(profile.unusedColumns).toEqual(['Company Size', 'Comment']);
    expect(profile.missingColumns).toEqual(['company.size', 'E-mail']);
    // `Company Size` is clearly `company.size`; nothing is clearly `E-mail`.
    expect(profile.suggestions.from).toEqual([{ field: 'company.size', column: 'Company Size', line: 'company.size: number from "Company Size"' }]);
    expect(profile.suggestions.declarations).toEqual(['company.size: number from "Company Size"']);
  });

  it('suggests no `from` when a column could be two fields', () => {
    const scorer = scorerOf(`lead {
  job_title: text
  job.title: text
}
when job_title = "x" add 1
when job.title = "x" add 1
`);
    const profile = profileData(scorer, [], { columns: ['Job Title'] });
    expect(profile.suggestions.from).toEqual([]);
  });

  it('collects JSON keys, and a nested object counts as the column of its dotted fields', () => {
    const profile = profileData(scorerOf(RULES), [{ id: 1, job: 'CEO', company: { size: 3 }, extra: 1 }]);
    expect(profile.unusedColumns).toEqual(['extra']);
    expect(profile.missingColumns).toEqual(['phone', 'newsletter', 'created_at', 'seniority', 'tags']);
  });
});

describe('DataProfiler: suggestions', () => {
  const export1 = [
    { job: 'CEO', phone: 'N/A', 'company.size': '1 200', newsletter: 'oui', created_at: '20/02/2026' },
    { job: 'N/A', phone: '0000000000', 'company.size': '8,5', newsletter: 'NON', created_at: '01/02/2026' },
    { job: 'inconnu', phone: '06 12 34 56 78', 'company.size': '45', newsletter: 'o', created_at: '2026-02-01' },
  ];

  it('suggests a data block that reads the export, and per-field zeros', () => {
    const profile = profileData(scorerOf(RULES), export1);
    expect(profile.suggestions.block).toBe(
      ['data {', '  missing: ["N/A", "inconnu"]', '  numbers: decimal comma', '  dates: day first', '  true: ["oui", "o"]', '  false: ["non"]', '}'].join('\n'),
    );
    expect(profile.suggestions.fieldMissing).toEqual([{ field: 'phone', values: ['0000000000'] }]);
    expect(profile.suggestions.declarations).toEqual(['phone: text missing ["0000000000"]']);
  });

  it('pasting the suggestions gives a file that checks, and then nothing is invalid or suspected', () => {
    const before = profileData(scorerOf(RULES), export1);
    const pasted = `${RULES.replace('  phone: text\n', `  ${before.suggestions.declarations[0]}\n`)}\n${before.suggestions.block}\n`;
    const analysis = analyze(pasted);
    expect(hasErrors(analysis.diagnostics), analysis.diagnostics.map((d) => d.message).join('\n')).toBe(false);
    expect(analysis.diagnostics.filter((d) => ['R042', 'R043', 'R044', 'R045'].includes(d.code))).toEqual([]);
    const after = profileData(scorerOf(pasted), export1);
    for (const name of ['job', 'phone', 'company.size', 'newsletter', 'created_at']) {
      const f = field(after, name);
      expect(f.invalid, name).toBe(0);
      expect(f.placeholders, name).toEqual([]);
    }
    expect(field(after, 'phone').declaredPlaceholders).toEqual([
      { value: 'N/A', count: 1 },
      { value: '0000000000', count: 1 },
    ]);
    expect(after.suggestions.declarations).toEqual([]);
    // Nothing left to add to the file's own block.
    expect(after.suggestions.block).toBe('');
  });

  it('adds to the file\'s own data block, keeping its settings as written', () => {
    const rules = `${RULES}\ndata {\n  missing: ["N/A", inconnu, "non renseigné"]\n  dates: day first\n}\n`;
    const profile = profileData(scorerOf(rules), [{ job: '-', phone: 'N/A', created_at: '20/02/2026' }, { job: '?' }]);
    expect(profile.suggestions.block).toBe(['data {', '  missing: ["N/A", inconnu, "non renseigné", "-", "?"]', '  dates: day first', '}'].join('\n'));
  });

  it('never guesses a date order from ambiguous dates: a note says so', () => {
    const profile = profileData(scorerOf(RULES), [{ created_at: '01/02/2026' }, { created_at: '03/04/2026' }]);
    expect(profile.suggestions.dates).toBeUndefined();
    expect(profile.suggestions.block).toBe('');
    expect(profile.suggestions.notes.join('\n')).toContain('Rubric never guesses');
    expect(profile.findings.map((f) => f.kind)).toContain('date-order');
  });

  it('does not pick a side when numbers or dates are written both ways', () => {
    const profile = profileData(scorerOf(RULES), [
      { 'company.size': '1 200', created_at: '20/02/2026' },
      { 'company.size': '1,200.5', created_at: '02/20/2026' },
    ]);
    expect(profile.suggestions.numbers).toBeUndefined();
    expect(profile.suggestions.dates).toBeUndefined();
    expect(profile.suggestions.notes).toHaveLength(2);
  });

  it('says `1,200` is ambiguous rather than choosing', () => {
    const profile = profileData(scorerOf(RULES), [{ 'company.size': '1,200' }]);
    expect(profile.suggestions.numbers).toBeUndefined();
    expect(profile.suggestions.notes[0]).toContain('`1,200`');
  });

  it('keeps a suggested placeholder out of the bool words (R043) and out of `one of` sets (R044)', () => {
    const profile = profileData(scorerOf(RULES), [
      { seniority: 'unknown', job: 'unknown', newsletter: 'n' },
      { job: 'n', newsletter: 'n' },
    ]);
    // `unknown` is a value of `seniority`: declared for `job` only; `n` is a false word.
    expect(profile.suggestions.missing).toEqual([]);
    expect(profile.suggestions.fieldMissing).toEqual([{ field: 'job', values: ['unknown'] }]);
    expect(profile.suggestions.falseWords).toEqual(['n']);
  });

  it('says in words what each finding means for the field', () => {
    const profile = profileData(scorerOf(RULES), export1);
    const phone = profile.findings.filter((f) => f.field === 'phone').map((f) => f.message);
    expect(phone).toContain('1 of 3 `phone` values are `N/A`, read as a real value today; if that means no phone, add `missing: ["N/A"]` to a `data` block');
    const size = profile.findings.filter((f) => f.field === 'company.size');
    expect(size.map((f) => f.kind)).toEqual(['number-format']);
  });
});

describe('DataProfiler: events', () => {
  const scorer = scorerOf(`lead { job: text }
event page_view { url: text missing ["(not set)"] }
when any page_view where url starts "/pricing" add 5
`);

  it('profiles declared events\' properties and `at`, counts every type', () => {
    const profiler = new DataProfiler(scorer);
    profiler.addEventColumns(['lead_id', 'type', 'at', 'url', 'referrer']);
    profiler.addEvent({ type: 'page_view', at: '2026-02-01', url: '/pricing' });
    profiler.addEvent({ type: 'page_view', at: '01/02/2026', url: '(not set)' });
    profiler.addEvent({ type: 'page_view', url: '-' });
    profiler.addEvent({ type: 'email_open', at: '2026-02-01' });
    const profile = profiler.finish();
    expect(field(profile, 'page_view.url')).toMatchObject({ filled: 2, missing: 1, invalid: 0, declaredPlaceholders: [{ value: '(not set)', count: 1 }] });
    // An event's `at` is reported even when absent, as the scorer does.
    expect(field(profile, 'page_view.at')).toMatchObject({ filled: 1, invalid: 2 });
    expect(profile.events?.types).toEqual([
      { type: 'page_view', count: 3, declared: true },
      { type: 'email_open', count: 1, declared: false },
    ]);
    expect(profile.events?.unusedColumns).toEqual(['referrer']);
  });

  it('profiles a lead\'s own events unless told they come from elsewhere', () => {
    const lead = { job: 'x', events: [{ type: 'page_view', at: '2026-02-01', url: '/a' }] };
    expect(profileData(scorer, [lead]).events?.rows).toBe(1);
    expect(profileData(scorer, [lead], { events: [] }).events).toBeUndefined();
  });
});

describe('DataProfiler on an account file (issue 17)', () => {
  it('profiles the lead columns only: account.* fields come from the account, not a column', () => {
    const scorer = scorerOf(`lead {
  job: text
  company.id: text
}
account id = company.id {
  id: text
  employees: number
}
when account.employees >= 200 and job = CEO add 10
score accounts {
  when employees >= 10 add 5
}
`);
    const profile = profileData(scorer, [{ job: 'CEO', 'company.id': 'acme' }, { job: 'N/A', 'company.id': 'acme' }]);
    expect(profile.fields.map((f) => f.name)).toEqual(['job', 'company.id']);
    expect(profile.findings.filter((f) => f.field.startsWith('account.'))).toEqual([]);
  });
});

describe('DataProfiler on an accounts file, beside the contacts (issue 17, profile --accounts)', () => {
  const ABM = `lead {
  job: text
  company.id: text
  seen: date
}
account id = company.id {
  id: text
  employees: number
  plan: one of [free, pro, nc]
}
event visit { url: text }
when account.employees >= 200 and job = CEO add 10
score accounts {
  when employees >= 10 add 5
  when plan = pro add 5
  when count contacts where job = CEO >= 1 add 10
  when any visit where url starts "/pricing" add 5
}
`;

  function profiles(contacts: readonly Lead[], accounts: readonly Lead[]): { contacts: DataProfile; accounts: DataProfile } {
    const scorer = scorerOf(ABM);
    const accountScorer = accountProfileScorer(scorer);
    if (accountScorer === null) throw new Error('no account scorer');
    const contactProfiler = new DataProfiler(scorer);
    for (const contact of contacts) contactProfiler.addLead(contact);
    const accountProfiler = new DataProfiler(accountScorer, { idColumn: 'id', dataName: 'the accounts file' });
    accountProfiler.addColumns(['id', 'employees', 'Plan', 'Owner']);
    for (const account of accounts) accountProfiler.addLead(account, false);
    return {
      contacts: contactProfiler.finish([{ profile: accountProfiler.evidence(), model: accountScorer.model }]),
      accounts: accountProfiler.finish([{ profile: contactProfiler.evidence(), model: scorer.model }]),
    };
  }

  it('profiles the declared account fields with validateAccount: no aggregate, no event, the key used', () => {
    const { accounts } = profiles([], [{ id: 'a', employees: '1 200' }, { id: 'b', employees: 'N/A' }, { id: 'c', employees: '40' }]);
    expect(accounts.fields.map((f) => [f.name, f.filled, f.missing, f.invalid])).toEqual([
      ['id', 3, 0, 0],
      ['employees', 1, 0, 2],
      ['plan', 0, 3, 0],
    ]);
    expect(accounts.events).toBeUndefined();
    expect(accounts.unusedColumns).toEqual(['Plan', 'Owner']);
    // The key column is read by the key field; the finding names the accounts file.
    expect(accounts.findings.find((f) => f.kind === 'no-column')?.message).toBe(
      '`plan` has no column in the accounts file (it reads `plan`), so it is always missing; the column `Plan` looks like it: `plan: one of [free, pro, nc] from "Plan"`',
    );
    expect(accounts.suggestions.declarations).toEqual(['plan: one of [free, pro, nc] from "Plan"']);
  });

  it('suggests one data block from both files: each file alone would suggest less', () => {
    const contacts = [{ job: 'CEO', 'company.id': 'a', seen: '20/02/2026' }, { job: 'N/A', 'company.id': 'a', seen: '21/02/2026' }];
    const accounts = [{ id: 'a', employees: '1 200,5' }, { id: 'b', employees: 'n/c' }, { id: 'c', employees: 'n/c' }];
    const both = profiles(contacts, accounts);
    // Most frequent first, whichever file: `n/c` twice in the accounts, `N/A` once in the contacts.
    const block = 'data {\n  missing: ["n/c", "N/A"]\n  numbers: decimal comma\n  dates: day first\n}';
    expect(both.contacts.suggestions.block).toBe(block);
    expect(both.accounts.suggestions.block).toBe(block);
    // The findings point at the block of both files.
    expect(both.accounts.findings.map((f) => f.message)).toContain('2 of 3 `employees` values are `n/c`, reported as invalid today; if that means no employees, add `missing: ["n/c"]` to a `data` block');
    const scorer = scorerOf(ABM);
    const alone = profileData(scorer, contacts);
    expect(alone.suggestions.block).toBe('data {\n  missing: ["N/A"]\n  dates: day first\n}');
    // Without shared evidence, finish() is what it always was.
    const profiler = new DataProfiler(scorer);
    for (const contact of contacts) profiler.addLead(contact);
    expect(profiler.finish()).toEqual(alone);
    expect(profiler.finish([])).toEqual(alone);
  });

  it('keeps another file\'s zeros and `one of` values out of this file\'s declarations', () => {
    const both = profiles([{ job: 'nc', 'company.id': 'a' }, { job: 'nc', 'company.id': 'b' }], [{ id: 'a', employees: '0000' }, { id: 'b', employees: '0000' }]);
    // `nc` is a value of `plan`'s set (R044 would refuse it as a data-wide placeholder): per field, in its own file.
    expect(both.contacts.suggestions.fieldMissing).toEqual([{ field: 'job', values: ['nc'] }]);
    expect(both.accounts.suggestions.fieldMissing).toEqual([{ field: 'employees', values: ['0000'] }]);
    expect(both.contacts.suggestions.missing).toEqual([]);
    expect(both.accounts.suggestions.declarations).toEqual(['employees: number missing ["0000"]', 'plan: one of [free, pro, nc] from "Plan"']);
  });

  it('is null for a file without an account block', () => {
    expect(accountProfileScorer(scorerOf(RULES))).toBeNull();
  });
});

describe('DataProfiler: a symbol that begins the field\'s values is their root, not a filler', () => {
  const rules = `lead {
  landing: text
  ref: text
}
when landing starts "/tarifs" add 10
when ref is set add 1
`;
  it('does not suspect `/` among paths (the home page), but still suspects a repeated `/` or `*` elsewhere', () => {
    const scorer = scorerOf(rules);
    const paths = ['/', '/tarifs', '/blog/facture', '/', '/fonctionnalites', '/', '/tarifs/pme'];
    const refs = ['/', 'AB-12', '/', 'CD-7', '*', 'EF-3', '*', '/'];
    const leads: Lead[] = paths.map((landing, i) => ({ landing, ref: refs[i] }));
    leads.push({ landing: '/contact', ref: refs[7] });
    const profile = profileData(scorer, leads);
    expect(field(profile, 'landing').placeholders).toEqual([]);
    const suspected = field(profile, 'ref').placeholders.map((p) => [p.value, p.count]);
    expect(suspected).toEqual([['/', 3], ['*', 2]]);
  });

  it('still suspects `/` when it is more frequent than the values it begins', () => {
    const scorer = scorerOf(rules);
    const leads: Lead[] = ['/', '/', '/', '/', '/tarifs', 'accueil'].map((landing) => ({ landing }));
    expect(field(profileData(scorer, leads), 'landing').placeholders.map((p) => p.value)).toEqual(['/']);
  });
});
