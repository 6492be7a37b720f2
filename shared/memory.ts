/**
 * Keeps a long byte stream's memory flat.
 *
 * A Buffer's bytes live outside V8's heap. V8 frees dead ones only when it collects garbage,
 * and a stream that moves tens of MiB/s while allocating little JavaScript rarely triggers a
 * collection: dead chunks pile up until V8's external-memory limit forces one. That float, not
 * live data, is most of a backup's peak memory.
 *
 * So the streams that see every byte call `paceGarbageCollection`, which looks at the memory
 * held by buffers every 2 MiB and collects only when it floats more than 24 MiB above what was
 * live after the last full collection: first the young generation (most chunks die young), then,
 * if that was not enough, everything. Collecting on a fixed schedule instead (young every 4 MiB,
 * all every 32 MiB) kept V8 itself marking the old generation on its worker threads: ~180 full
 * collections in a 12 s backup of the md5 pgbench database against ~30, and 14.4–14.9 s against
 * 10.5–13.4 s (three alternating runs each), for the same peak. Below a 24 MiB margin the
 * collections came back (20 MiB: +3 CPU-s per GiB); above it, the peak grew.
 * The runner gives no way to pass `--expose-gc`; V8 accepts it at run time and hands the
 * function to a new context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' }) => void;

const CHECK_EVERY = 2 * 2 ** 20;
const FLOAT_MARGIN = 24 * 2 ** 20;

let collect: Collect | null | undefined;
let sinceCheck = 0;
/** Buffer memory live after the last full collection. */
let liveAfterMajor = 0;
let youngTried = false;

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

/** Counts bytes that passed through a stream; collects garbage when buffer memory floats too high. */
export function paceGarbageCollection(bytes: number): void {
  sinceCheck += bytes;
  if (sinceCheck < CHECK_EVERY) return;
  sinceCheck = 0;
  const gc = collector();
  if (!gc) return;
  if (process.memoryUsage().arrayBuffers < liveAfterMajor + FLOAT_MARGIN) {
    youngTried = false;
    return;
  }
  // A young collection's freed buffers are counted out a little later: judge it at the next check.
  if (!youngTried) {
    gc({ type: 'minor', execution: 'sync' });
    youngTried = true;
    return;
  }
  gc({ type: 'major', execution: 'sync' });
  youngTried = false;
  liveAfterMajor = process.memoryUsage().arrayBuffers;
}

/**
 * For a restore, which pg_restore and the server pace. V8 sizes the old generation's headroom
 * by how fast JavaScript fills it; a restore barely does (its bytes are buffers), so the
 * growing factor sat at 1.1 and a ~10 MB heap got ~10 MB of headroom, which the stream kept
 * reaching: V8 started a full marking (on its worker threads, then a pause) every ~100 ms —
 * ~120 times in a 14 s restore of the md5 pgbench database, 3 of node's 8 CPU-seconds. Let the
 * heap grow 4× before V8 starts one, and the young collections of paceGarbageCollection free
 * the buffers first: 2 full collections, same wall time, up to ~20 MiB more peak. Not for a
 * backup yet: it storms too on the mixed database, but with this set one md5 backup of four
 * stormed later on the bigger heap and peaked at 139 MiB, past the 128 MiB bound
 * (actions/backup/README.md, Benchmark).
 */
export function leaveBuffersToPacing(): void {
  setFlagsFromString('--heap-growing-percent=300');
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
