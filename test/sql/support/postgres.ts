/**
 * A throwaway PostgreSQL server for the SQL target's tests: `initdb` in a temporary directory,
 * `postgres` on a free loopback port, a `pg` client, and a clean stop. As root (PostgreSQL
 * refuses to run as root) both run as the `postgres` user through `runuser`, which owns the
 * directory.
 *
 * When PostgreSQL cannot start, {@link startPostgres} returns the reason instead of a server:
 * tests then skip LOUDLY on a developer machine, and FAIL when `CI=true` (CI installs
 * PostgreSQL; a missing server there is a broken pipeline, not a reason to skip).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  readonly client: pg.Client;
  readonly port: number;
  readonly version: string;
  stop(): Promise<void>;
}

/** Whether the run is in CI, where PostgreSQL must be available. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

function postgresBinaries(): string | undefined {
  const fromEnv = process.env.RUBRIC_PG_BIN;
  if (fromEnv !== undefined && existsSync(path.join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? undefined : path.join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** `command args` as the postgres user when we are root. */
function asPostgres(command: string, args: readonly string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

async function connect(port: number, deadline: number): Promise<pg.Client> {
  let last: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      return client;
    } catch (error) {
      last = error;
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`could not connect: ${last instanceof Error ? last.message : String(last)}`);
}

/** Starts a server, or says why it cannot. */
export async function startPostgres(): Promise<PostgresServer | { readonly unavailable: string }> {
  const bin = postgresBinaries();
  if (bin === undefined) return { unavailable: 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)' };
  const dir = mkdtempSync(path.join(tmpdir(), 'rubric-pg-'));
  const data = path.join(dir, 'data');
  let child: ChildProcess | undefined;
  let log = '';
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (asRoot) {
      const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      if (owner.status !== 0) throw new Error('running as root and there is no `postgres` user to run PostgreSQL as');
      chownSync(dir, Number(owner.stdout.trim()), Number(group.stdout.trim()));
    }
    const [initCommand, initArgs] = asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--auth=trust', '--no-sync']);
    const init = spawnSync(initCommand, initArgs, { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed: ${(init.stderr || init.stdout || String(init.error)).trim().split('\n').slice(-3).join(' ')}`);
    const port = await freePort();
    const [command, args] = asPostgres(path.join(bin, 'postgres'), [
      '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ]);
    child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
    const client = await connect(port, Date.now() + 20_000);
    const version = ((await client.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
    const server = child;
    return {
      client,
      port,
      version,
      async stop() {
        await client.end().catch(() => undefined);
        const [stopCommand, stopArgs] = asPostgres(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
        spawnSync(stopCommand, stopArgs, { encoding: 'utf8' });
        if (server.exitCode === null) server.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        cleanup();
      },
    };
  } catch (error) {
    if (child !== undefined && child.exitCode === null) child.kill('SIGTERM');
    cleanup();
    const detail = error instanceof Error ? error.message : String(error);
    return { unavailable: `PostgreSQL did not start: ${detail}${log === '' ? '' : ` (server log: ${log.trim().split('\n').slice(-3).join(' | ')})`}` };
  }
}

/**
 * The server for a test file, or null with a loud warning; throws in CI (no silent skip there).
 */
export async function postgresForTests(): Promise<PostgresServer | null> {
  const started = await startPostgres();
  if ('unavailable' in started) {
    if (IN_CI) throw new Error(`CI=true and ${started.unavailable}: the SQL target must be tested against a real PostgreSQL`);
    process.stderr.write(`\n!!! SKIPPING the PostgreSQL half of the SQL tests: ${started.unavailable} !!!\n\n`);
    return null;
  }
  return started;
}
