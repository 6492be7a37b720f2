/**
 * A canary release through deploy.yml on plain ECS (no ALB layout): canary-shift's `ecs` platform
 * writes the steps into the service as ECS native LINEAR / CANARY and lets each production shift go
 * through a PAUSE hook. Per environment one service on the ECS stand-in; production answers by the
 * service deployment's weights, the test listener (ECS_TEST_URL, probed as the canary) by the new
 * revision alone. Configured only through the environment's variables, run inside the real workflow.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databasesOn, DEPLOY_WORKFLOW, ledgerRecordOf, lastWebhookAbout, startPipelineWorld, stepsByName, traceSteps, type PipelineWorld } from '../harness/pipeline-world.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld({ platform: 'ecs', ecsStrategy: 'LINEAR', postgres: databasesOn(inject('postgresUrl')) });
}, 60_000);
afterAll(() => world?.close());

/** A fast clock: steps of 700 ms (enough probes on a loaded machine), probes at 40 rounds a second. */
const FAST = { 'canary-step-duration': '700ms', 'canary-analysis-interval': '700ms', 'canary-probe-rate': '40', 'canary-min-samples': '5', 'canary-timeout': '90s' };
const HEALTH = '- path: /api/health\n  health: true\n';

function release(version: string, inputs: Record<string, string> = {}) {
  return world.runner.run(DEPLOY_WORKFLOW, {
    event: 'workflow_call',
    inheritSecrets: true,
    inputs: { environment: 'production', version, platform: 'ecs', strategy: 'canary', 'container-name': 'web', image: `ghcr.io/acme/shop:${version}`, 'migrations-dir': 'migrations', 'verify-checks': HEALTH, 'smoke-checks': HEALTH, ...FAST, ...inputs },
  });
}

const ecs = () => world.ecs!;
const image = () => ecs().taskDefinitions.get(ecs().service('shop-production', 'web').taskDefinition ?? '')!.containerDefinitions[0]!.image as string;
const deployment = () => ecs().deploymentsOf('shop-production', 'web').at(-1)!;
const hookActions = (arn: string) => ecs().calls('ContinueServiceDeployment').filter((c) => c.body.serviceDeploymentArn === arn).map((c) => [c.body.action, c.status]);

/** Every request to production for a moment answers this version (drawn by the deployment's weights). */
async function expectProductionServes(version: string) {
  for (let i = 0; i < 10; i++) expect(await world.live('production')).toBe(`200 {"version":"${version}"}`);
}

describe('a canary release through deploy.yml on ECS native (CANARY / LINEAR, PAUSE hook)', { timeout: 240_000 }, () => {
  it('promotes a healthy LINEAR release step by step: ECS shifts each step after the verdict, production serves it, the ledger and notify say so', async () => {
    world.writeApp('v1');
    const run = await release('v1', { 'canary-steps': '25,50,75,100' });
    expect(run.result, traceSteps(run)).toBe('success');
    const s = stepsByName(run.jobs[0]!);
    for (const name of ['Check the configuration', 'AWS credentials (OIDC)', 'Is it safe to ship?', 'Back up the database', 'Migrate the database', 'Release canary', 'Smoke-test production']) expect(s[name]!.conclusion, name).toBe('success');
    expect(s['Release blue-green']!.conclusion).toBe('skipped');
    expect(s['Roll back to the previous release']!.conclusion).toBe('skipped');
    expect(s['Release canary']!.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'failed-step': '' });
    expect(run.outputs).toMatchObject({ result: 'promoted', 'rolled-back': 'false' });
    // The steps went into the one service as LINEAR 25 % with the hook; ECS shifted exactly them.
    const update = ecs().calls('UpdateService').filter((c) => c.body.cluster === 'shop-production' && c.body.deploymentConfiguration);
    expect(update.at(-1)!.body.deploymentConfiguration).toMatchObject({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 25 }, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }] });
    const d = deployment();
    expect(ecs().productionWeights(d.serviceDeploymentArn)).toEqual([0, 25, 50, 75, 100]);
    expect(hookActions(d.serviceDeploymentArn)).toEqual([['CONTINUE', 200], ['CONTINUE', 200], ['CONTINUE', 200], ['CONTINUE', 200]]);
    expect(d.status).toBe('SUCCESSFUL');
    expect(image()).toBe('ghcr.io/acme/shop:v1');
    await expectProductionServes('v1');
    // The canary was probed at the test listener (ECS_TEST_URL), where the new revision alone answers.
    expect(s['Check the configuration']!.outputs).toMatchObject({ 'canary-platform': 'ecs', 'probe-url': world.stages.production.ecs!.testUrl, 'listener-rule-arn': '', 'canary-service': '' });
    expect(s['Release canary']!.log).toMatch(/step 1 · 25% · canary \d+ req, errors 0%/);
    const record = ledgerRecordOf(world, run);
    expect(record.payload).toMatchObject({ platform: 'ecs', deploymentId: run.outputs['deployment-id'], canary: { steps: [25, 50, 75, 100] } });
    expect(record.statuses.at(-1)!.state).toBe('success');
    expect(lastWebhookAbout(world, 'production')).toMatch(/"status":"success"/);
    expect(run.jobs[0]!.steps.flatMap((s) => s.log).join('\n')).not.toContain(world.stages.production.databaseUrl);
  });

  it('a failing CANARY is rolled back by ECS through the hook at its first step: production serves the release before, notify says rolled-back', async () => {
    const run = await release('v2-broken', { 'canary-steps': '10,100' });
    expect(run.result).toBe('failure');
    const s = stepsByName(run.jobs[0]!);
    expect(s['Release canary']!.conclusion).toBe('failure');
    expect(s['Release canary']!.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0', 'failed-step': '1' });
    expect(s['Release canary']!.annotations.map((a) => a.message).join('\n')).toMatch(/canary aborted at step 1 \(10%\).*all traffic is back on stable/);
    const d = deployment();
    expect(d.config).toMatchObject({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    // 10 % for one analysis, then ECS took it back itself on the hook's ROLLBACK.
    expect(ecs().productionWeights(d.serviceDeploymentArn)).toEqual([0, 10, 0]);
    expect(hookActions(d.serviceDeploymentArn)).toEqual([['CONTINUE', 200], ['ROLLBACK', 200]]);
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(image()).toBe('ghcr.io/acme/shop:v1');
    await expectProductionServes('v1');
    expect(s['Smoke-test production']!.conclusion).toBe('skipped');
    expect(s['Roll back to the previous release']!.conclusion).toBe('skipped');
    expect(run.outputs).toMatchObject({ result: 'aborted', 'rolled-back': 'true' });
    expect(ledgerRecordOf(world, run).statuses.at(-1)!.state).toBe('failure');
    expect(lastWebhookAbout(world, 'production')).toMatch(/"status":"rolled-back"/);
  });

  it('rolls a promoted native canary back in the same job when production then fails its smoke test', async () => {
    // v3's pages answer (the canary's probes pass) but its health endpoint says unhealthy.
    const run = await release('v3-broken', { 'canary-steps': '10,100', 'verify-checks': '- path: /\n' });
    expect(run.result).toBe('failure');
    const s = stepsByName(run.jobs[0]!);
    expect(s['Release canary']!.outputs.result, traceSteps(run)).toBe('promoted');
    const v3 = s['Release canary']!.outputs['deployment-id']!;
    expect(s['Smoke-test production']!.conclusion).toBe('failure');
    expect(s['Roll back to the previous release']!.conclusion, traceSteps(run)).toBe('success');
    // A new deployment of the release before (held at the service's PAUSE hook, continued: it was live).
    const back = deployment();
    expect(back.status).toBe('SUCCESSFUL');
    expect(hookActions(back.serviceDeploymentArn)).toEqual([['CONTINUE', 200], ['CONTINUE', 200]]);
    expect(ecs().taskDefinitions.get(back.target.taskDefinition)!.containerDefinitions[0]!.image).toBe('ghcr.io/acme/shop:v1');
    expect(image()).toBe('ghcr.io/acme/shop:v1');
    await expectProductionServes('v1');
    expect(run.outputs['rolled-back']).toBe('true');
    const rollback = world.github.deployments.filter((d) => d.environment === 'production' && d.payload.rollbackOf).at(-1)!;
    expect(rollback.payload.rollbackOf).toBe(v3);
    expect(rollback.statuses.at(-1)!.state).toBe('success');
    expect(lastWebhookAbout(world, 'production')).toMatch(/"status":"rolled-back"/);
  });

  it('refuses steps ECS cannot run, half an ALB layout, and nothing to measure, before anything is touched', async () => {
    const vars = world.runner.options.environments!.production!.vars!;
    const saved = { ...vars };
    try {
      vars.ECS_CANARY_SERVICE = 'web-canary';
      delete vars.ECS_TEST_URL;
      const requests = ecs().requests.length;
      const ledgerSize = world.github.deployments.length;
      const run = await release('v3', { 'canary-steps': '5,25,50,100' });
      expect(run.result).toBe('failure');
      const config = run.jobs[0]!.steps[0]!;
      expect(config.conclusion).toBe('failure');
      expect(config.annotations.map((a) => a.message)).toEqual([
        "ECS_CANARY_SERVICE is set on the 'production' environment but ALB_LISTENER_RULE_ARN is not: set it too for a canary behind an ALB, or remove ECS_CANARY_SERVICE for an ECS native canary (the service's own CANARY / LINEAR deployment)",
        "canary-steps '5,25,50,100' are not equal steps: an ECS native canary runs CANARY (one step, then the rest: e.g. 10,100) or LINEAR (equal steps of at least 3%: e.g. 25,50,75,100); for other steps set the ALB layout (ALB_LISTENER_RULE_ARN, ALB_STABLE_TARGET_GROUP_ARN, ALB_CANARY_TARGET_GROUP_ARN, ECS_CANARY_SERVICE)",
        "a canary needs something to measure: set the variable ECS_TEST_URL (the service's test listener) or CANARY_PROBE_URL on the 'production' environment (where the canary alone answers), or give canary-metrics",
      ]);
      expect(run.jobs[0]!.steps.slice(1).filter((s) => s.conclusion !== 'skipped').map((s) => s.name)).toEqual([]);
      expect(ecs().requests.length).toBe(requests);
      expect(world.github.deployments.length).toBe(ledgerSize);
    } finally {
      for (const key of Object.keys(vars)) delete vars[key];
      Object.assign(vars, saved);
    }
  });
});
