/** backup's five operations (backup, verify, restore, prune, list) over a store, and opening that store. */
import { resolve } from 'node:path';
import { errorMessage } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';
import { describeUrl } from '../../../shared/postgres/connect.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { LocalStore } from '../../../shared/storage/local.js';
import type { S3Store } from '../../../shared/storage/s3.js';
import { MiB, type BackupStore } from '../../../shared/storage/types.js';
import type { Summary } from '../../../shared/core/summary.js';
import { backup, formatBytes, listManifests, prune, resolveManifest, restore, verify, DEFAULT_RESTORE_ARGS } from './engine.js';
import type { BackupInputs } from './inputs.js';
import { describeCompression } from './compression.js';
import type { Manifest } from './manifest.js';
import { context } from '../../../shared/core/context.js';

export const DEFAULT_PART_SIZE_MB = 5;

/** The S3 store (and the AWS SDK behind it) is loaded only for an s3:// destination: it costs ~80 ms of start-up. */
export async function openStore(i: BackupInputs): Promise<BackupStore> {
  if (i.destination.kind === 'local') return new LocalStore(resolve(context().workspace, i.destination.directory));
  const { S3Store } = await import('../../../shared/storage/s3.js');
  return new S3Store({
    bucket: i.destination.bucket,
    prefix: i.destination.prefix,
    region: i.s3Region,
    endpoint: i.s3Endpoint,
    forcePathStyle: i.s3ForcePathStyle,
    sse: i.s3Sse,
    kmsKeyId: i.s3KmsKeyId,
    storageClass: i.s3StorageClass,
    checksum: i.s3Checksum,
    partSizeBytes: (i.s3PartSizeMb ?? DEFAULT_PART_SIZE_MB) * MiB,
    queueSize: i.s3QueueSize,
  });
}

const isS3 = (store: BackupStore): store is S3Store => 'fitPartSize' in store;

const encryptionText = (m: Manifest) =>
  m.encryption.type === 'none' ? 'none' : m.encryption.mode === 'passphrase' ? 'age (passphrase)' : `age (${m.encryption.recipients.length} recipient${m.encryption.recipients.length > 1 ? 's' : ''})`;

function outputsFor(m: Manifest, uri: string, seconds: number): void {
  writeOutput('backup-id', m.id);
  writeOutput('backup-uri', uri);
  writeOutput('sha256', m.sha256);
  writeOutput('size-bytes', String(m.sizeBytes));
  writeOutput('duration-seconds', seconds.toFixed(2));
}

/** Carries out the chosen operation, writing its outputs and filling the summary. */
export async function operate(i: BackupInputs, store: BackupStore, summary: Summary, signal: AbortSignal): Promise<void> {
  const started = Date.now();
  const seconds = () => (Date.now() - started) / 1000;

  switch (i.operation) {
    case 'backup': {
      const result = await backup({
        store,
        databaseUrl: i.databaseUrl!,
        name: i.name,
        label: i.label,
        environment: i.environment,
        repository: i.repository,
        commit: i.sha,
        runId: context().runId,
        encryption: i.encryption,
        decryption: i.decryption,
        pgDumpArgs: i.pgDumpArgs,
        compression: i.compression,
        verify: i.verify,
        signal,
        onDatabaseSize: (bytes) => {
          if (!isS3(store)) return;
          const before = store.partSizeBytes;
          const after = store.fitPartSize(bytes);
          if (after > before) {
            const message = `A ${formatBytes(bytes)} database needs parts of ${after / MiB} MiB to stay within S3's 10,000 parts (${store.queueSize} in parallel)`;
            if (i.s3PartSizeMb) log.warning(`${message}: using that instead of s3-part-size-mb ${i.s3PartSizeMb}.`);
            else log.info(`${message}.`);
          }
        },
      });
      const m = result.manifest;
      log.info(`Backed up ${formatBytes(m.sizeBytes)} to ${result.uri} in ${m.durationSeconds}s (sha256 ${m.sha256}).`);
      outputsFor(m, result.uri, seconds());
      // The backup is complete and its outputs written: retention failing is only a warning.
      let pruned = 0;
      try {
        const p = await prune(store, i.name, i.retentionDays, i.keepLast, signal);
        pruned = p.deleted.length;
        if (pruned || p.orphansDeleted) log.info(`Pruned ${pruned} backup(s) older than ${i.retentionDays} days beyond the newest ${i.keepLast}${p.orphansDeleted ? ` and ${p.orphansDeleted} leftover(s)` : ''}.`);
      } catch (error) {
        if (signal.aborted) throw error;
        log.warning(`The backup succeeded, but applying retention failed: ${errorMessage(error)}`);
      }
      writeOutput('pruned', String(pruned));
      summary
        .heading(`Backup of ${m.database}`)
        .facts([
          ['Backup id', `\`${m.id}\``],
          ['Where', `\`${result.uri}\``],
          ['Label', m.label],
          ['Size', `${formatBytes(m.sizeBytes)} (${m.sizeBytes} bytes)`],
          ['SHA-256', `\`${m.sha256}\``],
          ['Duration', `${seconds().toFixed(1)} s (${formatBytes(m.sizeBytes / Math.max(seconds(), 0.001))}/s)`],
          ['Compression', `${describeCompression(m.compression)} (archive ${formatBytes(m.archiveBytes)})`],
          ['Encryption', encryptionText(m)],
          ['Server', `PostgreSQL ${m.serverVersion}`],
          ['Dumped with', m.pgDumpVersion],
          ['Verified', i.verify ? `archive read in full by pg_restore; stored object re-read (${result.readBack})` : 'no (verify: false)'],
          ['Pruned', `${pruned} (keep last ${i.keepLast}, retention ${i.retentionDays} days)`],
        ]);
      break;
    }
    case 'verify': {
      const m = await resolveManifest(store, i.name, i.backupId, signal);
      log.info(`Verifying ${store.uri(m.key)}: checksum, ${m.encryption.type === 'none' ? '' : 'decryption, '}full read by pg_restore…`);
      await verify(store, m, i.decryption, signal);
      log.info(`Backup ${m.id} is whole: checksum matches, and pg_restore read every block.`);
      outputsFor(m, store.uri(m.key), seconds());
      summary.heading(`Backup ${m.id} verified`).facts([
        ['Where', `\`${store.uri(m.key)}\``],
        ['Created', m.created],
        ['Label', m.label],
        ['Size', formatBytes(m.sizeBytes)],
        ['SHA-256', `\`${m.sha256}\` ✅`],
        ['Compression', describeCompression(m.compression)],
        ['Encryption', encryptionText(m)],
        ['Archive', 'read in full by pg_restore ✅'],
      ]);
      break;
    }
    case 'restore': {
      const m = await resolveManifest(store, i.name, i.backupId, signal);
      const target = i.restoreDatabaseUrl ?? i.databaseUrl!;
      const r = await restore({ store, manifest: m, targetUrl: target, decryption: i.decryption, pgRestoreArgs: i.pgRestoreArgs, signal });
      log.info(`Restored ${m.id} into ${describeUrl(target)} in ${seconds().toFixed(1)}s.`);
      outputsFor(m, store.uri(m.key), seconds());
      summary.heading(`Restored ${m.id}`).facts([
        ['Into', describeUrl(target)],
        ['From', `\`${store.uri(m.key)}\``],
        ['Backup created', m.created],
        ['Label', m.label],
        ['Size', formatBytes(m.sizeBytes)],
        ['Checksum', 'verified before and during the restore ✅'],
        ['Options', (i.pgRestoreArgs.length ? i.pgRestoreArgs : DEFAULT_RESTORE_ARGS).join(' ')],
        ['Target server', `PostgreSQL ${r.serverVersion}`],
        ['Duration', `${seconds().toFixed(1)} s`],
      ]);
      break;
    }
    case 'prune': {
      const p = await prune(store, i.name, i.retentionDays, i.keepLast, signal);
      log.info(`Pruned ${p.deleted.length} backup(s); ${p.kept} kept.`);
      writeOutput('pruned', String(p.deleted.length));
      summary
        .heading(`Pruned backups of ${i.name}`)
        .facts([
          ['Deleted', p.deleted.length],
          ['Kept', p.kept],
          ['Leftovers removed', p.orphansDeleted],
          ['Policy', `keep the newest ${i.keepLast}; delete older than ${i.retentionDays} days`],
        ])
        .list(p.deleted.slice(0, 100).map((id) => `\`${id}\``));
      break;
    }
    case 'list': {
      const { total, manifests } = await listManifests(store, i.name, signal);
      log.info(`${total} backup(s) of ${i.name} in ${store.root}.`);
      for (const m of manifests) log.info(`  ${m.id}  ${m.label}  ${formatBytes(m.sizeBytes)}  compression ${describeCompression(m.compression)}  ${encryptionText(m)}`);
      if (manifests[0]) outputsFor(manifests[0], store.uri(manifests[0].key), seconds());
      summary.heading(`Backups of ${i.name} in \`${store.root}\``);
      if (!manifests.length) summary.text('No backups yet.');
      summary.table(
        ['Backup id', 'Created', 'Label', 'Environment', 'Size', 'Compression', 'Encryption', 'Server', 'SHA-256'],
        manifests.map((m) => [`\`${m.id}\``, m.created, m.label, m.environment, formatBytes(m.sizeBytes), describeCompression(m.compression), encryptionText(m), m.serverVersion, `\`${m.sha256.slice(0, 12)}…\``]),
        ['left', 'left', 'left', 'left', 'right', 'left', 'left', 'left', 'left'],
      );
      if (total > manifests.length) summary.text(`…and ${total - manifests.length} older.`);
      break;
    }
  }
}
