/**
 * Issue 14, encodings: golden runs of `rubric score` on the files of `golden-encoding/` (see its
 * README): a Windows-1252 file with `Directeur Général` (read right with `--encoding
 * windows-1252`; read as UTF-8 its accented rows are rejected and the cure is said once), a
 * UTF-8 file with a byte order mark and CRLF (the output keeps both), a UTF-16 LE file (decoded
 * from its mark; the output is UTF-8 with a mark), a UTF-8 file with stray Latin-1 bytes. The
 * output file is compared byte for byte, stderr as text.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalize, Workspace } from './support/cli.js';

const DIR = fileURLToPath(new URL('./golden-encoding/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Windows-1252 bytes of text made of Latin-1 characters (and the few Windows-1252 ones used). */
function windows1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '’': 0x92, '–': 0x96 };
  return Buffer.from(
    [...text].map((ch) => {
      const code = special[ch] ?? ch.codePointAt(0) ?? 0;
      if (code > 0xff) throw new Error(`not in Windows-1252: ${ch}`);
      return code;
    }),
  );
}

const FRENCH_ROWS = 'id;job;company.size\r\n1;Directeur Général;120\r\n2;Président;8\r\n3;Stagiaire;60\r\n4;Ingénieur commercial – export;40\r\n';

/** The inputs, spelled out as bytes (written into the golden folder, so they can be opened there too). */
const INPUTS: Record<string, Buffer> = {
  'windows-1252.input.csv': windows1252(FRENCH_ROWS),
  'windows-1252-as-utf8.input.csv': windows1252(FRENCH_ROWS),
  'bom-crlf.input.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,job,company.size\r\n1,Directeur Général,120\r\n2,"Président, fondateur",8\r\n3,Président,55\r\n', 'utf8')]),
  'utf-16le.input.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\tjob\tcompany.size\r\n1\tDirecteur Général\t120\r\n2\tIngénieur commercial 🚀\t8\r\n', 'utf16le')]),
  'invalid-utf8.input.csv': Buffer.concat([
    Buffer.from('id,job,company.size\n1,Directeur Général,120\n2,Pr', 'utf8'),
    Buffer.from([0xe9]),
    Buffer.from('sident,8\n3,CEO,60\n4,Ing', 'utf8'),
    Buffer.from([0xe9]),
    Buffer.from('nieur,9\n', 'utf8'),
  ]),
  'utf8-as-windows-1252.input.csv': Buffer.from(FRENCH_ROWS, 'utf8'),
  'bom.input.jsonl': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"1","job":"Directeur Général","company":{"size":120}}\r\n{"id":"2","job":"Président"}\r\n', 'utf8')]),
};

const CASES: readonly { input: string; output: string; args: readonly string[] }[] = [
  { input: 'windows-1252.input.csv', output: 'windows-1252.expected.csv', args: ['--encoding', 'windows-1252'] },
  { input: 'windows-1252-as-utf8.input.csv', output: 'windows-1252-as-utf8.expected.csv', args: [] },
  { input: 'bom-crlf.input.csv', output: 'bom-crlf.expected.csv', args: [] },
  { input: 'utf-16le.input.csv', output: 'utf-16le.expected.csv', args: [] },
  { input: 'invalid-utf8.input.csv', output: 'invalid-utf8.expected.csv', args: [] },
  { input: 'bom.input.jsonl', output: 'bom.expected.jsonl', args: [] },
  // A UTF-8 file read as Windows-1252: scored as asked (mojibake), with a notice saying so.
  { input: 'utf8-as-windows-1252.input.csv', output: 'utf8-as-windows-1252.expected.csv', args: ['--encoding', 'windows-1252'] },
];

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  copyFileSync(path.join(DIR, 'rules.rubric'), ws.path('rules.rubric'));
});
afterEach(() => ws.remove());

describe('rubric score on real exports: encodings, byte order marks, line ends (golden, byte for byte)', () => {
  it('the inputs in golden-encoding/ are the bytes this test spells out', () => {
    for (const [name, bytes] of Object.entries(INPUTS)) {
      if (UPDATE) writeFileSync(path.join(DIR, name), bytes);
      expect(readFileSync(path.join(DIR, name)).equals(bytes), name).toBe(true);
    }
  });

  it.each(CASES)('$input $args', async ({ input, output, args }) => {
    copyFileSync(path.join(DIR, input), ws.path(input));
    const result = await ws.run(['score', 'rules.rubric', input, '--now', '2026-03-01', '--out', output, ...args]);
    const stderr = `exit ${result.code}\n${normalize(result.stderr, ws)}`;
    const written = readFileSync(ws.path(output));
    const stderrFile = path.join(DIR, output.replace(/\.expected\.\w+$/, '.stderr.txt'));
    if (UPDATE) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(path.join(DIR, output), written);
      writeFileSync(stderrFile, stderr);
      return;
    }
    expect(stderr).toBe(readFileSync(stderrFile, 'utf8'));
    const expected = readFileSync(path.join(DIR, output));
    // Byte for byte: the byte order mark and CRLF are part of what is compared.
    expect(written.toString('latin1')).toBe(expected.toString('latin1'));
  });

  it('a Windows-1252 file read with --encoding scores `Directeur Général` like its UTF-8 twin', async () => {
    ws.write('utf8.csv', FRENCH_ROWS);
    copyFileSync(path.join(DIR, 'windows-1252.input.csv'), ws.path('cp1252.csv'));
    const utf8 = await ws.run(['score', 'rules.rubric', 'utf8.csv', '--now', '2026-03-01']);
    const cp1252 = await ws.run(['score', 'rules.rubric', 'cp1252.csv', '--now', '2026-03-01', '--encoding', 'latin1']);
    expect(cp1252.code).toBe(0);
    // The same rows, and a byte order mark: the Excel that saved the Windows-1252 file needs it to read UTF-8.
    expect(cp1252.stdout).toBe(`\ufeff${utf8.stdout}`);
    expect(cp1252.stdout).toContain('1;Directeur Général;120;15;');
  });

  it('a byte order mark overrules --encoding (the run\'s other file may be Windows-1252): same output, no warning', async () => {
    copyFileSync(path.join(DIR, 'bom-crlf.input.csv'), ws.path('bom.csv'));
    const asked = await ws.run(['score', 'rules.rubric', 'bom.csv', '--now', '2026-03-01', '--encoding', 'windows-1252']);
    const plain = await ws.run(['score', 'rules.rubric', 'bom.csv', '--now', '2026-03-01']);
    expect(asked.stdout).toBe(plain.stdout);
    expect(asked.stderr).toBe(plain.stderr);
  });

  it('the --events file is read with --encoding (and its own byte order mark) too', async () => {
    ws.write(
      'ev.rubric',
      'lead {\n  id: text\n}\nevent visite { page: text }\ngroup g {\n  when any visite where page = "Accueil privé" add 7 "Vu"\n}\n',
    );
    ws.write('leads.csv', 'id\n1\n2\n');
    writeFileSync(ws.path('events.csv'), windows1252('lead_id;type;at;page\r\n1;visite;2026-02-01;Accueil privé\r\n2;visite;2026-02-01;Accueil\r\n'));
    const result = await ws.run(['score', 'ev.rubric', 'leads.csv', '--events', 'events.csv', '--now', '2026-03-01', '--encoding', 'windows-1252']);
    expect(result.stderr).not.toContain('not valid UTF-8');
    expect(result.stdout).toBe('\ufeffid,score,stage,tier,g\n1,7,,,7\n2,0,,,0\n');
  });
});
