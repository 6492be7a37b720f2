/**
 * migrate: a folder of migrations against a throwaway PostgreSQL — plan (writes nothing, lint
 * annotates), apply, a failing file that rolls back completely, status, and a rollback.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoContext } from '../demo.js';

export async function run(ctx: DemoContext): Promise<void> {
  const pg = await ctx.postgres();
  const admin = (await import('pg')).default;
  const client = new admin.Client({ connectionString: pg.url });
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS demo_migrate WITH (FORCE)');
  await client.query('CREATE DATABASE demo_migrate');
  await client.end();
  const url = pg.urlFor('demo_migrate');

  const project = join(ctx.tmp, 'migrate-project');
  const dir = join(project, 'db', 'migrations');
  mkdirSync(dir, { recursive: true });
  const write = (name: string, sql: string) => writeFileSync(join(dir, name), sql);
  write('20261101090000_customers.sql', 'CREATE TABLE customers (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL UNIQUE\n);\n');
  write('20261101090000_customers.down.sql', 'DROP TABLE customers;\n');
  write(
    '20261102090000_orders.sql',
    "CREATE TYPE order_state AS ENUM ('OK', 'ERROR');\nCREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers (id),\n  state order_state NOT NULL DEFAULT 'OK'\n);\nINSERT INTO customers (email) VALUES ('ada@example.com'), ('grace@example.com');\n",
  );
  write('20261102090000_orders.down.sql', 'DROP TABLE orders;\nDROP TYPE order_state;\n');
  write('20261103090000_orders_index.sql', 'CREATE INDEX CONCURRENTLY orders_customer ON orders (customer_id);\n');
  write('20261103090000_orders_index.down.sql', 'DROP INDEX CONCURRENTLY orders_customer;\n');

  const inputs = { 'database-url': url, 'migrations-dir': 'db/migrations' };
  const step = async (title: string, extra: Record<string, string | boolean> = {}, exit = 0) => {
    const result = await ctx.runAction('migrate', { cwd: project, inputs: { ...inputs, ...extra } });
    ctx.show(title, result);
    if (result.code !== exit) throw new Error(`${title}: expected exit ${exit}, got ${result.code}`);
  };

  await step('migrate · plan on an empty database (writes nothing)', { operation: 'plan' });
  await step('migrate · apply (require-backup, with the backup step\'s id)', { 'backup-id': 'shop/2026-11-01T09-00-00Z', 'require-backup': true });

  // The next release: a risky change to a table in use, and a file that fails halfway.
  write('20261104090000_customer_name.sql', '-- risky on a big table: lint says why, and where\nALTER TABLE customers ADD COLUMN name text;\nALTER TABLE customers\n  ALTER COLUMN email TYPE varchar(320);\nCREATE INDEX customers_name ON customers (name);\n');
  write('20261104090000_customer_name.down.sql', 'DROP INDEX customers_name;\nALTER TABLE customers DROP COLUMN name;\nALTER TABLE customers ALTER COLUMN email TYPE text;\n');
  write('20261105090000_broken.sql', 'ALTER TABLE orders ADD COLUMN note text;\nINSERT INTO orders (customer_id) VALUES (999);\n');
  await step('migrate · plan the next release (lint annotates file:line)', { operation: 'plan' });
  await step('migrate · apply with lint: error (blocked, nothing applied)', { lint: 'error' }, 1);
  await step('migrate · apply: 20261105090000 fails halfway and is rolled back whole', {}, 1);
  await step('migrate · status', { operation: 'status' });
  await step('migrate · rollback to 20261102090000 (down files, newest first)', { operation: 'rollback', target: '20261102090000' });
}
