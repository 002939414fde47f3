// The generated scorer's specialised paths (issue 13): per-field reads with literal keys, the
// fold memo, value codes for long lists, set-only text, the cached `now`, the shared `groups`,
// events skipped before their properties are read, and `eventTimes`. Each is checked against an
// independent reading: the reference interpreter (test/oracle) for scores and hits, and the
// runtime's generic `read*` helpers (the descriptor-driven readers the generated code used to
// call) for what `validate` reports. Both the in-process scorer and the standalone module.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import { fold } from '../../src/runtime/fold.js';
import {
  runtimeHelpers,
  standaloneRuntimeHelpers,
  type RuntimeHelpers,
  type ValueDescriptor,
} from '../../src/runtime/runtime.js';
import type { InvalidValue, Lead, LeadEvent, Scorer, ScoreResult } from '../../src/runtime/types.js';
import { interpret } from '../oracle/interpret.js';
import { parseIsoInstant, readNumber as oracleNumber } from '../oracle/values.js';

const NOW = '2026-03-01T00:00:00Z';

const FILE = `lead {
  job: text
  phone: text
  company.size: number
  company.industry: text
  plan: one of [free, pro, "Entreprise"]
  vip: bool
  signup: date
  tags: list of text
  \`constructor\`: text
  \`toString\`: number
  \`__proto__\`: text
  \`hasOwnProperty\`: bool
  a.b.c: number
  unused_note: text
  unused_size: number
}
event visit { url: text }

when job in [ceo, cto, cfo, coo, pdg, dg, "Directeur Général", "vp sales", president] add 1 "decision maker"
when job in [ceo, president, cfo, dg, x1, x2, x3, x4, x5] add 2 "scattered codes"
when job not in [ceo, cto, cfo, coo, pdg, dg, "directeur general", "vp sales", president] add 4 "not a decision maker"
when job contains "chef" add 8 "chef"
when phone is set add 16 "phone"
when company.size >= 10 add 32 "10+"
when company.industry in [software, retail] add 64 "industry"
when plan = pro add 128 "pro"
when vip add 256 "vip"
when signup > 30 days ago add 512 "recent"
when tags has vip add 1024 "tagged"
when \`constructor\` = x add 2048 "constructor"
when \`toString\` > 1 add 4096 "toString"
when \`__proto__\` = y add 8192 "proto"
when \`hasOwnProperty\` add 16384 "hasOwnProperty"
when a.b.c = 3 add 32768 "deep"
when any visit where url starts "/pricing" add 65536 "pricing"
when plan is missing add 131072 "no plan"
`;

const FIELDS: ReadonlyArray<{ key: string; kind: 'text' | 'number' | 'bool' | 'date' | 'list' | 'one-of'; expected: string }> = [
  { key: 'job', kind: 'text', expected: 'text' },
  { key: 'phone', kind: 'text', expected: 'text' },
  { key: 'company.size', kind: 'number', expected: 'number' },
  { key: 'company.industry', kind: 'text', expected: 'text' },
  { key: 'plan', kind: 'one-of', expected: '' },
  { key: 'vip', kind: 'bool', expected: '' },
  { key: 'signup', kind: 'date', expected: '' },
  { key: 'tags', kind: 'list', expected: '' },
  { key: 'constructor', kind: 'text', expected: 'text' },
  { key: 'toString', kind: 'number', expected: 'number' },
  { key: '__proto__', kind: 'text', expected: 'text' },
  { key: 'hasOwnProperty', kind: 'bool', expected: '' },
  { key: 'a.b.c', kind: 'number', expected: 'number' },
  { key: 'unused_note', kind: 'text', expected: 'text' },
  { key: 'unused_size', kind: 'number', expected: 'number' },
];

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  return scorer;
}

const scorer = compileText(FILE);
let moduleScorer: Scorer | undefined;
async function standalone(): Promise<Scorer> {
  if (moduleScorer === undefined) {
    const source = emitModule(scorer.model);
    moduleScorer = ((await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as { default: Scorer }).default;
  }
  return moduleScorer;
}

/** What validate must report for the lead's fields: the generic readers, field by field. */
function expectedReports(rt: RuntimeHelpers, lead: unknown): InvalidValue[] {
  const sink: InvalidValue[] = [];
  const plan = new Set(['free', 'pro', 'entreprise']);
  for (const field of FIELDS) {
    const expected = scorer.validate({ [field.key]: Symbol('probe') } as unknown as Lead, { now: NOW })[0]?.expected ?? field.expected;
    const d: ValueDescriptor = { key: field.key, parts: field.key.split('.'), name: field.key, expected, ...(field.kind === 'one-of' ? { set: plan } : {}) };
    switch (field.kind) {
      case 'text':
        rt.readText(lead, d, sink);
        break;
      case 'number':
        rt.readNumber(lead, d, sink);
        break;
      case 'bool':
        rt.readBool(lead, d, sink);
        break;
      case 'date':
        rt.readDate(lead, d, sink);
        break;
      case 'one-of':
        rt.readOneOf(lead, d, sink);
        break;
      case 'list':
        rt.readList(lead, d, sink, []);
        break;
    }
  }
  return sink;
}

const hitsOf = (s: Scorer, lead: unknown): number[] => s.explain(lead as Lead, { now: NOW }).hits.map((h) => h.rule);
const oracleHits = (lead: unknown): number[] => interpret(scorer.model, lead as Lead, { now: NOW }).hits.map((h) => h.rule).sort((a, b) => a - b);

const throwing = (): never => {
  throw new Error('getter');
};

class Contact {
  job = 'CEO';
  static phoneReads = 0;
  get phone(): string {
    Contact.phoneReads++;
    return '+33 1 23';
  }
}

/** Leads the oracle can read too (no getter or trap throws). */
function readableLeads(): Array<[string, unknown]> {
  const bare = Object.create(null) as Record<string, unknown>;
  Object.assign(bare, { job: ' CEO ', phone: '1', 'company.size': '50', tags: ['VIP'] });
  return [
    ['empty', {}],
    ['null prototype', bare],
    [
      'Object.prototype names as own data',
      JSON.parse('{"__proto__": " Y ", "constructor": "X", "toString": "5", "hasOwnProperty": "yes", "plan": "PRO"}'),
    ],
    ['Object.prototype names absent', { job: 'cto' }],
    ['class instance (prototype getter)', new Contact()],
    ['inherited fields', Object.create({ job: 'CEO', phone: '1', company: { size: 50 } })],
    ['dotted own undefined wins', { 'company.size': undefined, company: { size: 50, industry: 'Software' } }],
    ['dotted own wins', { 'company.size': '20', company: { size: 500 } }],
    ['nested', { company: { size: 500, industry: ' RETAIL ' } }],
    ['nested in an array', { company: [{ size: 1 }] }],
    ['nested inherited', { company: Object.create({ size: 9, industry: 'software' }) }],
    ['deep nested', { a: { b: { c: 3 } } }],
    ['deep dotted prefix is not a path', { 'a.b': { c: 3 }, a: { 'b.c': 3 } }],
    ['deep dotted own', { 'a.b.c': '3', a: { b: { c: 4 } } }],
    ['transparent proxy', new Proxy({ job: 'President', company: { size: 50 } }, {})],
    [
      'lying proxy: get answers for keys it does not own',
      new Proxy({} as Record<string, unknown>, { get: (_target, key) => (key === 'job' ? 'CEO' : key === 'phone' ? '1' : undefined) }),
    ],
    ['array lead', Object.assign(['CEO'], { job: 'CEO' })],
    ['wrong types', { job: 42, phone: ['1'], 'company.size': '1e3', plan: 'gold', vip: 1, signup: '2026-02-30', tags: ['a', 1], toString: 'x', unused_note: 5, unused_size: 'many' }],
    ['blank and set-only text', { job: '  ', phone: ' \u00a0\t', constructor: ' x ' }],
    ['codes: scattered list', { job: 'X3' }],
    ['codes: unknown value', { job: 'Chef de projet' }],
    ['recent signup and pricing visit', { signup: '2026-02-20', vip: 'TRUE', events: [{ type: 'visit', at: '2026-02-27', url: '/Pricing' }] }],
    ['event after now: properties not needed', { events: [{ type: 'visit', at: '2026-04-01', url: '/pricing' }] }],
    ['non-enumerable own fields', Object.defineProperties({ company: { size: 500 } }, { job: { value: 'CEO' }, 'company.size': { value: '20' } })],
    ['inherited enumerable and own of the same name', Object.assign(Object.create({ job: 'CEO', phone: '1' }), { job: 'cto' })],
    [
      'far more keys than the rules read (the pass is cut short)',
      Object.assign(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`extra_${i}`, i])), { job: 'CEO', phone: '1', company: { size: 50 } }),
    ],
    ['ownKeys trap throws (fields read one by one)', new Proxy({ job: 'CEO', phone: '1' }, { ownKeys: throwing })],
    ['not an object', 'CEO'],
    ['null', null],
  ];
}

describe('generated field reads', () => {
  afterEach(() => {
    Contact.phoneReads = 0;
  });

  it.each(readableLeads())('%s: the same hits as the interpreter, the same reports as the generic readers', async (_name, lead) => {
    const module = await standalone();
    for (const s of [scorer, module]) {
      expect(hitsOf(s, lead)).toEqual(oracleHits(lead));
      const result = s.score(lead as Lead, { now: NOW });
      expect(result).toEqual(scorer.score(lead as Lead, { now: NOW }));
      const fieldReports = s.validate(lead as Lead, { now: NOW }).filter((r) => r.field !== 'events' && !r.field.startsWith('visit.'));
      expect(fieldReports).toEqual(expectedReports(runtimeHelpers(), lead));
      expect(s.scoreAndValidate(lead as Lead, { now: NOW })).toEqual({ result, invalid: s.validate(lead as Lead, { now: NOW }) });
    }
    // A getter on the prototype is not an own property: never read, never called.
    expect(Contact.phoneReads).toBe(0);
  });

  it('getters and traps that throw are missing and unreported; the other fields still count', async () => {
    const company = Object.defineProperty({ industry: 'software' }, 'size', { get: throwing, enumerable: true });
    const leads: unknown[] = [
      Object.defineProperties({ phone: '1' } as Record<string, unknown>, { job: { get: throwing, enumerable: true } }),
      { phone: '1', company },
      Object.defineProperty({ phone: '1' }, 'company', { get: throwing, enumerable: true }),
      { phone: '1', company: new Proxy({}, { getOwnPropertyDescriptor: throwing }) },
      // The literal dotted key wins: the throwing parent is not needed for company.size.
      Object.defineProperty({ phone: '1', 'company.size': 50 }, 'company', { get: throwing, enumerable: true }),
      new Proxy({ phone: '1' }, { getOwnPropertyDescriptor: (target, key) => (key === 'job' ? throwing() : Reflect.getOwnPropertyDescriptor(target, key)) }),
    ];
    const { proxy: revoked, revoke } = Proxy.revocable({ job: 'CEO' }, {});
    revoke();
    for (const s of [scorer, await standalone()]) {
      for (const lead of leads) {
        expect(s.validate(lead as Lead, { now: NOW })).toEqual(expectedReports(runtimeHelpers(), lead));
        const hits = hitsOf(s, lead);
        expect(hits).toContain(4); // phone is set
        expect(hits).not.toContain(0);
        expect(hits.includes(5)).toBe(Object.prototype.hasOwnProperty.call(lead, 'company.size'));
      }
      expect(s.score(revoked as Lead, { now: NOW })).toEqual(s.score({}, { now: NOW }));
      expect(s.validate(revoked as Lead, { now: NOW })).toEqual([]);
    }
  });

  it('reads each own getter once: one that throws once is missing, not read again', () => {
    let jobCalls = 0;
    let companyCalls = 0;
    const lead = Object.defineProperties({ phone: '1' } as Record<string, unknown>, {
      job: {
        get: () => {
          jobCalls++;
          if (jobCalls === 1) throw new Error('flaky');
          return 'CEO';
        },
        enumerable: true,
      },
      company: {
        get: () => {
          companyCalls++;
          return { size: 50, industry: 'software' };
        },
        enumerable: true,
      },
    });
    const hits = hitsOf(scorer, lead);
    expect(jobCalls).toBe(1);
    expect(companyCalls).toBe(1);
    expect(hits).not.toContain(0);
    expect(hits).toEqual(expect.arrayContaining([4, 5, 6]));
  });

  it('ignores a polluted Object.prototype', async () => {
    const proto = Object.prototype as Record<string, unknown>;
    const clean = [scorer.score({}, { now: NOW }), scorer.score({ company: {} }, { now: NOW })];
    const module = await standalone();
    for (const key of ['job', 'phone', 'size', 'company', 'company.size', 'plan', 'vip', 'a', 'b', 'c']) proto[key] = key === 'company' || key === 'a' || key === 'b' ? { size: 50, b: { c: 3 }, c: 3 } : 'CEO';
    try {
      for (const s of [scorer, module]) {
        expect([s.score({}, { now: NOW }), s.score({ company: {} }, { now: NOW })]).toEqual(clean);
        expect(s.validate({}, { now: NOW })).toEqual([]);
      }
    } finally {
      for (const key of ['job', 'phone', 'size', 'company', 'company.size', 'plan', 'vip', 'a', 'b', 'c']) delete proto[key];
    }
  });

  it('reads every declared field of many generated leads like the interpreter', () => {
    const values = fc.oneof(
      fc.constantFrom('CEO', ' ceo ', 'Président', 'X5', 'chef de projet', 'Software', 'PRO', 'Entreprise', 'yes', '0', '12', '-3.5', '2026-02-20', ''),
      fc.integer({ min: -5, max: 5000 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.constantFrom('VIP', 'x'), { maxLength: 2 }),
    );
    const keys = fc.constantFrom('job', 'phone', 'company.size', 'company.industry', 'plan', 'vip', 'signup', 'tags', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'a.b.c');
    const leads = fc.array(fc.tuple(keys, values, fc.boolean()), { maxLength: 12 }).map((entries) => {
      const lead: Record<string, unknown> = {};
      for (const [key, value, nested] of entries) {
        const parts = key.split('.');
        if (nested && parts.length > 1) {
          let o = lead;
          for (const part of parts.slice(0, -1)) {
            if (typeof o[part] !== 'object' || o[part] === null || Array.isArray(o[part])) Object.defineProperty(o, part, { value: {}, enumerable: true, writable: true, configurable: true });
            o = o[part] as Record<string, unknown>;
          }
          Object.defineProperty(o, parts[parts.length - 1], { value, enumerable: true, writable: true, configurable: true });
        } else {
          Object.defineProperty(lead, key, { value, enumerable: true, writable: true, configurable: true });
        }
      }
      return lead;
    });
    fc.assert(
      fc.property(leads, (lead) => {
        expect(hitsOf(scorer, lead)).toEqual(oracleHits(lead));
        expect(scorer.validate(lead, { now: NOW }).filter((r) => r.field !== 'events')).toEqual(expectedReports(runtimeHelpers(), lead));
      }),
      { numRuns: 400, seed: 13 },
    );
  });
});

describe('the fold memo', () => {
  const runtimes: Array<[string, RuntimeHelpers]> = [
    ['in-process', runtimeHelpers()],
    ['standalone', standaloneRuntimeHelpers()],
  ];

  it.each(runtimes)('stays bounded and folds exactly, with codes, over many distinct values (%s)', (_name, rt) => {
    const memo = rt.createTextMemo(new Map([['ceo', 1], ['directeur general', 2]]));
    let largest = 0;
    const wrong: string[] = [];
    // More distinct values than the memo holds, then enough to go through a pause and back.
    for (let i = 0; i < 150_000; i++) {
      const text = i % 3 === 0 ? ` Directeur GÉNÉRAL ` : i % 3 === 1 ? `Poste ${i} ÉTÉ` : `job-${i}`;
      const folded = rt.memoFold(memo, text);
      if (folded !== fold(text) || memo.code !== (i % 3 === 0 ? 2 : 0)) wrong.push(text);
      largest = Math.max(largest, rt.memoSize(memo));
    }
    expect(wrong).toEqual([]);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(1024);
    // Values that do repeat are answered right before, during and after any pause.
    for (const text of ['CEO', ' ceo', 'CEO\u00a0', 'Ceo']) {
      expect(rt.memoFold(memo, text)).toBe('ceo');
      expect(memo.code).toBe(1);
    }
  });

  it.each(runtimes)('memoises repeated spellings (%s)', (_name, rt) => {
    const memo = rt.createTextMemo(null);
    for (let round = 0; round < 3; round++) for (const text of ['CEO', 'Été', '  x ']) expect(rt.memoFold(memo, text)).toBe(fold(text));
    expect(rt.memoSize(memo)).toBe(3);
    expect(memo.code).toBe(0);
  });

  it.each(runtimes)('stops memoising a field whose values do not repeat, and still folds right (%s)', (_name, rt) => {
    const memo = rt.createTextMemo(new Map([['ceo', 1]]));
    const sizes: number[] = [];
    for (let i = 0; i < 3000; i++) {
      expect(rt.memoFold(memo, `Unique ${i}`)).toBe(`unique ${i}`);
      sizes.push(rt.memoSize(memo));
    }
    expect(Math.max(...sizes)).toBe(1024);
    expect(sizes[sizes.length - 1]).toBe(0);
    expect(rt.memoFold(memo, ' CEO')).toBe('ceo');
    expect(memo.code).toBe(1);
    expect(rt.memoSize(memo)).toBe(0);
  });

  it('event text properties go through it, and score like the interpreter (repeated, distinct, hostile)', async () => {
    // The visit's url is matched with `starts`: memoised since issue 13 (a site's pages repeat).
    expect(emitModule(scorer.model)).toMatch(/memoFold\(M\d+, v\)/);
    const spellings = ['/Pricing', ' /PRICING\u00a0', '/pricing/Été', '/blog', '__proto__', 'constructor', "'); drop table", '${x}', '\\'];
    const module = await standalone();
    for (let i = 0; i < 4000; i++) {
      // Past the memo's 1,024 entries with few repeats (it pauses), then repeats again.
      const url = i % 4 === 0 || i > 3000 ? spellings[i % spellings.length] : `/Page-${i}?q=É${i}`;
      const lead = { job: 'cto', events: [{ type: 'visit', at: '2026-02-27', url }, { type: 'visit', at: '2026-02-20T10:00:00Z', url: i % 5 === 0 ? '/PRICING' : url }] };
      for (const s of [scorer, module]) {
        const hits = hitsOf(s, lead);
        if (hits.join() !== oracleHits(lead).join()) expect([url, hits]).toEqual([url, oracleHits(lead)]);
      }
    }
  });

  it('a scorer fed many distinct job titles scores them all like the interpreter', () => {
    for (let i = 0; i < 5000; i++) {
      const lead = { job: i % 7 === 0 ? ['CEO', 'président', ' DG', 'X5'][i % 4] : `Title ${i} Chef` };
      expect(hitsOf(scorer, lead)).toEqual(oracleHits(lead));
    }
  });
});

describe('now', () => {
  it('follows a Date changed between calls, and a changed string', () => {
    const lead = { signup: '2026-02-20' };
    const now = new Date('2026-03-01T00:00:00Z');
    const recent = (result: ScoreResult) => result.score % 1024 >= 512;
    expect(recent(scorer.score(lead, { now }))).toBe(true);
    now.setTime(Date.parse('2026-06-01T00:00:00Z'));
    expect(recent(scorer.score(lead, { now }))).toBe(false);
    expect(scorer.explain(lead, { now }).now).toBe('2026-06-01T00:00:00.000Z');
    expect(recent(scorer.score(lead, { now: '2026-03-01' }))).toBe(true);
    expect(recent(scorer.score(lead, { now: '2026-06-01' }))).toBe(false);
    expect(recent(scorer.score(lead, { now: '2026-03-01' }))).toBe(true);
    expect(scorer.explain(lead, { now: '2026-03-01' }).now).toBe('2026-03-01T00:00:00.000Z');
  });

  it('refuses an invalid string every time (it is not cached)', () => {
    expect(() => scorer.score({}, { now: 'soon' })).toThrow(RangeError);
    expect(() => scorer.score({}, { now: 'soon' })).toThrow(RangeError);
    expect(scorer.score({}, { now: NOW }).score).toBe(scorer.score({}, { now: new Date(NOW) }).score);
  });
});

describe('results', () => {
  it('share one frozen empty groups object when the file has no group; fresh ones otherwise', () => {
    const a = scorer.score({}, { now: NOW });
    const b = scorer.score({ job: 'CEO' }, { now: NOW });
    expect(a.groups).toEqual({});
    expect(Object.isFrozen(a.groups)).toBe(true);
    expect(a.groups).toBe(b.groups);
    const grouped = compileText('lead { x: number }\ngroup fit { when x > 1 add 1 }\n');
    const c = grouped.score({ x: 2 }, { now: NOW });
    const d = grouped.score({ x: 2 }, { now: NOW });
    expect(c.groups).toEqual({ fit: 1 });
    expect(c.groups).not.toBe(d.groups);
  });
});

describe('events after now', () => {
  it('are dropped before their properties are read when scoring, and fully reported by validate', () => {
    let reads = 0;
    const event = Object.defineProperty({ type: 'visit', at: '2026-04-01' }, 'url', {
      get: () => {
        reads++;
        return 42;
      },
      enumerable: true,
    });
    const options = { now: NOW, events: [event] as unknown as LeadEvent[] };
    expect(scorer.score({}, options)).toEqual(scorer.score({}, { now: NOW }));
    expect(reads).toBe(0);
    expect(scorer.validate({}, options)).toEqual([{ field: 'visit.url', value: 42, expected: 'text' }]);
    expect(reads).toBe(1);
  });
});

describe('reused report lists', () => {
  it('scoreAndValidate and validateEvent hand out lists that later calls do not change', () => {
    const first = scorer.scoreAndValidate({ job: 42, vip: 'maybe' } as Lead, { now: NOW }).invalid;
    const firstCopy = [...first];
    const second = scorer.scoreAndValidate({ phone: ['x'] } as Lead, { now: NOW }).invalid;
    expect(first).toEqual(firstCopy);
    expect(first).toHaveLength(2);
    expect(second).toEqual([{ field: 'phone', value: ['x'], expected: 'text' }]);
    expect(scorer.scoreAndValidate({ job: 'CEO' }, { now: NOW }).invalid).toHaveLength(0);
    const event = scorer.validateEvent({ type: 'visit', at: 'soon', url: 5 } as unknown as LeadEvent);
    const eventCopy = [...event];
    expect(event).toHaveLength(2);
    scorer.validateEvent({ type: 'visit', at: 'later' } as unknown as LeadEvent);
    expect(event).toEqual(eventCopy);
    expect(scorer.validateEvent({ type: 'visit', at: NOW } as unknown as LeadEvent)).toHaveLength(0);
    expect(first).toEqual(firstCopy);
  });
});

describe('eventTimes', () => {
  const FILE_EVENTS = `lead { job: text }
event visit { url: text }
event download { asset: text }
when any visit where url starts "/pricing" within 30 days add 1
each visit within 90 days add 2 up to 10
when days since last download <= 7 add 4
when any download where asset contains "guide" add 8
`;
  const events = scorerEvents();
  function scorerEvents(): unknown[] {
    return [
      { type: 'visit', at: '2026-02-27T10:00:00Z', url: '/Pricing' },
      { type: 'visit', at: new Date('2026-02-01T00:00:00Z'), url: 5 },
      { type: 'visit', at: 'not a date', url: '/pricing' },
      { type: 'visit', url: '/pricing' },
      { type: 'download', at: '2026-02-25', asset: 'Guide' },
      { type: 'download', at: '2026-04-01', asset: 7 },
      { type: 'download', at: 20260225, asset: 'guide' },
      { type: 'unknown', at: '2026-02-25' },
      'not an event',
      Object.defineProperty({ type: 'visit' }, 'at', { get: throwing, enumerable: true }),
    ];
  }

  it('scores, explains and validates the same with the instants validateEvent gave', async () => {
    const s = compileText(FILE_EVENTS);
    const source = emitModule(s.model);
    const module = ((await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as { default: Scorer }).default;
    for (const target of [s as Scorer, module]) {
      const out = { at: 0 };
      const times: number[] = [];
      for (const event of events) {
        target.validateEvent(event as LeadEvent, out);
        times.push(out.at);
      }
      expect(times.map((t) => (Number.isNaN(t) ? 'NaN' : new Date(t).toISOString()))).toEqual([
        '2026-02-27T10:00:00.000Z',
        '2026-02-01T00:00:00.000Z',
        'NaN',
        'NaN',
        '2026-02-25T00:00:00.000Z',
        '2026-04-01T00:00:00.000Z',
        'NaN',
        'NaN',
        'NaN',
        'NaN',
      ]);
      const plain = { now: NOW, events: events as LeadEvent[] };
      for (const eventTimes of [times, Float64Array.from(times), times.map((t, i) => (i % 2 === 0 ? t : undefined)) as number[], []]) {
        const timed = { ...plain, eventTimes };
        expect(target.score({}, timed)).toEqual(target.score({}, plain));
        expect(target.scoreAndValidate({}, timed)).toEqual(target.scoreAndValidate({}, plain));
        expect(target.validate({}, timed)).toEqual(target.validate({}, plain));
        expect(target.explain({}, timed)).toEqual(target.explain({}, plain));
      }
      // The instants are taken as given (documented: pass only what validateEvent gave)...
      const shifted = times.map((t) => t - 200 * 86_400_000);
      expect(target.score({}, { ...plain, eventTimes: shifted }).score).not.toBe(target.score({}, plain).score);
      // ...and only with `events`: a lead's own events are always read.
      expect(target.score({ events } as Lead, { now: NOW, eventTimes: shifted })).toEqual(target.score({}, plain));
    }
  });
});

describe('parsing', () => {
  const rts: Array<[string, RuntimeHelpers]> = [
    ['in-process', runtimeHelpers()],
    ['standalone', standaloneRuntimeHelpers()],
  ];

  it.each(rts)('numbers in text agree with the spec reading (%s)', (_name, rt) => {
    const text = fc.stringMatching(/^-?[0-9]{0,20}(\.[0-9]{0,4})?[0-9a.-]?$/);
    fc.assert(
      fc.property(text, (s) => {
        const expected = oracleNumber(s);
        const got = rt.toNumber(s);
        if (expected === undefined || !Number.isFinite(expected)) expect(got).toBeNaN();
        else expect(Object.is(got, expected)).toBe(true);
      }),
      { numRuns: 3000, seed: 13 },
    );
    for (const s of ['-0', '000000000000000000001', '999999999999999', '9999999999999999', '9007199254740993', '-12.50']) {
      expect(Object.is(rt.toNumber(s), Number(s))).toBe(true);
    }
  });

  it.each(rts)('ISO 8601 instants agree with the spec reading (%s)', (_name, rt) => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const instant = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(13),
        two(32),
        fc.option(fc.tuple(two(24), two(60), fc.option(fc.tuple(two(60), fc.option(fc.stringMatching(/^[0-9]{1,10}$/)))))),
        fc.constantFrom('', 'Z', '+02:00', '-0530', '+23', '-24:00', '+05:60', 'z', '+1'),
      )
      .map(([y, mo, d, time, zone]) => {
        let s = `${y}-${mo}-${d}`;
        if (time !== null) {
          s += `T${time[0]}:${time[1]}`;
          if (time[2] !== null) s += `:${time[2][0]}${time[2][1] === null ? '' : `.${time[2][1]}`}`;
          s += zone;
        }
        return s;
      });
    const noise = fc.stringMatching(/^[0-9T:.Z+-]{8,30}$/);
    // The 20-character `YYYY-MM-DDTHH:MM:SSZ` form has its own straight-line path: a valid one
    // with one character replaced, by anything near a digit in the character table.
    const nearMiss = fc
      .tuple(
        fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 19 }),
        fc.constantFrom('/', ':', ';', '?', '>', '@', ' ', 'A', '\u0660', '0', '9', '-', 'T', 'Z'),
      )
      .map(([date, at, ch]) => {
        const valid = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
        return valid.slice(0, at) + ch + valid.slice(at + 1);
      });
    // The 10-character `YYYY-MM-DD` form too, and both forms around leap days.
    const nearMissDay = fc
      .tuple(
        fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 9 }),
        fc.constantFrom('/', ':', '.', ' ', '0', '1', '2', '3', '9', '-', '+'),
      )
      .map(([date, at, ch]) => {
        const valid = date.toISOString().slice(0, 10);
        return valid.slice(0, at) + ch + valid.slice(at + 1);
      });
    const leapDay = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.constantFrom('02-28', '02-29', '02-30', '03-01', '04-30', '04-31', '12-31', '12-32'), fc.boolean())
      .map(([y, day, timed]) => `${String(y).padStart(4, '0')}-${day}${timed ? 'T23:59:59Z' : ''}`);
    fc.assert(
      fc.property(fc.oneof(instant, noise, nearMiss, nearMissDay, leapDay), (s) => {
        const expected = parseIsoInstant(s);
        const got = rt.parseIsoDate(s);
        if (expected === undefined) expect(got).toBeNaN();
        else expect(got).toBe(expected);
      }),
      { numRuns: 5000, seed: 13 },
    );
  });
});
