import { setFlagsFromString } from 'node:v8';
import { run } from '../../../shared/core/run.js';
import { main } from './main.js';

// An hour of probes allocates steadily, and V8 sizes its heap for throughput: it grew the young
// generation to its maximum and kept ~150 MB of heap for ~20 MB live (scripts/bench-canary.ts).
// A canary mostly waits: keep the young generation at its initial size and the heap small.
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--optimize-for-size');
await run('canary-shift', main);
