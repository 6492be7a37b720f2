/**
 * A real, throwaway PostgreSQL: the machine's own server binaries, `initdb` into a temp dir
 * (as the `postgres` OS user when we are root: initdb refuses root), password auth, a free
 * loopback port. Used by the test setup and by `npm run demo`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base) ? readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) if (existsSync(join(base, major, 'bin', 'initdb'))) return join(base, major, 'bin');
  throw new Error('No PostgreSQL server found under /usr/lib/postgresql: install it (apt-get install postgresql).');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface PostgresServer {
  /** Superuser URL (user `gantry`, password auth) to the `postgres` database. */
  url: string;
  port: number;
  password: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'gantry-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-Zq9`;
  writeFileSync(join(dir, 'pwfile'), password);
  if (isRoot) {
    chmodSync(dir, 0o700);
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pwfile'), uid, gid);
  }
  const asPg = (cmd: string, args: string[]): [string, string[]] => (isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const [initCmd, initArgs] = asPg(join(bin, 'initdb'), [
    '-D', data, '-U', 'gantry', '--pwfile', join(dir, 'pwfile'), '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [cmd, args] = asPg(join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off',
    '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
  ]);
  const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `postgres://gantry:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await waitReady(bin, port, () => stderr, child);
  return {
    url,
    port,
    password,
    urlFor: (database) => `postgres://gantry:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    stop: async () => {
      // Signal the postmaster itself (runuser does not forward signals): fast shutdown, then kill.
      const pid = postmasterPid(data);
      const exited = new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      try {
        if (pid) process.kill(pid, 'SIGINT');
        else child.kill('SIGINT');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (pid) process.kill(pid, 'SIGKILL');
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postmasterPid(data: string): number | undefined {
  try {
    return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const out = execFileSync('id', ['postgres'], { encoding: 'utf8' });
  return { uid: Number(/uid=(\d+)/.exec(out)![1]), gid: Number(/gid=(\d+)/.exec(out)![1]) };
}

async function waitReady(bin: string, port: number, logs: () => string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${logs()}`);
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`postgres did not become ready: ${logs()}`);
}

/** Creates a fresh database and returns its URL. */
export async function createDatabase(server: { url: string; urlFor(db: string): string }, name: string): Promise<string> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return server.urlFor(name);
}
