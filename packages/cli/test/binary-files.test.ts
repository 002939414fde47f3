/**
 * A workbook or an archive given where a CSV (or JSON Lines) file goes is refused at once, with
 * what it is and what to do, by every command that reads data and by both engines: read as text,
 * every record of it would be rejected as invalid UTF-8 and nothing said of why. A real
 * case: an Excel workbook renamed `Leads.csv`, as published in a lead-scoring course's repository.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from './support/cli.js';
import { ACME_RULES } from './support/fixtures.js';

/** The first bytes of each kind, then some text (a signature alone is enough to tell). */
const FILES: ReadonlyArray<{ readonly name: string; readonly head: readonly number[]; readonly says: string; readonly help: string }> = [
  { name: 'workbook.csv', head: [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x08], says: 'is a ZIP archive (an Excel .xlsx workbook is one), not a text file', help: 'CSV UTF-8' },
  { name: 'old.csv', head: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], says: 'is an Excel 97-2003 workbook (.xls), not a text file', help: 'CSV UTF-8' },
  { name: 'export.jsonl', head: [0x1f, 0x8b, 0x08, 0x00], says: 'is gzip-compressed, not a text file', help: 'gunzip' },
];

describe('a binary file given as data', () => {
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
    ws.write('acme.rubric', ACME_RULES);
    ws.write('leads.csv', 'id,job\nL1,CEO\n');
  });
  afterEach(() => ws.remove());

  const write = (name: string, head: readonly number[]): void => {
    writeFileSync(ws.path(name), Buffer.concat([Buffer.from(head), Buffer.from('\nid,job\nL1,CEO\n'.repeat(200))]));
  };

  it.each(FILES)('$name: refused by rubric score (one thread or two), naming what it is', async ({ name, head, says, help }) => {
    write(name, head);
    for (const threads of ['1', '2']) {
      const result = await ws.run(['score', 'acme.rubric', name, '--now', '2026-03-01', '--out', 'scored.out', '--threads', threads], { env: { RUBRIC_PIECE_UNITS: '64' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`\`${name}\` ${says}: its rows cannot be read`);
      expect(result.stderr).toContain(help);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('is refused as an events file, by explain and profile, and by the DuckDB engine', async () => {
    write('workbook.csv', FILES[0].head);
    const says = '`workbook.csv` is a ZIP archive (an Excel .xlsx workbook is one), not a text file';
    const runs = [
      ['score', 'acme.rubric', 'leads.csv', '--events', 'workbook.csv', '--now', '2026-03-01', '--out', 'scored.csv'],
      ['score', 'acme.rubric', 'workbook.csv', '--engine', 'duckdb', '--now', '2026-03-01', '--out', 'scored.csv'],
      ['explain', 'acme.rubric', 'workbook.csv', '--row', '1', '--now', '2026-03-01'],
      ['profile', 'acme.rubric', 'workbook.csv'],
    ];
    for (const args of runs) {
      const result = await ws.run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(says);
    }
  });

  it('reads a text file that merely starts like one of them (a field beginning with PK)', async () => {
    ws.write('pk.csv', 'PK,job\nL1,CEO\n');
    const result = await ws.run(['score', 'acme.rubric', 'pk.csv', '--now', '2026-03-01']);
    expect(result.code).toBe(0);
  });
});
