/**
 * `pg_dump` / `pg_restore` that match the server's major version, run as child processes whose
 * exit status gates success. The password never appears on a command line: it is passed in
 * `PGPASSWORD`, and the URL handed to libpq has it removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';

export const POSTGRES_LIB = '/usr/lib/postgresql';

export interface PgTools {
  major: number;
  binDir: string;
  pgDump: string;
  pgRestore: string;
}

function installedMajors(base: string): number[] {
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .sort((a, b) => b - a);
}

/**
 * The client tools for a server of this major version. pg_dump refuses a newer server, and an
 * older pg_dump's archives are not always what a newer server expects, so the choice is: the same
 * major when installed, else the newest installed one that is newer (pg_dump supports older servers).
 */
export function findPgTools(serverMajor: number, options: { base?: string; need?: Array<'pg_dump' | 'pg_restore'> } = {}): PgTools {
  const base = options.base ?? process.env.GANTRY_POSTGRES_LIB ?? POSTGRES_LIB;
  const need = options.need ?? ['pg_dump', 'pg_restore'];
  const candidates = installedMajors(base).filter((m) => m >= serverMajor);
  const usable = candidates.filter((m) => need.every((tool) => existsSync(join(base, String(m), 'bin', tool))));
  const exact = usable.find((m) => m === serverMajor);
  const chosen = exact ?? usable.at(-1);
  if (chosen === undefined) {
    const found = installedMajors(base).filter((m) => existsSync(join(base, String(m), 'bin', 'pg_dump')));
    throw new Error(
      `No ${need.join('/')} for PostgreSQL ${serverMajor} or newer under ${base}/<major>/bin` +
        (found.length ? ` (found only: ${found.join(', ')})` : '') +
        `. Install the matching client before this step: sudo apt-get install -y postgresql-client-${serverMajor}` +
        ` (on ubuntu runners add the PGDG apt repository first: sudo /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y).`,
    );
  }
  const binDir = join(base, String(chosen), 'bin');
  return { major: chosen, binDir, pgDump: join(binDir, 'pg_dump'), pgRestore: join(binDir, 'pg_restore') };
}

/** libpq connection arguments for a URL: the URL without its password, and the password in the environment. */
export function libpqTarget(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.password = '';
  const env: Record<string, string> = {};
  if (password !== undefined) env.PGPASSWORD = password;
  return { dbname: u.toString(), env };
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Only what libpq and the locale need; never the runner's INPUT_* (which hold secrets).
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(PATH|HOME|LANG|LC_[A-Z]+|TZ|TMPDIR|PGSSL[A-Z]*|PGCONNECT_TIMEOUT|PGAPPNAME|PGSERVICEFILE|PGSYSCONFDIR|PGTZ)$/.test(k)) env[k] = v;
  }
  return { ...env, PGAPPNAME: 'gantry-backup', ...extra };
}

/**
 * pg_dump writes its archive through stdio, which buffers 4 KiB for a pipe: 168,000 writes for a
 * 660 MiB archive, read by us as ~8 KiB chunks (reading them alone cost our main thread 1.7 CPU-s).
 * coreutils' `stdbuf` gives it a 256 KiB buffer instead: our reads then fill the pipe's 64 KiB, and
 * pg_dump's own CPU fell by a quarter. (pg_restore reading its stdin through a bigger buffer was
 * slower: its 4 KiB reads stay in cache.) Without stdbuf (not a Debian-like system) pg_dump runs as is.
 */
function withBigOutputBuffer(tool: string, args: string[]): [string, string[]] {
  const stdbuf = ['/usr/bin/stdbuf', '/bin/stdbuf'].find((p) => existsSync(p));
  return stdbuf ? [stdbuf, ['--output=256K', tool, ...args]] : [tool, args];
}

export class ChildFailure extends Error {
  constructor(
    readonly tool: string,
    readonly code: number | null,
    readonly signalName: NodeJS.Signals | null,
    readonly stderr: string,
  ) {
    const tail = stderr.trim().split('\n').slice(-6).join('\n');
    super(`${tool} ${code !== null ? `exited with code ${code}` : `was killed by ${signalName}`}${tail ? `: ${tail}` : ''}`);
  }
}

export interface RunningChild {
  child: ChildProcess;
  /** Resolves when the process exits 0; rejects with ChildFailure otherwise. */
  exited: Promise<void>;
  kill(): void;
}

function supervise(tool: string, child: ChildProcess, signal?: AbortSignal): RunningChild {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  signal?.addEventListener('abort', kill, { once: true });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(error));
    child.once('close', (code, sig) => {
      signal?.removeEventListener('abort', kill);
      if (code === 0) resolve();
      else reject(new ChildFailure(tool, code, sig, stderr));
    });
  });
  exited.catch(() => undefined);
  return { child, exited, kill };
}

const DUMP_PIECE = 1024 * 1024;

/**
 * `pg_dump -Fc` as a stream whose end is gated by the exit status: the stream ends only after
 * pg_dump exited 0, and errors (so that whatever consumes it aborts) when pg_dump fails, is killed
 * or the signal aborts. A consumer can therefore never mistake a partial dump for a whole one.
 */
export function dumpStream(tools: PgTools, url: string, extraArgs: string[], signal?: AbortSignal): { stream: Readable; process: RunningChild } {
  const { dbname, env } = libpqTarget(url);
  const child = spawn(...withBigOutputBuffer(tools.pgDump, ['--format=custom', '--no-password', ...extraArgs, `--dbname=${dbname}`]), {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = supervise('pg_dump', child, signal);
  const out = child.stdout!;
  let waiting = false;
  // A pipe is read 64 KiB at a time at most; every stage after this one (the count, the copy into
  // pg_restore, zstd's hand-off to its thread) costs per piece, so pieces of 1 MiB are passed on.
  // zstd alone took 4× the CPU on 48 KiB pieces as on 1 MiB ones (300 MiB of pgbench rows).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const takePending = () => {
    const piece = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    return piece;
  };
  const stream = new Readable({
    highWaterMark: 2 * DUMP_PIECE,
    read() {
      if (waiting) return;
      waiting = true;
      out.resume();
    },
    destroy(error, callback) {
      proc.kill();
      callback(error);
    },
  });
  out.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < DUMP_PIECE) return;
    if (!stream.push(takePending())) {
      waiting = false;
      out.pause();
    }
  });
  out.pause();
  stream.on('error', () => undefined); // surfaced by the consumer (and by process.exited)
  out.once('end', () => {
    if (pendingBytes) stream.push(takePending());
    proc.exited.then(
      () => {
        if (signal?.aborted) stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
        else stream.push(null);
      },
      (error: Error) => stream.destroy(error),
    );
  });
  return { stream, process: proc };
}

/**
 * `pg_restore` reading an archive from a stream. `target` is a database URL, or `null` for a full
 * read into /dev/null (the verification that, unlike `--list`, reads and decompresses every block).
 */
export function restoreProcess(tools: PgTools, target: string | null, extraArgs: string[], signal?: AbortSignal): { stdin: Writable; process: RunningChild } {
  let args: string[];
  let env: Record<string, string> = {};
  if (target === null) args = ['--file=/dev/null', ...extraArgs];
  else {
    const t = libpqTarget(target);
    env = t.env;
    args = ['--no-password', ...extraArgs, `--dbname=${t.dbname}`];
  }
  const child = spawn(tools.pgRestore, args, { env: childEnv(env), stdio: ['pipe', 'ignore', 'pipe'] });
  const proc = supervise('pg_restore', child, signal);
  child.stdin!.on('error', () => undefined); // EPIPE when pg_restore stops early: its exit status tells why
  return { stdin: child.stdin!, process: proc };
}

/**
 * `pg_dump --version` → "pg_dump (PostgreSQL) 15.18 …". A probe whose output is lines goes through
 * the toolkit's @actions/exec (loaded only here); the byte pipelines above stay on child_process
 * streams, which exec cannot give us (its output arrives as buffered strings, without backpressure).
 */
export async function toolVersion(path: string): Promise<string> {
  const { getExecOutput } = await import('@actions/exec');
  const { stdout } = await getExecOutput(path, ['--version'], { silent: true });
  return stdout.trim();
}

/** Options we set ourselves (format, output, connection) or that cannot stream. */
const FORBIDDEN_DUMP_ARGS = /^(-F|--format|-f|--file|-d|--dbname|-h|--host|-p|--port|-U|--username|-W|--password|-j|--jobs|-w|--no-password|-V|--version|-\?|--help)(=|$)|^-[FfdhpUj].+/;

/** pg_dump's own compression option (-Z, --compress), if the arguments set it. */
export function dumpCompressionArg(args: string[]): string | undefined {
  return args.find((arg) => /^(-Z|--compress)(=|$)|^-Z.+/.test(arg));
}

/** The first argument we refuse, or undefined. */
export function forbiddenDumpArg(args: string[]): string | undefined {
  return args.find((arg) => FORBIDDEN_DUMP_ARGS.test(arg));
}
