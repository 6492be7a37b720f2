import { describe, expect, it } from 'vitest';
import { errors, freshDatabase, historyVersions, migrate, query, tables, workspace } from './support.js';

const INIT = `CREATE TABLE customers (id bigserial PRIMARY KEY, email text NOT NULL);
CREATE TYPE status AS ENUM ('OK', 'ERROR');
-- a comment; with a semicolon
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint REFERENCES customers(id), state status, note text DEFAULT 'a;b');
`;
const SEED = `INSERT INTO customers (email) VALUES ('ä@example.com'), ('b@example.com');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.note := 'touched; really';
  RETURN NEW;
END $$;
`;

describe('migrate apply (bundle, real PostgreSQL)', () => {
  it('applies pending files in version order, records them, and is idempotent', async () => {
    const url = await freshDatabase('apply');
    const ws = workspace({ '002_seed.sql': SEED, '001_init.sql': INIT, '010_index.sql': 'CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);\n' });
    const first = await migrate(url, ws.root);
    expect(first.code, first.log).toBe(0);
    expect(JSON.parse(first.outputs.applied!)).toEqual(['001', '002', '010']);
    expect(first.outputs).toMatchObject({ version: '010', 'previous-version': '', 'pending-count': '0', drift: 'false' });
    expect(await historyVersions(url)).toEqual(['001', '002', '010']);
    const rows = await query<{ version: string; checksum: string; transactional: boolean; applied_by: string; commit_sha: string; execution_ms: number }>(url, 'SELECT * FROM _gantry.migrations ORDER BY version');
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.map((r) => r.transactional)).toEqual([true, true, false]);
    expect(rows[0]).toMatchObject({ applied_by: 'octocat', commit_sha: '0123456789abcdef0123456789abcdef01234567' });
    expect((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM customers'))[0]!.n).toBe('2');
    const idx = await query<{ indisvalid: boolean }>(url, `SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_customer'::regclass`);
    expect(idx[0]!.indisvalid).toBe(true);
    expect(first.summary).toContain('### Applied');
    expect(first.summary).toMatch(/\| 010 \| index \| [\d.]+m?s \| no \(statement by statement\) \|/);

    const again = await migrate(url, ws.root);
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ applied: '[]', version: '010', 'previous-version': '010', 'pending-count': '0' });
  });

  it('a failing statement halfway through a file leaves none of that file applied and the history unchanged', async () => {
    const url = await freshDatabase('halfway');
    const ws = workspace({ '1_init.sql': 'CREATE TABLE a (id int PRIMARY KEY);\n' });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write('2_broken.sql', `CREATE TABLE b (id int);\nINSERT INTO a VALUES (1);\n\nINSERT INTO a VALUES (1);\nCREATE TABLE c (id int);\n`);
    ws.write('3_later.sql', 'CREATE TABLE d (id int);\n');
    const before = await tables(url);
    const r = await migrate(url, ws.root);
    expect(r.code).toBe(1);
    expect(errors(r)).toHaveLength(1); // one failure, annotated once, on the file and line
    const err = errors(r)[0];
    expect(err?.properties).toMatchObject({ file: 'migrations/2_broken.sql', line: '4' });
    expect(err?.message).toMatch(/duplicate key.*23505.*rolled back/);
    expect(await tables(url)).toEqual(before);
    expect((await query(url, 'SELECT * FROM a')).length).toBe(0);
    expect(await historyVersions(url)).toEqual(['1']);
    expect(r.outputs).toMatchObject({ applied: '[]', version: '1', 'pending-count': '2' });
    expect(r.summary).toContain('failed');
  });

  it('two concurrent runs serialize: both succeed, each migration applied once', async () => {
    const url = await freshDatabase('concurrent');
    const ws = workspace({
      '1_slow.sql': 'CREATE TABLE counter (n int);\nINSERT INTO counter VALUES (1);\nSELECT pg_sleep(2.5);\n',
      '2_more.sql': 'UPDATE counter SET n = n + 1 WHERE true;\n',
    });
    const [a, b] = await Promise.all([migrate(url, ws.root), migrate(url, ws.root)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const applied = [JSON.parse(a.outputs.applied!), JSON.parse(b.outputs.applied!)].sort((x, y) => y.length - x.length);
    expect(applied).toEqual([['1', '2'], []]);
    expect(`${a.log}\n${b.log}`).toMatch(/Another migration is running \(held by pid \d+ \('gantry-migrate acme\/shop run 4242'\)/);
    expect((await query<{ n: number }>(url, 'SELECT n FROM counter'))[0]!.n).toBe(2);
    expect(await historyVersions(url)).toEqual(['1', '2']);
  });

  it('gives up waiting for the lock after wait-for-lock, naming the holder, and touches nothing', async () => {
    const url = await freshDatabase('lockwait');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
    const pg = (await import('pg')).default;
    const holder = new pg.Client({ connectionString: url, application_name: 'someone-else' });
    await holder.connect();
    try {
      const { lockKey } = await import('../../shared/postgres/lock.js');
      const key = lockKey('gantry:migrate');
      await holder.query('SELECT pg_advisory_lock($1, $2)', [key.k1, key.k2]);
      const r = await migrate(url, ws.root, { 'wait-for-lock': '1s' });
      expect(r.code).toBe(1);
      expect(errors(r).map((e) => e.message).join('\n')).toMatch(/Waited 1(\.\d+)?s for the migration lock, held by pid \d+ \('someone-else'\).*raise 'wait-for-lock'/);
      expect(await tables(url)).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  it('refuses drift (a changed applied file) unless allow-drift, and out-of-order pending files', async () => {
    const url = await freshDatabase('drift');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n', '3_c.sql': 'CREATE TABLE c (id int);\n' });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write('1_a.sql', 'CREATE TABLE a (id int, extra text);\n');
    ws.write('4_d.sql', 'CREATE TABLE d (id int);\n');
    const drifted = await migrate(url, ws.root);
    expect(drifted.code).toBe(1);
    expect(drifted.outputs.drift).toBe('true');
    expect(errors(drifted).map((e) => e.message).join('\n')).toMatch(/Refusing to apply: 1 applied migration\(s\) changed.*migrations\/1_a\.sql.*allow-drift/);
    expect(await tables(url)).not.toContain('public.d');
    const allowed = await migrate(url, ws.root, { 'allow-drift': 'true' });
    expect(allowed.code, allowed.log).toBe(0);
    expect(allowed.outputs).toMatchObject({ applied: '["4"]', drift: 'true' });

    ws.write('2_b.sql', 'CREATE TABLE b (id int);\n');
    const late = await migrate(url, ws.root, { 'allow-drift': 'true' });
    expect(late.code).toBe(1);
    expect(errors(late).map((e) => e.message).join('\n')).toMatch(/Refusing to apply: Pending migration\(s\) migrations\/2_b\.sql have a version below the highest applied one \(4\)/);
    expect(await tables(url)).not.toContain('public.b');
  });

  it('plan and status write nothing (catalog and history unchanged) and report what apply would do', async () => {
    const url = await freshDatabase('plan');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write('2_b.sql', 'CREATE TABLE b (id int);\nALTER TABLE a DROP COLUMN id;\n');
    const snapshot = async () => ({
      tables: await tables(url),
      history: await query(url, 'SELECT version, checksum, applied_at FROM _gantry.migrations ORDER BY version'),
      columns: await query(url, `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2`),
      xid: await query(url, `SELECT n_tup_ins + n_tup_upd + n_tup_del AS writes FROM pg_stat_user_tables WHERE schemaname = '_gantry'`),
    });
    const before = await snapshot();
    const plan = await migrate(url, ws.root, { operation: 'plan' });
    expect(plan.code, plan.log).toBe(0);
    expect(plan.outputs).toMatchObject({ applied: '[]', 'pending-count': '1', version: '1', 'previous-version': '1' });
    expect(plan.summary).toMatch(/### Would apply[\s\S]*\| 2 \| b \| migrations\/2_b\.sql \|/);
    expect(plan.annotations).toContainEqual(expect.objectContaining({ level: 'warning', properties: expect.objectContaining({ file: 'migrations/2_b.sql', line: '2' }) }));
    const status = await migrate(url, ws.root, { operation: 'status' });
    expect(status.code).toBe(0);
    expect(status.summary).toContain('### Applied history');
    expect(status.summary).toMatch(/### Pending[\s\S]*\| 2 \| b \|/);
    expect(await snapshot()).toEqual(before);

    // On a database never migrated, plan does not even create the history table.
    const empty = await freshDatabase('plan_empty');
    const p2 = await migrate(empty, ws.root, { operation: 'plan' });
    expect(p2.code).toBe(0);
    expect(p2.outputs['pending-count']).toBe('2');
    expect(await tables(empty)).toEqual([]);
    expect((await query(empty, `SELECT 1 FROM pg_namespace WHERE nspname = '_gantry'`)).length).toBe(0);
  });

  it('apply up to target, then rollback to a target with down files in reverse order', async () => {
    const url = await freshDatabase('rollback');
    const ws = workspace({
      '1_a.sql': 'CREATE TABLE a (id int);\n',
      '1_a.down.sql': 'DROP TABLE a;\n',
      '2_b.sql': 'CREATE TABLE b (id int);\n',
      '2_b.down.sql': 'DROP TABLE b;\n',
      '3_c.sql': 'ALTER TABLE b ADD COLUMN c int;\nCREATE INDEX CONCURRENTLY b_c ON b (c);\n',
      '3_c.down.sql': 'DROP INDEX CONCURRENTLY b_c;\nALTER TABLE b DROP COLUMN c;\n',
      '4_d.sql': 'CREATE TABLE d (id int);\n',
      '4_d.down.sql': 'DROP TABLE d;\n',
    });
    const partial = await migrate(url, ws.root, { target: '3', lint: 'off' });
    expect(partial.code, partial.log).toBe(0);
    expect(partial.outputs).toMatchObject({ applied: '["1","2","3"]', version: '3', 'pending-count': '1' });
    expect(await tables(url)).not.toContain('public.d');
    expect((await migrate(url, ws.root, { lint: 'off' })).outputs.version).toBe('4');

    const back = await migrate(url, ws.root, { operation: 'rollback', target: '2' });
    expect(back.code, back.log).toBe(0);
    expect(back.outputs).toMatchObject({ 'rolled-back': '["4","3"]', version: '2', 'previous-version': '4', 'pending-count': '2' });
    expect(await historyVersions(url)).toEqual(['1', '2']);
    const t = await tables(url);
    expect(t).toContain('public.b');
    expect(t).not.toContain('public.d');
    expect(t).not.toContain('public.b_c');
    expect(back.summary).toMatch(/### Rolled back[\s\S]*\| 4 \| d \| migrations\/4_d\.down\.sql \|[\s\S]*\| 3 \| c \|/);

    // A missing down file refuses before touching anything.
    ws.write('5_e.sql', 'CREATE TABLE e (id int);\n');
    const reapplied = await migrate(url, ws.root, { lint: 'off' });
    expect(reapplied.outputs.version, reapplied.log).toBe('5');
    const refused = await migrate(url, ws.root, { operation: 'rollback', target: '1' });
    expect(refused.code).toBe(1);
    expect(errors(refused).map((e) => e.message).join('\n')).toMatch(/no down migration for 5_e.*Nothing was changed/);
    expect(await historyVersions(url)).toEqual(['1', '2', '3', '4', '5']);
    expect(await tables(url)).toContain('public.e');
  });

  it('lint annotates the right file and line; lint: error blocks apply with nothing applied', async () => {
    const url = await freshDatabase('lint');
    const ws = workspace({ '1_init.sql': 'CREATE TABLE users (id int PRIMARY KEY, name text, age int);\nCREATE INDEX users_name ON users (name);\n' });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write(
      '2_risky.sql',
      [
        '-- ünïcode comment to shift byte offsets',
        'ALTER TABLE users',
        "  ADD COLUMN email text NOT NULL,",
        '  ALTER COLUMN age TYPE bigint;',
        '',
        'CREATE INDEX users_age ON users (age);',
        '-- gantry-lint: ignore rename nothing reads name since release 12',
        'ALTER TABLE users RENAME COLUMN name TO full_name;',
        'ALTER TABLE users DROP COLUMN full_name;',
        '',
      ].join('\n'),
    );
    const blocked = await migrate(url, ws.root, { lint: 'error' });
    expect(blocked.code).toBe(1);
    const found = errors(blocked)
      .filter((a) => a.properties.file === 'migrations/2_risky.sql')
      .map((a) => [a.properties.line, /\[([\w-]+)\]$/.exec(a.message)?.[1]]);
    expect(found).toEqual([
      ['3', 'add-column-not-null'],
      ['4', 'column-type-change'],
      ['6', 'index-not-concurrent'],
      ['9', 'drop-column'],
    ]);
    expect(errors(blocked).at(-1)!.message).toMatch(/Refusing to apply: lint found 4 problem/);
    expect(await historyVersions(url)).toEqual(['1']);
    expect((await query(url, `SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY 1`)).map((r) => r.column_name)).toEqual(['age', 'id', 'name']);

    ws.write('2_risky.sql', 'CREATE INDEX users_age ON users (age);\n');
    const warned = await migrate(url, ws.root);
    expect(warned.code).toBe(0);
    expect(warned.annotations.filter((a) => a.level === 'warning').map((a) => a.properties)).toContainEqual(expect.objectContaining({ file: 'migrations/2_risky.sql', line: '1' }));
  });

  it('a syntax error is reported on its line before anything runs', async () => {
    const url = await freshDatabase('syntax');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n', '2_b.sql': "SELECT 'x;y';\n\nCREAT TABLE b (id int);\n" });
    // A plan (the pull request's check) fails too, since apply would refuse; it still shows the plan.
    const plan = await migrate(url, ws.root, { operation: 'plan', lint: 'off' });
    expect(plan.code).toBe(1);
    expect(errors(plan).at(-1)!.message).toMatch(/apply would refuse: 1 file\(s\) PostgreSQL cannot parse \(migrations\/2_b\.sql:3\)/);
    expect(plan.summary).toMatch(/### Would apply[\s\S]*\| 2 \| b \|/);
    const r = await migrate(url, ws.root, { lint: 'off' });
    expect(r.code).toBe(1);
    expect(errors(r)[0]).toMatchObject({ properties: expect.objectContaining({ file: 'migrations/2_b.sql', line: '3' }) });
    expect(errors(r)[0]!.message).toMatch(/syntax error at or near "CREAT"/);
    expect(await tables(url)).toEqual([]);
  });

  it('retries a lock timeout a bounded number of times, then succeeds when the lock frees', async () => {
    const url = await freshDatabase('locktimeout');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write('2_b.sql', 'ALTER TABLE a ADD COLUMN b int;\n');
    const pg = (await import('pg')).default;
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('BEGIN; LOCK TABLE a IN ACCESS SHARE MODE');
    // Free the table once migrate has waited on it past one lock timeout (not after a fixed time:
    // on a busy machine the bundle may take longer than that to start).
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    const release = (async () => {
      for (let i = 0; i < 400; i++) {
        const waiting = await watcher.query(`SELECT 1 FROM pg_stat_activity WHERE application_name LIKE 'gantry-migrate%' AND wait_event_type = 'Lock'`);
        if (waiting.rows.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 700));
      await blocker.query('COMMIT');
      await Promise.all([blocker.end(), watcher.end()]);
    })();
    const r = await migrate(url, ws.root, { 'lock-timeout': '300ms' });
    await release;
    expect(r.code, r.log).toBe(0);
    expect(r.annotations.some((a) => a.level === 'warning' && /lock timeout \(attempt 1 of 4\)/.test(a.message))).toBe(true);
    expect(await historyVersions(url)).toEqual(['1', '2']);
  });

  it('SIGTERM mid-file rolls the file back and releases the lock', async () => {
    const url = await freshDatabase('sigterm');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n' });
    const r = await migrate(url, ws.root, {}, { cancelWhen: /Applying migrations\/1_a\.sql/ });
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/cancelled/);
    expect(r.durationMs).toBeLessThan(15_000);
    expect(await tables(url)).toEqual([]);
    const locks = await query(url, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory'`);
    expect(locks).toEqual([]);
    expect((await migrate(url, ws.root.replace(/$/, ''), { 'wait-for-lock': '0', operation: 'status' })).code).toBe(0);
  });

  it('statement-timeout stops a slow statement (file rolled back); timeout bounds the whole run', async () => {
    const url = await freshDatabase('timeouts');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\nSELECT pg_sleep(5);\n' });
    const slow = await migrate(url, ws.root, { 'statement-timeout': '300ms' });
    expect(slow.code).toBe(1);
    expect(errors(slow)[0]).toMatchObject({ properties: expect.objectContaining({ file: 'migrations/1_a.sql', line: '2' }) });
    expect(errors(slow)[0]!.message).toMatch(/canceling statement due to statement timeout \(SQLSTATE 57014/);
    expect(await tables(url)).toEqual([]);
    const bounded = await migrate(url, ws.root, { timeout: '1500ms' });
    expect(bounded.code).toBe(1);
    expect(bounded.durationMs).toBeLessThan(5000);
    expect(errors(bounded).map((e) => e.message).join('\n')).toMatch(/ran longer than timeout \(1\.5s\)/);
    expect(await tables(url)).toEqual([]);
    expect(await query(url, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory'`)).toEqual([]);
  });

  it('require-backup refuses apply without backup-id; with one, it is recorded', async () => {
    const url = await freshDatabase('backup');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n' });
    const refused = await migrate(url, ws.root, { 'require-backup': 'true' });
    expect(refused.code).toBe(1);
    expect(errors(refused)[0]!.message).toMatch(/Input 'backup-id' is required because require-backup is true/);
    expect(await tables(url)).toEqual([]);
    const ok = await migrate(url, ws.root, { 'require-backup': 'true', 'backup-id': 'shop/2026-11-22T23-00-00Z' });
    expect(ok.code).toBe(0);
    expect((await query<{ backup_id: string }>(url, 'SELECT backup_id FROM _gantry.migrations'))[0]!.backup_id).toBe('shop/2026-11-22T23-00-00Z');
  });
});
