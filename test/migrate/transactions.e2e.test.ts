import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MigrationError, runFile, type PreparedFile } from '../../actions/migrate/src/execute.js';
import { ensureHistory, recordApplied } from '../../actions/migrate/src/history.js';
import { splitStatements } from '../../actions/migrate/src/parser.js';
import { errors, freshDatabase, historyVersions, migrate, tables, workspace } from './support.js';

const USERS = 'CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n';

describe('migrate: files with their own transaction control (bundle, real PostgreSQL)', () => {
  it('refuses BEGIN without COMMIT before anything runs, on the file and line, in apply and plan', async () => {
    const url = await freshDatabase('txn_begin');
    const ws = workspace({ '1_init.sql': 'CREATE TABLE accounts (id int PRIMARY KEY);\n', '2_users.sql': `-- users\nBEGIN;\n${USERS}` });
    const r = await migrate(url, ws.root);
    expect(r.code, r.log).toBe(1);
    const first = errors(r)[0]!;
    expect(first.properties).toMatchObject({ file: 'migrations/2_users.sql', line: '2' });
    expect(first.message).toMatch(/BEGIN.*runs each migration file in its own transaction.*remove/i);
    expect(errors(r).at(-1)!.message).toMatch(/Refusing to apply.*Nothing was applied/);
    // Nothing ran: not even the clean file before it.
    expect(await tables(url)).toEqual([]);
    expect(await historyVersions(url)).toEqual([]);
    expect(r.outputs).toMatchObject({ applied: '[]', 'pending-count': '2' });

    const plan = await migrate(url, ws.root, { operation: 'plan', lint: 'off' });
    expect(plan.code).toBe(1);
    expect(errors(plan)[0]!.properties).toMatchObject({ file: 'migrations/2_users.sql', line: '2' });
  });

  it('refuses COMMIT, SAVEPOINT, ROLLBACK TO and SET TRANSACTION, and explains how CONCURRENTLY runs outside a transaction', async () => {
    const url = await freshDatabase('txn_forms');
    const ws = workspace({
      '1_users.sql': `START TRANSACTION;\n${USERS}COMMIT;\n`,
      '2_orders.sql': 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE orders (id int);\nSAVEPOINT a;\nINSERT INTO orders VALUES (1);\nROLLBACK TO SAVEPOINT a;\nRELEASE a;\n',
      '3_index.sql': 'BEGIN;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nEND;\n',
    });
    const r = await migrate(url, ws.root, { lint: 'off' });
    expect(r.code).toBe(1);
    const found = errors(r)
      .filter((a) => a.properties.file)
      .map((a) => `${a.properties.file}:${a.properties.line}`);
    expect(found).toEqual([
      'migrations/1_users.sql:1',
      'migrations/1_users.sql:3',
      'migrations/2_orders.sql:1',
      'migrations/2_orders.sql:3',
      'migrations/2_orders.sql:5',
      'migrations/2_orders.sql:6',
      'migrations/3_index.sql:1',
      'migrations/3_index.sql:3',
    ]);
    const index = errors(r).find((a) => a.properties.file === 'migrations/3_index.sql')!;
    expect(index.message).toMatch(/CREATE INDEX CONCURRENTLY.*file of its own.*outside a transaction/);
    expect(await tables(url)).toEqual([]);
  });

  it('a CONCURRENTLY file without transaction control still applies outside a transaction, and is checked', async () => {
    const url = await freshDatabase('txn_ok');
    const ws = workspace({ '1_users.sql': USERS, '2_index.sql': 'CREATE INDEX CONCURRENTLY users_email ON users (email);\n' });
    const r = await migrate(url, ws.root);
    expect(r.code, r.log).toBe(0);
    expect(await historyVersions(url)).toEqual(['1', '2']);
    expect(await tables(url)).toContain('public.users_email');
  });

  it('rollback checks every down file before the first one runs', async () => {
    const url = await freshDatabase('txn_down');
    const ws = workspace({
      '1_users.sql': USERS,
      '1_users.down.sql': 'DROP TABLE users;\n',
      '2_orders.sql': 'CREATE TABLE orders (id int);\n',
      '2_orders.down.sql': 'DROP TABLE orders;\n',
    });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write('1_users.down.sql', 'BEGIN;\nDROP TABLE users;\nCOMMIT;\n');
    const r = await migrate(url, ws.root, { operation: 'rollback', target: '0' });
    expect(r.code).toBe(1);
    expect(errors(r).map((a) => `${a.properties.file}:${a.properties.line}`)).toEqual(['migrations/1_users.down.sql:1', 'migrations/1_users.down.sql:3', 'undefined:undefined']);
    expect(errors(r).at(-1)!.message).toMatch(/Refusing to roll back: 2 problem\(s\) in down files.*Nothing was changed/);
    expect(await historyVersions(url)).toEqual(['1', '2']);
    expect(await tables(url)).toContain('public.orders');
  });

  it('fails the step when the history row is not really there after COMMIT', async () => {
    const url = await freshDatabase('txn_swallowed');
    // Something in the database (here a trigger) makes the history INSERT do nothing, without an error.
    const skip = 'CREATE FUNCTION skip_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\n';
    const trigger = 'CREATE TRIGGER keep_history_clean BEFORE INSERT ON _gantry.migrations FOR EACH ROW EXECUTE FUNCTION skip_row();\n';
    const ws = workspace({ '1_users.sql': USERS + skip + trigger, '2_more.sql': 'CREATE TABLE more (id int);\n' });
    const r = await migrate(url, ws.root);
    expect(r.code).toBe(1);
    expect(errors(r)[0]!.properties).toMatchObject({ file: 'migrations/1_users.sql' });
    expect(errors(r)[0]!.message).toMatch(/1_users\.sql: ran, but its history row was not written/);
    expect(r.outputs).toMatchObject({ applied: '[]', version: '' });
    expect(await tables(url)).not.toContain('public.more');
  });
});

describe('runFile checks the transaction really committed', () => {
  it('a file that leaves a transaction open (had it got past the parser) is not reported applied', async () => {
    const url = await freshDatabase('txn_open');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await ensureHistory(client);
      const sql = `BEGIN;\n${USERS}`;
      // Built by hand: prepareFile would refuse this file.
      const prepared: PreparedFile = { file: { path: 'migrations/1_users.sql', sql, checksum: 'x' }, statements: await splitStatements(sql), nonTransactional: 'test', transactionControl: [] };
      const write = (ms: number) => recordApplied(client, { version: '1', name: 'users', checksum: 'x', transactional: false, executionMs: ms }, {});
      const run = runFile(client, prepared, { version: '1', present: true, write }, { signal: new AbortController().signal, lockRetries: 0, lockRetryBaseMs: 1, resetSession: async () => undefined });
      await expect(run).rejects.toBeInstanceOf(MigrationError);
      await expect(run).rejects.toThrow(/ran, but its transaction \(\d+\) is in progress, not committed/);
    } finally {
      await client.end();
    }
    expect(await tables(url)).toEqual([]);
    expect(await historyVersions(url)).toEqual([]);
  });
});
