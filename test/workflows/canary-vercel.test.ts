/**
 * A canary release through deploy.yml on Vercel: a rolling release of the environment's project
 * (the Vercel stand-in's rolling-release routes), configured by the same environment variables and
 * secrets as a blue-green release, run by the canary-shift bundle inside the real workflow file.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databasesOn, DEPLOY_WORKFLOW, startPipelineWorld, stepsByName, traceSteps, type PipelineWorld } from '../harness/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld({ postgres: databasesOn(inject('postgresUrl')) });
}, 60_000);
afterAll(() => world?.close());

const HEALTH = '- path: /api/health\n  health: true\n';
const FAST = { 'canary-steps': '10,100', 'canary-step-duration': '1s', 'canary-analysis-interval': '1s', 'canary-probe-rate': '20', 'canary-min-samples': '5', 'canary-timeout': '90s' };

function release(version: string, inputs: Record<string, string> = {}) {
  return world.runner.run(
    { repo: 'acme/gantry', path: '.github/workflows/deploy.yml' },
    { event: 'workflow_call', inheritSecrets: true, inputs: { environment: 'production', version, 'migrations-dir': 'migrations', watch: '0s', 'verify-checks': HEALTH, 'smoke-checks': HEALTH, ...inputs } },
  );
}

describe('a canary release through deploy.yml on Vercel (rolling release)', { timeout: 240_000 }, () => {
  it('promotes a healthy release stage by stage after a blue-green first release', async () => {
    world.writeApp('v1');
    const first = await release('v1');
    expect(first.result, traceSteps(first)).toBe('success');
    const vercel = world.stages.production.vercel!;
    vercel.setRollingConfig({ advancementType: 'automatic', stages: [{ targetPercentage: 10, duration: 5 }, { targetPercentage: 100 }] });

    world.writeApp('v2');
    const run = await release('v2', { strategy: 'canary', ...FAST });
    expect(run.result, traceSteps(run)).toBe('success');
    const s = stepsByName(run.jobs[0]!);
    expect(s['Release blue-green']!.conclusion).toBe('skipped');
    expect(s['Release canary']!.outputs, s['Release canary']!.log).toMatchObject({ result: 'promoted', 'final-weight': '100' });
    expect(s['Smoke-test production']!.conclusion).toBe('success');
    const canary = s['Release canary']!.outputs['deployment-id']!;
    expect(vercel.production()).toBe(canary);
    expect(vercel.rollingWeights.filter((w) => w.canary === canary).map((w) => w.weight).at(-1)).toBe(100);
    expect(await world.live('production')).toBe('200 {"version":"v2"}');
    expect(run.outputs).toMatchObject({ result: 'promoted', 'rolled-back': 'false' });
  });
});
