// Nothing in a rule file or a lead executes: hostile strings as rule values, labels, names and
// lead data compile to inert, ASCII-only code and behave as plain data.
import { afterEach, describe, expect, it } from 'vitest';
import { compile, type CompiledScorer } from '../../src/compiler/compile.js';
import { emitModule } from '../../src/compiler/emit-js.js';
import { jsData, jsKey, jsNumber, jsString } from '../../src/compiler/js-syntax.js';
import { fold } from '../../src/runtime/fold.js';
import { HOSTILE_NAMES, HOSTILE_STRINGS } from '../support/hostile.js';
import { rubricString } from '../../src/profile/suggest.js';


const PAYLOADS = [
  ...HOSTILE_STRINGS,
  '${globalThis.__rubricPwned = 1}',
  '"; globalThis.__rubricPwned = 1; "',
  "'; globalThis.__rubricPwned = 1; '",
  '`; globalThis.__rubricPwned = 1; `',
  '\\"; globalThis.__rubricPwned = 1; //',
  '*/ globalThis.__rubricPwned = 1; /*',
  '\u2028globalThis.__rubricPwned = 1;//',
];

function compileText(text: string): CompiledScorer {
  const { scorer, diagnostics } = compile(text);
  if (scorer === null) throw new Error(diagnostics.map((d) => `${d.range.start.line}: ${d.message}`).join('\n'));
  return scorer;
}

const pwned = () => (globalThis as Record<string, unknown>).__rubricPwned;
afterEach(() => {
  expect(pwned(), 'no payload ran').toBeUndefined();
});

describe('JavaScript literals', () => {
  it.each(PAYLOADS.map((s) => [s]))('jsString(%j) evaluates back to itself and is ASCII-only', (text) => {
    const literal = jsString(text);
    expect(/^[\x20-\x7e]*$/.test(literal)).toBe(true);
    expect(literal).not.toMatch(/<\/?script|`|\$\{/i);
    expect(new Function(`return ${literal};`)()).toBe(text);
    expect(new Function(`return \`\${${literal}}\`;`)()).toBe(text);
  });

  it('jsKey never sets a prototype; jsData refuses `__proto__` keys; jsNumber refuses non-finite numbers', () => {
    const object = new Function(`return { ${jsKey('__proto__')}: 1, ${jsKey('constructor')}: 2 };`)() as object;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor']);
    expect(() => jsData(JSON.parse('{"__proto__": 1}'))).toThrow();
    expect(jsData({ label: '</script>', list: ['\u2028'] })).toBe('{"label":"\\u003c/script\\u003e","list":["\\u2028"]}');
    expect(() => jsNumber(NaN)).toThrow();
    expect(() => jsNumber(Infinity)).toThrow();
    expect(jsNumber(-0)).toBe('0');
    expect(jsNumber(-5)).toBe('(-5)');
  });
});

describe('jsData without a replacer (plain data checked by a walk)', () => {
  it('writes what JSON.stringify writes, and refuses what the replacer refused, at any depth', () => {
    const plain = { rules: [{ label: 'a "b" \\ é', group: null, each: false, points: -0.5 }], nested: [[[{ x: [1, 2, { y: 'z' }] }]]] };
    expect(jsData(plain)).toBe(JSON.stringify(plain).replace(/é/g, '\\u00e9'));
    expect(() => jsData({ rules: [{ x: [1, JSON.parse('{"__proto__": 1}') as unknown] }] })).toThrow();
    expect(() => jsData({ deep: [[{ n: NaN }]] })).toThrow(/cannot emit the number NaN/);
    expect(() => jsData([1, [Infinity]])).toThrow(/cannot emit the number Infinity/);
    // Values the walk does not take (toJSON, a cycle) go through the replacer as before.
    expect(jsData({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => jsData(cycle)).toThrow(TypeError);
    // Inherited keys are not written (JSON.stringify reads own keys only).
    expect(jsData(Object.assign(Object.create({ inherited: NaN }) as object, { own: 1 }))).toBe('{"own":1}');
  });
});

describe('hostile text in rules', () => {
  it.each(PAYLOADS.map((s) => [s]))('%j as a value and a label is data', (payload) => {
    const literal = rubricString(payload);
    const scorer = compileText(`lead {
  note: text
  tags: list of text
}
when note = ${literal} add 1 ${literal}
when note contains ${literal} add 2
when note starts any [${literal}, "zzz"] add 4
when tags has ${literal} add 8
when note not in [${literal}] add 16
`);
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(scorer.javascript)).toBe(true);
    const blank = fold(payload) === '';
    const expected = blank ? 0 : 1 + 2 + 4 + 8;
    const result = scorer.explain({ note: payload, tags: [payload] });
    expect(result.score).toBe(expected);
    if (!blank) expect(result.hits[0].label).toBe(payload);
    expect(scorer.score({ note: `other ${payload}`, tags: ['x'] }).score).toBe(blank ? 16 : 2 + 16);
    // The module text is as inert as the in-process code.
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(emitModule(scorer.ir))).toBe(true);
  });

  it.each(HOSTILE_NAMES.map((s) => [s]))('%j as every kind of name is data', (name) => {
    const n = `\`${name}\``;
    const { scorer, diagnostics } = compile(`lead {
  ${n}: text
}
event ${n} { ${n}: text }
segment ${n} = ${n} is set
group ${n} max 100 {
  when ${n} add 1
  when any ${n} where ${n} = x add 2
}
stage ${n} at 1 requires ${n}
tier ${n} when ${n} >= 1
`);
    if (scorer === null) {
      // The checker may refuse some names (reserved words); then nothing is compiled at all.
      expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
      return;
    }
    const lead = Object.defineProperty({}, name, { value: 'set', enumerable: true });
    const event = Object.defineProperties({}, { type: { value: name, enumerable: true }, at: { value: '2026-01-01', enumerable: true } });
    Object.defineProperty(event, name, { value: 'X', enumerable: true });
    const result = scorer.explain(lead, { now: '2026-03-01', events: [event as never] });
    expect(result.score).toBe(3);
    expect(result.stage).toBe(name);
    expect(result.tier).toBe(name);
    expect(Object.getOwnPropertyDescriptor(result.groups, name)?.value).toBe(3);
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(scorer.javascript)).toBe(true);
  });
});
