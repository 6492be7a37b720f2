import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks } from '../harness/action.js';
import { deploy, fetchProduction, secretsOf, startWorld, writeApp, type World } from '../harness/deploy-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ buildMs: 300, aliasMs: 300 });
});
afterAll(() => world?.close());

describe('deploy-blue-green on Vercel (bundle against the stand-ins)', () => {
  it('promotes a healthy release, records it in the ledger, and never leaks the token', async () => {
    const v1 = writeApp(world, { version: '1.0.0' });
    const r1 = await deploy(world, { 'working-directory': v1, watch: '2s', 'backup-id': 'bk-2026-11-22', 'migration-version': '0007' });
    expect(r1.code, r1.log + r1.stderr).toBe(0);
    expect(r1.outputs.result).toBe('promoted');
    expect(r1.outputs['deployment-id']).toMatch(/^dpl_/);
    expect(world.vercel.production()).toBe(r1.outputs['deployment-id']);
    expect((await fetchProduction(world)).body).toContain('1.0.0');
    expect(r1.outputs['production-url']).toBe(world.vercel.productionUrl);
    // The upload went through @vercel/client's real two-pass flow: missing_files, then /v2/files.
    expect(world.vercel.count('POST', /^\/v2\/files$/)).toBeGreaterThanOrEqual(3);
    const gh = world.github.deployments.find((d) => String(d.id) === r1.outputs['github-deployment-id'])!;
    expect(gh.payload).toMatchObject({ platform: 'vercel', deploymentId: r1.outputs['deployment-id'], backupId: 'bk-2026-11-22', migrationVersion: '0007' });
    expect(gh.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(gh.statuses.at(-1)!.environment_url).toBe(world.vercel.productionUrl);
    expect(r1.summary).toContain('Was live');
    expect(r1.summary).toContain('Timings');
    expect(findSecretLeaks(r1, secretsOf(world))).toEqual([]);

    // v2 replaces v1; v1's record turns inactive, the payload names what it replaced.
    const v2 = writeApp(world, { version: '2.0.0' });
    const r2 = await deploy(world, { 'working-directory': v2 });
    expect(r2.code, r2.log + r2.stderr).toBe(0);
    expect(r2.outputs['previous-deployment-id']).toBe(r1.outputs['deployment-id']);
    expect((await fetchProduction(world)).body).toContain('2.0.0');
    expect(gh.statuses.at(-1)!.state).toBe('inactive');
    expect(findSecretLeaks(r2, secretsOf(world))).toEqual([]);
  });
});
