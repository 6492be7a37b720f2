/**
 * `npx tsx scripts/bench-deploy.ts [runs]` — deploy-blue-green's reaction times, measured on the
 * stand-ins from the committed bundle (Node 24, as the runner runs it):
 *
 * 1. readiness-detection lag: the stand-in starts answering READY (its build ends) → the action
 *    moves on (its first request to green's own URL, to verify it). Target ≤ 1 s median
 *    (the ECS action users have today polls every 15 s).
 * 2. reaction time: the failed watch check on production (the answer that decided it) → the
 *    rollback request reaching Vercel. Target ≤ 2 s.
 */
import { deployEnv, deployInputs, startWorld, writeApp } from '../test/harness/deploy-world.js';
import { runAction } from '../test/harness/action.js';

const runs = Number(process.argv[2] ?? 8);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (xs: number[]) => `median ${Math.round(median(xs))} ms, p90 ${Math.round(p(xs, 0.9))} ms, min ${Math.round(Math.min(...xs))} ms, max ${Math.round(Math.max(...xs))} ms (n=${xs.length})`;

const world = await startWorld({ aliasMs: 300 });
try {
  const act = (inputs: Record<string, string>) =>
    runAction('deploy-blue-green', { cwd: world.workspace, timeoutMs: 120_000, inputs: { ...deployInputs(world), ...inputs }, env: deployEnv(world) });

  // A first release so that later ones have something to roll back to.
  const base = await act({ 'working-directory': writeApp(world, { version: 'base' }) });
  if (base.code !== 0) throw new Error(`base release failed:\n${base.log}`);

  const lags: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Builds of different lengths, so the poll interval's growth is exercised (0.8 – 6 s).
    const buildMs = 800 + Math.round((i / Math.max(1, runs - 1)) * 5200);
    const r = await act({ 'working-directory': writeApp(world, { version: `r${i}`, standin: { buildMs } }), 'verify-checks': '- /' });
    if (r.code !== 0) throw new Error(`release ${i} failed:\n${r.log}`);
    const d = world.vercel.deployments.get(r.outputs['deployment-id']!)!;
    lags.push(d.firstHitAt! - d.doneAt);
    process.stdout.write(`  build ${buildMs} ms → lag ${d.firstHitAt! - d.doneAt} ms\n`);
  }

  const reactions: number[] = [];
  const fromFirst: number[] = [];
  for (let i = 0; i < Math.max(3, Math.round(runs / 2)); i++) {
    const before = world.vercel.production();
    const r = await act({ 'working-directory': writeApp(world, { version: `bad${i}`, standin: { buildMs: 300, failAfterPromotionMs: 700 + i * 300 } }), watch: '20s', 'verify-checks': '- /api/health' });
    if (r.code !== 1 || r.outputs.result !== 'rolled-back' || world.vercel.production() !== before) throw new Error(`watch failure ${i} did not roll back:\n${r.log}`);
    const green = r.outputs['deployment-id']!;
    const rollbackAt = world.vercel.requests.find((q) => q.method === 'POST' && q.path.includes('/rollback/') && q.at >= world.vercel.deployments.get(green)!.createdAt)!.at;
    const failing = world.vercel.productionHits.filter((h) => h.id === green && h.status >= 500 && h.at <= rollbackAt);
    reactions.push(rollbackAt - failing.at(-1)!.at);
    fromFirst.push(rollbackAt - failing[0]!.at);
    process.stdout.write(`  failed check → rollback request ${rollbackAt - failing.at(-1)!.at} ms (from the first failing answer: ${rollbackAt - failing[0]!.at} ms)\n`);
  }

  console.log('\ndeploy-blue-green on the Vercel stand-in');
  console.log(`  readiness-detection lag (READY → verification starts): ${fmt(lags)}   target ≤ 1000 ms median`);
  console.log(`  reaction (failed watch check → rollback request):      ${fmt(reactions)}   target ≤ 2000 ms`);
  console.log(`  … counted from the first failing answer (a 5xx is retried until the watch round's 1 s deadline): ${fmt(fromFirst)}`);
} finally {
  await world.close();
}
