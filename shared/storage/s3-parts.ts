/**
 * A streaming S3 upload in parts, from a fixed pool of part buffers: the part being filled and
 * the parts in flight, each reused once S3 has it. A body that fits in one part is a single
 * PutObject.
 *
 * Why not lib-storage's Upload: it joins every part from the stream's chunks (a fresh 5 MiB
 * buffer per part) and keeps the remainder as a view that holds the whole join alive, so an
 * upload held up to four parts plus the joins' garbage. That took a backup to S3 past its 128 MiB
 * bound, and the joins cost more main-thread time than the encryption.
 *
 * Parts are Buffers, so the SDK can retry each one (its maxAttempts) and checksum it.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { errorMessage } from '../core/errors.js';
import { log } from '../core/log.js';
import { retry } from '../core/net.js';
import { MiB } from './types.js';

/** S3's limit on the parts of one upload. */
const MAX_PARTS = 10_000;
/** The slowest upload a part is given time for. */
const MIN_BYTES_PER_SECOND = 256 * 1024;

export interface PartsUpload {
  client: S3Client;
  /** Bucket, Key and what the object carries (encryption at rest, class, checksum, metadata). */
  params: PutObjectCommandInput;
  partSize: number;
  /** Parts uploaded at once. */
  queueSize: number;
  /** How long S3 may take to start answering a request; a part gets this plus its bytes at 256 KiB/s. */
  answerMs: number;
  /** Cancels the upload (parts in flight are aborted, the multipart upload with them). */
  signal?: AbortSignal;
  /** Bytes S3 has so far, after each part. */
  onProgress?: (bytes: number) => void;
  /** For messages: where the object goes. */
  uri: string;
}

/**
 * Uploads `body`; on any failure (the body's, S3's, or a cancel) aborts what is in flight and
 * the multipart upload, so no parts remain, and throws the cause: S3's error when S3 failed, the
 * body's when the body failed.
 */
export async function uploadInParts(body: Readable, o: PartsUpload): Promise<void> {
  const { Bucket, Key, ChecksumAlgorithm } = o.params;
  const controller = new AbortController();
  const cancel = () => {
    controller.abort(o.signal?.reason);
    body.destroy(); // stop reading now, not at the next part
  };
  o.signal?.addEventListener('abort', cancel, { once: true });
  const abortSignal = controller.signal;

  const free: Buffer[] = [];
  const inFlight = new Set<Promise<void>>();
  const parts: CompletedPart[] = [];
  let uploadId: Promise<string> | undefined;
  let storeFailure: unknown;
  let sent = 0;
  let partNumber = 0;

  const createUpload = async (): Promise<string> => {
    const params = { ...o.params, Body: undefined };
    // With the SDK's flexible checksums on, S3 needs the algorithm declared up front.
    if ((await o.client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED') params.ChecksumAlgorithm ??= 'CRC32';
    const out = await o.client.send(new CreateMultipartUploadCommand(params), { abortSignal });
    if (!out.UploadId) throw new Error(`S3 started no multipart upload for ${o.uri} (no UploadId in its answer)`);
    return out.UploadId;
  };

  /** A request carrying `bytes` may take the time to start answering plus its bytes at the slowest rate allowed. */
  const boundFor = (bytes: number) => o.answerMs + Math.ceil((bytes / MIN_BYTES_PER_SECOND) * 1000);

  const sendPart = (part: Buffer, length: number) => {
    const PartNumber = ++partNumber;
    if (PartNumber > MAX_PARTS) {
      throw new Error(`${o.uri} needs more than ${MAX_PARTS} parts of ${o.partSize / MiB} MiB: set s3-part-size-mb higher.`);
    }
    const task: Promise<void> = (async () => {
      const UploadId = await (uploadId ??= createUpload());
      const requestTimeout = boundFor(length);
      const out = await o.client
        .send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, ChecksumAlgorithm, Body: part.subarray(0, length) }), { abortSignal, requestTimeout })
        .catch((error: unknown) => {
          throw timedOut(error, `part ${PartNumber} of ${o.uri}`, requestTimeout);
        });
      if (!out.ETag) throw new Error(`S3 answered part ${PartNumber} of ${o.uri} without an ETag`);
      const { ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumSHA1, ChecksumSHA256, ChecksumCRC64NVME } = out;
      parts.push({ PartNumber, ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumSHA1, ChecksumSHA256, ChecksumCRC64NVME });
      sent += length;
      o.onProgress?.(sent);
    })().then(
      () => void free.push(part),
      (error: unknown) => {
        // The first real failure is the cause; the aborts it sets off in other parts are not.
        if (!abortSignal.aborted) {
          storeFailure = error;
          controller.abort(error);
          body.destroy(); // stop reading now: nothing more can be stored
        }
      },
    );
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
  };

  /** Waits until fewer than queueSize parts are in flight. */
  const waitForSlot = async () => {
    while (inFlight.size >= o.queueSize) await Promise.race(inFlight);
    if (abortSignal.aborted) throw abortSignal.reason;
  };
  // A free buffer, else a new one: never more than queueSize in flight plus the one being filled.
  const takeBuffer = () => free.pop() ?? Buffer.allocUnsafe(o.partSize);

  try {
    let part = takeBuffer();
    let filled = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let offset = 0; offset < bytes.length; ) {
        // A full part goes only once more bytes come, so that a body of exactly one part is one PutObject.
        if (filled === o.partSize) {
          await waitForSlot();
          sendPart(part, filled);
          part = takeBuffer();
          filled = 0;
        }
        const n = Math.min(bytes.length - offset, o.partSize - filled);
        part.set(bytes.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
      }
    }
    if (abortSignal.aborted) throw abortSignal.reason;
    if (!partNumber) {
      // As large as a part (s3-part-size-mb goes to 5 GiB), so bounded as one.
      const requestTimeout = boundFor(filled);
      await o.client.send(new PutObjectCommand({ ...o.params, Body: part.subarray(0, filled) }), { abortSignal, requestTimeout }).catch((error: unknown) => {
        throw timedOut(error, o.uri, requestTimeout);
      });
      o.onProgress?.(filled);
      return;
    }
    await waitForSlot();
    sendPart(part, filled);
    await Promise.all(inFlight);
    if (abortSignal.aborted) throw abortSignal.reason;
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    await o.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: await uploadId!, MultipartUpload: { Parts: parts } }), { abortSignal });
  } catch (error) {
    controller.abort(error);
    body.destroy();
    await Promise.allSettled(inFlight); // no part may land after the abort
    await abortUpload(o, await uploadId?.catch(() => undefined));
    throw timedOut(storeFailure ?? error, o.uri, o.answerMs);
  } finally {
    o.signal?.removeEventListener('abort', cancel);
  }
}

/** Aborts a multipart upload so that no parts remain (billed, invisible); warns when it cannot. */
async function abortUpload(o: PartsUpload, uploadId: string | undefined): Promise<void> {
  if (!uploadId) return;
  try {
    await retry(() => o.client.send(new AbortMultipartUploadCommand({ Bucket: o.params.Bucket, Key: o.params.Key, UploadId: uploadId })), { attempts: 3, baseDelayMs: 200 });
  } catch (error) {
    log.warning(
      `Could not abort the multipart upload of ${o.uri} (${errorMessage(error)}): no object was created, but its parts may remain until a lifecycle rule (AbortIncompleteMultipartUpload) removes them.`,
    );
  }
}

/** The SDK's "exceeded the configured requestTimeout" as a user reads it; any other error as it is. */
function timedOut(error: unknown, what: string, ms: number): unknown {
  if ((error as Error)?.name !== 'TimeoutError') return error;
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  return new Error(
    `S3 did not answer for ${what} within ${ms / 1000} s${attempts ? ` (${attempts} attempts)` : ''}: check s3-endpoint and that this runner can reach the store.`,
    { cause: error },
  );
}
