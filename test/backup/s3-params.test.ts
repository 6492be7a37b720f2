/**
 * Pins the exact S3 requests (aws-sdk-client-mock): SSE, KMS key, storage class, checksums, and
 * how an upload in parts uses its buffers: bounded, reused only once S3 has the part, bytes intact.
 */
import { CreateMultipartUploadCommand, PutObjectCommand, S3Client, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { S3Store, s3Client } from '../../shared/storage/s3.js';
import { MiB } from '../../shared/storage/types.js';

const base = { bucket: 'bk', prefix: 'p/q', partSizeBytes: 5 * MiB, queueSize: 2 };

describe('S3 parameters', () => {
  it('a small object (one PutObject) carries SSE-KMS, the key id, storage class and checksum algorithm', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({});
    const store = new S3Store({ ...base, client, sse: 'aws:kms', kmsKeyId: 'alias/backups', storageClass: 'STANDARD_IA', checksum: 'SHA256' });
    await store.put('n/x.dump', Readable.from([Buffer.from('hello')]));
    const input = mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Bucket: 'bk', Key: 'p/q/n/x.dump', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/backups', StorageClass: 'STANDARD_IA', ChecksumAlgorithm: 'SHA256' });
  });

  it('multipart: CreateMultipartUpload carries AES256 and the class; parts carry the checksum algorithm', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    mock.on(UploadPartCommand).resolves({ ETag: '"e"' });
    mock.on(CompleteMultipartUploadCommand).resolves({});
    const store = new S3Store({ ...base, client, sse: 'AES256', storageClass: 'GLACIER_IR', checksum: 'CRC32C' });
    const chunk = Buffer.alloc(MiB, 1);
    await store.put('n/big.dump', Readable.from(Array.from({ length: 11 }, () => chunk)));
    const create = mock.commandCalls(CreateMultipartUploadCommand)[0]!.args[0].input;
    expect(create).toMatchObject({ Key: 'p/q/n/big.dump', ServerSideEncryption: 'AES256', StorageClass: 'GLACIER_IR', ChecksumAlgorithm: 'CRC32C' });
    expect(create).not.toHaveProperty('SSEKMSKeyId');
    const parts = mock.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts).toHaveLength(3);
    for (const p of parts) expect(p).toMatchObject({ UploadId: 'u1', ChecksumAlgorithm: 'CRC32C' });
    expect(mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('a failing body aborts the multipart upload', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u2' });
    mock.on(UploadPartCommand).resolves({ ETag: '"e"' });
    mock.on(AbortMultipartUploadCommand).resolves({});
    const store = new S3Store({ ...base, client });
    const body = new Readable({ read() {} });
    body.push(Buffer.alloc(6 * MiB));
    setTimeout(() => body.destroy(new Error('pg_dump exited with code 1')), 50);
    await expect(store.put('n/f.dump', body)).rejects.toThrow('pg_dump exited with code 1');
    expect(mock.commandCalls(AbortMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ Bucket: 'bk', Key: 'p/q/n/f.dump', UploadId: 'u2' });
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it("s3-checksum: off switches the SDK's flexible checksums to WHEN_REQUIRED; auto keeps WHEN_SUPPORTED", async () => {
    const off = s3Client({ checksum: 'off' });
    expect(await off.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await off.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    const auto = s3Client({ checksum: 'auto', endpoint: 'http://127.0.0.1:9', forcePathStyle: true });
    expect(await auto.config.requestChecksumCalculation()).toBe('WHEN_SUPPORTED');
    expect(auto.config.forcePathStyle).toBe(true);
  });

  it('part sizing: a large database grows the parts to fit 10,000 and fewer go in parallel', () => {
    const auto = new S3Store({ bucket: 'bk', prefix: '', partSizeBytes: 5 * MiB });
    expect([auto.fitPartSize(10 * 1024 * MiB), auto.queueSize]).toEqual([5 * MiB, 2]); // 10 GiB: defaults hold
    expect([auto.fitPartSize(100 * 1024 * MiB), auto.queueSize]).toEqual([15 * MiB, 1]); // 100 GiB: bigger parts, one at a time
    const given = new S3Store({ bucket: 'bk', prefix: '', partSizeBytes: 5 * MiB, queueSize: 6 });
    given.fitPartSize(200 * 1024 * MiB);
    expect(given.queueSize).toBe(6); // the user's choice stands
  });

  it('parts: never more than queueSize in flight, bytes intact though the buffers are reused, completed in order with their checksums', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u3' });
    let inFlight = 0;
    let maxInFlight = 0;
    const received = new Map<number, Buffer>();
    mock.on(UploadPartCommand).callsFake(async (input: { PartNumber: number; Body: Buffer }) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const copy = Buffer.from(input.Body);
      // Answer out of order; the buffer must still hold this part's bytes when S3 answers.
      await new Promise((r) => setTimeout(r, input.PartNumber % 2 ? 30 : 5));
      expect(Buffer.compare(input.Body, copy)).toBe(0);
      received.set(input.PartNumber, copy);
      inFlight--;
      return { ETag: `"e${input.PartNumber}"`, ChecksumCRC32: `c${input.PartNumber}` };
    });
    mock.on(CompleteMultipartUploadCommand).resolves({});
    const body = Buffer.alloc(23 * MiB + 12_344);
    for (let i = 0; i < body.length; i += 4) body.writeUInt32LE(i, i);
    // Odd chunk sizes, so that parts fill across chunk boundaries.
    const chunks = [];
    for (let i = 0, size = 100_000; i < body.length; i += size, size = (size * 7) % 3_000_000 || 1) chunks.push(body.subarray(i, i + size));
    const progress: number[] = [];
    const store = new S3Store({ ...base, client });
    await store.put('n/pool.dump', Readable.from(chunks), { onProgress: (b) => progress.push(b) });
    expect(maxInFlight).toBe(2);
    expect([...received.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(Buffer.compare(Buffer.concat([1, 2, 3, 4, 5].map((n) => received.get(n)!)), body)).toBe(0);
    const complete = mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input;
    expect(complete.MultipartUpload!.Parts!.map((p) => [p.PartNumber, p.ETag, p.ChecksumCRC32])).toEqual([1, 2, 3, 4, 5].map((n) => [n, `"e${n}"`, `c${n}`]));
    expect(progress.at(-1)).toBe(body.length);
  });

  it('a body of exactly one part is one PutObject; an empty one too', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({});
    const store = new S3Store({ ...base, client });
    await store.put('n/one.dump', Readable.from([Buffer.alloc(3 * MiB, 7), Buffer.alloc(2 * MiB, 7)]));
    await store.put('n/empty.dump', Readable.from([]));
    expect(mock.commandCalls(PutObjectCommand).map((c) => (c.args[0].input.Body as Buffer).length)).toEqual([5 * MiB, 0]);
    expect(mock.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('a request carrying bytes is bounded by its size: a part and a one-part PutObject alike get 60 s plus 4 s per MiB', async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(PutObjectCommand).resolves({});
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u5' });
    mock.on(UploadPartCommand).resolves({ ETag: '"e"' });
    mock.on(CompleteMultipartUploadCommand).resolves({});
    const store = new S3Store({ ...base, partSizeBytes: 20 * MiB, client });
    await store.put('n/one.dump', Readable.from([Buffer.alloc(20 * MiB, 7)]));
    await store.put('n/two.dump', Readable.from([Buffer.alloc(20 * MiB, 7), Buffer.alloc(MiB, 7)]));
    const bound = (call: { args: unknown[] }) => (call.args[1] as { requestTimeout?: number } | undefined)?.requestTimeout;
    expect(mock.commandCalls(PutObjectCommand).map(bound)).toEqual([60_000 + 20 * 4_000]);
    expect(mock.commandCalls(UploadPartCommand).map(bound)).toEqual([60_000 + 20 * 4_000, 60_000 + 4_000]);
  });

  it("a part S3 refuses fails the upload with S3's error, stops reading the body and aborts the upload", async () => {
    const client = new S3Client({ region: 'eu-central-1' });
    const mock = mockClient(client);
    mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u4' });
    mock.on(UploadPartCommand).callsFake(async (input: { PartNumber: number }) => {
      if (input.PartNumber === 2) throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError' });
      return new Promise((r) => setTimeout(() => r({ ETag: '"e"' }), 20));
    });
    mock.on(AbortMultipartUploadCommand).resolves({});
    let read = 0;
    const body = new Readable({
      read() {
        read++;
        this.push(Buffer.alloc(MiB)); // endless: only the failure can end it
      },
    });
    const store = new S3Store({ ...base, client });
    await expect(store.put('n/refused.dump', body)).rejects.toThrow('We encountered an internal error');
    expect(body.destroyed).toBe(true);
    expect(read).toBeLessThan(40);
    expect(mock.commandCalls(AbortMultipartUploadCommand)[0]!.args[0].input).toMatchObject({ Key: 'p/q/n/refused.dump', UploadId: 'u4' });
    expect(mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });
});
