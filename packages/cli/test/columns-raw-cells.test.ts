/**
 * Issue 14, design14 rule 4: CSV cells go to the scorer as raw strings, so the rule file's data
 * dialect decides how each is read, exactly as for the same text in JSON. The one shortcut left
 * (a cell of digits only handed over as its number, in a `number` field with no digit
 * placeholder) must never change a result: checked on seeded random cells under every dialect,
 * against the plain raw-string lead, for both CSV lead readers and the scorer's row entry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile, seededRandom } from '@rubric/core';
import { columnRoles, LeadRowReader, leadFromRow, schemaOf } from '../src/input/leads.js';
import { Workspace } from './support/cli.js';

const FIELDS = `lead {
  id: text
  size: number from "Company size"
  revenue: number missing ["0000", "-1"]
  score_crm: number
  optin: bool from "Opt-in"
  created: date
  tags: list of text
  job: text missing ["n/c"]
}
when size >= 1000 add 5 "Big"
when size between 1 and 999 add 2 "Small"
when revenue > 100 add 3 "Revenue"
when revenue is missing add 1 "No revenue"
when score_crm > 7 add 4 "CRM"
when optin add 2 "Opt-in"
when created > 2026-02-01 add 1 "Recent"
when tags has vip add 6 "VIP"
when job is set add 1 "Job known"
stage hot at 10
`;

const DIALECTS = [
  '',
  'data {\n  numbers: decimal comma\n  dates: day first\n  true: [oui]\n  false: [non]\n  missing: ["N/A", "-"]\n}\n',
  'data {\n  numbers: decimal point\n  dates: month first\n  missing: ["?", "0"]\n}\n',
];

const CELLS = ['', ' ', '12', '-7', '+3', '007', '1200', '1.200', '1 200', '1,200', '12,5', '12.5', '0', '0000', '-1', '-0', 'N/A', '-', '?', 'n/c', 'oui', 'non', 'yes', '1', '20/02/2026', '02/20/2026', '2026-02-20 10:00', 'vip;x', 'a| vip', '999999999999999', '12345678901234567890', 'abc'];
const COLUMNS = ['id', 'Company size', 'revenue', 'score_crm', 'Opt-in', 'created', 'tags', 'job', 'note'];

describe('a CSV row reads as its raw cells would (the digits shortcut changes nothing)', () => {
  it.each(DIALECTS.map((dialect, i) => [i, dialect]))('dialect %i', (_i, dialect) => {
    const compiled = compile(`${dialect}${FIELDS}`);
    if (compiled.scorer === null) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
    const scorer = compiled.scorer;
    const schema = schemaOf(scorer.model);
    const roles = columnRoles(COLUMNS, schema);
    const reader = LeadRowReader.plan(COLUMNS, roles);
    if (reader === undefined) throw new Error('no events column: a reader is planned');
    // rubric score's path for such rows: the scorer's row entry, reading the cells by column index.
    const plan = scorer.rowPlan(COLUMNS);
    const random = seededRandom(1414);
    const options = { now: '2026-03-01T00:00:00Z' };
    let shortcuts = 0;
    for (let round = 0; round < 2000; round++) {
      const fields = COLUMNS.map(() => CELLS[Math.floor(random() * CELLS.length)]);
      // The same text as JSON strings: every non-empty cell as it is.
      const raw: Record<string, unknown> = {};
      COLUMNS.forEach((column, i) => {
        if (fields[i] !== '') raw[column] = fields[i];
      });
      const expected = scorer.scoreAndValidate(raw, options);
      const planned = reader.read(fields);
      const built = leadFromRow(COLUMNS, roles, fields).lead;
      if (Object.values(planned).some((value) => typeof value === 'number')) shortcuts += 1;
      const label = JSON.stringify(fields);
      expect(scorer.scoreAndValidate(planned, options), label).toEqual(expected);
      expect(scorer.scoreAndValidate(built, options), label).toEqual(expected);
      expect(scorer.scoreRowAndValidate(fields, plan, options), label).toEqual(expected);
      expect(scorer.explain(planned, options), label).toEqual(scorer.explain(raw, options));
    }
    // The shortcut was taken (on `size` and `score_crm`; `revenue` has digit placeholders), except
    // under the dialect whose `missing` holds "0": then no number field takes it.
    if (dialect.includes('"0"')) expect(shortcuts).toBe(0);
    else expect(shortcuts).toBeGreaterThan(100);
  });

  it('no shortcut for a field whose placeholders (its own or the data block\'s) hold digits', () => {
    const compiled = compile(`data {\n  missing: ["0"]\n}\n${FIELDS}`);
    if (compiled.scorer === null) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
    const schema = schemaOf(compiled.scorer.model);
    expect([...(schema.digitCells ?? [])]).toEqual([]);
    expect([...(schemaOf((compile(FIELDS).scorer ?? { model: compiled.scorer.model }).model).digitCells ?? [])]).toEqual(['size', 'score_crm']);
  });
});

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

describe('rubric score: a French export read in its dialect, CSV and JSON Lines alike', () => {
  const RULES = `data {
  numbers: decimal comma
  dates: day first
  true: [oui]
  false: [non]
  missing: ["N/A", "-"]
}
lead {
  id: text
  size: number from "Taille"
  optin: bool from "Opt-in"
  created: date from "Créé le"
}
when size >= 1000 add 5 "Grande entreprise"
when optin add 2 "Opt-in"
when created > 2026-02-01 add 1 "Récent"
`;

  it('`1.200` is 1200, `12.5` is reported, `N/A` is missing and not reported, `oui` and `20/02/2026` read', async () => {
    ws.write('fr.rubric', RULES);
    ws.write('fr.csv', 'id;Taille;Opt-in;Créé le\n1;1.200;oui;20/02/2026\n2;12.5;non;31/02/2026\n3;N/A;-; 1 500 \n');
    ws.write(
      'fr.jsonl',
      '{"id":"1","Taille":"1.200","Opt-in":"oui","Créé le":"20/02/2026"}\n{"id":"2","Taille":"12.5","Opt-in":"non","Créé le":"31/02/2026"}\n{"id":"3","Taille":"N/A","Opt-in":"-","Créé le":" 1 500 "}\n',
    );
    const csv = await ws.run(['score', 'fr.rubric', 'fr.csv', '--now', '2026-03-01', '--errors', 'csv-errors.jsonl']);
    const jsonl = await ws.run(['score', 'fr.rubric', 'fr.jsonl', '--now', '2026-03-01', '--format', 'csv', '--errors', 'jsonl-errors.jsonl']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('id;Taille;Opt-in;Créé le;score;stage;tier\n1;1.200;oui;20/02/2026;8;;\n2;12.5;non;31/02/2026;0;;\n3;N/A;-;" 1 500 ";0;;\n');
    // The same leads as JSON strings: the same scores and the same problems (values as written).
    const scores = (text: string, delimiter: string) => text.split('\n').map((line) => line.split(delimiter).at(-3));
    expect(scores(jsonl.stdout, ',')).toEqual(scores(csv.stdout, ';'));
    const problems = (name: string) =>
      ws
        .read(name)
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => {
          const { field, value, problem } = JSON.parse(line) as { field: string; value: string; problem: string };
          return { field, value, problem };
        });
    expect(problems('csv-errors.jsonl')).toEqual(problems('jsonl-errors.jsonl'));
    expect(problems('csv-errors.jsonl').map((p) => `${p.field}=${p.value}`)).toEqual(['size=12.5', 'created=31/02/2026', 'created= 1 500 ']);
  });
});
