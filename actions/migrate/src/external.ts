/**
 * `engine: prisma` and `engine: command`: someone else's migration tool, run as argv (no shell)
 * under our advisory lock, our deadline and cancellation, with DATABASE_URL set. Its output is
 * streamed to the log (redacted).
 *
 * child_process rather than @actions/exec: exec gives no handle on the child, so a cancelled job
 * could not stop a migration tool mid-run (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CancelledError, ConfigurationError } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';

export interface CommandResult {
  code: number;
  output: string;
  ms: number;
}

/** The project's own prisma CLI: node_modules/.bin/prisma from the working directory up, else on PATH. */
export function findPrisma(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const bin = join(dir, 'node_modules', '.bin', 'prisma');
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) break;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'prisma'))) return join(dir, 'prisma');
  }
  throw new ConfigurationError(
    `engine: prisma needs the project's Prisma CLI: none in node_modules/.bin from ${cwd} upwards, nor on PATH. Run npm ci (prisma as a devDependency) before this step; the action never downloads it.`,
    { input: 'engine' },
  );
}

export async function runCommand(argv: string[], o: { cwd: string; env: Record<string, string>; signal: AbortSignal; killAfterMs?: number }): Promise<CommandResult> {
  const [file, ...args] = argv;
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file!, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let output = '';
    let pending = '';
    const onData = (d: Buffer) => {
      const text = d.toString();
      output += text;
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) log.info(`  │ ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs ?? 10_000);
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      o.signal.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT') reject(new ConfigurationError(`Cannot run ${JSON.stringify(file)}: not found (give a program on PATH or a path relative to working-directory).`, { input: 'command' }));
      else reject(error);
    });
    child.on('close', (code, signal) => {
      o.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      if (pending) log.info(`  │ ${pending}`);
      if (o.signal.aborted) return reject(o.signal.reason instanceof Error ? o.signal.reason : new CancelledError());
      resolvePromise({ code: code ?? (signal ? 128 : 1), output, ms: performance.now() - started });
    });
  });
}

/** `prisma migrate deploy` output: the names listed under "have been applied". */
export function parsePrismaApplied(output: string): string[] {
  const names: string[] = [];
  for (const m of output.matchAll(/└─\s+([^\s/]+)\/?\s*$/gm)) if (!/\.sql$/.test(m[1]!)) names.push(m[1]!);
  return names;
}
