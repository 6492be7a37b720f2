import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { errors, freshDatabase, migrate, query, workspace } from './support.js';

const PG = JSON.stringify(join(ROOT, 'node_modules', 'pg', 'lib', 'index.js'));

/** Reports whether a gantry-migrate session holds the migration advisory lock right now. */
const LOCK_PROBE = `
async function lockHeldByGantry(client) {
  const { rows } = await client.query("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted");
  return rows.some((r) => r.application_name.startsWith('gantry-migrate'));
}`;

/** A stand-in for the project's Prisma CLI: the real `_prisma_migrations` table, real SQL, Prisma's messages. */
const FAKE_PRISMA = `#!/usr/bin/env node
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { createHash } = require('node:crypto');
const pg = require(${PG});
${LOCK_PROBE}
(async () => {
  const [cmd, sub] = process.argv.slice(2);
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  console.log('lock held by gantry: ' + (await lockHeldByGantry(client)));
  await client.query(\`CREATE TABLE IF NOT EXISTS _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)\`);
  const dir = 'prisma/migrations';
  const all = readdirSync(dir).filter((d) => existsSync(dir + '/' + d + '/migration.sql')).sort();
  const done = (await client.query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL')).rows.map((r) => r.migration_name);
  const pending = all.filter((m) => !done.includes(m));
  console.log(all.length + ' migrations found in prisma/migrations');
  if (cmd === 'migrate' && sub === 'status') {
    if (pending.length) { console.log('Following migration have not yet been applied:\\n' + pending.join('\\n')); process.exitCode = 1; }
    else console.log('Database schema is up to date!');
  } else if (cmd === 'migrate' && sub === 'deploy') {
    for (const m of pending) {
      const sql = readFileSync(dir + '/' + m + '/migration.sql', 'utf8');
      console.log('Applying migration \`' + m + '\`');
      try { await client.query('BEGIN'); await client.query(sql); await client.query("INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (gen_random_uuid(), $1, now(), $2, 1)", [createHash('sha256').update(sql).digest('hex'), m]); await client.query('COMMIT'); }
      catch (e) { await client.query('ROLLBACK'); console.error('Error: P3018 A migration failed to apply. Migration name: ' + m + '\\n' + e.message); process.exitCode = 1; break; }
    }
    if (!process.exitCode) console.log(pending.length ? 'All migrations have been successfully applied.' : 'No pending migrations to apply.');
  } else { console.error('unknown command'); process.exitCode = 2; }
  await client.end();
})();
`;

function prismaProject(migrations: Record<string, string>) {
  const ws = workspace({}, 'prisma/migrations');
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(join(ws.dir, name), { recursive: true });
    writeFileSync(join(ws.dir, name, 'migration.sql'), sql);
  }
  mkdirSync(join(ws.root, 'node_modules', '.bin'), { recursive: true });
  const bin = join(ws.root, 'node_modules', '.bin', 'prisma');
  writeFileSync(bin, FAKE_PRISMA);
  chmodSync(bin, 0o755);
  return ws;
}

describe('migrate engine: prisma (the project CLI, found in node_modules/.bin)', () => {
  it('runs migrate deploy under the advisory lock and reports what it applied from _prisma_migrations', async () => {
    const url = await freshDatabase('prisma');
    const ws = prismaProject({
      '20261101000000_init': 'CREATE TABLE "User" (id serial PRIMARY KEY, email text NOT NULL);',
      '20261102000000_posts': 'CREATE TABLE "Post" (id serial PRIMARY KEY, author int REFERENCES "User"(id));',
    });
    const status = await migrate(url, ws.root, { engine: 'prisma', operation: 'status' });
    expect(status.code, status.log).toBe(0);
    expect(status.log).toMatch(/Following migration have not yet been applied/);
    expect(status.outputs).toMatchObject({ 'pending-count': '2', applied: '[]' });

    const r = await migrate(url, ws.root, { engine: 'prisma' });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toContain('lock held by gantry: true');
    expect(r.log).toContain('All migrations have been successfully applied.');
    expect(r.outputs).toMatchObject({ applied: '["20261101000000_init","20261102000000_posts"]', version: '20261102000000_posts', 'previous-version': '', 'pending-count': '0' });
    expect(r.summary).toMatch(/\*\*Ran\*\* \| `prisma migrate deploy`/);
    expect((await query(url, `SELECT to_regclass('"Post"') IS NOT NULL AS ok`))[0]).toEqual({ ok: true });
  });

  it('a failing prisma deploy fails the step with its exit code and keeps prisma\'s own record', async () => {
    const url = await freshDatabase('prisma_fail');
    const ws = prismaProject({ '1_ok': 'CREATE TABLE a (id int);', '2_bad': 'CREATE TABLE b (id int); SELECT * FROM nope;' });
    const r = await migrate(url, ws.root, { engine: 'prisma' });
    expect(r.code).toBe(1);
    expect(errors(r).map((e) => e.message).join('\n')).toMatch(/prisma migrate deploy exited with code 1/);
    expect(r.outputs).toMatchObject({ applied: '["1_ok"]', version: '1_ok', 'pending-count': '1' });
    expect((await query(url, `SELECT to_regclass('b') IS NULL AS gone`))[0]).toEqual({ gone: true });
  });

  it('refuses rollback and tells the user to restore the backup; a missing CLI is a clear error', async () => {
    const url = await freshDatabase('prisma_rb');
    const ws = prismaProject({});
    const rb = await migrate(url, ws.root, { engine: 'prisma', operation: 'rollback' });
    expect(rb.code).toBe(1);
    expect(errors(rb)[0]!.message).toMatch(/Input 'operation' is "rollback": Prisma has no down migrations/);
    const none = workspace({}, 'prisma/migrations');
    const missing = await migrate(url, none.root, { engine: 'prisma' }, { env: { PATH: '/usr/bin:/bin' } });
    expect(missing.code).toBe(1);
    expect(errors(missing)[0]!.message).toMatch(/needs the project's Prisma CLI.*never downloads it/);
  });
});

describe('migrate engine: command (argv, no shell)', () => {
  const SCRIPT = `const pg = require(${PG});
${LOCK_PROBE}
(async () => {
  console.log('argv=' + JSON.stringify(process.argv.slice(2)));
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  console.log('lock held by gantry: ' + (await lockHeldByGantry(client)));
  console.log('options=' + (await client.query("SELECT current_setting('lock_timeout') AS l")).rows[0].l);
  if (process.argv.includes('--hang')) await new Promise(() => setInterval(() => {}, 1000));
  await client.query('CREATE TABLE made_by_command (id int)');
  await client.end();
  process.exitCode = process.argv.includes('--fail') ? 3 : 0;
})();`;

  it('runs the command as argv with DATABASE_URL under the lock; quotes group words, $ and | are literal', async () => {
    const url = await freshDatabase('command');
    const ws = workspace({});
    writeFileSync(join(ws.root, 'tool.cjs'), SCRIPT);
    const r = await migrate(url, ws.root, { engine: 'command', command: `node tool.cjs "two words" '$HOME' | cat`, 'lock-timeout': '7s' });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toContain('argv=["two words","$HOME","|","cat"]');
    expect(r.log).toContain('lock held by gantry: true');
    expect(r.log).toContain('options=7s');
    expect(r.summary).toMatch(/\*\*Exit code\*\* \| 0/);
    expect((await query(url, `SELECT to_regclass('made_by_command') IS NOT NULL AS ok`))[0]).toEqual({ ok: true });
  });

  it('a non-zero exit fails the step; a command past timeout is stopped and the lock released', async () => {
    const url = await freshDatabase('command_fail');
    const ws = workspace({});
    writeFileSync(join(ws.root, 'tool.cjs'), SCRIPT);
    const failed = await migrate(url, ws.root, { engine: 'command', command: 'node tool.cjs --fail' });
    expect(failed.code).toBe(1);
    expect(errors(failed).map((e) => e.message).join('\n')).toMatch(/node tool\.cjs --fail exited with code 3/);
    const hung = await migrate(url, ws.root, { engine: 'command', command: 'node tool.cjs --hang', timeout: '2s' });
    expect(hung.code).toBe(1);
    expect(hung.durationMs).toBeLessThan(12_000);
    expect(errors(hung).map((e) => e.message).join('\n')).toMatch(/ran longer than timeout \(2s\)/);
    expect(await query(url, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory'`)).toEqual([]);
    const notFound = await migrate(url, ws.root, { engine: 'command', command: 'no-such-migrator up' });
    expect(notFound.code).toBe(1);
    expect(errors(notFound)[0]!.message).toMatch(/Cannot run "no-such-migrator": not found/);
  });
});
