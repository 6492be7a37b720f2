/**
 * `npm run bench`: cold start of every bundle over bare `node -e 0` (under the runner's Node 24)
 * and bundle sizes. Per-area benchmarks (smoke-test throughput, backup, deploy reaction times)
 * live beside this file as bench-*.ts and run with `npm run bench -- --all`.
 * Figures, not assertions: run it on a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT } from '../test/harness/action.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
// Preloaded into a run: prints the process's peak resident set (kB) as it exits.
const PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss='+process.resourceUsage().maxRSS))`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeRun(args: string[]): number {
  const started = process.hrtime.bigint();
  spawnSync(NODE, args, { env: { PATH: process.env.PATH }, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Peak resident set of one run, in MiB. */
function peakMiB(script: string): number {
  const { stderr } = spawnSync(NODE, ['--import', PEAK, script], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
  return Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
}

function dirSize(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
const bundles = readdirSync(join(ROOT, 'dist')).filter((d) => existsSync(join(ROOT, 'dist', d, 'index.js')));

for (let i = 0; i < 3; i++) timeRun(['-e', '0']); // warm the page cache
const bare = median(Array.from({ length: RUNS }, () => timeRun(['-e', '0'])));
console.log(`Node ${spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim()}, bare \`node -e 0\`: ${bare.toFixed(1)} ms (median of ${RUNS})\n`);
console.log('| bundle | cold start over bare node | peak memory (no-op run) | entry (index.js) | all files (incl. lazy chunks) |');
console.log('| :-- | --: | --: | --: | --: |');
for (const bundle of bundles) {
  const script = join(ROOT, 'dist', bundle, 'index.js');
  timeRun([script]);
  // With no inputs the action loads, validates and exits: the start-up cost every run pays.
  const cold = median(Array.from({ length: RUNS }, () => timeRun([script])));
  console.log(`| ${bundle} | ${(cold - bare).toFixed(1)} ms | ${median([1, 2, 3].map(() => peakMiB(script))).toFixed(1)} MiB | ${kb(statSync(script).size)} | ${kb(dirSize(join(ROOT, 'dist', bundle)))} |`);
}

if (process.argv.includes('--all')) {
  for (const file of readdirSync(join(ROOT, 'scripts')).filter((f) => /^bench-.+\.ts$/.test(f)).sort()) {
    console.log(`\n## ${file}`);
    spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', file)], { stdio: 'inherit' });
  }
}
