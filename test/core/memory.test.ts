import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { paceGarbageCollection } from '../../shared/memory.js';

const MiB = 2 ** 20;

/** The garbage collections we asked for (V8 marks them forced), as 'minor' / 'major'. */
async function forcedCollections(work: () => void): Promise<string[]> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  work();
  await new Promise((r) => setTimeout(r, 50)); // entries are delivered asynchronously
  observer.disconnect();
  return seen
    .map((e) => (e as PerformanceEntry & { detail: { kind: number; flags: number } }).detail)
    .filter((d) => d.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED)
    .map((d) => (d.kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : 'major'));
}

describe('paceGarbageCollection', () => {
  it('collects young garbage every 4 MiB streamed and all of it every 32 MiB', async () => {
    await forcedCollections(() => paceGarbageCollection(64 * MiB)); // start counting from zero
    expect(await forcedCollections(() => paceGarbageCollection(3 * MiB))).toEqual([]);
    expect(await forcedCollections(() => paceGarbageCollection(MiB))).toEqual(['minor']);
    const pattern = await forcedCollections(() => {
      for (let i = 0; i < 28; i++) paceGarbageCollection(MiB);
    });
    expect(pattern).toEqual(['minor', 'minor', 'minor', 'minor', 'minor', 'minor', 'major']);
  });

  it('young bytes (chunks that die as the next stage takes them) bring young collections only', async () => {
    await forcedCollections(() => paceGarbageCollection(64 * MiB)); // start counting from zero
    const pattern = await forcedCollections(() => {
      for (let i = 0; i < 64; i++) paceGarbageCollection(MiB, true);
    });
    expect(pattern).toEqual(Array(16).fill('minor'));
  });
});
