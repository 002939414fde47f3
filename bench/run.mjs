#!/usr/bin/env node
/**
 * `npm run bench [-- options]`: builds the workspace when the build is missing or older than the
 * sources (the bench measures the BUILT packages, as users run them), then runs the harness in a
 * fresh Node process with --expose-gc (for clean heap figures and a GC between runs).
 *
 * Options (passed through to bench/lib/main.mjs):
 *   --quick          smaller sizes, about a minute; prints the report, writes nothing
 *   --only a,b       only these sections: compile, throughput, profile, cli, language-server,
 *                    sql (the DuckDB engine; it reuses the cli section's JavaScript run),
 *                    accounts (`rubric score --accounts` against contact-only scoring)
 *   --out FILE       write the report there (a full run writes docs/performance.md)
 *   --no-write       print only
 *   --no-build       do not build first, measure whatever is in packages/*\/dist
 *   --leads N, --rounds N   override the sizes (the report is then not written by default)
 *   --render FILE    re-render a saved run (bench/results/full-latest.json) with the current
 *                    bench/notes.md, measuring nothing
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

/** Newest modification time of the .ts files under `dir` (0 when none). */
function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Packages whose dist is missing or older than their sources. */
function stalePackages() {
  const stale = [];
  for (const name of ['core', 'cli', 'language-server']) {
    const src = join(root, 'packages', name, 'src');
    if (!existsSync(src)) continue;
    const info = join(root, 'packages', name, 'dist', '.tsbuildinfo');
    const built = existsSync(info) ? statSync(info).mtimeMs : 0;
    if (built < newestSource(src)) stale.push(name);
  }
  return stale;
}

let build = 'up to date';
const noBuild = args.includes('--no-build') || args.includes('--render');
if (noBuild) {
  build = 'not checked (--no-build)';
} else {
  const stale = stalePackages();
  if (stale.length > 0) {
    process.stderr.write(`building (${stale.join(', ')} older than the sources): npm run build\n`);
    const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status === 0) {
      build = `built by the bench (${stale.join(', ')} were stale)`;
    } else {
      build = `FAILED (npm run build exited ${result.status}); sections use whatever build exists`;
      process.stderr.write(`warning: npm run build failed; measuring the existing build, if any\n`);
    }
  }
}

const harness = join(root, 'bench', 'lib', 'main.mjs');
const forwarded = args.filter((a) => a !== '--no-build');
const child = spawnSync(process.execPath, ['--expose-gc', harness, ...forwarded, '--build', build], { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 1);
