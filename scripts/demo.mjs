#!/usr/bin/env node
// The README's main job: check and test every example rule file, then score its sample leads with
// the `rubric` CLI, writing out/NAME.scored.csv and showing the first rows and the stage counts.
// Run with `npm start` (which builds first).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const rubric = join(root, 'packages/cli/bin/rubric.js');
const NOW = '2026-03-01T00:00:00Z'; // the samples' reference date (examples/README.md)

function run(args) {
  const result = spawnSync(process.execPath, [rubric, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\nrubric ${args.join(' ')} exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

mkdirSync(join(root, 'out'), { recursive: true });
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(root, 'examples', d.name)).includes(`${d.name}.rubric`))
  .map((d) => d.name)
  .sort();

for (const name of examples) {
  const rules = `examples/${name}/${name}.rubric`;
  const sample = `examples/${name}/${name}.sample.jsonl`;
  const out = `out/${name}.scored.csv`;
  console.log(`\n=== ${name} ===\n`);
  run(['check', rules]);
  run(['test', rules]);
  run(['score', rules, sample, '--now', NOW, '--out', out, '--errors', `out/${name}.problems.csv`]);
  const lines = readFileSync(join(root, out), 'utf8').split('\n').slice(0, 6);
  const header = lines[0].split(',');
  const keep = ['id', 'score', 'stage', 'tier'].map((c) => header.indexOf(c)).filter((i) => i >= 0);
  console.log(`\nfirst leads of ${out}:`);
  for (const line of lines) {
    const cells = line.split(',');
    console.log('  ' + keep.map((i) => (cells[i] ?? '').padEnd(14)).join(''));
  }
}
