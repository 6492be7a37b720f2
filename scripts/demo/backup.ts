/** Demo: back up a throwaway PostgreSQL to a local directory (age-encrypted), verify it, list, restore into a scratch database. */
import { join } from 'node:path';
import pg from 'pg';
import type { DemoContext } from '../demo.js';

export async function run(ctx: DemoContext): Promise<void> {
  const server = await ctx.postgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS demo_shop WITH (FORCE)');
  await admin.query('DROP DATABASE IF EXISTS demo_shop_drill WITH (FORCE)');
  await admin.query('CREATE DATABASE demo_shop');
  await admin.query('CREATE DATABASE demo_shop_drill');
  await admin.end();
  const url = server.urlFor('demo_shop');
  const data = new pg.Client({ connectionString: url });
  await data.connect();
  await data.query(`
    CREATE TABLE customers (id serial PRIMARY KEY, name text, profile jsonb);
    INSERT INTO customers (name, profile) SELECT 'customer ' || i || ' ✓', jsonb_build_object('tier', i % 3) FROM generate_series(1, 5000) i;
    CREATE TABLE orders (id serial PRIMARY KEY, customer int REFERENCES customers, total numeric(10,2));
    INSERT INTO orders (customer, total) SELECT 1 + i % 5000, i * 1.5 FROM generate_series(1, 20000) i;
  `);
  await data.end();

  const { generateIdentity, identityToRecipient } = await import('age-encryption');
  const identity = await generateIdentity();
  const destination = join(ctx.tmp, 'backups');
  const common = { destination, name: 'shop' };

  const backup = await ctx.runAction('backup', {
    inputs: { ...common, 'database-url': url, environment: 'production', 'encryption-recipients': await identityToRecipient(identity), 'decryption-identity': identity },
  });
  ctx.show('backup → local directory (age-encrypted, verified as it streams)', backup);
  if (backup.code !== 0) throw new Error('backup failed');

  const verify = await ctx.runAction('backup', { inputs: { ...common, operation: 'verify', 'decryption-identity': identity } });
  ctx.show('verify latest (checksum, decrypt, full pg_restore read)', verify);
  if (verify.code !== 0) throw new Error('verify failed');

  const list = await ctx.runAction('backup', { inputs: { ...common, operation: 'list' } });
  ctx.show('list', list);

  const restore = await ctx.runAction('backup', {
    inputs: { ...common, operation: 'restore', 'backup-id': backup.outputs['backup-id'], 'restore-database-url': server.urlFor('demo_shop_drill'), 'decryption-identity': identity },
  });
  ctx.show('restore into a scratch database (a DR drill)', restore);
  if (restore.code !== 0) throw new Error('restore failed');
}
