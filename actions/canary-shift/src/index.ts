import { setFlagsFromString } from 'node:v8';
import { run } from '../../../shared/core/run.js';
import { main } from './main.js';

// An hour of probes allocates steadily, and V8 sizes its heap for throughput: it grew the young
// generation to its maximum and kept ~150 MB of heap for ~20 MB live (scripts/bench-canary.ts).
// A canary mostly waits (a few dozen requests a second, one judgement per interval): keep the
// young generation at its initial size and the heap small, and leave the hot code to the
// interpreter and baseline compiler — the optimizing compilers' code and zones cost ~20 MB.
for (const flag of ['--semi-space-growth-factor=1', '--optimize-for-size', '--no-opt', '--no-maglev']) setFlagsFromString(flag);
await run('canary-shift', main);
