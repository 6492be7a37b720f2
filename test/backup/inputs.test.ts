/** Every input given a bad value: one error naming it, before anything is touched; secrets never shown. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { findSecretLeaks, runAction } from '../harness/action.js';
import { s3Env, s3Keys } from './helpers.js';

const identityLike = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';

const cases: Array<[string, Record<string, string>, RegExp?]> = [
  ['operation', { operation: 'explode' }],
  ['database-url', { 'database-url': 'mysql://root:hunter2-secret@db/x' }],
  ['database-url', { 'database-url': 'postgres://u:hunter2-secret@db' }, /names no database/],
  ['destination', { destination: 'ftp://example.com/backups' }],
  ['destination', { destination: 's3://Bad_Bucket/x' }],
  ['name', { name: 'bad name!' }],
  ['label', { label: 'x'.repeat(201) }],
  ['environment', { environment: 'y'.repeat(101) }],
  ['encryption-recipients', { 'encryption-recipients': 'age1notakey' }],
  ['encryption-recipients', { 'encryption-recipients': 'ssh-ed25519 AAAA' }],
  ['encryption-passphrase', { 'encryption-passphrase': 'short-pw' }],
  ['encryption-passphrase', { 'encryption-passphrase': 'long-enough-passphrase', 'encryption-recipients': 'age1z300n5vhae3a3gznelmwurvc69ktyfvz6syhqy2lhcn5mdy3s9jq82ftyj' }],
  ['decryption-identity', { 'decryption-identity': identityLike }],
  ['decryption-identity', { 'decryption-identity': 'not-a-key-at-all-secret' }],
  ['backup-id', { operation: 'verify', 'backup-id': 'bad id!' }],
  ['restore-database-url', { operation: 'restore', 'restore-database-url': 'http://example.com/db' }],
  ['retention-days', { 'retention-days': '-1' }],
  ['keep-last', { 'keep-last': '0' }],
  ['verify', { verify: 'maybe' }],
  ['pg-dump-args', { 'pg-dump-args': '--file=/tmp/x' }],
  ['pg-dump-args', { 'pg-dump-args': '-Fp' }],
  ['pg-dump-args', { 'pg-dump-args': '--schema="unclosed' }],
  ['pg-restore-args', { 'pg-restore-args': '--dbname=other' }],
  ['compression', { compression: 'lz4' }],
  ['compression-level', { 'compression-level': '20' }, /zstd takes 1 \(fastest\) to 19/],
  ['compression-level', { compression: 'gzip', 'compression-level': '0' }, /gzip takes 1/],
  ['compression-level', { compression: 'none', 'compression-level': '3' }, /compression is none/],
  ['compression-level', { 'compression-level': 'fast' }],
  ['pg-dump-args', { 'pg-dump-args': '-Z6' }, /compression: none/],
  ['pg-dump-args', { compression: 'gzip', 'pg-dump-args': '--compress=zstd:3' }, /compression: none/],
  ['s3-region', { 's3-region': 'Mars 1' }],
  ['s3-endpoint', { 's3-endpoint': 'not a url' }],
  ['s3-force-path-style', { 's3-force-path-style': 'perhaps' }],
  ['s3-sse', { 's3-sse': 'rot13' }],
  ['s3-kms-key-id', { 's3-sse': 'aws:kms', 's3-kms-key-id': 'nope nope' }],
  ['s3-kms-key-id', { 's3-kms-key-id': 'alias/backups' }, /needs 's3-sse: aws:kms'/],
  ['s3-storage-class', { 's3-storage-class': 'COLD' }],
  ['s3-checksum', { 's3-checksum': 'md5' }],
  ['s3-part-size-mb', { 's3-part-size-mb': '4' }],
  ['s3-queue-size', { 's3-queue-size': '0' }],
];

describe('bad inputs', () => {
  it.each(cases)('%s: one error naming it, nothing touched (%j)', async (name, bad, expected) => {
    const dbUrl = inject('postgresUrl');
    const s3 = name.startsWith('s3-');
    const dir = mkdtempSync(join(tmpdir(), 'gantry-badinput-'));
    const prefix = `badinput-${Math.random().toString(36).slice(2)}`;
    const result = await runAction('backup', {
      inputs: {
        'database-url': dbUrl,
        destination: s3 ? `s3://backups/${prefix}` : dir,
        ...(s3 ? { 's3-endpoint': inject('s3Endpoint'), 's3-force-path-style': 'true' } : {}),
        ...bad,
      },
      env: s3Env(),
    });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors, result.stdout).toHaveLength(1);
    expect(errors[0]!.message).toContain(`'${name}'`);
    if (expected) expect(errors[0]!.message).toMatch(expected);
    expect(errors[0]!.properties.title).toBe('backup: configuration');
    // Nothing touched: no files, no objects, no connection attempt logged.
    expect(readdirSync(dir)).toEqual([]);
    if (s3) expect(await s3Keys('backups', prefix)).toEqual([]);
    expect(result.log).not.toMatch(/Server |Streaming/);
    const secrets = [inject('postgresPassword'), 'hunter2-secret', identityLike, 'not-a-key-at-all-secret', 'short-pw', 'long-enough-passphrase'];
    expect(findSecretLeaks(result, secrets)).toEqual([]);
  });

  it('a missing pg_dump for the server version names the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-nopg-'));
    const result = await runAction('backup', {
      inputs: { 'database-url': inject('postgresUrl'), destination: dir },
      env: { GANTRY_POSTGRES_LIB: join(dir, 'no-postgres-here') },
    });
    expect(result.code).toBe(1);
    expect(result.annotations[0]!.message).toMatch(/apt-get install -y postgresql-client-\d+/);
    expect(readdirSync(dir)).toEqual([]);
    expect(findSecretLeaks(result, [inject('postgresPassword')])).toEqual([]);
  });

  it('a wrong database password fails cleanly without showing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-badpw-'));
    const url = inject('postgresUrl').replace(/:[^:@/]+@/, ':Wrong-Pa55word-xyz@');
    const result = await runAction('backup', { inputs: { 'database-url': url, destination: dir } });
    expect(result.code).toBe(1);
    expect(result.annotations[0]!.message).toMatch(/password authentication failed/);
    expect(readdirSync(dir)).toEqual([]);
    expect(findSecretLeaks(result, ['Wrong-Pa55word-xyz'])).toEqual([]);
  });
});
