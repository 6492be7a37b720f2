/** The history table: one row per applied migration, written in the migration's own transaction. */
import type pg from 'pg';
import { context } from '../../../shared/core/context.js';
import type { AppliedRow } from './plan.js';

// Not `gantry`: a schema named like the connecting role sits first on the default search_path ("$user", public)
// and would capture every table the migrations create.
export const HISTORY_SCHEMA = '_gantry';
export const HISTORY_TABLE = 'migrations';
export const HISTORY = `"${HISTORY_SCHEMA}"."${HISTORY_TABLE}"`;

export async function historyExists(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [HISTORY]);
  return rows[0]!.ok;
}

export async function ensureHistory(client: pg.Client): Promise<void> {
  if (await historyExists(client)) return;
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${HISTORY_SCHEMA}"`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${HISTORY} (
    version        text PRIMARY KEY,
    name           text NOT NULL,
    checksum       text NOT NULL,
    transactional  boolean NOT NULL,
    execution_ms   integer NOT NULL,
    applied_at     timestamptz NOT NULL DEFAULT now(),
    applied_by     text,
    commit_sha     text,
    run_url        text,
    backup_id      text
  )`);
}

export async function readHistory(client: pg.Client): Promise<AppliedRow[]> {
  if (!(await historyExists(client))) return [];
  const { rows } = await client.query<{ version: string; name: string; checksum: string; applied_at: Date; execution_ms: number; applied_by: string | null; commit_sha: string | null }>(
    `SELECT version, name, checksum, applied_at, execution_ms, applied_by, commit_sha FROM ${HISTORY}`,
  );
  return rows.map((r) => ({
    version: r.version,
    name: r.name,
    checksum: r.checksum,
    appliedAt: r.applied_at,
    executionMs: r.execution_ms,
    appliedBy: r.applied_by ?? undefined,
    commitSha: r.commit_sha ?? undefined,
  }));
}

export interface RunMeta {
  actor?: string;
  commitSha?: string;
  runUrl?: string;
  backupId?: string;
}

/** Who and what applied a migration, from the runner's environment. */
export function runMeta(backupId: string | undefined): RunMeta {
  const c = context();
  return { actor: c.actor || undefined, commitSha: c.sha || undefined, runUrl: c.runUrl, backupId };
}

export async function recordApplied(
  client: pg.Client,
  m: { version: string; name: string; checksum: string; transactional: boolean; executionMs: number },
  meta: RunMeta,
): Promise<string | undefined> {
  const { rows } = await client.query<{ xid: string }>(
    `INSERT INTO ${HISTORY} (version, name, checksum, transactional, execution_ms, applied_by, commit_sha, run_url, backup_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING txid_current()::text AS xid`,
    [m.version, m.name, m.checksum, m.transactional, Math.round(m.executionMs), meta.actor ?? null, meta.commitSha ?? null, meta.runUrl ?? null, meta.backupId ?? null],
  );
  return rows[0]?.xid;
}

export async function removeApplied(client: pg.Client, version: string): Promise<string | undefined> {
  const { rows } = await client.query<{ xid: string }>(`DELETE FROM ${HISTORY} WHERE version = $1 RETURNING txid_current()::text AS xid`, [version]);
  return rows[0]?.xid;
}

/**
 * After a file: the transaction that wrote its history change (`xid`) committed, and — in a new
 * statement, so from the committed state — the row is there (or gone). A problem, or undefined.
 */
export async function checkRecorded(client: pg.Client, xid: string | undefined, version: string, present: boolean): Promise<string | undefined> {
  if (!xid) return `its history row was not ${present ? 'written' : 'deleted'} (something in the database swallowed the change)`;
  const { rows } = await client.query<{ status: string | null; found: boolean }>(
    `SELECT txid_status($1::bigint) AS status, EXISTS (SELECT 1 FROM ${HISTORY} WHERE version = $2) AS found`,
    [xid, version],
  );
  const { status, found } = rows[0]!;
  if (status !== 'committed') return `its transaction (${xid}) is ${status ?? 'unknown'}, not committed, after it should have committed`;
  if (found !== present) return present ? 'its history row is missing after COMMIT' : 'its history row is still there after COMMIT';
  return undefined;
}
