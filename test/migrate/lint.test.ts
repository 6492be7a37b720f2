/**
 * Every lint rule, with a risky and a safe example on a shop's schema that already exists in the
 * database (tables created in the pending set itself are new and empty, and lint leaves them alone):
 *
 *   users (id bigint PK, email email_address, name text, phone text NOT NULL, plan text, legacy_password_hash text)
 *   orders (id bigint PK, user_id bigint, status text, total_cents int, created_at timestamptz)
 *   order_items (order_id bigint, quantity int, unit_price_cents int)    -- no key yet
 *   events (id bigint, at timestamptz) PARTITION BY RANGE (at), partitions events_2024_01 …
 *   sessions (token text, user_id bigint, expires_at timestamptz)
 *   domain email_address AS text
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareFile } from '../../actions/migrate/src/execute.js';
import type { MigrationFile } from '../../actions/migrate/src/files.js';
import { lintContext, RULES, type Rule } from '../../actions/migrate/src/lint.js';
import { lintFiles } from '../../actions/migrate/src/sql-engine.js';
import { ROOT } from '../harness/action.js';

type Facts = Parameters<typeof lintContext>[0];

/** Lints pending files (`migrations/1_m.sql`, `migrations/2_m.sql`, …) as apply would, in order. */
async function lint(files: string[], facts: Facts = {}) {
  const migrations: MigrationFile[] = files.map((sql, i) => ({ version: String(i + 1), name: 'm', path: `migrations/${i + 1}_m.sql`, sql, checksum: '' }));
  const prepared = new Map(await Promise.all(migrations.map(async (f) => [f.version, await prepareFile(f, facts?.serverVersionNum)] as const)));
  const result = lintFiles(migrations, prepared, 'warn', lintContext(facts));
  return { ...result, at: result.findings.map((f) => `${f.path}:${f.line} ${f.rule}`) };
}

interface Case {
  risky: string;
  /** Line of the risky statement in the (single) risky file. */
  line: number;
  /** The safe way: one or more files, no findings. */
  safe: string[];
  message?: RegExp;
  facts?: Facts;
}

const ACCEPT = (rule: Rule, reason: string) => `-- gantry-lint: ignore ${rule} ${reason}\n`;

const CASES: Partial<Record<Rule, Case>> = {
  'drop-table': {
    risky: '-- carts moved to Redis in release 40\nDROP TABLE carts;\n',
    line: 2,
    safe: [`${ACCEPT('drop-table', 'carts unused since release 40, backup taken')}DROP TABLE carts;\n`],
    message: /DROP TABLE carts deletes the table.*ACCESS EXCLUSIVE.*later release/,
  },
  'drop-schema': {
    risky: 'DROP SCHEMA reporting CASCADE;\n',
    line: 1,
    safe: [`${ACCEPT('drop-schema', 'the BI tool moved to the warehouse')}DROP SCHEMA reporting CASCADE;\n`],
    message: /^DROP SCHEMA reporting deletes everything in it \(CASCADE/,
  },
  'drop-database': {
    risky: '-- leftovers of the 2023 split\nDROP DATABASE analytics_old;\n',
    line: 2,
    safe: [`${ACCEPT('drop-database', 'analytics_old was restored elsewhere and checked')}DROP DATABASE analytics_old;\n`],
    message: /DROP DATABASE analytics_old deletes a whole database/,
  },
  truncate: {
    risky: 'TRUNCATE sessions;\n',
    line: 1,
    safe: ["DELETE FROM sessions WHERE expires_at < now() - interval '30 days';\n"],
    message: /ACCESS EXCLUSIVE/,
  },
  'drop-column': {
    risky: 'ALTER TABLE users\n  DROP COLUMN legacy_password_hash;\n',
    line: 1,
    safe: [`${ACCEPT('drop-column', 'unread since release 38 (bcrypt migration finished)')}ALTER TABLE users DROP COLUMN legacy_password_hash;\n`],
  },
  'drop-not-null': {
    risky: 'ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;\n',
    line: 1,
    safe: [`${ACCEPT('drop-not-null', 'release 42 already treats phone as optional')}ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;\n`],
    message: /may rely on it never being NULL/,
  },
  'add-column-not-null': {
    risky: 'ALTER TABLE users ADD COLUMN plan_tier text NOT NULL;\n',
    line: 1,
    safe: ["ALTER TABLE users ADD COLUMN plan_tier text NOT NULL DEFAULT 'free';\n"],
  },
  'add-column-volatile-default': {
    // The volatile call is inside the expression, not the outermost function.
    risky: "ALTER TABLE orders\n  ADD COLUMN status_note text,\n  ADD COLUMN public_id text NOT NULL DEFAULT 'ord_' || replace(gen_random_uuid()::text, '-', '');\n",
    line: 3,
    safe: ['ALTER TABLE orders ADD COLUMN public_id text, ADD COLUMN placed_at timestamptz DEFAULT now();\n', "ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT 'ord_' || replace(gen_random_uuid()::text, '-', '');\n"],
    message: /volatile DEFAULT \(gen_random_uuid\(\)\) rewrites the table and its indexes under an ACCESS EXCLUSIVE lock/,
  },
  'add-column-generated-stored': {
    risky: 'ALTER TABLE order_items ADD COLUMN line_total_cents bigint GENERATED ALWAYS AS (quantity * unit_price_cents) STORED;\n',
    line: 1,
    safe: ['ALTER TABLE order_items ADD COLUMN line_total_cents bigint;\n'],
    message: /GENERATED … STORED computes every existing row: it rewrites the table/,
  },
  'column-type-change': {
    risky: 'ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint;\n',
    line: 1,
    safe: ['ALTER TABLE orders ADD COLUMN total_cents_big bigint;\n'],
  },
  'set-not-null': {
    risky: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n',
    line: 1,
    // The sequence Gantry recommends: no scan under ACCESS EXCLUSIVE anywhere (PostgreSQL 12+).
    safe: [
      'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n',
      'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n',
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n',
    ],
    message: /scans the whole table under an ACCESS EXCLUSIVE lock/,
  },
  'index-not-concurrent': {
    risky: 'CREATE INDEX orders_user_id_idx ON orders (user_id);\n',
    line: 1,
    safe: ['CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\n'],
    message: /SHARE lock: writes to the table wait/,
  },
  'drop-index-not-concurrent': {
    risky: 'DROP INDEX orders_status_idx;\n',
    line: 1,
    safe: ['DROP INDEX CONCURRENTLY orders_status_idx;\n'],
  },
  'reindex-not-concurrent': {
    risky: 'REINDEX INDEX orders_user_id_idx;\n',
    line: 1,
    safe: ['REINDEX INDEX CONCURRENTLY orders_user_id_idx;\n'],
    message: /SHARE lock on the table \(writes wait\) and ACCESS EXCLUSIVE on each index.*REINDEX … CONCURRENTLY/,
  },
  'detach-partition-not-concurrent': {
    risky: 'ALTER TABLE events DETACH PARTITION events_2024_01;\n',
    line: 1,
    safe: ['ALTER TABLE events DETACH PARTITION events_2024_01 CONCURRENTLY;\n'],
    message: /ACCESS EXCLUSIVE lock on events.*DETACH PARTITION … CONCURRENTLY/,
  },
  'constraint-builds-index': {
    risky: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n',
    line: 1,
    safe: ['CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n', 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n'],
  },
  'foreign-key-not-valid': {
    risky: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n',
    line: 1,
    safe: ['ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n'],
    message: /SHARE ROW EXCLUSIVE on both tables/,
  },
  'check-not-valid': {
    risky: 'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total_cents >= 0);\n',
    line: 1,
    safe: ['ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total_cents >= 0) NOT VALID;\n', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;\n'],
  },
  'validate-in-same-file': {
    risky: 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n',
    line: 2,
    safe: ['ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n', 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n'],
    message: /same transaction as its ADD … NOT VALID \(line 1\).*later migration file/,
  },
  'alter-domain-add-constraint': {
    risky: "ALTER DOMAIN email_address ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');\n",
    line: 1,
    safe: ["ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;\n", 'ALTER TABLE users VALIDATE CONSTRAINT users_email_has_at;\n'],
    message: /SHARE lock on each \(writes wait\).*CHECK constraint on the tables' columns instead/,
  },
  rename: {
    risky: 'ALTER TABLE users RENAME COLUMN name TO full_name;\n',
    line: 1,
    safe: ['ALTER TABLE users ADD COLUMN full_name text;\n'],
  },
  'delete-without-where': {
    risky: 'DELETE FROM sessions;\n',
    line: 1,
    safe: ['DELETE FROM sessions WHERE expires_at < now();\n'],
  },
  'update-without-where': {
    risky: "UPDATE users SET plan = 'free';\n",
    line: 1,
    safe: ["UPDATE users SET plan = 'free' WHERE id BETWEEN 1 AND 10000 AND plan IS NULL;\n"],
  },
  'vacuum-full': {
    risky: 'VACUUM FULL orders;\n',
    line: 1,
    safe: ['VACUUM (ANALYZE) orders;\n'],
  },
  cluster: {
    risky: 'CLUSTER orders USING orders_pkey;\n',
    line: 1,
    safe: [`${ACCEPT('cluster', 'orders is 3 MB; run at 04:00 when no one orders')}CLUSTER orders USING orders_pkey;\n`],
  },
  'non-transactional-mixed': {
    risky: 'CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\nCREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n',
    line: 1,
    safe: ['CREATE INDEX CONCURRENTLY orders_user_id_idx ON orders (user_id);\n', 'CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);\n'],
    message: /runs outside a transaction \(CREATE INDEX CONCURRENTLY\) and has 2 statements/,
  },
  'ignore-comment': {
    risky: '-- gantry-lint: ignore drop-tabel carts moved to Redis\nSELECT 1;\n',
    line: 2,
    safe: ['-- gantry-lint: ignore drop-table carts moved to Redis\nDROP TABLE carts;\n'],
    message: /names no known rule drop-tabel/,
  },
};

describe('lint rules: a risky and a safe example each', () => {
  for (const [rule, c] of Object.entries(CASES) as Array<[Rule, Case]>) {
    it(rule, async () => {
      const risky = await lint([c.risky], c.facts);
      expect(risky.at).toEqual([`migrations/1_m.sql:${c.line} ${rule}`]);
      if (c.message) expect(risky.findings[0]!.message).toMatch(c.message);
      const safe = await lint(c.safe, c.facts);
      expect(safe.at).toEqual([]);
    });
  }

  it('covers every rule (syntax and transaction-control are refusals, tested through the bundle)', () => {
    expect(RULES.filter((r) => !(r in CASES))).toEqual(['syntax', 'transaction-control']);
  });

  it('the README has a row for every rule, with its lock and the safe way', () => {
    const readme = readFileSync(join(ROOT, 'actions/migrate/README.md'), 'utf8');
    for (const rule of RULES) expect(readme, rule).toMatch(new RegExp(`^\\| \`${rule}\` \\|[^|]+\\|[^|]+\\|[^|]+\\|$`, 'm'));
  });
});

describe('lint: details', () => {
  it('a serial primary key column is flagged for the rewrite and the index build, not as NOT NULL without default', async () => {
    const r = await lint(['ALTER TABLE order_items ADD COLUMN id bigserial PRIMARY KEY;\n']);
    expect(r.at).toEqual(['migrations/1_m.sql:1 add-column-volatile-default', 'migrations/1_m.sql:1 constraint-builds-index']);
    expect(r.findings[1]!.message).toMatch(/PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock/);
    const identity = await lint(['ALTER TABLE order_items ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;\n']);
    expect(identity.at).toEqual(['migrations/1_m.sql:1 add-column-volatile-default']);
    const unique = await lint(['ALTER TABLE users ADD COLUMN referral_code text UNIQUE;\n']);
    expect(unique.at).toEqual(['migrations/1_m.sql:1 constraint-builds-index']);
  });

  it('knows which functions are volatile: the database says so, and so do functions the pending set creates', async () => {
    const addToken = 'ALTER TABLE users ADD COLUMN api_token text DEFAULT make_token();\n';
    expect((await lint([addToken])).at).toEqual([]);
    expect((await lint([addToken], { volatileFunctions: ['make_token'] })).at).toEqual(['migrations/1_m.sql:1 add-column-volatile-default']);
    const volatileFn = "CREATE FUNCTION make_token() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;\n";
    expect((await lint([volatileFn, addToken])).at).toEqual(['migrations/2_m.sql:1 add-column-volatile-default']);
    expect((await lint([volatileFn.replace('LANGUAGE', 'IMMUTABLE LANGUAGE'), addToken])).at).toEqual([]);
  });

  it('SET NOT NULL: quiet after a validated CHECK (col IS NOT NULL) earlier in the file, earlier pending, or in the database — on PostgreSQL 12+', async () => {
    const setNotNull = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n';
    // Already validated in the database (read from pg_constraint by the action).
    expect((await lint([setNotNull], { notNullChecks: ['users.email'] })).at).toEqual([]);
    // Validated earlier in the same file: the VALIDATE is flagged, the SET NOT NULL is not.
    const sameFile = await lint(['ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_nn;\n' + setNotNull]);
    expect(sameFile.at).toEqual(['migrations/1_m.sql:2 validate-in-same-file']);
    // Added NOT VALID but never validated: it proves nothing.
    expect((await lint(['ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;\n', setNotNull])).at).toEqual(['migrations/2_m.sql:1 set-not-null']);
    // A check on another column proves nothing either.
    expect((await lint([setNotNull], { notNullChecks: ['users.phone'] })).at).toEqual(['migrations/1_m.sql:1 set-not-null']);
    // PostgreSQL 11 scans anyway.
    const old = await lint([setNotNull], { notNullChecks: ['users.email'], serverVersionNum: 110000 });
    expect(old.at).toEqual(['migrations/1_m.sql:1 set-not-null']);
    expect(old.findings[0]!.message).toMatch(/PostgreSQL < 12 always scans/);
  });

  it('rules know the server version', async () => {
    const currency = "ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';\n";
    expect((await lint([currency], { serverVersionNum: 150000 })).at).toEqual([]);
    const pg10 = await lint([currency], { serverVersionNum: 100000 });
    expect(pg10.at).toEqual(['migrations/1_m.sql:1 add-column-volatile-default']);
    expect(pg10.findings[0]!.message).toMatch(/before PostgreSQL 11/);
    expect((await lint(['REINDEX TABLE orders;\n'], { serverVersionNum: 110000 })).findings[0]!.message).toMatch(/PostgreSQL < 12 has no REINDEX CONCURRENTLY/);
    expect((await lint(['ALTER TABLE events DETACH PARTITION events_2024_01;\n'], { serverVersionNum: 130000 })).findings[0]!.message).toMatch(/PostgreSQL < 14 has no CONCURRENTLY form/);
  });

  it('points at the clause inside a multi-line statement, counting lines by bytes correctly', async () => {
    const sql = '-- ünïcödé ✓\nALTER TABLE users\n  ADD COLUMN a int,\n  ADD COLUMN b int NOT NULL,\n  ALTER COLUMN c TYPE text;\n';
    expect((await lint([sql])).at).toEqual(['migrations/1_m.sql:4 add-column-not-null', 'migrations/1_m.sql:5 column-type-change']);
  });

  it('leaves tables created in the pending set alone', async () => {
    const r = await lint([
      'CREATE TABLE coupons (id bigint PRIMARY KEY, code text);\nCREATE INDEX coupons_code ON coupons (code);\n',
      "ALTER TABLE coupons ALTER COLUMN code SET NOT NULL, ADD COLUMN token uuid DEFAULT gen_random_uuid(), ADD CONSTRAINT coupons_code_key UNIQUE (code);\nREINDEX TABLE coupons;\n",
    ]);
    expect(r.at).toEqual([]);
  });

  it('an ignore comment accepts a finding on purpose with its reason; without a reason it accepts nothing', async () => {
    const r = await lint([
      [
        'ALTER TABLE users DROP COLUMN nickname; -- gantry-lint: ignore rename (this trailing comment belongs to the line above)',
        'ALTER TABLE users RENAME COLUMN name TO full_name;',
        '/* gantry-lint: ignore index-not-concurrent, drop-index-not-concurrent: orders_tmp has 12 rows */',
        'CREATE INDEX orders_tmp_idx ON orders_tmp (id);',
        '-- gantry-lint: ignore drop-table',
        'DROP TABLE legacy;',
        '-- gantry-lint: ignore all one-off cleanup agreed in #412',
        'TRUNCATE audit_scratch;',
      ].join('\n'),
    ]);
    expect(r.at).toEqual(['migrations/1_m.sql:1 drop-column', 'migrations/1_m.sql:2 rename', 'migrations/1_m.sql:6 ignore-comment', 'migrations/1_m.sql:6 drop-table']);
    expect(r.findings[2]!.message).toMatch(/gives no reason, so it accepts nothing/);
    expect(r.accepted.map((a) => [a.line, a.rule, a.reason])).toEqual([
      [4, 'index-not-concurrent', 'orders_tmp has 12 rows'],
      [8, 'truncate', 'one-off cleanup agreed in #412'],
    ]);
  });
});
