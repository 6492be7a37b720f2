/**
 * A canary release through deploy.yml: strategy canary on ECS behind an ALB — per environment a
 * stable and a canary service on the ECS stand-in, one listener rule with two target groups on the
 * ELBv2 stand-in (production answers through it, by its weights) — configured only through the
 * environment's variables, run by the canary-shift bundle inside the real workflow file.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databasesOn, DEPLOY_WORKFLOW, ledgerRecordOf, lastWebhookAbout, startPipelineWorld, stepsByName, traceSteps, type PipelineWorld } from '../harness/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld({ platform: 'ecs-alb', postgres: databasesOn(inject('postgresUrl')) });
}, 60_000);
afterAll(() => world?.close());

/** A fast clock: steps of a few hundred milliseconds, probes at 40 rounds a second. */
const FAST = { 'canary-steps': '10,50,100', 'canary-step-duration': '500ms', 'canary-analysis-interval': '500ms', 'canary-probe-rate': '40', 'canary-min-samples': '5', 'canary-timeout': '90s' };
const HEALTH = '- path: /api/health\n  health: true\n';

function release(version: string, inputs: Record<string, string> = {}) {
  return world.runner.run(DEPLOY_WORKFLOW, {
    event: 'workflow_call',
    inheritSecrets: true,
    inputs: { environment: 'production', version, platform: 'ecs', strategy: 'canary', 'container-name': 'web', image: `ghcr.io/acme/shop:${version}`, 'migrations-dir': 'migrations', 'verify-checks': HEALTH, 'smoke-checks': HEALTH, ...FAST, ...inputs },
  });
}

const image = (service: string) => world.ecs!.taskDefinitions.get(world.ecs!.service('shop-production', service).taskDefinition ?? '')!.containerDefinitions[0]!.image as string;
const canaryHistory = () => world.elb!.canaryHistory(world.stages.production.alb!.ruleArn, world.stages.production.alb!.canary);

/** Every request to production for a moment answers this version (it goes through the listener rule). */
async function expectProductionServes(version: string) {
  for (let i = 0; i < 10; i++) expect(await world.live('production')).toBe(`200 {"version":"${version}"}`);
}

describe('a canary release through deploy.yml (ECS behind an ALB)', { timeout: 240_000 }, () => {
  it('promotes a healthy canary step by step: stable runs it, production serves it, the ledger and notify say so', async () => {
    world.writeApp('v1');
    const run = await release('v1');
    expect(run.result, traceSteps(run)).toBe('success');
    const s = stepsByName(run.jobs[0]!);
    for (const name of ['Check the configuration', 'Is it safe to ship?', 'Back up the database', 'Migrate the database', 'Release canary', 'Smoke-test production']) expect(s[name]!.conclusion, name).toBe('success');
    expect(s['Release blue-green']!.conclusion).toBe('skipped');
    expect(s['Roll back to the previous release']!.conclusion).toBe('skipped');
    expect(s['Release canary']!.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'failed-step': '' });
    expect(run.outputs).toMatchObject({ result: 'promoted', 'rolled-back': 'false' });
    // Every step got its weight, then stable took the new release and all traffic back.
    expect(canaryHistory()).toEqual([10, 50, 100, 0]);
    expect(image('web')).toBe('ghcr.io/acme/shop:v1');
    expect(world.ecs!.service('shop-production', 'web-canary').desiredCount).toBe(0);
    await expectProductionServes('v1');
    const record = ledgerRecordOf(world, run);
    expect(record.payload).toMatchObject({ platform: 'ecs-alb', deploymentId: run.outputs['deployment-id'] });
    expect(record.statuses.at(-1)!.state).toBe('success');
    expect(lastWebhookAbout(world, 'production')).toMatch(/"status":"success"/);
  });

  it('aborts a failing canary at its first step: stable serves, nothing to roll back, notify and the ledger say so', async () => {
    const weightsBefore = canaryHistory().length;
    const run = await release('v2-broken');
    expect(run.result).toBe('failure');
    const s = stepsByName(run.jobs[0]!);
    expect(s['Release canary']!.conclusion).toBe('failure');
    expect(s['Release canary']!.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0', 'failed-step': '1' });
    expect(s['Release canary']!.annotations.map((a) => a.message).join('\n')).toMatch(/canary aborted at step 1 \(10%\).*all traffic is back on stable/);
    // The canary never went past its first weight; stable never ran it and serves v1.
    expect(canaryHistory().slice(weightsBefore)).toEqual([10, 0]);
    expect(image('web')).toBe('ghcr.io/acme/shop:v1');
    await expectProductionServes('v1');
    expect(s['Smoke-test production']!.conclusion).toBe('skipped');
    expect(s['Roll back to the previous release']!.conclusion).toBe('skipped');
    expect(run.outputs).toMatchObject({ result: 'aborted', 'rolled-back': 'true' });
    expect(ledgerRecordOf(world, run).statuses.at(-1)!.state).toBe('failure');
    expect(lastWebhookAbout(world, 'production')).toMatch(/"status":"rolled-back"/);
  });

  it('rolls a promoted canary back in the same job when production then fails its smoke test', async () => {
    // v3's pages answer (the canary's probes pass) but its health endpoint says unhealthy.
    const run = await release('v3-broken', { 'verify-checks': '- path: /\n' });
    expect(run.result, traceSteps(run)).toBe('failure');
    const s = stepsByName(run.jobs[0]!);
    expect(s['Release canary']!.outputs.result, traceSteps(run)).toBe('promoted');
    const v3 = s['Release canary']!.outputs['deployment-id']!;
    expect(s['Smoke-test production']!.conclusion).toBe('failure');
    expect(s['Roll back to the previous release']!.conclusion, traceSteps(run)).toBe('success');
    expect(image('web')).toBe('ghcr.io/acme/shop:v1');
    await expectProductionServes('v1');
    expect(run.outputs['rolled-back']).toBe('true');
    const rollback = world.github.deployments.filter((d) => d.environment === 'production' && d.payload.rollbackOf).at(-1)!;
    expect(rollback.payload.rollbackOf).toBe(v3);
    expect(rollback.statuses.at(-1)!.state).toBe('success');
    expect(lastWebhookAbout(world, 'production')).toMatch(/"status":"rolled-back"/);
  });

  it('rolls back on dispatch (rollback.yml, no deployment id given) to the canary release before', async () => {
    const v4 = await release('v4');
    expect(v4.result, traceSteps(v4)).toBe('success');
    await expectProductionServes('v4');
    const run = await world.dispatch('rollback.yml', { environment: 'production' });
    expect(run.result, JSON.stringify(run.jobs[0]!.jobs.map((j) => j.steps.map((s) => [s.name, s.conclusion, s.annotations.map((a) => a.message)])))).toBe('success');
    // The previous successful release in the ledger is v1's canary (v2 aborted, v3 rolled back from).
    expect(image('web')).toBe('ghcr.io/acme/shop:v1');
    await expectProductionServes('v1');
  });

  it('refuses a canary whose ALB configuration is wrong before anything is touched', async () => {
    const vars = world.runner.options.environments!.production!.vars!;
    const saved = { ...vars };
    try {
      vars.ALB_CANARY_TARGET_GROUP_ARN = 'shop-canary';
      delete vars.CANARY_PROBE_URL;
      const requests = world.elb!.requests.length;
      const ledgerSize = world.github.deployments.length;
      const run = await release('v3');
      expect(run.result).toBe('failure');
      const config = run.jobs[0]!.steps[0]!;
      expect(config.conclusion).toBe('failure');
      expect(config.annotations.map((a) => a.message)).toEqual([
        "ALB_CANARY_TARGET_GROUP_ARN is 'shop-canary': set it on the 'production' environment to the target group's ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/…)",
        "a canary needs something to measure: set the variable CANARY_PROBE_URL on the 'production' environment (where the canary alone answers), or give canary-metrics",
      ]);
      expect(run.jobs[0]!.steps.slice(1).filter((s) => s.conclusion !== 'skipped').map((s) => s.name)).toEqual([]);
      expect(world.elb!.requests.length).toBe(requests);
      expect(world.github.deployments.length).toBe(ledgerSize);
    } finally {
      Object.assign(vars, saved);
    }
  });

});
