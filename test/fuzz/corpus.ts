/**
 * The real rule files the fuzzer mutates: the examples, the checker and syntax golden files, the
 * formatter's golden inputs and every ```rubric block of docs/language.md. Sorted by name so a
 * seed picks the same files on every machine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One seed text and where it came from (a path, or `docs/language.md#N` for the Nth block). */
export interface SeedFile {
  readonly name: string;
  readonly text: string;
}

function rubricFilesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...rubricFilesUnder(path));
    else if (name.endsWith('.rubric')) out.push(path);
  }
  return out;
}

/** The ```rubric blocks of a Markdown text, in order. */
export function rubricBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```rubric[^\n]*\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) blocks.push(match[1]);
  return blocks;
}

/** Every seed file, sorted by name. */
export function loadSeedFiles(root = REPOSITORY_ROOT): SeedFile[] {
  const dirs = ['examples', 'packages/core/test/checker/golden', 'packages/core/test/syntax/golden', 'packages/core/test/format/golden'];
  const files: SeedFile[] = dirs
    .flatMap((dir) => rubricFilesUnder(join(root, dir)))
    .map((path) => ({ name: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));
  const docs = join(root, 'docs/language.md');
  rubricBlocks(readFileSync(docs, 'utf8')).forEach((text, i) => files.push({ name: `docs/language.md#${i + 1}`, text }));
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
