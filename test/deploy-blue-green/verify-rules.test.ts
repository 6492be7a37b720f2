/**
 * Warming up or broken, through the bundle on Vercel: which answers are retried until the deadline,
 * which fail now, that no wait outlives `timeout`, that the summary says which step failed, and that
 * a switch back is believed only once production answers like the release it went back to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks } from '../harness/action.js';
import { deploy, secretsOf, startWorld, writeApp, type World } from '../harness/deploy-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ buildMs: 200, aliasMs: 200 });
});
afterAll(() => world?.close());

const ledgerOf = (id: string | undefined) => world.github.deployments.find((d) => String(d.id) === id);
const timingRow = (summary: string, step: string) => summary.split('\n').find((l) => l.startsWith(`| ${step}`));

async function release(version: string, extra: Record<string, string> = {}, app: Parameters<typeof writeApp>[1] = { version }) {
  return deploy(world, { 'working-directory': writeApp(world, app), ...extra });
}

describe('verifying green: warming up or broken (Vercel)', () => {
  it('a green answering 500 is broken: it fails after a few tries, and the timings table marks the step ❌', async () => {
    const base = await release('1.0.0');
    expect(base.code, base.log).toBe(0);
    const r = await release('1.1.0', { timeout: '5m' }, { version: '1.1.0', standin: { answers: 500 } });
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(20_000);
    expect(r.annotations.find((a) => a.level === 'error')!.message).toMatch(/failed verification: health: HTTP 500/);
    expect(timingRow(r.summary, 'Verify green')).toMatch(/❌/);
    expect(timingRow(r.summary, 'Verify green')).not.toMatch(/✅/);
    expect(world.vercel.production()).toBe(base.outputs['deployment-id']);
    expect(findSecretLeaks(r, secretsOf(world))).toEqual([]);
  });

  it('a green answering 503 is warming up: retried, but never past the operation’s timeout', async () => {
    const live = world.vercel.production();
    const r = await release('1.2.0', { timeout: '15s' }, { version: '1.2.0', standin: { answers: 503 } });
    expect(r.code).toBe(1);
    // Was a fixed 2 minutes of verification whatever `timeout` said.
    expect(r.durationMs).toBeLessThan(25_000);
    expect(r.log).toMatch(/still not ready at the deadline/);
    expect(world.vercel.production()).toBe(live);
  });

  it('a manual rollback whose production keeps serving the bad release fails saying so', async () => {
    const good = await release('2.0.0');
    const bad = await release('2.1.0');
    expect([good.code, bad.code]).toEqual([0, 0]);
    const badId = bad.outputs['deployment-id']!;
    // The bad release turns unhealthy in production; then production's edge sticks to it.
    world.vercel.deployments.get(badId)!.plan.answers = 500;
    world.vercel.pinProduction(badId);
    try {
      const r = await deploy(world, { operation: 'rollback', timeout: '20s' });
      expect(r.code, r.log).toBe(1);
      // The alias job itself succeeded: only production's answers tell.
      expect(world.vercel.aliasJobs.at(-1)).toMatchObject({ type: 'rollback', toDeploymentId: good.outputs['deployment-id'], jobStatus: 'succeeded' });
      expect(r.outputs.result).not.toBe('rolled-back');
      const error = r.annotations.find((a) => a.level === 'error')!.message;
      expect(error).toMatch(/The rollback did not take: production still fails its checks/);
      expect(error).toContain(badId);
      expect(ledgerOf(r.outputs['github-deployment-id'])!.statuses.at(-1)!.state).toBe('failure');
      expect(timingRow(r.summary, 'Check production serves')).toMatch(/❌/);
    } finally {
      world.vercel.pinProduction(undefined);
      world.vercel.deployments.get(badId)!.plan.answers = undefined;
    }
  });
});

describe('the ledger after releases and rollbacks (Vercel, production environment)', () => {
  it('earlier releases become inactive when a new one succeeds; a rolled-back-from release is inactive, not failed, and skipped next time', async () => {
    const a = await release('3.0.0');
    const b = await release('3.1.0');
    const c = await release('3.2.0');
    expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
    const states = (r: typeof a) => ledgerOf(r.outputs['github-deployment-id'])!.statuses.map((s) => s.state);
    // GitHub does not retire production deployments by itself: the action posts it.
    expect(states(a).at(-1)).toBe('inactive');
    expect(states(b)).toEqual(['in_progress', 'success', 'inactive']);
    expect(states(c)).toEqual(['in_progress', 'success']);

    const back = await deploy(world, { operation: 'rollback' });
    expect(back.code, back.log).toBe(0);
    expect(back.outputs['deployment-id']).toBe(b.outputs['deployment-id']);
    const left = ledgerOf(c.outputs['github-deployment-id'])!.statuses;
    expect(left.map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(left.at(-1)!.description).toBe(`Rolled back to ${b.outputs['deployment-id']}`);

    // The next rollback skips the release rolled back from, and goes on to 3.0.0.
    const again = await deploy(world, { operation: 'rollback' });
    expect(again.code, again.log).toBe(0);
    expect(again.outputs['deployment-id']).toBe(a.outputs['deployment-id']);
    expect(world.vercel.production()).toBe(a.outputs['deployment-id']);
  });
});
