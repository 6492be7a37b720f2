/** compression: zstd (default), gzip and none, and the objects written before compression left pg_dump. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { findSecretLeaks, runAction } from '../harness/action.js';
import { fingerprint, freshDatabase, seedTricky, withClient } from './helpers.js';

const manifestOf = (dir: string, name: string, id: string) => JSON.parse(readFileSync(join(dir, name, `${id}.json`), 'utf8'));

describe('compression', () => {
  it('gzip level 9 and none: the manifest records it, the file reads by hand, verify and restore work', async () => {
    const source = await freshDatabase('cmp_src');
    await seedTricky(source);
    const dir = mkdtempSync(join(tmpdir(), 'gantry-compression-'));
    const cases = [
      { inputs: { compression: 'gzip', 'compression-level': '9' }, suffix: '.dump.gz', recorded: { type: 'gzip', level: 9 }, byHand: 'gunzip -c' },
      { inputs: { compression: 'none' }, suffix: '.dump', recorded: { type: 'none' }, byHand: 'cat' },
      // With none, pg_dump may compress itself again.
      { inputs: { compression: 'none', 'pg-dump-args': '-Z6' }, suffix: '.dump', recorded: { type: 'none' }, byHand: 'cat' },
    ];
    for (const c of cases) {
      const name = `db-${readdirSync(dir).length}`;
      const backup = await runAction('backup', { inputs: { 'database-url': source, destination: dir, name, ...c.inputs } });
      expect(backup.code, backup.stdout + backup.stderr).toBe(0);
      const id = backup.outputs['backup-id']!;
      expect(backup.outputs['backup-uri']).toBe(join(dir, name, `${id}${c.suffix}`));
      const manifest = manifestOf(dir, name, id);
      expect(manifest).toMatchObject({ format: 'gantry-backup/2', compression: c.recorded });
      expect(manifest.archiveBytes).toBeGreaterThan(0);
      // A full read into SQL (--list would stop after the table of contents).
      const sql = execFileSync('bash', ['-o', 'pipefail', '-c', `${c.byHand} ${backup.outputs['backup-uri']} | pg_restore -f -`], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      expect(sql).toContain('COPY app.customers');

      const verify = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name } });
      expect(verify.code, verify.stdout).toBe(0);
      expect(verify.summary).toContain(c.recorded.type === 'gzip' ? 'gzip level 9' : '| **Compression** | none |');
      const target = await freshDatabase('cmp_dst');
      const restore = await runAction('backup', { inputs: { operation: 'restore', destination: dir, name, 'database-url': target } });
      expect(restore.code, restore.stdout).toBe(0);
      expect(await fingerprint(target)).toEqual(await fingerprint(source));
    }
    // gzip 9 of a -Z0 archive is smaller than the uncompressed one, and pg_dump's own -Z6 too.
    const sizes = ['db-0', 'db-1', 'db-2'].map((n) => readdirSync(join(dir, n)).filter((f) => f.includes('.dump')).map((f) => readFileSync(join(dir, n, f)).length)[0]!);
    expect(sizes[0]).toBeLessThan(sizes[1]! / 2);
    expect(sizes[2]).toBeLessThan(sizes[1]! / 2);
  });

  it('a damaged zstd object whose manifest was rewritten to match is still refused by verify (zstd frame checks)', async () => {
    const source = await freshDatabase('cmp_dmg_src');
    await seedTricky(source);
    const dir = mkdtempSync(join(tmpdir(), 'gantry-compression-'));
    const backup = await runAction('backup', { inputs: { 'database-url': source, destination: dir, name: 'db', 'compression-level': '1' } });
    expect(backup.code, backup.stdout).toBe(0);
    const file = backup.outputs['backup-uri']!;
    expect(file).toMatch(/\.dump\.zst$/);
    // Both the manifest and the object altered consistently (a store that re-wrote them): only zstd's own checks are left.
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    const { createHash } = await import('node:crypto');
    const manifest = manifestOf(dir, 'db', backup.outputs['backup-id']!);
    manifest.sha256 = createHash('sha256').update(bytes).digest('hex');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, bytes);
    writeFileSync(join(dir, 'db', `${manifest.id}.json`), JSON.stringify(manifest));
    const verify = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name: 'db' } });
    expect(verify.code).toBe(1);
    expect(verify.annotations.find((a) => a.level === 'error')?.message).toMatch(/failed verification/);
  });
});

describe('backups written before compression left pg_dump (gantry-backup/1, compressed inside the archive)', () => {
  const fixtures = join(import.meta.dirname, 'fixtures', 'legacy');
  const identity = readFileSync(join(fixtures, 'identity.txt'), 'utf8');
  const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));

  for (const [name, decrypt] of [['legacy-plain', {}], ['legacy-age', { 'decryption-identity': identity }]] as const) {
    it(`${name}: list, verify and restore`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gantry-legacy-'));
      cpSync(join(fixtures, name), join(dir, name), { recursive: true });
      const id = readdirSync(join(dir, name)).find((f) => f.endsWith('.json'))!.replace(/\.json$/, '');

      const list = await runAction('backup', { inputs: { operation: 'list', destination: dir, name } });
      expect(list.code, list.stdout).toBe(0);
      expect(list.outputs['backup-id']).toBe(id);
      expect(list.summary).toContain('inside the archive (pg_dump)');

      const verify = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name, ...decrypt } });
      expect(verify.code, verify.stdout).toBe(0);
      expect(verify.outputs['backup-id']).toBe(id);

      const target = await freshDatabase('legacy_dst');
      const restore = await runAction('backup', { inputs: { operation: 'restore', destination: dir, name, 'database-url': target, ...decrypt } });
      expect(restore.code, restore.stdout).toBe(0);
      const restored = await withClient(target, async (c) => {
        const { rows } = await c.query(`SELECT count(*)::text || ':' || md5(string_agg(x::text, '|' ORDER BY x.id)) AS h FROM app.customers x`);
        return rows[0].h as string;
      });
      expect(restored).toBe(expected['app.customers']);
      for (const r of [list, verify, restore]) expect(findSecretLeaks(r, [identity.trim().split('\n').pop()!, inject('postgresPassword')])).toEqual([]);
    });
  }
});
