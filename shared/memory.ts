/**
 * Keeps a long byte stream's memory flat.
 *
 * A Buffer's bytes live outside V8's heap. V8 frees dead ones only when it collects garbage,
 * and a stream that moves tens of MiB/s while allocating little JavaScript rarely triggers a
 * collection: dead chunks pile up until V8's external-memory limit (64 MiB over the last full
 * collection) forces one. That float, not live data, is most of a backup's peak memory.
 *
 * So the streams that see every byte call `paceGarbageCollection`, and a young-generation
 * collection (well under a millisecond: most chunks die young) runs every few MiB, a full one
 * every so often for the chunks that lived longer (S3 parts in flight). The runner gives no way
 * to pass `--expose-gc`; V8 accepts it at run time and hands the function to a new context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' }) => void;

const MINOR_EVERY = 4 * 2 ** 20;
const MAJOR_EVERY = 32 * 2 ** 20;

let collect: Collect | null | undefined;
let sinceMinor = 0;
let sinceMajor = 0;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    } catch {
      collect = null; // memory then floats as it would anyway
    }
  }
  return collect;
}

/**
 * Counts bytes that passed through a stream; collects garbage when enough did. `young` bytes
 * (chunks that die as soon as the next stage took them, e.g. a pipe into a child) count towards
 * young-generation collections only: a full collection stalls the stream for tens of ms, and
 * at 1 GiB every 32 MiB that cost a restore ~1.4 s in which pg_restore's pipe ran dry.
 */
export function paceGarbageCollection(bytes: number, young = false): void {
  sinceMinor += bytes;
  if (!young) sinceMajor += bytes;
  if (sinceMinor < MINOR_EVERY) return;
  sinceMinor = 0;
  const major = sinceMajor >= MAJOR_EVERY;
  if (major) sinceMajor = 0;
  collector()?.({ type: major ? 'major' : 'minor', execution: 'sync' });
}

/**
 * For an action that runs long and mostly waits (canary-shift: an hour of probes and one
 * judgement per interval). V8 sizes its heap for throughput: under a steady allocation rate it
 * grew the young generation to its maximum and kept ~150 MB of heap for ~20 MB live. Keep the
 * young generation at its initial size and the heap small, and leave the hot code to the
 * interpreter and baseline compiler: the optimizing compilers' code and zones cost ~20 MB.
 * WebAssembly too: fetch parses HTTP with llhttp (wasm), and after a few dozen requests V8
 * recompiles its hot functions with TurboFan on a worker thread, whose malloc arena then keeps
 * ~10 MiB for the rest of the run. Liftoff's code parses a probe's response as well. The three
 * wasm flags only take effect together when set at run time (one implies the others at start-up).
 * V8 reads these at run time, before the first fetch (scripts/bench-canary.ts measures the effect).
 */
export function preferSmallHeap(): void {
  const flags = ['--semi-space-growth-factor=1', '--optimize-for-size', '--no-opt', '--no-maglev', '--no-wasm-dynamic-tiering', '--no-wasm-tier-up', '--liftoff-only'];
  for (const flag of flags) setFlagsFromString(flag);
}
