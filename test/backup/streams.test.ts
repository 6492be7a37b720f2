/** VerifiedRelease: the tail stays back until the whole object matches its checksum. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerifiedRelease } from '../../actions/backup/src/streams.js';

const data = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7) % 251));
const expected = { sha256: createHash('sha256').update(data).digest('hex'), sizeBytes: data.length };

async function feed(release: VerifiedRelease, chunkSize: number): Promise<{ beforeEnd: number; total: number; error?: Error }> {
  let total = 0;
  release.on('data', (c: Buffer) => (total += c.length));
  for (let at = 0; at < data.length; at += chunkSize) {
    release.write(data.subarray(at, at + chunkSize));
    await new Promise((r) => setImmediate(r));
  }
  const beforeEnd = total;
  const error = await new Promise<Error | undefined>((resolve) => {
    release.on('error', resolve);
    release.on('end', () => resolve(undefined));
    release.end();
  });
  return { beforeEnd, total, error };
}

describe('VerifiedRelease', () => {
  for (const chunkSize of [1000, 4096, 65536, 100_000]) {
    it(`holds back at least 64 KiB until the checksum matches (chunks of ${chunkSize} bytes)`, async () => {
      const ok = await feed(new VerifiedRelease(expected, 'x'), chunkSize);
      expect(ok.error).toBeUndefined();
      expect(ok.beforeEnd).toBeLessThanOrEqual(data.length - 64 * 1024);
      expect(ok.total).toBe(data.length);

      const bad = await feed(new VerifiedRelease({ ...expected, sha256: '0'.repeat(64) }, 'x'), chunkSize);
      expect(bad.error?.message).toMatch(/SHA-256/);
      expect(bad.total).toBeLessThanOrEqual(data.length - 64 * 1024);
    });
  }
});
