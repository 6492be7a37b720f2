/** One interface over the places a backup can live: an S3-compatible bucket or a local directory. */
import type { Readable } from 'node:stream';

export const MiB = 1024 * 1024;

/** `s3://bucket/prefix` → bucket and prefix (no SDK needed: the S3 store is loaded only when used). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) return undefined;
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export interface StoredObject {
  /** Key relative to the store's root (prefix / directory). */
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  signal?: AbortSignal;
  contentType?: string;
  /** Small user metadata stored with the object where the store supports it. */
  metadata?: Record<string, string>;
  onProgress?: (bytes: number) => void;
}

export interface BackupStore {
  /** e.g. `s3://bucket/prefix` or `/var/backups`. */
  readonly root: string;
  /** A URI for a key, shown to people and given as the `backup-uri` output. */
  uri(key: string): string;
  /**
   * Streams `body` into `key`. The object appears only when `body` ends normally; when it errors,
   * the signal aborts or the store fails, nothing is left behind (multipart upload aborted,
   * partial file removed) and the promise rejects.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<void>;
  /** Writes a small object in one request (manifests). */
  putSmall(key: string, body: string, options?: PutOptions): Promise<void>;
  get(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  getText(key: string, options?: { signal?: AbortSignal }): Promise<string>;
  /** Every object under `prefix` (relative to the root), across all pages. */
  list(prefix: string, options?: { signal?: AbortSignal }): AsyncIterable<StoredObject>;
  /** Deletes keys, in batches; returns how many were deleted. Missing keys are not an error. */
  delete(keys: string[], options?: { signal?: AbortSignal }): Promise<number>;
}
