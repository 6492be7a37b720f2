/** What a new user tripped over in migrate: an unreachable database, and a plan only in the summary. */
import { describe, expect, it } from 'vitest';
import { errorsOf } from '../harness/action.js';
import { freePort } from '../harness/postgres.js';
import { freshDatabase, migrate, password, workspace } from './support.js';

describe('migrate (bundle)', () => {
  it('an unreachable database: which host and port, that it could not be reached, the fixes — and no "Version (none)"', async () => {
    const port = await freePort();
    const url = `postgres://gantry:${password()}@127.0.0.1:${port}/shop`;
    const r = await migrate(url, workspace({ '1_a.sql': 'SELECT 1;' }).root, { operation: 'status' });
    expect(r.code).toBe(1);
    const [error] = errorsOf(r);
    expect(error!.message).toMatch(new RegExp(`The database could not be reached at 127\\.0\\.0\\.1:${port} \\(connection refused`));
    expect(error!.message).toMatch(/Check the host and port in database-url/);
    expect(r.summary).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}/shop — ❌ could not be reached`));
    expect(r.summary).toMatch(/The database could not be reached at/);
    expect(r.summary).toMatch(/\| \*\*Version\*\* \| unknown \(not read from the database\) \|/);
    expect(r.summary).not.toMatch(/\(none\)/);
  });

  it('a malformed database-url says what is wrong without the value', async () => {
    const r = await migrate('x', workspace({}).root, { 'database-url': `postgres://gantry:${password()}#x@/shop` });
    expect(r.code).toBe(1);
    expect(errorsOf(r).map((e) => e.message)).toEqual(["Input 'database-url' (a secret, not shown) cannot be read as a URL: it has no host; use postgres://user:password@host:5432/database"]);
  });

  it('plan and status print the plan in the log, not only in the summary', async () => {
    const url = await freshDatabase('plan_log');
    const ws = workspace({ '1_a.sql': 'CREATE TABLE a (id int);\n', '2_b.sql': 'CREATE TABLE b (id int);\n' });
    const plan = await migrate(url, ws.root, { operation: 'plan' });
    expect(plan.code, plan.log).toBe(0);
    expect(plan.log).toMatch(/Current version: \(none\)\.\nWould apply \(2\):\n {2}1 {2}a {2}\(migrations\/1_a\.sql\)\n {2}2 {2}b {2}\(migrations\/2_b\.sql\)/);
    const status = await migrate(url, ws.root, { operation: 'status' });
    expect(status.log).toMatch(/Pending \(2\):\n {2}1 {2}a/);
    await migrate(url, ws.root);
    expect((await migrate(url, ws.root, { operation: 'plan' })).log).toMatch(/Current version: 2\.\nWould apply: nothing — the database is up to date\./);
  });
});
