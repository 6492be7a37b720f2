import { describe, expect, it } from 'vitest';
import { errors, freshDatabase, historyVersions, migrate, workspace } from './support.js';

const SHOP = `CREATE DOMAIN email_address AS text;
CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email email_address, phone text NOT NULL, name text);
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL, total_cents int NOT NULL);
CREATE TABLE events (id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024_01 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE FUNCTION make_token() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL);
`;

describe('migrate lint through the bundle (real PostgreSQL 15)', () => {
  it('annotates the new rules on their file and line, reads facts from the database, and lists accepted findings in the summary', async () => {
    const url = await freshDatabase('lint_rules');
    const ws = workspace({ '1_shop.sql': SHOP });
    expect((await migrate(url, ws.root)).code).toBe(0);
    ws.write(
      '2_risky.sql',
      [
        '-- release 43',
        'ALTER TABLE orders ADD COLUMN public_id text DEFAULT \'ord_\' || make_token();', // 2: volatile per the database's pg_proc
        'ALTER TABLE orders ADD COLUMN id2 bigserial PRIMARY KEY;', // 3
        'ALTER TABLE users ALTER COLUMN email SET NOT NULL;', // 4: quiet, users_email_nn is validated in the database
        'ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;', // 5
        'ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE \'%@%\');', // 6
        'ALTER TABLE orders ADD CONSTRAINT orders_total_ok CHECK (total_cents >= 0) NOT VALID;', // 7
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_ok;', // 8
        '-- gantry-lint: ignore detach-partition-not-concurrent January is archived and nobody queries it',
        'ALTER TABLE events DETACH PARTITION events_2024_01;', // 10
        '',
      ].join('\n'),
    );
    const blocked = await migrate(url, ws.root, { lint: 'error' });
    expect(blocked.code).toBe(1);
    const found = errors(blocked)
      .filter((a) => a.properties.file === 'migrations/2_risky.sql')
      .map((a) => `${a.properties.line} ${/\[([\w-]+)\]$/.exec(a.message)?.[1]}`);
    expect(found).toEqual(['2 add-column-volatile-default', '3 add-column-volatile-default', '3 constraint-builds-index', '5 drop-not-null', '6 alter-domain-add-constraint', '8 validate-in-same-file']);
    expect(errors(blocked).at(-1)!.message).toMatch(/Refusing to apply: lint found 6 problem\(s\).*gantry-lint: ignore <rule> <reason>.*Nothing was applied/);
    expect(blocked.summary).toMatch(/### Lint findings accepted on purpose[\s\S]*\| migrations\/2_risky\.sql \| 10 \| detach-partition-not-concurrent \| January is archived and nobody queries it \|/);
    expect(blocked.log).toMatch(/2_risky\.sql:10: detach-partition-not-concurrent accepted on purpose: January is archived/);
    expect(await historyVersions(url)).toEqual(['1']);
  });
});
