/** Small stream pieces for the backup pipeline: hashing, tee into a child, holding back the end. */
import { createHash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import { paceGarbageCollection } from '../../../shared/memory.js';
import type { RunningChild } from '../../../shared/postgres/dump.js';

/** Counts what passes through. Every byte of a backup passes one of these: the place to pace garbage collection too. */
export class Counter extends Transform {
  bytes = 0;

  constructor() {
    super({ highWaterMark: 256 * 1024 });
    quiet(this);
  }

  protected count(chunk: Buffer): void {
    this.bytes += chunk.length;
    paceGarbageCollection(chunk.length);
  }

  override _transform(chunk: Buffer, _: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.count(chunk);
    callback(null, chunk);
  }
}

/** Counts and SHA-256-hashes what passes through. */
export class Hasher extends Counter {
  private readonly hash = createHash('sha256');
  digest?: string;

  protected hashChunk(chunk: Buffer): void {
    this.hash.update(chunk);
    this.count(chunk);
  }

  protected finishDigest(): string {
    this.digest = this.hash.digest('hex');
    return this.digest;
  }

  override _transform(chunk: Buffer, _: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.hashChunk(chunk);
    callback(null, chunk);
  }

  override _flush(callback: (error?: Error | null) => void): void {
    this.finishDigest();
    callback();
  }
}

/**
 * Passes data through and also writes it into a child's stdin (honouring its backpressure). The
 * stream ends only after the child has exited 0, so whatever consumes it completes only when the
 * child (e.g. `pg_restore -f /dev/null`) accepted all of it. A child that exits 0 having read what
 * it needs is not an error (piping into its stdin directly raced it: "Premature close"), and
 * what follows still flows on, so a hash upstream sees every byte.
 */
export class TeeToChild extends Transform {
  private exitedOk = false;

  constructor(
    private readonly stdin: Writable,
    private readonly child: RunningChild,
  ) {
    super({ highWaterMark: 256 * 1024 });
    quiet(this);
    child.exited.then(
      () => (this.exitedOk = true),
      (error: Error) => this.destroy(error),
    );
  }

  override _transform(chunk: Buffer, _: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    if (this.exitedOk || this.stdin.destroyed || this.stdin.writableEnded) return callback(null, chunk);
    if (this.stdin.write(chunk)) return callback(null, chunk);
    const onDrain = () => {
      this.stdin.off('close', onDrain);
      this.stdin.off('drain', onDrain);
      callback(null, chunk);
    };
    this.stdin.once('drain', onDrain);
    this.stdin.once('close', onDrain);
  }

  override _flush(callback: (error?: Error | null) => void): void {
    this.stdin.end();
    this.child.exited.then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.child.kill();
    callback(error);
  }
}

/**
 * Hashes what passes through and holds back the last 64 KiB until the end: only when the whole
 * stream's SHA-256 and size match the expected ones is the tail released. A consumer (such as
 * `pg_restore --single-transaction`) therefore never sees a complete archive that is not the one
 * that was backed up. A tail, not just the last chunk: a last chunk of a few bytes could be only a
 * zstd or gzip trailer, after which the decompressor would already have let the whole archive out.
 */
export class VerifiedRelease extends Hasher {
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(
    private readonly expected: { sha256: string; sizeBytes: number },
    private readonly describe: string,
    private readonly holdBack = 64 * 1024,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.hashChunk(chunk);
    if (this.bytes > this.expected.sizeBytes) return callback(new IntegrityError(`${this.describe} is larger than the ${this.expected.sizeBytes} bytes recorded when it was backed up`));
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    // Release from the front while what stays behind still covers the tail.
    let released = 0;
    while (this.heldBytes - this.held[released]!.length >= this.holdBack) {
      this.heldBytes -= this.held[released]!.length;
      this.push(this.held[released++]);
    }
    if (released) this.held.splice(0, released);
    callback();
  }

  override _flush(callback: (error?: Error | null, data?: Buffer) => void): void {
    const problem = integrityProblem(this.describe, this.expected, { sha256: this.finishDigest(), sizeBytes: this.bytes });
    if (problem) return callback(new IntegrityError(problem));
    for (const chunk of this.held) this.push(chunk);
    this.held = [];
    callback();
  }
}

/** A sink for the end of a pipeline whose work is done upstream (hashing, a child reading a tee). */
export function discard(): Writable {
  return new Writable({ write: (_c, _e, callback) => callback() });
}

export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

export function integrityProblem(
  what: string,
  expected: { sha256: string; sizeBytes: number },
  actual: { sha256: string; sizeBytes: number },
): string | undefined {
  if (actual.sizeBytes !== expected.sizeBytes) {
    return `${what} is ${actual.sizeBytes} bytes but was ${expected.sizeBytes} bytes when backed up (${actual.sizeBytes < expected.sizeBytes ? 'truncated' : 'grown'}): refusing it`;
  }
  if (actual.sha256 !== expected.sha256) return `${what} does not match its SHA-256 checksum (expected ${expected.sha256}, got ${actual.sha256}): it was altered or corrupted; refusing it`;
  return undefined;
}

/**
 * Errors travel along our pipelines by explicit destroy() calls and surface where the pipeline is
 * awaited; a stream whose consumer has already given up (e.g. after a cancel) must not turn a
 * late 'error' event into an uncaught exception.
 */
export function quiet<S extends NodeJS.EventEmitter>(stream: S): S {
  stream.on('error', () => undefined);
  return stream;
}
