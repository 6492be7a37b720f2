/**
 * The same workflow files on AWS ECS: a blue/green service per environment on the ECS stand-in
 * (reached through AWS_ENDPOINT_URL_ECS, as the SDK is), credentials through the OIDC path.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { built, databasesOn, startPipelineWorld, type PipelineWorld } from '../harness/pipeline-world.js';
import type { JobRecord } from '../harness/workflow-runner/index.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld({ platform: 'ecs', postgres: databasesOn(inject('postgresUrl')) });
}, 60_000);
afterAll(() => world?.close());

const image = (stage: 'staging' | 'production') => {
  const td = world.ecs!.service(`shop-${stage}`, 'web').taskDefinition;
  return world.ecs!.taskDefinitions.get(td)!.containerDefinitions[0]!.image as string;
};
const steps = (job: JobRecord) => Object.fromEntries(job.steps.map((s) => [s.name, s.conclusion]));

describe('the pipeline on ECS', { timeout: 240_000 }, () => {
  it('releases an image to staging, then production, each to its own service, with OIDC credentials', async () => {
    world.writeApp('v1');
    const run = await world.dispatch('release.yml', { version: 'v1' });
    expect(run.result).toBe('success');
    for (const stage of ['staging', 'production'] as const) {
      const job = run.jobs[0]!.jobs.find((j) => j.path.endsWith(`/${stage}`))!;
      expect(steps(job)).toMatchObject({ 'AWS credentials (OIDC)': 'success', 'AWS credentials (access keys)': 'skipped', 'Release blue-green': 'success', 'Smoke-test production': 'success' });
      expect(image(stage)).toBe('ghcr.io/acme/shop:v1');
      expect(await world.live(stage)).toBe('200 {"version":"v1"}');
    }
    // The SDK signed its ECS calls with the credentials the OIDC step exported.
    expect(world.ecs!.authorizations.length).toBeGreaterThan(0);
    expect(world.ecs!.authorizations.every((a) => /Credential=ASIA[A-Z0-9]+\//.test(a))).toBe(true);
  });

  it('rolls production back to the previous task definition when the smoke test fails after the switch', async () => {
    const run = await world.runner.run(
      { repo: 'acme/gantry', path: '.github/workflows/deploy.yml' },
      {
        event: 'workflow_call',
        inheritSecrets: true,
        inputs: { environment: 'production', platform: 'ecs', 'container-name': 'web', image: 'ghcr.io/acme/shop:v2-broken', watch: '0s', 'smoke-checks': '- path: /api/health\n  health: true\n' },
      },
    );
    expect(run.result).toBe('failure');
    expect(steps(run.jobs[0]!)).toMatchObject({ 'Release blue-green': 'success', 'Smoke-test production': 'failure', 'Roll back to the previous release': 'success' });
    expect(image('production')).toBe('ghcr.io/acme/shop:v1');
    expect(await world.live('production')).toBe('200 {"version":"v1"}');
  });
});
