/**
 * Database and migrations on the real PostgreSQL: the server version and the pg_dump rule (a server
 * whose major has no matching pg_dump, through the documented GANTRY_POSTGRES_LIB knob), and
 * migrate's plan read-only — pending, lint, drift — leaving the database exactly as it was.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { checksum } from '../../actions/migrate/src/files.js';
import { ensureHistory, recordApplied } from '../../actions/migrate/src/history.js';
import { check, freshDatabase, preflight, tempDir } from './support.js';

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A postgresql lib folder holding only fake pg_dump binaries of these majors. */
function fakeLib(majors: number[]): string {
  const base = tempDir('pglib');
  for (const major of majors) {
    mkdirSync(join(base, String(major), 'bin'), { recursive: true });
    const tool = join(base, String(major), 'bin', 'pg_dump');
    writeFileSync(tool, `#!/bin/sh\necho "pg_dump (PostgreSQL) ${major}.4"\n`);
    chmodSync(tool, 0o755);
  }
  return base;
}

let url: string;
let major: number;

beforeAll(async () => {
  url = await freshDatabase('db');
  major = Math.floor(Number((await sql<{ n: string }>(url, "SELECT current_setting('server_version_num') AS n"))[0]!.n) / 10000);
});

describe('database', () => {
  it('reports the server and the pg_dump that matches it', async () => {
    const r = await preflight({ 'database-url': url });
    expect(check(r, 'database')).toMatchObject({ status: 'pass' });
    expect(check(r, 'database').found).toMatch(new RegExp(`^PostgreSQL ${major}\\.\\d+.* at 127\\.0\\.0\\.1:\\d+/pre_db_\\d+_\\d+; pg_dump \\(PostgreSQL\\) ${major}\\.`));
    expect(check(r, 'database').data).toMatchObject({ major });
  });

  it('fails when no pg_dump of the server\'s major (or newer) is installed, saying what to install', async () => {
    const r = await preflight({ 'database-url': url, 'fail-on-not-ready': 'false' }, { env: { GANTRY_POSTGRES_LIB: fakeLib([major - 2, major - 1]) } });
    const c = check(r, 'database');
    expect(c.status).toBe('fail');
    expect(c.found).toMatch(new RegExp(`^PostgreSQL ${major}\\.\\d+.*; no pg_dump for it$`));
    expect(c.fix).toContain(`postgresql-client-${major}`);
    expect(JSON.parse(r.outputs.failed!)).toEqual(['database']);
  });

  it('accepts a newer pg_dump (it can dump an older server)', async () => {
    const r = await preflight({ 'database-url': url }, { env: { GANTRY_POSTGRES_LIB: fakeLib([major + 1]) } });
    expect(check(r, 'database')).toMatchObject({ status: 'pass' });
    expect(check(r, 'database').found).toMatch(new RegExp(`pg_dump \\(PostgreSQL\\) ${major + 1}\\.4 \\(newer than the server: it can dump it\\)$`));
  });

  it('wrong password: fails without showing it', async () => {
    const bad = url.replace(/:[^:@/]+@/, ':Wr0ng-Passw0rd-123@');
    const r = await preflight({ 'database-url': bad, 'fail-on-not-ready': 'false' }, { secrets: ['Wr0ng-Passw0rd-123'] });
    expect(check(r, 'database').status).toBe('fail');
    expect(check(r, 'database').found).toMatch(/password authentication failed/);
  });
});

describe('migrations plan (read-only)', () => {
  it('counts pending files and lint findings, and leaves the database untouched', async () => {
    const db = await freshDatabase('plan');
    const ws = tempDir('mig');
    mkdirSync(join(ws, 'db'));
    writeFileSync(join(ws, 'db', '001_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY, total int);\n');
    writeFileSync(join(ws, 'db', '002_index.sql'), '-- speed up lookups on the existing customers table\nCREATE INDEX customers_email ON customers (email);\n');
    const r = await preflight({ 'database-url': db, 'migrations-dir': 'db' }, { cwd: ws });
    const c = check(r, 'migrations');
    expect(c.status).toBe('warn');
    expect(c.found).toBe('at no version; 2 pending; 1 lint finding; no drift');
    expect(c.details).toEqual([expect.stringMatching(/^db\/002_index\.sql:2 \[index-not-concurrent\] /)]);
    expect(r.summary).toMatch(/<details><summary>⚠️ Migrations: details<\/summary>[\s\S]*db\/002_index\.sql:2/);
    // Read-only: no history table, no orders table.
    expect(await sql(db, "SELECT to_regclass('_gantry.migrations') AS h, to_regclass('public.orders') AS o")).toEqual([{ h: null, o: null }]);
  });

  it('fails where migrate would refuse: an applied file edited since (drift) and a file PostgreSQL cannot parse', async () => {
    const db = await freshDatabase('drift');
    const ws = tempDir('drift');
    mkdirSync(join(ws, 'migrations'));
    writeFileSync(join(ws, 'migrations', '001_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY); -- edited after it ran\n');
    writeFileSync(join(ws, 'migrations', '002_broken.sql'), 'ALTER TABLE orders ADD COLUMN note txt DEFAULT;\n');
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      await ensureHistory(client);
      await client.query('CREATE TABLE orders (id bigint PRIMARY KEY)');
      await recordApplied(client, { version: '001', name: 'orders', checksum: checksum('CREATE TABLE orders (id bigint PRIMARY KEY);\n'), transactional: true, executionMs: 3 }, {});
    } finally {
      await client.end();
    }
    const r = await preflight({ 'database-url': db, 'migrations-dir': 'migrations', 'fail-on-not-ready': 'false' }, { cwd: ws });
    const c = check(r, 'migrations');
    expect(c.status).toBe('fail');
    expect(c.found).toMatch(/^at 001; 1 pending; 1 lint finding; drift in 1 — migrate would refuse: 1 problem\(s\) it cannot run past \(syntax\)$/);
    expect(c.details).toEqual(expect.arrayContaining([expect.stringMatching(/^migrations\/002_broken\.sql:1 \[syntax\]/), 'migrations/001_orders.sql: changed after it was applied (checksum differs)']));
    expect((await sql<{ n: string }>(db, 'SELECT count(*) AS n FROM _gantry.migrations'))[0]!.n).toBe('1');
  });
});
