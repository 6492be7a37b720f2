/** Round trips through the bundle: tricky data → backup → verify → restore into a new database → identical. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, inject, it } from 'vitest';
import { findSecretLeaks, runAction } from '../harness/action.js';
import { fingerprint, freshDatabase, s3Env, s3Inputs, s3Keys, seedTricky, uniqueName } from './helpers.js';

describe('backup round trip', () => {
  it('S3 multipart with age recipients: backup, verify, list, restore into a new database, identical table by table', async () => {
    const source = await freshDatabase('rt_s3_src');
    await seedTricky(source, 18); // ≈18 MiB of random bytes → 4+ parts of 5 MiB
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const name = uniqueName('shop');
    const common = { destination: 's3://backups/team/db', name, ...s3Inputs() };
    const password = inject('postgresPassword');

    const backup = await runAction('backup', {
      inputs: { ...common, 'database-url': source, 'encryption-recipients': recipient, 'decryption-identity': identity, 's3-part-size-mb': 5, environment: 'staging' },
      env: s3Env(),
      timeoutMs: 120_000,
    });
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const id = backup.outputs['backup-id']!;
    expect(id).toMatch(new RegExp(`^${name}-\\d{8}T\\d{9}Z$`));
    expect(backup.outputs['backup-uri']).toBe(`s3://backups/team/db/${name}/${id}.dump.zst.age`);
    expect(backup.outputs.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(backup.outputs['size-bytes'])).toBeGreaterThan(18 * 1024 * 1024);
    expect(Number(backup.outputs['size-bytes']) / (5 * 1024 * 1024)).toBeGreaterThan(3); // several parts
    expect(backup.outputs.pruned).toBe('0');
    expect(Number(backup.outputs['duration-seconds'])).toBeGreaterThan(0);
    expect(backup.summary).toContain(id);
    expect(backup.summary).toContain('staging-0123456');
    expect(await s3Keys('backups', `team/db/${name}/`)).toEqual([`team/db/${name}/${id}.dump.zst.age`, `team/db/${name}/${id}.json`].sort());

    const verify = await runAction('backup', { inputs: { ...common, operation: 'verify', 'decryption-identity': identity }, env: s3Env(), timeoutMs: 120_000 });
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.outputs['backup-id']).toBe(id);
    expect(verify.outputs.sha256).toBe(backup.outputs.sha256);

    const list = await runAction('backup', { inputs: { ...common, operation: 'list' }, env: s3Env() });
    expect(list.code, list.stdout).toBe(0);
    expect(list.summary).toMatch(new RegExp(`\\| \`${id}\` \\| .* \\| staging-0123456 \\| staging \\|`));

    const target = await freshDatabase('rt_s3_dst');
    const restore = await runAction('backup', {
      inputs: { ...common, operation: 'restore', 'backup-id': id, 'restore-database-url': target, 'decryption-identity': identity },
      env: s3Env(),
      timeoutMs: 120_000,
    });
    expect(restore.code, restore.stdout).toBe(0);
    const [a, b] = await Promise.all([fingerprint(source), fingerprint(target)]);
    expect(Object.keys(a).length).toBeGreaterThan(6);
    expect(b).toEqual(a);

    for (const r of [backup, verify, list, restore]) expect(findSecretLeaks(r, [password, identity, source, target])).toEqual([]);
  });

  it('local directory with a passphrase: restore latest; the age CLI decrypts it by hand', async () => {
    const source = await freshDatabase('rt_dir_src');
    await seedTricky(source);
    const dir = mkdtempSync(join(tmpdir(), 'gantry-backups-'));
    const passphrase = `correct horse battery ${Math.random().toString(36).slice(2)}`;
    const name = 'shop';
    const backup = await runAction('backup', { inputs: { 'database-url': source, destination: dir, 'encryption-passphrase': passphrase, label: 'before v42 ✓' } });
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    const id = backup.outputs['backup-id']!;
    expect(id.startsWith('shop-')).toBe(true); // default name: the repository's
    expect(backup.outputs['backup-uri']).toBe(join(dir, name, `${id}.dump.zst.age`));
    expect(readdirSync(join(dir, name)).sort()).toEqual([`${id}.dump.zst.age`, `${id}.json`]);
    const manifest = JSON.parse(readFileSync(join(dir, name, `${id}.json`), 'utf8'));
    expect(manifest).toMatchObject({ label: 'before v42 ✓', commit: '0123456789abcdef0123456789abcdef01234567', sha256: backup.outputs.sha256, encryption: { type: 'age', mode: 'passphrase' }, compression: { type: 'zstd', level: 1 } });
    expect(manifest.serverVersion).toMatch(/^\d+\.\d+/);

    // By hand: age -d with the passphrase (through a pty-less batch mode: AGE_PASSPHRASE is not supported, so use an expect-free trick:
    // age reads the passphrase from the terminal; `script` gives it one).
    const compressed = join(dir, 'by-hand.dump.zst');
    execFileSync('script', ['-qec', `age -d -o ${compressed} ${backup.outputs['backup-uri']}`, '/dev/null'], { input: `${passphrase}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
    const toc = execFileSync('bash', ['-c', `zstd -dc ${compressed} | pg_restore --list`], { encoding: 'utf8' });
    expect(toc).toContain('TABLE DATA app customers');

    const target = await freshDatabase('rt_dir_dst');
    const restore = await runAction('backup', { inputs: { operation: 'restore', destination: dir, 'database-url': target, 'encryption-passphrase': passphrase } });
    expect(restore.code, restore.stdout).toBe(0);
    expect(restore.outputs['backup-id']).toBe(id);
    expect(await fingerprint(target)).toEqual(await fingerprint(source));
    for (const r of [backup, restore]) expect(findSecretLeaks(r, [passphrase, inject('postgresPassword')])).toEqual([]);
  });

  it("the README's manual line restores a backup: age -d -i key.txt … | zstd -d | pg_restore", async () => {
    const source = await freshDatabase('rt_cli_src');
    await seedTricky(source);
    const dir = mkdtempSync(join(tmpdir(), 'gantry-backups-'));
    const identity = await generateIdentity();
    const backup = await runAction('backup', { inputs: { 'database-url': source, destination: dir, 'encryption-recipients': await identityToRecipient(identity), verify: 'false' } });
    expect(backup.code, backup.stdout).toBe(0);
    const file = backup.outputs['backup-uri']!;
    expect(file).toMatch(/\.dump\.zst\.age$/);
    writeFileSync(join(dirname(file), 'key.txt'), `# created: now\n${identity}\n`);
    // The line as the README shows it, with the real CLIs.
    const readme = readFileSync(join(import.meta.dirname, '../../actions/backup/README.md'), 'utf8');
    const line = /^age -d -i key\.txt \S+\.dump\.zst\.age \| zstd -d \| pg_restore .*-d "\$TARGET_URL"$/m.exec(readme)?.[0];
    expect(line).toBeDefined();
    const target = await freshDatabase('rt_cli_dst');
    const command = line!.replace(/\S+\.dump\.zst\.age/, basename(file)).replace(/--single-transaction/, '--single-transaction --exit-on-error');
    execFileSync('bash', ['-o', 'pipefail', '-c', command], { cwd: dirname(file), env: { ...process.env, TARGET_URL: target }, stdio: ['ignore', 'ignore', 'pipe'] });
    expect(await fingerprint(target)).toEqual(await fingerprint(source));
  });

  it('an object encrypted by the age CLI (its header and payload) is verified and restored by the action', async () => {
    const source = await freshDatabase('rt_agecli_src');
    await seedTricky(source, 1); // ≈1 MiB of random bytes: many 64 KiB chunks
    const dir = mkdtempSync(join(tmpdir(), 'gantry-backups-'));
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const backup = await runAction('backup', { inputs: { 'database-url': source, destination: dir, name: 'shop', 'encryption-recipients': recipient, 'decryption-identity': identity } });
    expect(backup.code, backup.stdout).toBe(0);
    const file = backup.outputs['backup-uri']!;
    writeFileSync(join(dir, 'key.txt'), `${identity}\n`);
    // Re-encrypted by the real CLI: new file key, nonce and chunks; the manifest updated to match.
    execFileSync('bash', ['-o', 'pipefail', '-c', `age -d -i key.txt ${file} | age -r ${recipient} -o ${file}.cli && mv ${file}.cli ${file}`], { cwd: dir });
    const bytes = readFileSync(file);
    const manifestFile = join(dir, 'shop', `${backup.outputs['backup-id']}.json`);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(manifest.sha256).not.toBe(createHash('sha256').update(bytes).digest('hex'));
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length }));

    const verify = await runAction('backup', { inputs: { operation: 'verify', destination: dir, name: 'shop', 'decryption-identity': identity } });
    expect(verify.code, verify.stdout).toBe(0);
    const target = await freshDatabase('rt_agecli_dst');
    const restore = await runAction('backup', { inputs: { operation: 'restore', destination: dir, name: 'shop', 'database-url': target, 'decryption-identity': identity } });
    expect(restore.code, restore.stdout).toBe(0);
    expect(await fingerprint(target)).toEqual(await fingerprint(source));
  });
});
