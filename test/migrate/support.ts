import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult, type RunOptions } from '../harness/action.js';
import { createDatabase } from '../harness/postgres.js';

export const serverUrl = () => inject('postgresUrl');
export const password = () => inject('postgresPassword');

let counter = 0;
/** A fresh database of its own for one test. */
export async function freshDatabase(label: string): Promise<string> {
  const url = serverUrl();
  const name = `mig_${label.replace(/\W/g, '_').slice(0, 30)}_${process.pid}_${++counter}`.toLowerCase();
  return createDatabase({ url, urlFor: (db) => url.replace(/\/[^/]*$/, '/' + db) }, name);
}

/** A workspace with a migrations folder holding `files` (name → SQL). */
export function workspace(files: Record<string, string>, dir = 'migrations'): { root: string; dir: string; write(name: string, sql: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'gantry-mig-ws-'));
  const full = join(root, dir);
  mkdirSync(full, { recursive: true });
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(full, name), sql);
  return { root, dir: full, write: (name, sql) => writeFileSync(join(full, name), sql) };
}

export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export async function historyVersions(url: string): Promise<string[]> {
  const exists = await query<{ ok: boolean }>(url, `SELECT to_regclass('_gantry.migrations') IS NOT NULL AS ok`);
  if (!exists[0]!.ok) return [];
  return (await query<{ version: string }>(url, 'SELECT version FROM _gantry.migrations ORDER BY version::numeric')).map((r) => r.version);
}

/** Tables in the database outside pg_catalog/information_schema, as schema.name. */
export async function tables(url: string): Promise<string[]> {
  return (
    await query<{ t: string }>(url, `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','i','S','v','m','p') AND n.nspname NOT IN ('pg_catalog','information_schema','pg_toast','_gantry') ORDER BY 1`)
  ).map((r) => r.t);
}

export async function migrate(url: string, root: string, inputs: RunOptions['inputs'] = {}, options: Omit<RunOptions, 'inputs'> = {}): Promise<ActionResult> {
  const result = await runAction('migrate', { cwd: root, ...options, inputs: { 'database-url': url, ...inputs } });
  const leaks = findSecretLeaks(result, [password(), url]);
  if (leaks.length) throw new Error(`secret leaked: ${leaks.join('; ')}`);
  return result;
}

export const errors = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error');
export const warnings = (r: ActionResult) => r.annotations.filter((a) => a.level === 'warning');
