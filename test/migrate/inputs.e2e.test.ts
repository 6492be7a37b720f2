import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findSecretLeaks, ROOT } from '../harness/action.js';
import { inputs as declared } from '../../actions/migrate/src/inputs.js';
import { errors, freshDatabase, migrate, query, workspace } from './support.js';

const GOOD = { '1_a.sql': 'CREATE TABLE a (id int);\n' };

/** Every input given a bad value: one error, naming that input, and the database untouched. */
const bad: Array<[string, Record<string, string>]> = [
  ['operation', { operation: 'migrate-all' }],
  ['database-url', { 'database-url': 'mysql://root:hunter2@db/x' }],
  ['engine', { engine: 'flyway' }],
  ['migrations-dir', { 'migrations-dir': 'no/such/folder' }],
  ['command', { engine: 'command', command: `node -e "unterminated` }],
  ['target', { target: 'latest' }],
  ['lint', { lint: 'strict' }],
  ['lock-timeout', { 'lock-timeout': 'soon' }],
  ['statement-timeout', { 'statement-timeout': '-1' }],
  ['wait-for-lock', { 'wait-for-lock': 'forever' }],
  ['timeout', { timeout: '10ms' }],
  ['backup-id', { 'require-backup': 'true', 'backup-id': '' }],
  ['require-backup', { 'require-backup': 'sometimes' }],
  ['allow-drift', { 'allow-drift': 'maybe' }],
  ['working-directory', { 'working-directory': 'not-here' }],
];

describe('migrate inputs (bundle)', () => {
  it('action.yml declares exactly the inputs the schema reads (sentry-dsn included)', () => {
    const manifest = parse(readFileSync(join(ROOT, 'actions/migrate/action.yml'), 'utf8'));
    expect(Object.keys(manifest.inputs).sort()).toEqual(Object.keys(declared).sort());
  });

  it.each(bad)('a bad %s fails with one error naming it, touching nothing', async (name, given) => {
    const url = await freshDatabase(`bad_${name}`);
    const ws = workspace(GOOD);
    const r = await migrate(url, ws.root, given);
    expect(r.code).toBe(1);
    const errs = errors(r);
    expect(errs, r.log).toHaveLength(1);
    expect(errs[0]!.message).toContain(`'${name}'`);
    expect(r.log).not.toMatch(/Connected to/);
    const schemas = await query(url, `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg_%' AND nspname NOT IN ('public', 'information_schema')`);
    expect(schemas).toEqual([]);
    expect(await query(url, `SELECT 1 FROM pg_tables WHERE schemaname = 'public'`)).toEqual([]);
  });

  it('a bad migrations folder is refused before connecting, naming the file', async () => {
    const url = await freshDatabase('badfolder');
    const cases: Array<[Record<string, string>, RegExp, string]> = [
      [{ '1_a.sql': 'SELECT 1;', '01_b.sql': 'SELECT 1;' }, /Two migrations have version/, 'migrations/1_a.sql'],
      [{ 'add_users.sql': 'SELECT 1;' }, /is not named <version>_<name>\.sql/, 'migrations/add_users.sql'],
      [{ '1_a.sql': 'SELECT 1;', '2_b.down.sql': 'SELECT 1;' }, /has no matching up migration/, 'migrations/2_b.down.sql'],
    ];
    for (const [files, message, file] of cases) {
      const r = await migrate(url, workspace(files).root);
      expect(r.code).toBe(1);
      expect(errors(r)).toHaveLength(1);
      expect(errors(r)[0]!.message).toMatch(message);
      expect(errors(r)[0]!.properties.file).toBe(file);
      expect(r.log).not.toMatch(/Connected to/);
    }
  });

  it('a target that names no migration file is refused before connecting', async () => {
    const url = await freshDatabase('badtarget');
    const r = await migrate(url, workspace({ ...GOOD, '2_b.sql': 'SELECT 1;' }).root, { target: '3' });
    expect(r.code).toBe(1);
    expect(errors(r)).toHaveLength(1);
    expect(errors(r)[0]!.message).toMatch(/Input 'target' is "3", which is not the version of any file in migrations \(1 … 2\)/);
    expect(r.log).not.toMatch(/Connected to/);
  });

  it('the password never appears, even when the server rejects it or the URL is unreachable', async () => {
    const url = await freshDatabase('secret');
    const ws = workspace(GOOD);
    const wrong = url.replace(/:[^:@/]+@/, ':Wr0ng-Passw0rd-9@');
    // migrate() checks findSecretLeaks for the server password and the URL; check the wrong one too.
    const r = await migrate(wrong, ws.root);
    expect(r.code).toBe(1);
    expect(findSecretLeaks(r, ['Wr0ng-Passw0rd-9', wrong])).toEqual([]);
    expect(errors(r).map((e) => e.message).join('\n')).toMatch(/password authentication failed/);
    const unreachable = await migrate('postgres://app:S3cret-Unreach4ble@127.0.0.1:1/app', ws.root, { timeout: '5s' });
    expect(unreachable.code).toBe(1);
    expect(findSecretLeaks(unreachable, ['S3cret-Unreach4ble'])).toEqual([]);
    expect(errors(unreachable).map((e) => e.message).join('\n')).toMatch(/The database could not be reached at 127\.0\.0\.1:1 \(connection refused/);
  });
});
