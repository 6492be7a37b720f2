import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { NODE, ROOT } from '../harness/action.js';

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
  const every2MiB = (pace: (bytes: number) => void, times: number) => () => {
    for (let i = 0; i < times; i++) pace(2 * MiB);
  };
  const buffers = (mib: number) => Array.from({ length: mib }, () => Buffer.allocUnsafeSlow(MiB).fill(1));
  /** A fresh pacer that has seen what is live now (its first checks may collect once). */
  async function settledPacer(): Promise<(bytes: number) => void> {
    vi.resetModules();
    const { paceGarbageCollection: pace } = await import('../../shared/memory.js');
    await forcedCollections(every2MiB(pace, 4));
    expect(await forcedCollections(every2MiB(pace, 4))).toEqual([]);
    return pace;
  }

  it('leaves dead buffers alone while buffer memory stays under 24 MiB', async () => {
    const pace = await settledPacer();
    buffers(12);
    expect(await forcedCollections(every2MiB(pace, 32))).toEqual([]);
  });

  it('collects dead buffers past 24 MiB, and then stops', async () => {
    const pace = await settledPacer();
    buffers(40);
    const pattern = await forcedCollections(every2MiB(pace, 8));
    expect(pattern.length).toBeGreaterThan(0);
    expect(pattern.length).toBeLessThanOrEqual(2);
    expect(await forcedCollections(every2MiB(pace, 8))).toEqual([]);
  });

  it('with more than 12 MiB of buffers live, lets them float 12 MiB above it instead of collecting again and again', async () => {
    const pace = await settledPacer();
    const live = buffers(40);
    expect(await forcedCollections(every2MiB(pace, 8))).toContain('major');
    expect(await forcedCollections(every2MiB(pace, 32))).toEqual([]);
    expect(live.length).toBe(40);
  });

  // The floor a full collection leaves is read at the checks after it, and only ever lowered: V8's
  // sweeper frees dead buffers after the collection, and a floor read too early kept them as "live".
  it('lowers its bar again once the live set is gone, whoever collected it', async () => {
    const pace = await settledPacer();
    let live = buffers(40);
    expect(await forcedCollections(every2MiB(pace, 8))).toContain('major');
    live = [];
    (runInNewContext('gc') as () => void)(); // the pacer has exposed it; a collection it did not make
    await new Promise((r) => setTimeout(r, 50));
    expect(await forcedCollections(every2MiB(pace, 4))).toEqual([]);
    buffers(30);
    expect(await forcedCollections(every2MiB(pace, 8))).not.toEqual([]);
    expect(live).toEqual([]);
  });
});

/**
 * Resident kB in glibc malloc arenas of worker threads: each is a 64 MiB-aligned reservation
 * whose used part is an anonymous read-write mapping followed by an inaccessible rest.
 */
const WORKER_ARENAS = `
  const maps = require('node:fs').readFileSync('/proc/self/smaps', 'utf8').split(/\\n(?=[0-9a-f]+-[0-9a-f]+ )/);
  let kB = 0;
  maps.forEach((m, i) => {
    const [range, perms] = m.split(' ');
    const start = parseInt(range.split('-')[0], 16);
    const next = maps[i + 1]?.split('\\n')[0].trim().split(/\\s+/) ?? [];
    const rest = next.length === 5 && next[1] === '---p';
    if (perms === 'rw-p' && start % 2 ** 26 === 0 && rest) kB += Number(/\\nRss:\\s+(\\d+)/.exec(m)[1]);
  });
  return kB;`;

describe('preferSmallHeap', () => {
  // fetch parses HTTP with llhttp (WebAssembly); V8's tier-up of its hot functions (TurboFan on a
  // worker thread) left that worker's malloc arena ~10 MiB for the rest of an hour-long canary.
  it('keeps fetch off the WebAssembly tier-up that left a worker thread ~10 MiB of malloc arena', () => {
    const script = `
      import http from 'node:http';
      import { preferSmallHeap } from ${JSON.stringify(join(ROOT, 'shared', 'memory.ts'))};
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      preferSmallHeap();
      const server = http.createServer((_q, r) => r.end('ok')).listen(0, '127.0.0.1');
      await new Promise((r) => server.on('listening', r));
      for (let i = 0; i < 300; i++) await (await fetch('http://127.0.0.1:' + server.address().port)).text();
      await new Promise((r) => setTimeout(r, 500));
      server.close();
      console.log((() => {${WORKER_ARENAS}})());`;
    const out = execFileSync(NODE, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(Number(out.trim())).toBeLessThan(4096);
  });
});
