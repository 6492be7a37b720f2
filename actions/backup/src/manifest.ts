/**
 * Each backup is two objects under `<name>/`: the archive `<id>.dump[.zst|.gz][.age]` (suffixes
 * for compression and encryption; older objects are `<id>.dump[.age]`, compressed inside) and its
 * manifest `<id>.json`, written last. A backup without a manifest is
 * incomplete and is never listed, verified or restored (prune removes such leftovers).
 */
import { SUFFIX, type Compression, type CompressionType } from './compression.js';

export const MANIFEST_FORMAT = 'gantry-backup/2';
/** Version 1 (before compression moved out of pg_dump) is still read: it has no `compression`. */
const READABLE_FORMATS = ['gantry-backup/1', MANIFEST_FORMAT];

export interface Manifest {
  format: typeof MANIFEST_FORMAT | 'gantry-backup/1';
  id: string;
  name: string;
  label: string;
  environment: string;
  repository: string;
  commit: string;
  runId: string;
  /** The archive's key relative to the store's root. */
  key: string;
  created: string;
  durationSeconds: number;
  /** Of the stored object (the ciphertext when encrypted). */
  sizeBytes: number;
  sha256: string;
  /** `pg_dump -Fc` archive bytes before compression and encryption. */
  archiveBytes: number;
  /** How the archive was compressed after pg_dump; absent on objects whose archive pg_dump compressed itself. */
  compression?: Compression;
  database: string;
  serverVersion: string;
  serverMajor: number;
  pgDumpVersion: string;
  pgDumpArgs: string[];
  encryption: { type: 'none' } | { type: 'age'; mode: 'recipients'; recipients: string[] } | { type: 'age'; mode: 'passphrase' };
  verified: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `<name>-20261122T233335123Z`: sorts by time within a name. */
export function newBackupId(name: string, at = new Date()): string {
  const d = at;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${pad(d.getUTCMilliseconds(), 3)}Z`;
  return `${name}-${stamp}`;
}

export const manifestKey = (name: string, id: string) => `${name}/${id}.json`;
export const archiveKey = (name: string, id: string, compression: CompressionType, encrypted: boolean) =>
  `${name}/${id}.dump${SUFFIX[compression]}${encrypted ? '.age' : ''}`;

const ARCHIVE_SUFFIX = /\.(json|dump(?:\.zst|\.gz)?(?:\.age)?)$/;

/** The id of a key under `<name>/`, whether archive or manifest. */
export function idOfKey(name: string, key: string): { id: string; kind: 'manifest' | 'archive' } | undefined {
  if (!key.startsWith(`${name}/`)) return undefined;
  const rest = key.slice(name.length + 1);
  if (rest.includes('/')) return undefined;
  const m = new RegExp(`^(.+?)${ARCHIVE_SUFFIX.source}`).exec(rest);
  if (!m || !m[1]!.startsWith(`${name}-`)) return undefined;
  return { id: m[1]!, kind: m[2] === 'json' ? 'manifest' : 'archive' };
}

/** Accepts an id, or a backup-uri output (…/<id>.dump[.zst|.gz][.age] or …/<id>.json). */
export function normaliseBackupId(value: string): string {
  const last = value.split('/').pop() ?? value;
  return last.replace(ARCHIVE_SUFFIX, '');
}

export function parseManifest(text: string, where: string): Manifest {
  let value: Manifest;
  try {
    value = JSON.parse(text) as Manifest;
  } catch {
    throw new Error(`${where} is not valid JSON: the manifest is damaged`);
  }
  if (!READABLE_FORMATS.includes(value?.format) || typeof value.sha256 !== 'string' || typeof value.sizeBytes !== 'number' || typeof value.key !== 'string') {
    throw new Error(`${where} is not a gantry-backup manifest this version reads (${READABLE_FORMATS.join(', ')})`);
  }
  return value;
}
