/**
 * Issue 17: the JavaScript account scorer. The file's contact IR (with its probes) and the IR of
 * `Model.account.scoring` are emitted by emit-js.ts as two ordinary scorers; the glue that
 * scores an account with them is runtime/accounts-source.ts, driven by the plain data
 * {@link AccountSpec} made here. `compile` instantiates it in-process and `emitModule` inlines
 * the same text, so both run one implementation.
 */
import type { Model } from '../checker/model.js';
import { ACCOUNTS_SOURCE } from '../runtime/accounts-source.js';
import type { RuntimeHelpers } from '../runtime/runtime.js';
import type { AccountScorer } from '../runtime/types.js';
import type { ScorerIR } from './ir.js';
import { jsData } from './js-syntax.js';
import { LoweringError } from './lower.js';

/** What the account glue needs to know of a file (plain data: emitted with {@link jsData}). */
export interface AccountSpec {
  /**
   * Each account field the contact model reads as `account.NAME`: where to read its raw value in
   * the account record (`key`, `parts`: the account field's own slot, `from` column included)
   * and the key `to` under which the contact scorer finds it (`account.NAME`).
   */
  readonly fields: ReadonlyArray<{ readonly key: string; readonly parts: readonly string[]; readonly to: string }>;
  /** The contact keys of `account.stage`, `account.score`, `account.tier` (null when not declared). */
  readonly results: { readonly stage: string | null; readonly score: string | null; readonly tier: string | null };
  /** `AccountModel.contactsReadAccountResult`: contacts are scored again with the account's result. */
  readonly readsResult: boolean;
  /**
   * The event types the account rules query (`any EVENT ...`, `each EVENT ...` in `score
   * accounts`): with none, `beginAccount` folds no contact's events.
   */
  readonly eventTypes: readonly string[];
  /** How many probes the contact scorer writes per contact. */
  readonly probes: number;
  /** In `AccountModel.aggregates` order. */
  readonly aggregates: ReadonlyArray<{
    readonly text: string;
    readonly kind: 'count' | 'best' | 'sum' | 'average';
    /** The contact group whose value is aggregated; null: the contact's score (or `count`). */
    readonly group: string | null;
    /** `top N`; 0 without. */
    readonly top: number;
    /** Index into the contact IR's probes of its `where`; -1 without. */
    readonly probe: number;
    /** The number field of the account's scoring model (`contacts#1`). */
    readonly field: string;
  }>;
}

/** The spec of a model with an account side; `contactIR` is `lowerModel(model)`, `accountIR` its scoring's. */
export function accountSpec(model: Model, contactIR: ScorerIR, accountIR: ScorerIR): AccountSpec {
  const account = model.account ?? null;
  if (account === null) throw new LoweringError('the file has no `account` block');
  const contactKeys = new Set(contactIR.slots.filter((s) => s.synthetic === true && s.source === 'lead').map((s) => s.key));
  const accountSlots = new Map(accountIR.slots.filter((s) => s.source === 'lead' && s.derived === undefined).map((s) => [s.name, s]));
  const fields: AccountSpec['fields'][number][] = [];
  for (const name of account.fields.keys()) {
    const to = `account.${name}`;
    if (!contactKeys.has(to)) continue;
    const slot = accountSlots.get(name);
    if (slot === undefined) throw new LoweringError(`account field \`${name}\` has no slot in the account's scoring`);
    fields.push({ key: slot.key, parts: slot.path, to });
  }
  const result = (name: string): string | null => (contactKeys.has(name) ? name : null);
  const probeOf = new Map(contactIR.probes.map((probe, i) => [probe.aggregate, i]));
  return {
    fields,
    results: { stage: result('account.stage'), score: result('account.score'), tier: result('account.tier') },
    readsResult: account.contactsReadAccountResult,
    eventTypes: accountIR.events.filter((event) => event.queries.length > 0).map((event) => event.name),
    probes: contactIR.probes.length,
    aggregates: account.aggregates.map((aggregate, i) => {
      if (aggregate.top !== null && !(Number.isSafeInteger(aggregate.top) && aggregate.top >= 1)) {
        throw new LoweringError(`\`top ${aggregate.top}\` must be a whole number >= 1`);
      }
      return {
        text: aggregate.text,
        kind: aggregate.kind,
        group: aggregate.of !== null && aggregate.of.kind === 'group' ? aggregate.of.name : null,
        top: aggregate.top ?? 0,
        probe: probeOf.get(i) ?? -1,
        field: aggregate.field,
      };
    }),
  };
}

/** The JavaScript expression of a spec (for the standalone module). */
export function accountSpecCode(spec: AccountSpec): string {
  return jsData(spec);
}

/** The account glue's text (defines `createAccountScorer`), for the standalone module. */
export { ACCOUNTS_SOURCE };

type AccountFactory = (rt: RuntimeHelpers, contact: unknown, account: unknown, spec: AccountSpec) => AccountScorer;

let factory: AccountFactory | undefined;

/**
 * The account scorer over two instantiated generated scorers (each with `scoreWith` and
 * `explainWith`), in-process.
 */
export function instantiateAccountScorer(rt: RuntimeHelpers, contact: unknown, account: unknown, spec: AccountSpec): AccountScorer {
  // The glue text is ours (no user input); user strings reach it only as data in `spec`.
  factory ??= new Function(`${ACCOUNTS_SOURCE}\nreturn createAccountScorer;`)() as AccountFactory;
  return factory(rt, contact, account, spec);
}
