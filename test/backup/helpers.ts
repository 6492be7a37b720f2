/** Shared pieces of the backup tests: tricky data, database comparison, S3 access. */
import { ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase } from '../harness/postgres.js';

export const server = () => {
  const url = inject('postgresUrl');
  return { url, urlFor: (db: string) => url.replace(/\/[^/]*$/, '/' + db) };
};

export const s3Env = () => ({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });

export const s3Inputs = (extra: Record<string, string> = {}) => ({
  's3-endpoint': inject('s3Endpoint'),
  's3-force-path-style': 'true',
  ...extra,
});

export function s3(): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: inject('s3Endpoint'),
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}

export async function s3Keys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    // ListObjects (V1): s3rver's V2 continuation tokens use DES, which OpenSSL 3 lacks.
    const page = await s3().send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: after }));
    for (const o of page.Contents ?? []) keys.push(o.Key!);
    if (!page.IsTruncated || !page.Contents?.length) break;
    after = page.Contents.at(-1)!.Key;
  }
  return keys;
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let counter = 0;
export const uniqueName = (base: string) => `${base}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 6)}`;

export async function freshDatabase(base: string): Promise<string> {
  return createDatabase(server(), uniqueName(base));
}

/**
 * Data that breaks naive backups: several schemas (one needing quotes), unicode of every plane,
 * every byte value in bytea, nested jsonb, arrays, numerics, timestamps, large objects, a view,
 * a sequence, and `randomMiB` of incompressible bytes (to force several multipart parts).
 */
export async function seedTricky(url: string, randomMiB = 0): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`
      CREATE SCHEMA app;
      CREATE SCHEMA audit;
      CREATE SCHEMA "Weird Schema ✓";
      CREATE TABLE app.customers (
        id bigserial PRIMARY KEY, name text NOT NULL, notes text, tags text[], balance numeric(20,6),
        seen timestamptz, profile jsonb, avatar bytea
      );
      INSERT INTO app.customers (name, notes, tags, balance, seen, profile, avatar) VALUES
        ('Zoë Ångström', E'line1\\nline2\\ttab \\\\ backslash', ARRAY['a,b','"q"','ü'], 12345678901234.123456, '2026-01-02 03:04:05.678901+00',
         '{"nested":{"emoji":"🦄","rtl":"שלום","zero":0,"list":[1,2.5,null,true],"esc":"a\\"b"}}', decode('00ff10', 'hex')),
        ('日本語テキスト', NULL, '{}', -0.000001, 'infinity', '[]', ''::bytea),
        ('𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈 astral', 'COPY-looking \\. line', NULL, NULL, NULL, 'null', NULL);
      CREATE TABLE app.all_bytes (id int PRIMARY KEY, b bytea);
      INSERT INTO app.all_bytes SELECT 1, decode(string_agg(lpad(to_hex(i), 2, '0'), ''), 'hex') FROM generate_series(0, 255) i;
      CREATE TABLE audit.events (id serial PRIMARY KEY, at timestamptz DEFAULT now(), payload jsonb);
      INSERT INTO audit.events (payload) SELECT jsonb_build_object('n', i, 's', repeat('x', i % 50)) FROM generate_series(1, 2000) i;
      CREATE TABLE "Weird Schema ✓"."Mixed Case ""Quoted"" Table" ("Col With Space" text, "ß" int);
      INSERT INTO "Weird Schema ✓"."Mixed Case ""Quoted"" Table" VALUES ('tab\there', 1), (E'quote''s', 2);
      CREATE VIEW app.rich AS SELECT name FROM app.customers WHERE balance > 0;
      CREATE SEQUENCE audit.counter START 41; SELECT nextval('audit.counter');
      CREATE TABLE app.documents (id int PRIMARY KEY, blob oid);
      INSERT INTO app.documents VALUES (1, lo_from_bytea(0, convert_to('large object ✓ ' || repeat('lo', 100000), 'UTF8'))),
                                       (2, lo_from_bytea(0, decode(repeat('deadbeef', 5000), 'hex')));
    `);
    if (randomMiB > 0) {
      await c.query('CREATE TABLE app.random_blobs (id int PRIMARY KEY, b bytea)');
      // 64 KiB of random bytes per row: incompressible, so the archive is about randomMiB.
      await c.query(
        `INSERT INTO app.random_blobs SELECT r, (SELECT decode(string_agg(md5(random()::text || r || g), ''), 'hex') FROM generate_series(1, 4096) g) FROM generate_series(1, $1) r`,
        [randomMiB * 16],
      );
    }
  });
}

/** A fingerprint of every user table (row count and an md5 of all rows), large objects and sequences. */
export async function fingerprint(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    const { rows: tables } = await c.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog','information_schema') ORDER BY 1, 2`,
    );
    for (const { s, t } of tables) {
      const q = `${c.escapeIdentifier(s)}.${c.escapeIdentifier(t)}`;
      const { rows } = await c.query<{ n: string; h: string }>(`SELECT count(*)::text AS n, coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS h FROM ${q} x`);
      out[`${s}.${t}`] = `${rows[0]!.n}:${rows[0]!.h}`;
    }
    const { rows: los } = await c.query<{ h: string }>(`SELECT coalesce(string_agg(md5(lo_get(oid)), ',' ORDER BY oid), '') AS h FROM pg_largeobject_metadata`);
    out['large objects'] = los[0]!.h;
    const { rows: seq } = await c.query<{ v: string }>(`SELECT last_value::text AS v FROM audit.counter`).catch(() => ({ rows: [{ v: 'none' }] }));
    out['audit.counter'] = seq[0]!.v;
    return out;
  });
}
