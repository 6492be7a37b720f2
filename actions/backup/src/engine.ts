/** The backup engine: knows PostgreSQL, the stores and age; nothing about GitHub's runner. */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decryptStream, encryptStream, type DecryptionKey, type EncryptionKey } from '../../../shared/crypto/age.js';
import { ConfigurationError, errorMessage } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';
import { connect, describeUrl, serverInfo } from '../../../shared/postgres/connect.js';
import { dumpStream, findPgTools, restoreProcess, toolVersion } from '../../../shared/postgres/dump.js';
import type { BackupStore, StoredObject } from '../../../shared/storage/types.js';
import { archiveKey, idOfKey, manifestKey, MANIFEST_FORMAT, newBackupId, normaliseBackupId, parseManifest, type Manifest } from './manifest.js';
import { compressor, decompressor, describeCompression, type Compression } from './compression.js';
import { Counter, discard, Hasher, IntegrityError, integrityProblem, TeeToChild, VerifiedRelease } from './streams.js';

export interface BackupRequest {
  store: BackupStore;
  databaseUrl: string;
  name: string;
  label: string;
  environment: string;
  repository: string;
  commit: string;
  runId: string;
  encryption?: EncryptionKey;
  /** Used to re-read the stored object after upload when the backup is encrypted. */
  decryption?: DecryptionKey;
  pgDumpArgs: string[];
  compression: Compression;
  verify: boolean;
  signal: AbortSignal;
  /** Called once the database size is known (S3 part sizing). */
  onDatabaseSize?: (bytes: number) => void;
}

export interface BackupResult {
  manifest: Manifest;
  uri: string;
  readBack: 'checksum' | 'checksum+decrypt' | 'skipped';
}

export async function backup(req: BackupRequest): Promise<BackupResult> {
  const started = Date.now();
  const client = await connect(req.databaseUrl, { signal: req.signal });
  let info: Awaited<ReturnType<typeof serverInfo>>;
  let dbBytes: number;
  try {
    info = await serverInfo(client);
    const { rows } = await client.query<{ size: string }>('SELECT pg_database_size(current_database())::text AS size');
    dbBytes = Number(rows[0]!.size);
  } finally {
    await client.end().catch(() => undefined);
  }
  req.onDatabaseSize?.(dbBytes);
  const tools = findPgTools(info.major, { need: req.verify ? ['pg_dump', 'pg_restore'] : ['pg_dump'] });
  const pgDumpVersion = await toolVersion(tools.pgDump);
  log.info(`Server ${describeUrl(req.databaseUrl)}: PostgreSQL ${info.version}, database ${formatBytes(dbBytes)}; using ${pgDumpVersion} (${tools.binDir}).`);

  const id = newBackupId(req.name);
  const key = archiveKey(req.name, id, req.compression.type, Boolean(req.encryption));
  const uri = req.store.uri(key);
  const compressed = req.compression.type !== 'none';
  log.info(
    `Streaming pg_dump -Fc -Z0${req.verify ? ' (read in full by pg_restore as it streams)' : ''}${compressed ? ` → ${describeCompression(req.compression)}` : ''}` +
      `${req.encryption ? ' → age encryption' : ''} → SHA-256 → ${uri}`,
  );

  // pg_dump -Z0 → [tee into pg_restore -f /dev/null] → [zstd|gzip] → [age] → SHA-256 → store. The
  // stream ends only after pg_dump (and pg_restore) exited 0; any failure aborts the upload and
  // leaves nothing. pg_dump's own compression is off: it runs on pg_dump's one thread and was the
  // ceiling; here it runs beside it. (With compression none, pg-dump-args may still set -Z.)
  const dump = dumpStream(tools, req.databaseUrl, ['--compress=0', ...req.pgDumpArgs], req.signal);
  let archive: Readable = dump.stream;
  // Archive bytes: counted, not hashed (the stored object's hash is the one that matters).
  const counter = new Counter();
  archive = archive.pipe(counter);
  dump.stream.on('error', (e) => counter.destroy(e));
  if (req.verify) {
    const check = restoreProcess(tools, null, [], req.signal);
    const tee = new TeeToChild(check.stdin, check.process);
    counter.on('error', (e) => tee.destroy(e));
    archive = counter.pipe(tee);
  }
  let stored: Readable = archive;
  const compress = compressor(req.compression);
  if (compress) {
    archive.on('error', (e) => compress.destroy(e));
    stored = archive.pipe(compress);
  }
  if (req.encryption) stored = encryptStream(stored, req.encryption);
  const hasher = new Hasher();
  stored.on('error', (e) => hasher.destroy(e));
  const body = stored.pipe(hasher);
  let lastReport = Date.now();
  const stopChildren = () => {
    // Whatever failed, pg_dump (and pg_restore) must not be left blocked on a full pipe.
    dump.stream.destroy();
    dump.process.kill();
    if (!archive.destroyed) archive.destroy();
  };
  try {
    await putArchive();
  } catch (error) {
    stopChildren();
    if (req.signal.aborted) throw req.signal.reason;
    throw error;
  }
  async function putArchive(): Promise<void> {
    await req.store.put(key, body, {
      signal: req.signal,
      contentType: req.encryption ? 'application/age-encrypted' : CONTENT_TYPES[req.compression.type],
      metadata: { 'gantry-backup-id': id, 'gantry-label': asciiOnly(req.label) },
      onProgress: () => {
        if (Date.now() - lastReport > 15_000) {
          lastReport = Date.now();
          log.info(`… ${formatBytes(hasher.bytes)} stored (${formatBytes(hasher.bytes / ((Date.now() - started) / 1000))}/s)`);
        }
      },
    });
  }
  if (!hasher.digest) throw new Error('the archive stream ended without completing');

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    id,
    name: req.name,
    label: req.label,
    environment: req.environment,
    repository: req.repository,
    commit: req.commit,
    runId: req.runId,
    key,
    created: new Date(started).toISOString(),
    durationSeconds: 0,
    sizeBytes: hasher.bytes,
    sha256: hasher.digest,
    archiveBytes: counter.bytes,
    compression: req.compression,
    database: describeUrl(req.databaseUrl),
    serverVersion: info.version,
    serverMajor: info.major,
    pgDumpVersion,
    pgDumpArgs: req.pgDumpArgs,
    encryption: !req.encryption
      ? { type: 'none' }
      : 'recipients' in req.encryption
        ? { type: 'age', mode: 'recipients', recipients: req.encryption.recipients }
        : { type: 'age', mode: 'passphrase' },
    verified: req.verify,
  };

  let readBack: BackupResult['readBack'] = 'skipped';
  try {
    if (req.verify) {
      // Read the stored object back: it must be exactly what was written (and decrypt, when we can).
      // With recipients and a given identity, decrypt too (X25519 is cheap). A passphrase is not
      // re-derived: scrypt at age's work factor costs 256 MiB, and pg_restore already read the
      // plaintext in full on the way in.
      const canDecrypt = Boolean(req.encryption && 'recipients' in req.encryption && req.decryption?.identities?.length);
      await readAndCheck(req.store, manifest, canDecrypt ? { identities: req.decryption!.identities } : undefined, null, req.signal);
      readBack = canDecrypt ? 'checksum+decrypt' : 'checksum';
    }
    manifest.durationSeconds = round((Date.now() - started) / 1000);
    await req.store.putSmall(manifestKey(req.name, id), JSON.stringify(manifest, null, 2) + '\n', { signal: req.signal });
  } catch (error) {
    await req.store.delete([key, manifestKey(req.name, id)]).catch((e) => log.warning(`Could not remove the unverified archive ${uri}: ${errorMessage(e)}`));
    throw error;
  }
  return { manifest, uri, readBack };
}

/**
 * Streams a stored archive through SHA-256, decryption (when a key is given) and, when `tools`
 * are given, decompression and `pg_restore -f /dev/null`; throws IntegrityError when the bytes
 * are not the ones recorded in the manifest. Without `tools` the archive is not decompressed: a
 * matching checksum already proves these are the bytes written, whose archive pg_restore read.
 */
async function readAndCheck(
  store: BackupStore,
  manifest: Manifest,
  decryption: DecryptionKey | undefined,
  tools: ReturnType<typeof findPgTools> | null,
  signal: AbortSignal,
): Promise<void> {
  await checkStoredSize(store, manifest, signal);
  const source = await store.get(manifest.key, { signal });
  const hasher = new Hasher();
  const hashed = source.pipe(hasher);
  source.on('error', (e) => hasher.destroy(e));
  let plain: Readable = hashed;
  if (decryption) plain = decryptStream(hashed, decryption);
  let failure: unknown;
  try {
    if (tools) {
      const check = restoreProcess(tools, null, [], signal);
      await pipeline(decompressed(plain, manifest), new TeeToChild(check.stdin, check.process), discard(), { signal });
    } else {
      await pipeline(plain, discard(), { signal });
    }
  } catch (error) {
    failure = error;
  }
  if (hasher.digest) {
    const problem = integrityProblem(store.uri(manifest.key), manifest, { sha256: hasher.digest, sizeBytes: hasher.bytes });
    if (problem) throw new IntegrityError(problem);
  }
  if (failure) {
    if (signal.aborted) throw failure;
    throw new IntegrityError(`${store.uri(manifest.key)} failed verification: ${describeFailure(failure)}`);
  }
  if (!hasher.digest) throw new IntegrityError(`${store.uri(manifest.key)} could not be read in full`);
}

/** The archive pg_restore reads: decompressed here when the backup was compressed outside pg_dump. */
function decompressed(input: Readable, manifest: Manifest): Readable {
  const d = decompressor(manifest.compression);
  if (!d) return input;
  // Counted so that garbage collection is paced by the decompressed bytes too: they are several
  // times the stored ones, and unpaced their dead chunks floated restore to 152 MiB at 1 GB.
  const counter = new Counter();
  input.on('error', (e) => d.destroy(e));
  d.on('error', (e) => counter.destroy(e));
  return input.pipe(d).pipe(counter);
}

function describeFailure(error: unknown): string {
  const message = errorMessage(error);
  if (/no identity matched|incorrect passphrase|failed to decrypt/i.test(message)) return `it cannot be decrypted with the given key (${message})`;
  return message;
}

async function checkStoredSize(store: BackupStore, manifest: Manifest, signal: AbortSignal): Promise<void> {
  for await (const o of store.list(manifest.key, { signal })) {
    if (o.key !== manifest.key) continue;
    if (o.size !== manifest.sizeBytes) {
      throw new IntegrityError(integrityProblem(store.uri(manifest.key), manifest, { sha256: '', sizeBytes: o.size })!);
    }
    return;
  }
  throw new IntegrityError(`${store.uri(manifest.key)} is missing although its manifest exists: refusing it`);
}

export interface Catalogue {
  /** Complete backups, newest first. */
  backups: Array<{ id: string; manifest: StoredObject; archive?: StoredObject }>;
  /** Archives without a manifest (a run that is still going, or leftovers). */
  orphans: StoredObject[];
}

export async function catalogue(store: BackupStore, name: string, signal: AbortSignal): Promise<Catalogue> {
  const byId = new Map<string, { manifest?: StoredObject; archives: StoredObject[] }>();
  for await (const o of store.list(`${name}/`, { signal })) {
    const parsed = idOfKey(name, o.key);
    if (!parsed) continue;
    const entry = byId.get(parsed.id) ?? { archives: [] };
    if (parsed.kind === 'manifest') entry.manifest = o;
    else entry.archives.push(o);
    byId.set(parsed.id, entry);
  }
  const backups: Catalogue['backups'] = [];
  const orphans: StoredObject[] = [];
  for (const [id, e] of byId) {
    if (e.manifest) backups.push({ id, manifest: e.manifest, archive: e.archives[0] });
    else orphans.push(...e.archives);
  }
  backups.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return { backups, orphans };
}

export async function resolveManifest(store: BackupStore, name: string, backupId: string, signal: AbortSignal): Promise<Manifest> {
  let id = normaliseBackupId(backupId);
  if (id === 'latest') {
    const { backups } = await catalogue(store, name, signal);
    if (!backups.length) throw new ConfigurationError(`There is no complete backup named '${name}' in ${store.root}: check 'destination' and 'name'`, { input: 'backup-id' });
    id = backups[0]!.id;
  }
  // An id carries its backup's name: `<name>-<timestamp>`.
  const backupName = /-\d{8}T\d{9}Z$/.test(id) ? id.replace(/-\d{8}T\d{9}Z$/, '') : name;
  let text: string;
  try {
    text = await store.getText(manifestKey(backupName, id), { signal });
  } catch (error) {
    if (/NoSuchKey|ENOENT|NotFound|404/.test(`${(error as { name?: string }).name} ${errorMessage(error)}`)) {
      throw new ConfigurationError(`Input 'backup-id' is ${JSON.stringify(backupId)}: there is no complete backup with that id in ${store.root} (use 'operation: list' to see them)`, { input: 'backup-id' });
    }
    throw error;
  }
  return parseManifest(text, store.uri(manifestKey(backupName, id)));
}

function needKey(manifest: Manifest, decryption: DecryptionKey): DecryptionKey | undefined {
  if (manifest.encryption.type === 'none') return undefined;
  if (manifest.encryption.mode === 'passphrase' && !decryption.passphrase) {
    throw new ConfigurationError(`Backup ${manifest.id} is encrypted with a passphrase: give it as 'encryption-passphrase'`, { input: 'encryption-passphrase' });
  }
  if (manifest.encryption.mode === 'recipients' && !decryption.identities?.length) {
    throw new ConfigurationError(`Backup ${manifest.id} is encrypted for age recipients: give a matching private key as 'decryption-identity'`, { input: 'decryption-identity' });
  }
  return decryption;
}

export async function verify(store: BackupStore, manifest: Manifest, decryption: DecryptionKey, signal: AbortSignal): Promise<void> {
  const key = needKey(manifest, decryption);
  const tools = findPgTools(manifest.serverMajor, { need: ['pg_restore'] });
  await readAndCheck(store, manifest, key, tools, signal);
}

export interface RestoreRequest {
  store: BackupStore;
  manifest: Manifest;
  targetUrl: string;
  decryption: DecryptionKey;
  pgRestoreArgs: string[];
  signal: AbortSignal;
}

export const DEFAULT_RESTORE_ARGS = ['--clean', '--if-exists', '--single-transaction', '--exit-on-error'];

/**
 * Streams the stored object (decrypt → decompress) into `pg_restore`, holding its last bytes back
 * until the checksum of the whole object matches, so pg_restore never sees the end of an archive
 * that is not the one backed up. With `--single-transaction` (the default) that is enough: a
 * damaged object stops pg_restore before it can commit, and the target rolls back untouched — one
 * read of the object. Without it, pg_restore commits as it goes, so the object is first read and
 * checked in full without touching the target (two reads).
 */
export async function restore(req: RestoreRequest): Promise<{ tools: string; serverVersion: string }> {
  const key = needKey(req.manifest, req.decryption);
  const client = await connect(req.targetUrl, { signal: req.signal });
  let target: Awaited<ReturnType<typeof serverInfo>>;
  try {
    target = await serverInfo(client);
  } finally {
    await client.end().catch(() => undefined);
  }
  const tools = findPgTools(Math.max(target.major, req.manifest.serverMajor), { need: ['pg_restore'] });
  const args = req.pgRestoreArgs.length ? req.pgRestoreArgs : DEFAULT_RESTORE_ARGS;
  const atomic = args.some((a) => a === '--single-transaction' || a === '-1');
  const checkFirst = () => readAndCheck(req.store, req.manifest, key, null, req.signal);
  if (atomic) {
    await checkStoredSize(req.store, req.manifest, req.signal);
  } else {
    log.info(`Checking ${req.store.uri(req.manifest.key)} before touching ${describeUrl(req.targetUrl)} (pg-restore-args has no --single-transaction, so pg_restore commits as it goes)…`);
    await checkFirst();
    log.info(`Checksum${key ? ' and decryption' : ''} OK.`);
  }
  log.info(`Restoring into ${describeUrl(req.targetUrl)} (PostgreSQL ${target.version})${atomic ? '; it commits only once the whole object matched its checksum' : ''}…`);

  const source = await req.store.get(req.manifest.key, { signal: req.signal });
  const release = new VerifiedRelease(req.manifest, req.store.uri(req.manifest.key));
  source.on('error', (e) => release.destroy(e));
  let plain: Readable = source.pipe(release);
  if (key) plain = decryptStream(plain, key);
  plain = decompressed(plain, req.manifest);
  const proc = restoreProcess(tools, req.targetUrl, args, req.signal);
  let failure: unknown;
  try {
    await pipeline(plain, new TeeToChild(proc.stdin, proc.process), discard(), { signal: req.signal });
  } catch (error) {
    failure = error;
    proc.process.kill();
  }
  try {
    await proc.process.exited;
  } catch (error) {
    failure ??= error;
  }
  if (!failure) return { tools: tools.binDir, serverVersion: target.version };
  if (failure instanceof IntegrityError || req.signal.aborted) throw failure;
  // pg_restore (or decryption, or decompression) failed before the checksum could be compared:
  // a damaged object explains it better than pg_restore's view of damaged bytes.
  if (atomic && !release.digest) await checkFirst();
  throw failure;
}

export interface PruneResult {
  deleted: string[];
  kept: number;
  orphansDeleted: number;
}

/** Deletes complete backups older than `retentionDays` beyond the newest `keepLast`, and stale leftovers. */
export async function prune(store: BackupStore, name: string, retentionDays: number, keepLast: number, signal: AbortSignal, now = Date.now()): Promise<PruneResult> {
  const { backups, orphans } = await catalogue(store, name, signal);
  const cutoff = now - retentionDays * 86_400_000;
  const doomed = backups.slice(keepLast).filter((b) => b.manifest.lastModified.getTime() < cutoff);
  // Archives without a manifest older than a day are failed runs' leftovers (a running backup is younger).
  const staleOrphans = orphans.filter((o) => o.lastModified.getTime() < now - 86_400_000);
  const keys = [
    ...doomed.flatMap((b) => [b.manifest.key, ...(b.archive ? [b.archive.key] : [])]),
    ...staleOrphans.map((o) => o.key),
  ];
  if (keys.length) await store.delete(keys, { signal });
  return { deleted: doomed.map((b) => b.id), kept: backups.length - doomed.length, orphansDeleted: staleOrphans.length };
}

export async function listManifests(store: BackupStore, name: string, signal: AbortSignal, limit = 50): Promise<{ total: number; manifests: Manifest[] }> {
  const { backups } = await catalogue(store, name, signal);
  const manifests: Manifest[] = [];
  for (const b of backups.slice(0, limit)) {
    try {
      manifests.push(parseManifest(await store.getText(b.manifest.key, { signal }), store.uri(b.manifest.key)));
    } catch (error) {
      log.warning(`Skipping ${store.uri(b.manifest.key)}: ${errorMessage(error)}`);
    }
  }
  return { total: backups.length, manifests };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

const CONTENT_TYPES = { zstd: 'application/zstd', gzip: 'application/gzip', none: 'application/vnd.postgresql.custom-archive' } as const;
const round = (n: number) => Math.round(n * 100) / 100;
const asciiOnly = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
