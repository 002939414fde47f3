/**
 * EventRowReader finds a row's column plan (and whether the rules declare its type) among the
 * first types it met with `===`, then in its map: whatever the order and number of types, each
 * row must read as a reader with no history reads it, and `lastDeclared` must be the schema's
 * answer for the row's trimmed type.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '@rubric/core';
import { EventRowReader, schemaOf } from '../src/input/leads.js';
import { ACME_RULES } from './support/fixtures.js';

const compiled = compile(ACME_RULES).scorer;
if (compiled === null) throw new Error('ACME_RULES must compile');
const schema = schemaOf(compiled.model);
const COLUMNS = ['lead_id', 'type', 'at', 'asset', 'url'];

describe('EventRowReader', () => {
  it('reads every row like a fresh reader, and knows whether its type is declared, past its recent types', () => {
    const declared = [...schema.events.keys()];
    expect(declared.length).toBeGreaterThan(1);
    // More distinct types than the reader searches with `===`, declared ones among them,
    // some written with spaces around them (the same type once trimmed).
    const types = [...declared, ...Array.from({ length: 20 }, (_, i) => `other_${i}`), ` ${declared[0]} `, '', '  '];
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const reader = new EventRowReader(COLUMNS, schema, new Set([0]));
    let declaredRows = 0;
    for (let row = 0; row < 2_000; row++) {
      const type = types[next() % types.length];
      const fields = [String(row), type, row % 3 === 0 ? 'not a date' : '2026-02-01', row % 2 === 0 ? 'guide' : '', '/pricing'];
      const event = reader.read(fields);
      const fresh = new EventRowReader(COLUMNS, schema, new Set([0])).read(fields);
      expect(event).toEqual(fresh);
      expect(Object.keys(event)).toEqual(Object.keys(fresh));
      expect(reader.lastType).toBe(type.trim());
      expect(reader.lastDeclared).toBe(schema.events.has(type.trim()));
      if (reader.lastDeclared) declaredRows += 1;
    }
    expect(declaredRows).toBeGreaterThan(0);
    expect(declaredRows).toBeLessThan(2_000);
  });
});
