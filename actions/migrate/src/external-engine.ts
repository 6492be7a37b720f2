/** `engine: prisma` / `engine: command` under the migration lock, with outputs where we can know them. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { log } from '../../../shared/core/log.js';
import { findPrisma, runCommand } from './external.js';

export interface ExternalOutcome {
  command: string;
  code: number;
  ms: number;
  applied: string[];
  pending: string[];
  pendingCount?: number;
  version: string;
  previousVersion: string;
}

export interface ExternalOptions {
  engine: 'prisma' | 'command';
  operation: 'apply' | 'plan' | 'status' | 'rollback';
  argv?: string[];
  cwd: string;
  migrationsDir: string;
  databaseUrl: string;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  signal: AbortSignal;
}

/** Prisma's own record of what is applied (finished, not rolled back), oldest first. */
async function prismaApplied(client: pg.Client): Promise<string[]> {
  const { rows: exists } = await client.query<{ ok: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS ok`);
  if (!exists[0]!.ok) return [];
  const { rows } = await client.query<{ migration_name: string }>(
    `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((r) => r.migration_name);
}

function prismaFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

export async function runExternal(client: pg.Client, o: ExternalOptions): Promise<ExternalOutcome> {
  const readOnly = o.operation === 'plan' || o.operation === 'status';
  const argv = o.engine === 'prisma' ? [findPrisma(o.cwd), 'migrate', readOnly ? 'status' : 'deploy'] : o.argv!;
  const shown = o.engine === 'prisma' ? `prisma migrate ${readOnly ? 'status' : 'deploy'}` : argv.join(' ');
  const before = o.engine === 'prisma' ? await prismaApplied(client) : [];
  log.info(`Running ${shown} (no shell) in ${o.cwd}…`);
  const env: Record<string, string> = {
    DATABASE_URL: o.databaseUrl,
    // Honoured by libpq-based tools (psql, most drivers); Prisma's engine ignores it.
    PGOPTIONS: `-c lock_timeout=${Math.round(o.lockTimeoutMs)} -c statement_timeout=${Math.round(o.statementTimeoutMs)}`,
    GANTRY_OPERATION: o.operation,
  };
  const result = await runCommand(argv, { cwd: o.cwd, env, signal: o.signal });
  const after = o.engine === 'prisma' ? await prismaApplied(client) : [];
  const folders = o.engine === 'prisma' ? prismaFolders(o.migrationsDir) : [];
  const outcome: ExternalOutcome = {
    command: shown,
    code: result.code,
    ms: result.ms,
    applied: after.filter((m) => !before.includes(m)),
    pending: folders.filter((f) => !after.includes(f)),
    pendingCount: o.engine === 'prisma' ? folders.filter((f) => !after.includes(f)).length : undefined,
    version: after.at(-1) ?? '',
    previousVersion: before.at(-1) ?? '',
  };
  // `prisma migrate status` exits 1 when migrations are pending: that is its answer, not a failure.
  if (result.code !== 0 && !(o.engine === 'prisma' && readOnly)) {
    throw Object.assign(new Error(`${shown} exited with code ${result.code} after ${Math.round(result.ms)} ms (see its output above).`), { external: outcome });
  }
  return outcome;
}
