/**
 * End-to-end support: runs the BUILT command (`node packages/cli/bin/rubric.js`, which loads
 * the bundle packages/cli/dist/rubric.mjs) as a child process, the way users run it. `npm test` builds first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The command under test: the repository's, or another build's `bin/rubric.js` (RUBRIC_CLI_BIN). */
export const BIN = process.env.RUBRIC_CLI_BIN ?? path.join(REPO_ROOT, 'packages/cli/bin/rubric.js');

/** Fails with a clear message when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(path.join(path.dirname(BIN), '../dist/rubric.mjs'))) {
    throw new Error('packages/cli/dist/rubric.mjs is missing: run `npm run build` before the end-to-end tests');
  }
}

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `rubric ...args` in `cwd` (stdin left open for the caller). */
export function startRubric(args: readonly string[], cwd: string, env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, ...env };
  return spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv as NodeJS.ProcessEnv });
}

/** Runs `rubric ...args` to completion, with `input` on stdin. */
export function runRubric(args: readonly string[], cwd: string, options: { input?: string; env?: Record<string, string> } = {}): Promise<ProcessResult> {
  const child = startRubric(args, cwd, options.env);
  return collect(child, options.input);
}

/** Runs a Node script (`node --input-type=module|commonjs -e script`) and collects its output. */
export function runNode(script: string, cwd: string, type: 'module' | 'commonjs'): Promise<ProcessResult> {
  const child = spawn(process.execPath, [`--input-type=${type}`, '-e', script], { cwd });
  return collect(child, undefined);
}

function collect(child: ChildProcessWithoutNullStreams, input: string | undefined): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary directory for one test file. */
export class TempDir {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'rubric-e2e-'));

  write(name: string, text: string): string {
    const full = path.join(this.dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  read(name: string): string {
    return readFileSync(path.join(this.dir, name), 'utf8');
  }

  exists(name: string): boolean {
    return existsSync(path.join(this.dir, name));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Rows as a HubSpot-style (French Excel) CSV export: `;` between cells, CRLF line ends, a cell
 * quoted (quotes doubled) only when it holds `;`, a quote or a line break.
 */
export function semicolonCsv(rows: readonly (readonly string[])[]): string {
  const cell = (v: string): string => (/[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return rows.map((row) => row.map(cell).join(';')).join('\r\n') + '\r\n';
}
