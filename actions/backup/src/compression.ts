/**
 * Compression outside pg_dump: `pg_dump -Fc -Z0` is streamed through zstd (or gzip) here, on
 * another core, instead of through pg_dump's own single-threaded zlib, which was the ceiling.
 * Objects written before this (no `compression` in their manifest) are compressed inside the
 * archive, which pg_restore reads as it is.
 */
import type { Transform } from 'node:stream';
import zlib from 'node:zlib';

export const COMPRESSIONS = ['zstd', 'gzip', 'none'] as const;
export type CompressionType = (typeof COMPRESSIONS)[number];
export type Compression = { type: 'zstd' | 'gzip'; level: number } | { type: 'none' };

/**
 * Levels we accept and use by default. zstd stops at 19: 20–22 need "ultra" windows of up to
 * 128 MiB, which would break the memory bound. zstd's default is 1: on two cores shared with
 * pg_dump, pg_restore's check and age, level 3 measured slower on both benchmark databases (1 GB
 * pgbench: 102 s vs 76 s, and larger; mixed: 99 s vs 89 s for 4 % smaller).
 */
export const LEVELS = {
  zstd: { min: 1, max: 19, default: 1 },
  gzip: { min: 1, max: 9, default: 6 },
} as const;

/** The archive key's suffix, so a file taken by hand says how to read it: `.dump.zst.age`. */
export const SUFFIX: Record<CompressionType, string> = { zstd: '.zst', gzip: '.gz', none: '' };

const PIECE = 256 * 1024;

export function describeCompression(c: Compression | undefined): string {
  if (!c) return 'inside the archive (pg_dump)';
  return c.type === 'none' ? 'none' : `${c.type} level ${c.level}`;
}

// zstd arrived in Node 22.15 / 23.8; the runner's node24 has it. Named here so an older Node fails clearly.
type ZstdZlib = {
  createZstdCompress(o: { chunkSize: number; params: Record<number, number> }): Transform;
  createZstdDecompress(o: { chunkSize: number }): Transform;
  constants: Record<string, number>;
};
function zstd(): ZstdZlib {
  const z = zlib as unknown as Partial<ZstdZlib>;
  if (typeof z.createZstdCompress !== 'function') throw new Error(`zstd needs Node.js 22.15 or newer (this is ${process.version}); the runner's node24 has it`);
  return z as ZstdZlib;
}

/**
 * The compressing stream, or undefined for `none`. Its output in 256 KiB pieces, not zlib's 16 KiB:
 * each piece costs a callback here and a pass through age, SHA-256 and the store; at 16 KiB Node's
 * zstd took 1.4–1.9× the main-thread CPU for the same bytes (256 MiB of md5 text, same run).
 */
export function compressor(c: Compression): Transform | undefined {
  if (c.type === 'none') return undefined;
  if (c.type === 'gzip') return zlib.createGzip({ level: c.level, chunkSize: PIECE });
  const z = zstd();
  // The frame checksum lets `zstd -d` (and our decompressor) detect damage on its own.
  return z.createZstdCompress({ chunkSize: PIECE, params: { [z.constants.ZSTD_c_compressionLevel!]: c.level, [z.constants.ZSTD_c_checksumFlag!]: 1 } });
}

/**
 * The decompressing stream for a manifest's compression, or undefined when pg_restore reads it as
 * is. 256 KiB pieces instead of zlib's 16 KiB: a restore writes every piece into pg_restore's
 * stdin, and at 16 KiB the writes alone took 2.5× as long as decompressing (measured at 1 GiB).
 */
export function decompressor(c: Compression | undefined): Transform | undefined {
  if (!c || c.type === 'none') return undefined;
  if (c.type === 'gzip') return zlib.createGunzip({ chunkSize: PIECE });
  return zstd().createZstdDecompress({ chunkSize: PIECE });
}
