/**
 * The safety net, through the bundle: a green that fails verification never gets traffic, a
 * release that fails in the watch window is switched back, a manual rollback needs no ids,
 * a cancelled job restores production, staged releases are promoted later, failed builds end
 * the wait with Vercel's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks } from '../harness/action.js';
import { deploy, fetchProduction, secretsOf, startWorld, writeApp, type World } from '../harness/deploy-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ buildMs: 250, aliasMs: 250 });
});
afterAll(() => world?.close());

const promotesOf = (id: string) => world.vercel.aliasJobs.filter((j) => j.type === 'promote' && j.toDeploymentId === id).length;
const ledgerOf = (id: string | undefined) => world.github.deployments.find((d) => String(d.id) === id);

async function release(version: string, extra: Record<string, string> = {}, app: Parameters<typeof writeApp>[1] = { version }) {
  const dir = writeApp(world, app);
  return deploy(world, { 'working-directory': dir, ...extra });
}

describe('deploy-blue-green safety (Vercel)', () => {
  it('refuses a green that fails verification: it never receives traffic', async () => {
    const v1 = await release('1.0.0');
    expect(v1.code, v1.log).toBe(0);
    const bad = await release('1.1.0', {}, { version: '1.1.0', health: 'unhealthy' });
    expect(bad.code).toBe(1);
    expect(bad.outputs.result).toBe('');
    const green = bad.outputs['deployment-id']!;
    expect(green).toMatch(/^dpl_/);
    expect(promotesOf(green)).toBe(0);
    expect(world.vercel.production()).toBe(v1.outputs['deployment-id']);
    expect((await fetchProduction(world)).body).toContain('1.0.0');
    // Verified at its own protected URL, with the bypass header (the 401 page would fail "home" otherwise).
    expect(world.vercel.deployments.get(green)!.firstHitAt).toBeDefined();
    expect(bad.annotations.find((a) => a.level === 'error')!.message).toMatch(/failed verification: health: unhealthy \(status "unhealthy"\)\. It never received production traffic/);
    expect(ledgerOf(bad.outputs['github-deployment-id'])!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(bad.summary).toMatch(/❌/);
    expect(findSecretLeaks(bad, secretsOf(world))).toEqual([]);
  });

  it('rolls back automatically when production fails in the watch window', async () => {
    const before = world.vercel.production()!;
    const r = await release('1.2.0', { watch: '4s' }, { version: '1.2.0', standin: { failAfterPromotionMs: 400 } });
    expect(r.code, r.log).toBe(1);
    expect(r.outputs.result).toBe('rolled-back');
    expect(r.outputs['previous-deployment-id']).toBe(before);
    expect(world.vercel.production()).toBe(before);
    expect(world.vercel.aliasJobs.at(-1)).toMatchObject({ type: 'rollback', toDeploymentId: before, jobStatus: 'succeeded' });
    expect((await fetchProduction(world)).status).toBe(200);
    expect(r.log).toMatch(/Production failed its check during the watch window/);
    const record = ledgerOf(r.outputs['github-deployment-id'])!;
    expect(record.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(record.statuses.at(-1)!.description).toMatch(/^Rolled back/);
    expect(r.summary).toContain('Switch production back');
    expect(findSecretLeaks(r, secretsOf(world))).toEqual([]);
  });

  it('rolls back by hand to the previous release from the ledger, with no ids given', async () => {
    const a = await release('2.0.0');
    const b = await release('2.1.0');
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(world.vercel.production()).toBe(b.outputs['deployment-id']);
    const r = await deploy(world, { operation: 'rollback', 'verify-checks': '- /api/health' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.result).toBe('rolled-back');
    expect(r.outputs['deployment-id']).toBe(a.outputs['deployment-id']);
    expect(r.outputs['previous-deployment-id']).toBe(b.outputs['deployment-id']);
    expect(world.vercel.production()).toBe(a.outputs['deployment-id']);
    expect((await fetchProduction(world)).body).toContain('2.0.0');
    const record = ledgerOf(r.outputs['github-deployment-id'])!;
    expect(record.payload).toMatchObject({ deploymentId: a.outputs['deployment-id'], rollbackOf: b.outputs['deployment-id'] });
    expect(record.statuses.at(-1)!.state).toBe('success');
    // Rolled back from, not failed: inactive, described as rolled back (and skipped by the next rollback).
    expect(ledgerOf(b.outputs['github-deployment-id'])!.statuses.at(-1)).toMatchObject({ state: 'inactive', description: `Rolled back to ${a.outputs['deployment-id']}` });
    // Once more: goes one further back (past the refused and rolled-back releases) to 1.0.0's deployment.
    const again = await deploy(world, { operation: 'rollback' });
    expect(again.code, again.log).toBe(0);
    expect((await fetchProduction(world)).body).toContain('1.0.0');
    expect(findSecretLeaks(r, secretsOf(world))).toEqual([]);
  });

  it('restores production when the job is cancelled mid-way (SIGTERM during the watch)', async () => {
    const base = await release('2.9.0');
    expect(base.code, base.log).toBe(0);
    const before = world.vercel.production()!;
    const dir = writeApp(world, { version: '3.0.0' });
    const r = await deploy(world, { 'working-directory': dir, watch: '30s' }, { cancelWhen: /Watch production/ });
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/Received SIGTERM/);
    expect(r.log).toMatch(/was cancelled/);
    expect(r.durationMs).toBeLessThan(15_000);
    // The switch happened, then was undone before the process exited.
    const green = r.outputs['deployment-id']!;
    expect(promotesOf(green)).toBe(1);
    expect(world.vercel.production()).toBe(before);
    expect(world.vercel.aliasJobs.at(-1)).toMatchObject({ type: 'rollback', toDeploymentId: before, jobStatus: 'succeeded' });
    expect(ledgerOf(r.outputs['github-deployment-id'])!.statuses.map((x) => `${x.state}:${x.description}`).at(-1)).toBe('failure:Cancelled');
    expect(findSecretLeaks(r, secretsOf(world))).toEqual([]);
  });

  it('cancelled while green builds: the build is cancelled, production untouched, the ledger says so', async () => {
    const before = world.vercel.production();
    const dir = writeApp(world, { version: '3.5.0', standin: { buildMs: 8000 } });
    const r = await deploy(world, { 'working-directory': dir }, { cancelWhen: /BUILDING/ });
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(8000);
    const green = r.outputs['deployment-id']!;
    expect(world.vercel.count('PATCH', new RegExp(`/v12/deployments/${green}/cancel$`))).toBe(1);
    expect(world.vercel.deployments.get(green)!.plan.outcome).toBe('CANCELED');
    expect(r.log).toMatch(/Cancelled the build of/);
    expect(promotesOf(green)).toBe(0);
    expect(world.vercel.production()).toBe(before);
    expect(ledgerOf(r.outputs['github-deployment-id'])!.statuses.map((x) => `${x.state}:${x.description}`).at(-1)).toBe('failure:Cancelled');
  });

  it('stages with promote: false, then operation promote finishes it (once)', async () => {
    const live = world.vercel.production()!;
    const staged = await release('4.0.0', { promote: 'false' });
    expect(staged.code, staged.log).toBe(0);
    expect(staged.outputs.result).toBe('staged');
    const green = staged.outputs['deployment-id']!;
    expect(world.vercel.production()).toBe(live);
    expect(ledgerOf(staged.outputs['github-deployment-id'])!.statuses.at(-1)!.state).toBe('queued');
    const p = await deploy(world, { operation: 'promote' });
    expect(p.code, p.log).toBe(0);
    expect(p.outputs).toMatchObject({ result: 'promoted', 'deployment-id': green, 'github-deployment-id': staged.outputs['github-deployment-id'] });
    expect(world.vercel.production()).toBe(green);
    expect((await fetchProduction(world)).body).toContain('4.0.0');
    // Promoting again is a no-op, not a second promote.
    const again = await deploy(world, { operation: 'promote', to: green });
    expect(again.code, again.log).toBe(0);
    expect(promotesOf(green)).toBe(1);
  });

  it('ends the wait on a failed build with Vercel\'s reason, and on CANCELED / BLOCKED', async () => {
    const live = world.vercel.production()!;
    const failed = await release('5.0.0', {}, { version: '5.0.0', standin: { outcome: 'ERROR', errorMessage: 'Command "next build" exited with 1' } });
    expect(failed.code).toBe(1);
    expect(failed.log).toMatch(/ended ERROR: Command "next build" exited with 1/);
    for (const outcome of ['CANCELED', 'BLOCKED'] as const) {
      const r = await release(`5.${outcome}`, {}, { version: '5.x', standin: { outcome } });
      expect(r.code).toBe(1);
      expect(r.log).toContain(`ended ${outcome}`);
    }
    expect(world.vercel.production()).toBe(live);
  });
});
