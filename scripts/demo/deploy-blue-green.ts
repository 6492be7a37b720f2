/**
 * deploy-blue-green against the Vercel stand-in (emulate's Vercel API + the promote / rollback /
 * alias-job routes it lacks) and a GitHub Deployments stand-in: v1 is staged, verified and
 * promoted; v2 ships with a broken health endpoint and is refused before it gets any traffic —
 * production stays on v1. Then a manual rollback finds its target in the ledger.
 */
import type { DemoContext } from '../demo.js';
import { deployEnv, deployInputs, fetchProduction, startWorld, writeApp } from '../../test/harness/deploy-world.js';

export async function run(ctx: DemoContext): Promise<void> {
  const world = await startWorld({ buildMs: 600, aliasMs: 400 });
  ctx.defer(() => world.close());
  const step = async (title: string, inputs: Record<string, string>, exit: number, env: Record<string, string> = {}) => {
    const result = await ctx.runAction('deploy-blue-green', {
      cwd: world.workspace,
      timeoutMs: 90_000,
      inputs: { ...deployInputs(world), ...inputs },
      env: { ...deployEnv(world), ...env },
    });
    ctx.show(title, result);
    if (result.code !== exit) throw new Error(`${title}: expected exit ${exit}, got ${result.code}`);
    return result;
  };
  const live = async () => `production answers: ${(await fetchProduction(world)).body}`;

  const v1 = writeApp(world, { version: 'v1' });
  const r1 = await step('deploy-blue-green · v1: stage, verify green, promote, watch 3s', { 'working-directory': v1, watch: '3s', 'backup-id': 'shop/2026-11-22T23-00-00Z', 'migration-version': '20261104090000' }, 0);
  console.log(`  → ${await live()}`);

  const v2 = writeApp(world, { version: 'v2', health: 'unhealthy' });
  const r2 = await step('deploy-blue-green · v2 with a broken /api/health: refused before any traffic', { 'working-directory': v2, watch: '3s' }, 1);
  console.log(`  → ${await live()}  (still ${r1.outputs['deployment-id']}; refused green was ${r2.outputs['deployment-id']})`);
  if (world.vercel.production() !== r1.outputs['deployment-id']) throw new Error('production moved off v1');

  const v3 = writeApp(world, { version: 'v3' });
  await step('deploy-blue-green · v3: healthy, promoted', { 'working-directory': v3, watch: '2s' }, 0);
  console.log(`  → ${await live()}`);
  await step('deploy-blue-green · operation: rollback (no ids: the ledger knows v1 came before)', { operation: 'rollback', 'verify-checks': '- /api/health' }, 0);
  console.log(`  → ${await live()}`);
  console.log(`  GitHub Deployments (the ledger): ${world.github.deployments.map((d) => `#${d.id} ${String(d.payload.deploymentId)} [${d.statuses.map((s) => s.state).join('→')}]`).join(', ')}`);
}
