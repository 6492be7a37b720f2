/** Faults: damaged objects are refused, failures and cancellation mid-stream leave nothing behind. */
import { PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findSecretLeaks, runAction } from '../harness/action.js';
import { fingerprint, freshDatabase, s3, s3Env, s3Keys, seedTricky, uniqueName, withClient } from './helpers.js';
import { startS3Proxy, type ProxyControls } from './s3-proxy.js';
import { S3Store } from '../../shared/storage/s3.js';
import { Readable } from 'node:stream';

let source: string;
let bigSource: string;
beforeAll(async () => {
  source = await freshDatabase('faults_src');
  await seedTricky(source);
  bigSource = await freshDatabase('faults_big');
  await seedTricky(bigSource, 24);
});

async function sentinelTarget(): Promise<string> {
  const target = await freshDatabase('faults_target');
  await withClient(target, (c) => c.query(`CREATE TABLE keep_me (v text); INSERT INTO keep_me VALUES ('untouched')`));
  return target;
}

async function assertUntouched(target: string): Promise<void> {
  const fp = await fingerprint(target);
  expect(fp['public.keep_me']).toMatch(/^1:/);
  expect(Object.keys(fp).filter((k) => k.startsWith('app.'))).toEqual([]);
}

describe('damaged backups are refused', () => {
  for (const encrypted of [false, true]) {
    it(`a tampered byte and a truncated object (${encrypted ? 'age-encrypted' : 'plain'}, directory): verify and restore refuse, the target is untouched`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gantry-faults-'));
      const passphrase = encrypted ? 'tamper-test-passphrase-123' : undefined;
      const backup = await runAction('backup', { inputs: { 'database-url': source, destination: dir, name: 'db', 'encryption-passphrase': passphrase } });
      expect(backup.code, backup.stdout).toBe(0);
      const file = backup.outputs['backup-uri']!;
      const original = readFileSync(file);

      // One byte flipped in the middle.
      const tampered = Buffer.from(original);
      tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
      writeFileSync(file, tampered);
      const target = await sentinelTarget();
      const verify1 = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name: 'db', 'encryption-passphrase': passphrase } });
      expect(verify1.code).toBe(1);
      expect(verify1.annotations.find((a) => a.level === 'error')?.message).toMatch(/SHA-256|failed verification|refusing/);
      const restore1 = await runAction('backup', { inputs: { operation: 'restore', destination: dir, name: 'db', 'database-url': target, 'encryption-passphrase': passphrase } });
      expect(restore1.code).toBe(1);
      expect(restore1.annotations.find((a) => a.level === 'error')?.message).toMatch(/SHA-256|refusing/);
      await assertUntouched(target);
      // Without --single-transaction pg_restore would commit as it goes: the object is checked in full first.
      const nonAtomic = await runAction('backup', { inputs: { operation: 'restore', destination: dir, name: 'db', 'database-url': target, 'encryption-passphrase': passphrase, 'pg-restore-args': '--clean --if-exists --exit-on-error' } });
      expect(nonAtomic.code).toBe(1);
      expect(nonAtomic.stdout).toMatch(/Checking .* before touching/);
      expect(nonAtomic.annotations.find((a) => a.level === 'error')?.message).toMatch(/SHA-256|refusing/);
      await assertUntouched(target);

      // Truncated by 100 bytes.
      writeFileSync(file, original);
      truncateSync(file, original.length - 100);
      const verify2 = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name: 'db', 'encryption-passphrase': passphrase } });
      expect(verify2.code).toBe(1);
      expect(verify2.annotations.find((a) => a.level === 'error')?.message).toMatch(/truncated/);
      const restore2 = await runAction('backup', { inputs: { operation: 'restore', destination: dir, name: 'db', 'database-url': target, 'encryption-passphrase': passphrase } });
      expect(restore2.code).toBe(1);
      expect(restore2.annotations.find((a) => a.level === 'error')?.message).toMatch(/truncated/);
      await assertUntouched(target);

      // Put back: both succeed again (the refusals were about the bytes, nothing else).
      writeFileSync(file, original);
      const verify3 = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name: 'db', 'encryption-passphrase': passphrase } });
      expect(verify3.code, verify3.stdout).toBe(0);
      for (const r of [verify1, restore1, nonAtomic, verify2, restore2]) expect(findSecretLeaks(r, [inject('postgresPassword'), ...(passphrase ? [passphrase] : [])])).toEqual([]);
    });
  }

  it('a tampered S3 object (same size) is refused by verify and restore', async () => {
    const identity = await generateIdentity();
    const name = uniqueName('tamper');
    const common = { destination: 's3://backups-2/t', name, 's3-endpoint': inject('s3Endpoint'), 's3-force-path-style': 'true', 'decryption-identity': identity };
    const backup = await runAction('backup', { inputs: { ...common, 'database-url': source, 'encryption-recipients': await identityToRecipient(identity) }, env: s3Env() });
    expect(backup.code, backup.stdout).toBe(0);
    const key = backup.outputs['backup-uri']!.replace('s3://backups-2/', '');
    const body = Buffer.from(await (await s3().send(new GetObjectCommand({ Bucket: 'backups-2', Key: key }))).Body!.transformToByteArray());
    body[body.length - 20]! ^= 0x80;
    await s3().send(new PutObjectCommand({ Bucket: 'backups-2', Key: key, Body: body }));
    const verify = await runAction('backup', { inputs: { ...common, operation: 'verify' }, env: s3Env() });
    expect(verify.code).toBe(1);
    const target = await sentinelTarget();
    const restore = await runAction('backup', { inputs: { ...common, operation: 'restore', 'restore-database-url': target }, env: s3Env() });
    expect(restore.code).toBe(1);
    expect(restore.annotations[0]?.message).toMatch(/SHA-256|refusing|failed verification/);
    await assertUntouched(target);
    expect(findSecretLeaks(restore, [identity, inject('postgresPassword')])).toEqual([]);
  });
});

describe('failures mid-stream leave no object', () => {
  let proxy: ProxyControls;
  beforeAll(async () => {
    proxy = await startS3Proxy(inject('s3Endpoint'));
  });
  afterAll(() => proxy.close());

  it('pg_dump killed mid-stream (pg_terminate_backend): the multipart upload is aborted, nothing is stored', async () => {
    proxy.seen.length = 0;
    proxy.failPartsAfter = undefined;
    proxy.holdPartsAfter = 1; // part 2 waits: pg_dump is mid-stream, blocked on a full pipe
    const name = uniqueName('killed');
    const running = runAction('backup', {
      inputs: { 'database-url': bigSource, destination: 's3://backups/killed', name, 's3-endpoint': proxy.endpoint, 's3-force-path-style': 'true', 's3-part-size-mb': 5 },
      env: s3Env(),
      timeoutMs: 60_000,
    });
    await waitFor(() => proxy.seen.filter((s) => s.endsWith('part')).length >= 2, 'a second part upload');
    const killed = await withClient(inject('postgresUrl'), async (c) => {
      const { rows } = await c.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'gantry-backup' AND datname = current_database() IS NOT TRUE`);
      return rows.length;
    });
    expect(killed).toBeGreaterThan(0);
    proxy.release();
    const result = await running;
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(/pg_dump/);
    expect(proxy.seen).toContain('DELETE abort');
    expect(proxy.seen).not.toContain('POST complete');
    expect(await s3Keys('backups', `killed/${name}/`)).toEqual([]);
  });

  it('the store failing mid-upload (500 after 2 parts): aborted cleanly, nothing stored, pg_dump stopped', async () => {
    proxy.seen.length = 0;
    proxy.holdPartsAfter = undefined;
    proxy.failPartsAfter = 2;
    const name = uniqueName('storefail');
    const result = await runAction('backup', {
      inputs: { 'database-url': bigSource, destination: 's3://backups/storefail', name, 's3-endpoint': proxy.endpoint, 's3-force-path-style': 'true', 's3-part-size-mb': 5 },
      env: s3Env(),
      timeoutMs: 60_000,
    });
    proxy.failPartsAfter = undefined;
    expect(result.code).toBe(1);
    expect(result.annotations.find((a) => a.level === 'error')?.message, JSON.stringify(proxy.seen)).toMatch(/InternalError|injected|500/);
    expect(proxy.seen).toContain('DELETE abort');
    expect(proxy.seen).not.toContain('POST complete');
    expect(await s3Keys('backups', `storefail/${name}/`)).toEqual([]);
    await waitFor(async () => !(await dumpRunning()), 'pg_dump to be gone');
  });

  it('a part failing once (500) is sent again from its pooled buffer: the backup completes and its re-read matches', async () => {
    proxy.seen.length = 0;
    proxy.holdPartsAfter = undefined;
    proxy.failPartsAfter = undefined;
    proxy.failPartsOnce = [2, 3];
    const name = uniqueName('retried');
    const common = { destination: 's3://backups/retried', name, 's3-endpoint': proxy.endpoint, 's3-force-path-style': 'true' };
    const result = await runAction('backup', { inputs: { ...common, 'database-url': bigSource, 's3-part-size-mb': 5 }, env: s3Env(), timeoutMs: 60_000 });
    proxy.failPartsOnce = undefined;
    expect(result.code, result.log.slice(-2000)).toBe(0);
    const parts = proxy.seen.filter((s) => s.endsWith('part')).length;
    expect(parts).toBeGreaterThanOrEqual(5); // at least 3 parts, two of them sent twice
    expect(proxy.seen).toContain('POST complete');
    // The backup verified its own re-read; verify reads it once more, from S3 directly.
    const verify = await runAction('backup', { inputs: { ...common, operation: 'verify', 's3-endpoint': inject('s3Endpoint') }, env: s3Env() });
    expect(verify.code, verify.log.slice(-2000)).toBe(0);
  });

  it('a part S3 never answers is cut off at its bound, tried again, then the upload fails clearly and is aborted', async () => {
    proxy.seen.length = 0;
    proxy.failPartsAfter = undefined;
    proxy.holdPartsAfter = 1; // part 2 and every retry of it hang
    Object.assign(process.env, s3Env());
    const key = `${uniqueName('hung')}/x.dump`;
    // 64 KiB parts: 300 ms to start answering plus 250 ms for the part's bytes at 256 KiB/s.
    const store = new S3Store({ bucket: 'backups', prefix: 'hung', endpoint: proxy.endpoint, forcePathStyle: true, partSizeBytes: 64 * 1024, queueSize: 1, requestTimeoutMs: 300 });
    const started = Date.now();
    const failure = await store.put(key, Readable.from([Buffer.alloc(200 * 1024, 7)])).catch((e: Error) => e);
    proxy.release();
    proxy.holdPartsAfter = undefined;
    expect(String(failure)).toMatch(/S3 did not answer for part 2 of s3:\/\/backups\/hung\/.* within 0\.55 s \(4 attempts\): check s3-endpoint/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(proxy.seen.filter((s) => s.endsWith('part')).length).toBe(5); // part 1, then part 2 four times
    expect(proxy.seen).toContain('DELETE abort');
    expect(proxy.seen).not.toContain('POST complete');
    expect(await s3Keys('backups', `hung/${key}`)).toEqual([]);
  });

  it('cancelled (SIGTERM) mid-dump to a directory: no archive, no partial file, no manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-cancel-'));
    proxy.holdPartsAfter = undefined;
    const result = await runAction('backup', {
      inputs: { 'database-url': bigSource, destination: dir, name: 'db' },
      cancelWhen: /Streaming pg_dump/,
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.log, result.stderr).toMatch(/cancelled/);
    const left = readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile());
    expect(left).toEqual([]);
    await waitFor(async () => !(await dumpRunning()), 'pg_dump to be gone');
  });

  it('cancelled (SIGTERM) mid-upload to S3: the multipart upload is aborted', async () => {
    proxy.seen.length = 0;
    proxy.failPartsAfter = undefined;
    proxy.holdPartsAfter = 1;
    const name = uniqueName('cancel');
    const running = runAction('backup', {
      inputs: { 'database-url': bigSource, destination: 's3://backups/cancel', name, 's3-endpoint': proxy.endpoint, 's3-force-path-style': 'true', 's3-part-size-mb': 5 },
      env: s3Env(),
      cancelWhen: 60_000,
      timeoutMs: 60_000,
    });
    await waitFor(() => proxy.seen.filter((s) => s.endsWith('part')).length >= 2, 'a second part upload');
    // SIGTERM the action as the runner does on cancel.
    const { execFileSync } = await import('node:child_process');
    const pids = execFileSync('pgrep', ['-f', 'dist/backup/index.js'], { encoding: 'utf8' }).trim().split('\n');
    for (const pid of pids) {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (env.includes(`INPUT_NAME=${name}\0`)) process.kill(Number(pid), 'SIGTERM');
    }
    setTimeout(() => proxy.release(), 500);
    const result = await running;
    expect(result.code).toBe(1);
    expect(result.log).toMatch(/cancelled/);
    expect(proxy.seen).toContain('DELETE abort');
    expect(await s3Keys('backups', `cancel/${name}/`)).toEqual([]);
  });
});

async function dumpRunning(): Promise<boolean> {
  return withClient(inject('postgresUrl'), async (c) => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'gantry-backup'`)).rows.length > 0);
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
