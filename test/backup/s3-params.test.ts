/** Pins the exact S3 request parameters (aws-sdk-client-mock): SSE, KMS key, storage class, checksums. */
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
});
