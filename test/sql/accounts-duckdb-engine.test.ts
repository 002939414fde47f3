/**
 * Issue 17, the DuckDB engine's side of `rubric score --accounts` (packages/cli/src/engine/
 * duckdb-accounts.ts): the seeded random accounts, contacts and events of the SQL differential,
 * written as CSV files, loaded by the engine's own readers and scored in DuckDB, give every
 * account and contact the JavaScript account scorer's result.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compile } from '../../packages/core/src/compiler/compile.js';
import { createContext } from '../../packages/cli/src/context.js';
import { scoreAccountFilesInDuckdb } from '../../packages/cli/src/engine/duckdb-accounts.js';
import { expectedResults, type AccountData } from './support/accounts.js';
import { dataSet, FULL, NOW, READING, SHAPE } from './support/accounts-data.js';

function csv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>>): string {
  const cell = (value: string | null) => (value === null ? '' : `"${value.replace(/"/g, '""')}"`);
  return [columns.map(cell), ...rows.map((row) => row.map(cell))].map((line) => line.join(',')).join('\n') + '\n';
}

function writeFiles(dir: string, data: AccountData): void {
  writeFileSync(path.join(dir, 'accounts.csv'), csv(SHAPE.accountColumns, data.accounts.map((row) => SHAPE.accountColumns.map((c) => row[c] ?? null))));
  // The same accounts as JSON Lines (a `__proto__` key is an own key of the parsed record).
  const jsonl = data.accounts.map((row) => {
    const record: Record<string, unknown> = {};
    for (const column of SHAPE.accountColumns) {
      const value = row[column];
      if (value !== null && value !== undefined) Object.defineProperty(record, column, { value, enumerable: true, writable: true, configurable: true });
    }
    return JSON.stringify(record);
  });
  writeFileSync(path.join(dir, 'accounts.jsonl'), `${jsonl.join('\n')}\n`);
  writeFileSync(path.join(dir, 'contacts.csv'), csv(['id', ...SHAPE.contactColumns], data.contacts.map((c) => [c.id, ...SHAPE.contactColumns.map((name) => c.cells[name] ?? null)])));
  const events = data.contacts.flatMap((c) => c.events.map((e) => [c.id, e.type ?? null, e.at ?? null, ...SHAPE.eventColumns.map((name) => e[name] ?? null)]));
  writeFileSync(path.join(dir, 'events.csv'), csv(['lead_id', 'type', 'at', ...SHAPE.eventColumns], events));
}

describe('rubric score --accounts, the DuckDB engine side', () => {
  for (const [name, rules, seeds, accountsFormat] of [
    ['every aggregate', FULL, [21, 22], 'csv'],
    ['contacts reading their account', READING, [23], 'csv'],
    ['accounts in JSON Lines', FULL, [24], 'jsonl'],
  ] as const) {
    it(`scores the files as JavaScript does: ${name}`, async () => {
      const scorer = compile(rules).scorer;
      if (scorer === null) throw new Error('does not compile');
      const dir = mkdtempSync(path.join(tmpdir(), 'rubric-accounts-'));
      const stderr = new PassThrough();
      const context = createContext(
        { stdout: new PassThrough(), stderr, stdin: Readable.from([]), isTTY: { stdout: false, stderr: false, stdin: false }, env: {}, cwd: dir, now: () => new Date(NOW) },
        { exitCode: 0, colorOption: false },
      );
      try {
        for (const seed of seeds) {
          const data = dataSet(seed, 30);
          writeFiles(dir, data);
          const expected = expectedResults(scorer, SHAPE, data, NOW, 'id');
          const result = await scoreAccountFilesInDuckdb(context, scorer.model, {
            contacts: { path: 'contacts.csv', format: 'csv' },
            accounts: { path: `accounts.${accountsFormat}`, format: accountsFormat },
            events: { path: 'events.csv', format: 'csv', key: 'lead_id' },
            idColumn: 'id',
            now: new Date(NOW),
          });
          const plain = (r: (typeof result.contacts)[number]) => ({
            score: r.score,
            stage: r.stage,
            tier: r.tier,
            ...Object.fromEntries(Object.entries(r.groups).map(([g, v]) => [`group ${g}`, v])),
          });
          expect(result.contacts.length).toBe(data.contacts.length);
          for (const contact of result.contacts) expect(plain(contact), `contact row ${contact.row}`).toEqual(expected.contacts.get(data.contacts[contact.row].id));
          expect(result.accounts.length).toBe(expected.accounts.size);
          for (const account of result.accounts) {
            const id = String(data.accounts[account.row].id);
            const want = expected.accounts.get(id) ?? {};
            const { score, stage, tier } = want;
            const groups = Object.fromEntries(Object.entries(want).filter(([k]) => k.startsWith('group ')));
            expect(plain(account), `account ${JSON.stringify(id)}`).toEqual({ score, stage, tier, ...groups });
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
