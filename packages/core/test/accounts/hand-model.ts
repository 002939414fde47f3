// A contact model with an account side built by hand from two checked files (no account syntax
// needed): the contact file declares the `account.*` fields as lead fields (marked synthetic
// here), the account file is the `score accounts` model with `contacts#N` number fields named
// `contacts_N` (renamed here). Lets the compiler's account path be tested on its own.
import { analyze } from '../../src/analyze.js';
import type { AccountModel, Cond, ContactAggregate, FieldInfo, Model } from '../../src/checker/model.js';
import type { AccountDecl } from '../../src/syntax/ast.js';

export interface HandAggregate {
  readonly kind: ContactAggregate['kind'];
  readonly of?: 'score' | string;
  readonly top?: number;
  /** A segment name of the contact file whose condition is the `where`, or a Cond. */
  readonly where?: string | Cond;
  readonly text?: string;
}

function checked(text: string): Model {
  const analysis = analyze(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return analysis.model;
}

export function handAccountModel(options: {
  readonly contact: string;
  /** The account file: its lead fields are the account fields plus `contacts_1`, ... */
  readonly account: string;
  readonly aggregates: readonly HandAggregate[];
  readonly key: { readonly accountField: string; readonly leadField: string };
}): Model {
  const contact = checked(options.contact);
  const account = checked(options.account);
  const fields = new Map<string, FieldInfo>();
  let readsResult = false;
  for (const [name, info] of contact.fields) {
    if (name === 'account.stage' || name === 'account.score' || name === 'account.tier') {
      fields.set(name, { ...info, synthetic: 'account-result' });
      readsResult = true;
    } else if (name.startsWith('account.')) fields.set(name, { ...info, synthetic: 'account-field' });
    else fields.set(name, info);
  }
  const accountFields = new Map<string, FieldInfo>();
  const scoringFields = new Map<string, FieldInfo>();
  for (const [name, info] of account.fields) {
    const m = /^contacts_(\d+)$/.exec(name);
    if (m !== null) scoringFields.set(`contacts#${m[1]}`, { ...info, name: `contacts#${m[1]}`, synthetic: 'aggregate' });
    else {
      accountFields.set(name, info);
      scoringFields.set(name, info);
    }
  }
  const rename = (cond: Cond): Cond => {
    switch (cond.kind) {
      case 'and':
      case 'or':
        return { ...cond, operands: cond.operands.map(rename) };
      case 'not':
        return { ...cond, operand: rename(cond.operand) };
      case 'test':
        if (cond.subject.kind === 'field' && /^contacts_\d+$/.test(cond.subject.name)) {
          return { ...cond, subject: { ...cond.subject, name: cond.subject.name.replace('_', '#') } };
        }
        return cond;
      default:
        return cond;
    }
  };
  const scoring: Model = {
    ...account,
    fields: scoringFields,
    segments: new Map([...account.segments].map(([k, s]) => [k, { ...s, condition: rename(s.condition) }])),
    rules: account.rules.map((r) => (r.kind === 'when' ? { ...r, condition: rename(r.condition) } : r)),
    stages: account.stages.map((s) => ({ ...s, when: s.when === undefined ? undefined : rename(s.when) })),
    tiers: account.tiers.map((t) => ({ ...t, condition: rename(t.condition) })),
    tests: [],
  };
  const aggregates: ContactAggregate[] = options.aggregates.map((a, i) => {
    let where: Cond | null = null;
    if (typeof a.where === 'string') {
      const segment = contact.segments.get(a.where);
      if (segment === undefined) throw new Error(`no segment ${a.where}`);
      where = segment.condition;
    } else if (a.where !== undefined) where = a.where;
    return {
      field: `contacts#${i + 1}`,
      kind: a.kind,
      of: a.kind === 'count' ? null : a.of === undefined || a.of === 'score' ? { kind: 'score' } : { kind: 'group', name: a.of },
      top: a.top ?? null,
      where,
      text: a.text ?? `aggregate ${i + 1}`,
      range: contact.file.range,
    };
  });
  const accountModel: AccountModel = {
    decl: { kind: 'AccountDecl' } as unknown as AccountDecl,
    key: options.key,
    fields: accountFields,
    scoring,
    aggregates,
    contactsReadAccountResult: readsResult,
    scoringDecl: null,
  };
  return { ...contact, fields, account: accountModel };
}
