/**
 * smoke-test throughput: 500 checks at concurrency 32 against a loopback server, through the
 * committed bundle (wall time includes the process start), and the engine in-process.
 * Target: ≤ 2 s for the bundle. Figures, not assertions.
 */
import { runAction } from '../test/harness/action.js';
import { startTestServer } from '../test/harness/https.js';
import { parseChecks } from '../shared/smoke/checks.js';
import { runSmokeChecks } from '../shared/smoke/engine.js';

const N = Number(process.env.SMOKE_CHECKS ?? 500);
const CONCURRENCY = 32;
const RUNS = 5;

const server = await startTestServer({
  handler: (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  },
});
const checks = Array.from({ length: N }, (_, i) => `- name: check ${i}\n  path: /item/${i}\n  expect-json: { ok: true }`).join('\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const wall: number[] = [];
const p95: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = await runAction('smoke-test', { inputs: { url: server.url, checks, concurrency: CONCURRENCY } });
  if (r.code !== 0 || r.outputs.passed !== 'true') throw new Error(`run failed: ${r.log.slice(-2000)}`);
  wall.push(r.durationMs);
  p95.push(Number(r.outputs['p95-ms']));
}
const inProcess: number[] = [];
const parsed = parseChecks(checks);
for (let i = 0; i < RUNS; i++) {
  const started = performance.now();
  const report = await runSmokeChecks(parsed, { baseUrl: server.url, concurrency: CONCURRENCY, tlsMinDays: 0 });
  if (!report.passed) throw new Error('in-process run failed');
  inProcess.push(performance.now() - started);
}
await server.close();
console.log(`smoke-test, ${N} checks at concurrency ${CONCURRENCY} on loopback (median of ${RUNS}):`);
console.log(`| bundle wall time (incl. process start, YAML parse, summary) | ${median(wall)} ms | runs: ${wall.join(', ')} ms | target ≤ 2000 ms |`);
console.log(`| engine only (in-process) | ${median(inProcess).toFixed(0)} ms | p95 per check reported by the bundle: ${median(p95)} ms |`);
