/**
 * `rubric.sampleEncoding`: the editor reads a sample exported by Excel (Windows-1252) when told
 * to, as `rubric score --encoding windows-1252` does; a byte order mark decides over it; without
 * the setting, the sample's problem says which setting to change.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSample, SampleFiles } from '../src/sample-files.js';
import { DEFAULT_SETTINGS, readSettings } from '../src/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'rubric-sample-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Windows-1252 bytes: Latin-1 plus `€` (0x80) and `’` (0x92), the bytes Node's one-shot decoder gets wrong. */
function windows1252(text: string): Buffer {
  return Buffer.from([...text].map((ch) => (ch === '€' ? 0x80 : ch === '’' ? 0x92 : ch.charCodeAt(0))));
}

const CSV = 'id;Fonction;Budget\r\n1;Directeur Général;10 k€\r\n2;Directeur d’agence;\r\n';

function sampleOf(name: string, bytes: Buffer, encoding?: string) {
  writeFileSync(join(dir, `${name}.rubric`), '');
  writeFileSync(join(dir, `${name}.sample.csv`), bytes);
  const settings = encoding === undefined ? DEFAULT_SETTINGS : readSettings({ rubric: { sampleEncoding: encoding } });
  return new SampleFiles().contextFor(pathToFileURL(join(dir, `${name}.rubric`)).toString(), settings, []).sample;
}

describe('rubric.sampleEncoding', () => {
  it('reads a Windows-1252 export with the setting, € and ’ included', () => {
    const sample = sampleOf('cp1252', windows1252(CSV), 'windows-1252');
    expect(sample?.problems).toEqual([]);
    expect(sample?.leads.map((l) => [l.lead.Fonction, l.lead.Budget])).toEqual([
      ['Directeur Général', '10 k€'],
      ['Directeur d’agence', undefined],
    ]);
  });

  it('takes the --encoding names: latin1 is read as Windows-1252; an unknown name keeps UTF-8', () => {
    expect(readSettings({ sampleEncoding: 'Latin1' }).sampleEncoding).toBe('windows-1252');
    expect(readSettings({ sampleEncoding: 'klingon' }).sampleEncoding).toBe('utf-8');
  });

  it('without it, says which setting reads the file', () => {
    const sample = sampleOf('plain', windows1252(CSV));
    expect(sample?.leads).toEqual([]);
    expect(sample?.problems[0].message).toContain('set `rubric.sampleEncoding` to `windows-1252`');
  });

  it('lets a byte order mark decide over the setting', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')]);
    expect(sampleOf('utf16', utf16, 'windows-1252')?.leads.map((l) => l.lead.Fonction)).toEqual(['Directeur Général', 'Directeur d’agence']);
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV, 'utf8')]);
    expect(decodeSample(utf8, 'windows-1252')).toBe(`\ufeff${CSV}`);
  });
});
