/** Retention: keep-last and retention-days, listing past 1,000 objects, batch deletes, list summary. */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { MANIFEST_FORMAT } from '../../actions/backup/src/manifest.js';
import { runAction } from '../harness/action.js';
import { freshDatabase, s3, s3Env, s3Inputs, s3Keys, uniqueName, withClient } from './helpers.js';

describe('prune and list', () => {
  it('after each backup: keep-last backups survive, older ones beyond them go (directory)', async () => {
    const db = await freshDatabase('prune_src');
    await withClient(db, (c) => c.query('CREATE TABLE t (v int); INSERT INTO t VALUES (1)'));
    const dir = mkdtempSync(join(tmpdir(), 'gantry-prune-'));
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) {
      const r = await runAction('backup', { inputs: { 'database-url': db, destination: dir, name: 'app', 'keep-last': 2, 'retention-days': 0, verify: n % 2 ? 'true' : 'false' } });
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.pruned).toBe(n < 2 ? '0' : '1');
      ids.push(r.outputs['backup-id']!);
    }
    expect(readdirSync(join(dir, 'app')).sort()).toEqual(ids.slice(2).flatMap((id) => [`${id}.dump.zst`, `${id}.json`]).sort());
    // retention-days 30 (default) keeps young backups even beyond keep-last
    const r = await runAction('backup', { inputs: { operation: 'prune', destination: dir, name: 'app', 'keep-last': 1 } });
    expect(r.code).toBe(0);
    expect(r.outputs.pruned).toBe('0');
  });

  it('S3: lists past 1,000 objects (paginated) and prunes with batch deletes', async () => {
    const name = uniqueName('many');
    const prefix = 'paged';
    const total = 600; // 1,200 objects: two pages of listing, two batches of deletes
    const client = s3();
    const ids = Array.from({ length: total }, (_, i) => `${name}-20260101T000000${String(i).padStart(3, '0')}Z`);
    const queue = [...ids];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const manifest = { format: MANIFEST_FORMAT, id, name, label: `l-${id.slice(-6)}`, environment: 'test', key: `${name}/${id}.dump`, created: '2026-01-01T00:00:00Z', sizeBytes: 3, sha256: '0'.repeat(64), encryption: { type: 'none' }, serverVersion: '15', serverMajor: 15 };
          await client.send(new PutObjectCommand({ Bucket: 'backups', Key: `${prefix}/${name}/${id}.dump`, Body: 'abc' }));
          await client.send(new PutObjectCommand({ Bucket: 'backups', Key: `${prefix}/${name}/${id}.json`, Body: JSON.stringify(manifest) }));
        }
      }),
    );
    expect((await s3Keys('backups', `${prefix}/${name}/`)).length).toBe(2 * total);
    const common = { destination: `s3://backups/${prefix}`, name, ...s3Inputs() };
    const list = await runAction('backup', { inputs: { ...common, operation: 'list' }, env: s3Env(), timeoutMs: 60_000 });
    expect(list.code, list.stdout).toBe(0);
    const newest = [...ids].sort().at(-1)!;
    expect(list.outputs['backup-id']).toBe(newest);
    expect(list.log).toContain(`${total} backup(s) of ${name}`);
    expect(list.summary).toContain(`\`${newest}\``);
    expect(list.summary).toContain(`…and ${total - 50} older.`);

    const prune = await runAction('backup', { inputs: { ...common, operation: 'prune', 'keep-last': 3, 'retention-days': 0 }, env: s3Env(), timeoutMs: 60_000 });
    expect(prune.code, prune.stdout).toBe(0);
    expect(prune.outputs.pruned).toBe(String(total - 3));
    const left = await s3Keys('backups', `${prefix}/${name}/`);
    expect(left.sort()).toEqual([...ids].sort().slice(-3).flatMap((id) => [`${prefix}/${name}/${id}.dump`, `${prefix}/${name}/${id}.json`]).sort());
    expect(prune.summary).toContain(`| **Deleted** | ${total - 3} |`);
  });
});
