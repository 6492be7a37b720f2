/**
 * A backup store in any S3-compatible bucket: streaming uploads in parts (s3-parts.ts) that are
 * aborted on any failure, paginated listing, batch deletes.
 */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  type _Object,
  PutObjectCommand,
  S3Client,
  type ChecksumAlgorithm,
  type PutObjectCommandInput,
  type ServerSideEncryption,
  type StorageClass,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { errorMessage } from '../core/errors.js';
import { log } from '../core/log.js';
import { awsClientConfig } from '../platforms/aws.js';
import { uploadInParts } from './s3-parts.js';
import { MiB, type BackupStore, type PutOptions, type StoredObject } from './types.js';


export interface S3Options {
  bucket: string;
  /** Without leading or trailing slash; '' for the bucket root. */
  prefix: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  storageClass?: string;
  /**
   * `auto`: the SDK's defaults (CRC32 on uploads); an algorithm name to choose one; `off` for
   * stores that reject the SDK's flexible checksums (only send/validate them when required).
   */
  checksum?: 'auto' | 'off' | 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256' | 'CRC64NVME';
  partSizeBytes: number;
  /** Parts uploaded in parallel; when not given, as many as fit UPLOAD_BUFFER_BYTES. */
  queueSize?: number;
  /** How long S3 may take to start answering (default S3_ANSWER_MS); small in tests. */
  requestTimeoutMs?: number;
  /** For tests: a client to use instead of building one. */
  client?: S3Client;
}

/**
 * What the parts in flight may hold: 2 × 5 MiB, plus the part being filled. A compressed,
 * encrypted dump comes out at ~10–40 MiB/s, which two parallel part uploads outpace. When a large
 * database needs bigger parts (over ~36 GB), one goes at a time.
 */
const UPLOAD_BUFFER_BYTES = 10 * MiB;

/**
 * How long S3 may take to start answering a request (a download's body streams after that, at
 * the restore's pace). A part upload gets this plus its bytes at 256 KiB/s (s3-parts.ts).
 */
export const S3_ANSWER_MS = 60_000;

export function s3Client(options: Pick<S3Options, 'region' | 'endpoint' | 'forcePathStyle' | 'checksum' | 'requestTimeoutMs'>): S3Client {
  const off = options.checksum === 'off';
  return new S3Client({
    ...awsClientConfig({
      region: options.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
      maxAttempts: 4,
      requestTimeoutMs: options.requestTimeoutMs ?? S3_ANSWER_MS,
    }),
    endpoint: options.endpoint || undefined,
    forcePathStyle: options.forcePathStyle,
    requestChecksumCalculation: off ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
    responseChecksumValidation: off ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
  });
}

export class S3Store implements BackupStore {
  readonly root: string;
  readonly client: S3Client;

  constructor(private readonly options: S3Options) {
    this.root = `s3://${options.bucket}${options.prefix ? `/${options.prefix}` : ''}`;
    this.client = options.client ?? s3Client(options);
  }

  private key(key: string): string {
    return this.options.prefix ? `${this.options.prefix}/${key}` : key;
  }

  get partSizeBytes(): number {
    return this.options.partSizeBytes;
  }

  /**
   * Grows the part size (never shrinks it) so that an object of up to `expectedBytes` fits in
   * S3's 10,000 parts with room to spare. Returns the part size in bytes.
   */
  fitPartSize(expectedBytes: number): number {
    const needed = Math.ceil((expectedBytes * 1.25) / 9_000 / MiB) * MiB;
    if (needed > this.options.partSizeBytes) this.options.partSizeBytes = Math.min(needed, 5 * 1024 * MiB);
    return this.options.partSizeBytes;
  }

  /** Parts uploaded in parallel: the one given, or as many as the upload buffer budget allows. */
  get queueSize(): number {
    return this.options.queueSize ?? Math.max(1, Math.floor(UPLOAD_BUFFER_BYTES / this.options.partSizeBytes));
  }

  uri(key: string): string {
    return `s3://${this.options.bucket}/${this.key(key)}`;
  }

  /** The parameters every object we write carries: encryption at rest, storage class, checksum. */
  private objectParams(key: string, options: PutOptions): PutObjectCommandInput {
    const o = this.options;
    const params: PutObjectCommandInput = { Bucket: o.bucket, Key: this.key(key), ContentType: options.contentType ?? 'application/octet-stream' };
    if (o.sse) params.ServerSideEncryption = o.sse as ServerSideEncryption;
    if (o.sse === 'aws:kms' && o.kmsKeyId) params.SSEKMSKeyId = o.kmsKeyId;
    if (o.storageClass) params.StorageClass = o.storageClass as StorageClass;
    if (o.checksum && o.checksum !== 'auto' && o.checksum !== 'off') params.ChecksumAlgorithm = o.checksum as ChecksumAlgorithm;
    if (options.metadata) params.Metadata = options.metadata;
    return params;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<void> {
    await uploadInParts(body, {
      client: this.client,
      params: this.objectParams(key, options),
      partSize: this.options.partSizeBytes,
      queueSize: this.queueSize,
      answerMs: this.options.requestTimeoutMs ?? S3_ANSWER_MS,
      signal: options.signal,
      onProgress: options.onProgress,
      uri: this.uri(key),
    });
  }

  async putSmall(key: string, body: string, options: PutOptions = {}): Promise<void> {
    await this.client.send(new PutObjectCommand({ ...this.objectParams(key, { contentType: 'application/json', ...options }), Body: body }), {
      abortSignal: options.signal,
    });
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }), { abortSignal: options.signal });
    const body = out.Body;
    if (!body) throw new Error(`${this.uri(key)} has no body`);
    return body instanceof Readable ? body : Readable.fromWeb(body as never);
  }

  async getText(key: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(key) }), { abortSignal: options.signal });
    return (await out.Body?.transformToString('utf8')) ?? '';
  }

  /**
   * ListObjectsV2, paged with StartAfter (the last key seen; equivalent without a delimiter).
   * Some S3-compatible stores fail V2 pagination (s3rver mints its continuation tokens with DES,
   * which OpenSSL 3 no longer has, and answers InternalError): then the classic ListObjects with
   * a marker is used, which every store supports.
   */
  async *list(prefix: string, options: { signal?: AbortSignal } = {}): AsyncIterable<StoredObject> {
    let after: string | undefined;
    const strip = this.options.prefix ? this.options.prefix.length + 1 : 0;
    for (;;) {
      const page = await this.listPage(this.key(prefix), after, options.signal);
      for (const o of page.contents) {
        if (!o.Key) continue;
        yield { key: o.Key.slice(strip), size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      }
      const last = page.contents.at(-1)?.Key;
      if (!page.truncated || !last || last === after) break;
      after = last;
    }
  }

  private useV1 = false;

  private async listPage(prefix: string, after: string | undefined, signal?: AbortSignal): Promise<{ contents: _Object[]; truncated: boolean }> {
    if (!this.useV1) {
      try {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, StartAfter: after }), { abortSignal: signal });
        return { contents: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
      } catch (error) {
        if (!/InternalError|NotImplemented/.test(`${(error as Error)?.name} ${errorMessage(error)}`)) throw error;
        log.debug(`ListObjectsV2 failed on this store (${errorMessage(error)}); listing with ListObjects instead.`);
        this.useV1 = true;
      }
    }
    const page = await this.client.send(new ListObjectsCommand({ Bucket: this.options.bucket, Prefix: prefix, Marker: after }), { abortSignal: signal });
    return { contents: page.Contents ?? [], truncated: Boolean(page.IsTruncated) };
  }

  async delete(keys: string[], options: { signal?: AbortSignal } = {}): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.options.bucket,
          Delete: { Objects: batch.map((k) => ({ Key: this.key(k) })), Quiet: true },
        }),
        { abortSignal: options.signal },
      );
      const errors = out.Errors ?? [];
      if (errors.length) {
        throw new Error(`Could not delete ${errors.length} object(s), e.g. ${errors[0]!.Key}: ${errors[0]!.Code} ${errors[0]!.Message ?? ''}`.trim());
      }
      deleted += batch.length;
    }
    return deleted;
  }
}
