#!/usr/bin/env node
/**
 * The CLI floor: the least a Node program must do to turn one CSV into another with one more
 * column, so `rubric score` can be measured against what Node itself costs on the same files.
 *
 *   node bench/lib/cli-floor.mjs LEADS.csv OUT.csv [--events EVENTS.csv]
 *
 * It reads the file in chunks (fs stream, 1 MB), splits lines and cells with a plain
 * `split(',')` (no quoting care: the bench's files would need some, so this is a floor, not a
 * reader), adds one computed column — the number of non-empty cells of the row — and writes
 * every line out through a write stream. With `--events` it also reads the events file in step
 * (both sorted by lead id, as `rubric score --events` requires), splits each event line the
 * same way and adds the lead's event count to the computed column: no objects per row, no
 * parsing of values. Prints `rows N` on stderr.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

const CHUNK = 1 << 20;

/** Batches of complete lines of a file (without the newline), read in chunks. */
async function* lineBatches(path) {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    yield lines;
  }
  if (rest !== '') yield [rest];
}

/** Lines of the events file one at a time, across batches. */
class EventLines {
  constructor(path) {
    this.batches = lineBatches(path);
    this.lines = [];
    this.index = 0;
    this.done = false;
  }

  /** Reads the next batch when the current one is used up; false at the end of the file. */
  async fill() {
    while (this.index >= this.lines.length && !this.done) {
      const next = await this.batches.next();
      if (next.done) this.done = true;
      else {
        this.lines = next.value;
        this.index = 0;
      }
    }
    return this.index < this.lines.length;
  }
}

function nonEmptyCells(cells) {
  let filled = 0;
  for (let i = 0; i < cells.length; i++) if (cells[i] !== '') filled++;
  return filled;
}

async function main() {
  const args = process.argv.slice(2);
  const eventsAt = args.indexOf('--events');
  const eventsPath = eventsAt === -1 ? null : args[eventsAt + 1];
  const [input, output] = eventsAt === -1 ? args : args.filter((_, i) => i !== eventsAt && i !== eventsAt + 1);
  if (input === undefined || output === undefined || (eventsAt !== -1 && eventsPath === undefined)) {
    process.stderr.write('usage: node bench/lib/cli-floor.mjs LEADS.csv OUT.csv [--events EVENTS.csv]\n');
    process.exit(2);
  }
  const out = createWriteStream(output);
  const events = eventsPath === null ? null : new EventLines(eventsPath);
  if (events !== null && (await events.fill())) events.index++; // the header
  let header = true;
  let rows = 0;
  for await (const lines of lineBatches(input)) {
    const written = [];
    for (const line of lines) {
      if (line === '') continue;
      if (header) {
        header = false;
        written.push(`${line},computed`);
        continue;
      }
      const cells = line.split(',');
      let computed = nonEmptyCells(cells);
      if (events !== null) {
        const id = cells[0];
        // Skip events of ids before this lead (leads with no row), count this lead's.
        // Awaits only when a batch of event lines is used up.
        while (events.index < events.lines.length || (await events.fill())) {
          const eventCells = events.lines[events.index].split(',');
          const eventId = eventCells[0];
          if (eventId > id) break;
          if (eventId === id) computed += eventCells.length > 1 ? 1 : 0;
          events.index++;
        }
      }
      written.push(`${line},${computed}`);
      rows++;
    }
    if (!out.write(written.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  process.stderr.write(`rows ${rows}\n`);
}

await main();
