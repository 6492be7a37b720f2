/**
 * Keeps a long byte stream's memory flat.
 *
 * A Buffer's bytes live outside V8's heap. V8 frees dead ones only when it collects garbage,
 * and a stream that moves tens of MiB/s while allocating little JavaScript rarely triggers a
 * collection: dead chunks pile up until V8's external-memory limit forces one. That float, not
 * live data, is most of a backup's peak memory.
 *
 * So the streams that see every byte call `paceGarbageCollection`, which looks at the memory
 * held by buffers every 2 MiB and collects once it passes 24 MiB (or 12 MiB above what a full
 * collection left, when more than that is live, as with large S3 parts in flight): first the
 * young generation (most chunks die young), then, if that was not enough, everything.
 *
 * V8 then must not collect for the same buffers on its own. It counts external memory grown
 * since its last full collection as old-generation bytes, and sizes the old generation's headroom
 * by how fast JavaScript fills it: a stream barely does, so a ~12 MB heap got ~12 MB, and V8
 * started a full marking (on its worker threads, then a pause) whenever the buffers floated ~8 MB
 * — ~120 times in a 14 s restore of the md5 pgbench database, 60–80 in a 5 s backup of the mixed
 * one, a third of node's CPU. So pacing also lets the heap grow 4× before V8 marks on its own
 * (`--heap-growing-percent`, read at run time): 1–6 full collections per run instead, the mixed
 * backup 20 % faster, the same peak (actions/backup/README.md, Benchmark).
 * The runner gives no way to pass `--expose-gc`; V8 accepts it at run time and hands the
 * function to a new context.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major'; execution: 'sync' }) => void;

const CHECK_EVERY = 2 * 2 ** 20;
const CEILING = 24 * 2 ** 20;
const ABOVE_LIVE = 12 * 2 ** 20;

let collect: Collect | null | undefined;
let sinceCheck = 0;
/** Buffer memory at the lowest check since the last full collection: what is live, and what is in flight. */
let floor = 0;
let floorStale = false;
let youngTried = false;

function collector(): Collect | null {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
      setFlagsFromString('--heap-growing-percent=300');
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
  const held = process.memoryUsage().arrayBuffers;
  // V8's sweeper frees a collection's dead buffers after it, not during it: read just after a full
  // collection, the floor was once 24 MiB of garbage, and buffers then floated to 55–66 MiB (peaks
  // of 136–149 MiB). So the check after a full collection sets the floor; later ones lower it.
  floor = floorStale ? held : Math.min(floor, held);
  floorStale = false;
  if (held < Math.max(CEILING, floor + ABOVE_LIVE)) {
    youngTried = false;
    return;
  }
  // A young collection's freed buffers are counted out a little later too: judge it at the next check.
  if (!youngTried) {
    gc({ type: 'minor', execution: 'sync' });
    youngTried = true;
    return;
  }
  gc({ type: 'major', execution: 'sync' });
  youngTried = false;
  floorStale = true;
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
