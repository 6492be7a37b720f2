/**
 * deploy-blue-green with platform: ecs, end to end: the bundle run as the runner runs it (Node 24,
 * INPUT_* variables, file commands), the real @aws-sdk/client-ecs inside it reaching the ECS
 * stand-in through AWS_ENDPOINT_URL_ECS with dummy credentials, the GitHub Deployments stand-in
 * as the ledger, and green / production as local HTTP servers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
let ecs: EcsStandIn;
let github: GithubStandin;
type App = { url: string; server: Server; healthy: boolean; hits: number; firstHitAt?: number; answers?: number };
let green: App;
let production: App;
let serviceNo = 0;

async function app(): Promise<App> {
  const state: App = { url: '', server: undefined as unknown as Server, healthy: true, hits: 0 };
  state.server = createServer((req, res) => {
    state.hits++;
    state.firstHitAt ??= Date.now();
    if (state.answers) {
      res.writeHead(state.answers, { 'content-type': 'text/plain' });
      res.end(`answering ${state.answers}`);
    } else if (req.url === '/health') {
      // A definite answer either way (a 5xx would mean "not ready yet" and be retried until the deadline).
      res.writeHead(200, { 'content-type': 'application/health+json' });
      res.end(JSON.stringify({ status: state.healthy ? 'healthy' : 'unhealthy' }));
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<h1>Shop</h1>');
    }
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

beforeAll(async () => {
  [ecs, github, green, production] = await Promise.all([startEcsStandIn({ stageMs: 40, bakeMs: 400 }), startGithubStandin(), app(), app()]);
});
afterAll(async () => {
  await Promise.all([ecs?.close(), github?.close(), new Promise((r) => green?.server.close(r)), new Promise((r) => production?.server.close(r))]);
});
beforeEach(() => {
  ecs.faults = [];
  ecs.bakeMs = 400;
  green.healthy = true;
  green.answers = undefined;
  production.healthy = true;
  production.firstHitAt = undefined;
});

function newService() {
  const service = `shop-e2e-${++serviceNo}`;
  const { taskDefinitionArn } = ecs.addService({ cluster: 'prod', service, strategy: 'BLUE_GREEN', alarmNames: ['shop-5xx'] });
  return { service, blue: taskDefinitionArn };
}

function deployEcs(service: string, inputs: Record<string, string | undefined> = {}, options: { cancelWhen?: RegExp | number; timeoutMs?: number; cwd?: string; env?: Record<string, string> } = {}) {
  return runAction('deploy-blue-green', {
    timeoutMs: options.timeoutMs ?? 60_000,
    cancelWhen: options.cancelWhen,
    cwd: options.cwd,
    inputs: {
      platform: 'ecs',
      environment: 'production',
      'aws-region': 'eu-west-1',
      cluster: 'prod',
      service,
      'container-name': 'web',
      image: 'ghcr.io/acme/shop:v2',
      'test-url': green.url,
      'production-url': production.url,
      'verify-checks': '- name: health\n  path: /health\n  health: true\n',
      watch: '1s',
      timeout: '60s',
      'github-token': github.token,
      ...inputs,
    },
    env: {
      GITHUB_API_URL: github.url,
      AWS_ENDPOINT_URL_ECS: ecs.url,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      ...options.env,
    },
  });
}

function noLeaks(result: ActionResult) {
  expect(findSecretLeaks(result, [SECRET, github.token])).toEqual([]);
  for (const auth of ecs.authorizations) expect(auth).not.toContain(SECRET);
}

const forService = (operation: string, service: string) => ecs.calls(operation).filter((r) => r.body.service === service);

describe('deploy-blue-green on ECS (bundle against the ECS stand-in)', () => {
  it('promotes a healthy release: green verified on the test URL, ECS completes the bake, ledger records it', async () => {
    const { service, blue } = newService();
    const r = await deployEcs(service);
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(r.outputs.result).toBe('promoted');
    expect(r.outputs['deployment-id']).toBe(`arn:aws:ecs:eu-west-1:123456789012:task-definition/${service}:2`);
    expect(r.outputs['previous-deployment-id']).toBe(blue);
    expect(r.outputs['deployment-url']).toBe(green.url);
    expect(ecs.service('prod', service).taskDefinition).toBe(r.outputs['deployment-id']);
    const d = ecs.deploymentsOf('prod', service).at(-1)!;
    expect(d.status).toBe('SUCCESSFUL');
    // One minimal UpdateService, which also configured the PAUSE hook the service lacked (said in the log).
    expect(forService('UpdateService', service).map((x) => x.body)).toEqual([
      {
        cluster: 'prod',
        service,
        taskDefinition: r.outputs['deployment-id'],
        forceNewDeployment: false,
        deploymentConfiguration: expect.objectContaining({
          strategy: 'BLUE_GREEN',
          bakeTimeInMinutes: 5,
          lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 1, action: 'ROLLBACK' } }],
        }),
      },
    ]);
    expect(r.log).toMatch(/Configured a PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT on shop-e2e-\d+/);
    // Green was verified while ECS held the deployment at the hook; production moved only after CONTINUE.
    const continued = ecs.calls('ContinueServiceDeployment').filter((x) => x.body.serviceDeploymentArn === d.serviceDeploymentArn);
    expect(continued.map((x) => [x.body.action, x.status])).toEqual([['CONTINUE', 200]]);
    expect(ecs.productionWeights(d.serviceDeploymentArn)).toEqual([0, 100]);
    expect(d.productionWeights[1]!.at).toBeGreaterThan(continued[0]!.at);
    expect(green.firstHitAt!).toBeLessThan(continued[0]!.at);
    expect(r.log).toMatch(/ECS deployment .*: IN_PROGRESS · (TEST_TRAFFIC_SHIFT|POST_TEST_TRAFFIC_SHIFT|PRODUCTION_TRAFFIC_SHIFT|POST_PRODUCTION_TRAFFIC_SHIFT|BAKE_TIME)/);
    expect(r.log).toMatch(/ECS deployment .*: SUCCESSFUL/);
    expect(green.hits).toBeGreaterThan(0);
    const gh = github.deployments.find((x) => String(x.id) === r.outputs['github-deployment-id'])!;
    expect(gh.payload).toMatchObject({ platform: 'ecs', deploymentId: r.outputs['deployment-id'], previousDeploymentId: blue });
    expect(gh.statuses.at(-1)!.state).toBe('success');
    expect(r.masks).toContain(SECRET);
    noLeaks(r);
    // Readiness-detection lag, end to end: ECS reports SUCCESSFUL → the action moves on (its first
    // watch request to production).
    const lag = production.firstHitAt! - ecs.reachedAt(d.serviceDeploymentArn, 'SUCCESSFUL')!;
    console.error(`ECS SUCCESSFUL → action moved on (first production check): ${lag} ms`);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(2_000);
  });

  it('a broken task definition file fails with an annotation on its file and line, before any ECS request', async () => {
    const { service } = newService();
    const workspace = mkdtempSync(join(tmpdir(), 'gantry-ecs-ws-'));
    mkdirSync(join(workspace, 'ecs'));
    writeFileSync(join(workspace, 'ecs', 'taskdef.json'), '{\n  "family": "shop",\n  "containerDefinitions": [{"name": "web"}]\n}\n');
    const before = ecs.requests.length;
    const r = await deployEcs(service, { 'task-definition': 'ecs/taskdef.json', 'container-name': undefined, image: undefined }, { cwd: workspace });
    expect(r.code).toBe(1);
    const error = r.annotations.find((a) => a.level === 'error')!;
    expect(error.message).toMatch(/container "web" needs an "image"/);
    expect(error.properties).toMatchObject({ file: 'ecs/taskdef.json', line: '3' });
    expect(ecs.requests.length).toBe(before);
  });

  it('fails the step with ECS’s reason when the circuit breaker rolls the deployment back', async () => {
    const { service, blue } = newService();
    ecs.planNext(`prod/${service}`, { failAt: 'SCALE_UP' });
    const r = await deployEcs(service);
    expect(r.code).toBe(1);
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
    expect(errors).toContain('ECS deployment circuit breaker: tasks failed to start.');
    // Named where ECS ended (it was logged ROLLBACK_SUCCESSFUL), not where it was first seen.
    expect(errors).toMatch(/ended ROLLBACK_SUCCESSFUL/);
    expect(errors).not.toMatch(/ROLLBACK_IN_PROGRESS/);
    expect(r.log).toMatch(/circuit breaker TRIGGERED/);
    expect(ecs.deploymentsOf('prod', service).at(-1)!.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', service).taskDefinition).toBe(blue);
    // ECS already rolled back: no stop request, no second UpdateService.
    expect(ecs.calls('StopServiceDeployment').filter((x) => x.body.serviceDeploymentArn.includes(`/${service}/`))).toHaveLength(0);
    expect(forService('UpdateService', service)).toHaveLength(1);
    const gh = github.deployments.find((x) => String(x.id) === r.outputs['github-deployment-id'])!;
    expect(gh.statuses.at(-1)!.state).toBe('failure');
    noLeaks(r);
  });

  it('SIGTERM during the bake stops the deployment with a rollback; production goes back to blue', async () => {
    ecs.bakeMs = 30_000;
    const { service, blue } = newService();
    // Once ECS bakes (green verified, the hook answered, production on green inside ECS's bake).
    const r = await deployEcs(service, {}, { cancelWhen: /IN_PROGRESS · BAKE_TIME/, timeoutMs: 40_000 });
    expect(r.code).not.toBe(0);
    expect(r.durationMs, r.log).toBeLessThan(20_000);
    const d = ecs.deploymentsOf('prod', service).at(-1)!;
    expect(ecs.calls('StopServiceDeployment').map((x) => x.body)).toContainEqual({ serviceDeploymentArn: d.serviceDeploymentArn, stopType: 'ROLLBACK' });
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', service).taskDefinition).toBe(blue);
    // Cancelled while ECS baked (production already on green inside ECS's own bake).
    expect(r.log, r.log).toMatch(/BAKE_TIME[\s\S]*Received SIGTERM[\s\S]*Cancelled: stopped ECS service deployment .* with a rollback/);
    expect(forService('UpdateService', service)).toHaveLength(1);
    noLeaks(r);
  });

  it('retries throttling, 429 and 5xx without a duplicate UpdateService', async () => {
    const { service } = newService();
    ecs.faults = [
      { operation: 'DescribeServices', times: 1, kind: 'server-error' },
      { operation: 'UpdateService', times: 2, kind: 'throttle' },
      { operation: 'DescribeServiceDeployments', times: 2, kind: 'throttle429' },
      { operation: 'DescribeServiceDeployments', times: 1, kind: 'reset' },
      { operation: 'ContinueServiceDeployment', times: 1, kind: 'throttle' },
      { operation: 'ContinueServiceDeployment', times: 1, kind: 'server-error', afterApplying: true },
    ];
    const r = await deployEcs(service);
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(r.outputs.result).toBe('promoted');
    expect(ecs.faults.every((f) => f.times === 0)).toBe(true);
    expect(forService('UpdateService', service).map((x) => x.status)).toEqual([400, 400, 200]);
    // Throttled (not applied) → sent again; a 500 after it took effect → the hook is re-read, nothing sent again.
    expect(ecs.calls('ContinueServiceDeployment').filter((x) => x.body.serviceDeploymentArn.includes(`/${service}/`)).map((x) => x.status)).toEqual([400, 500]);
    expect(r.log).toMatch(/the hook was already answered; CONTINUE not sent again/);
    expect(ecs.deploymentsOf('prod', service)).toHaveLength(2);
    noLeaks(r);
  });

  it('SIGTERM while green is being verified rolls the deployment back through the PAUSE hook', async () => {
    ecs.bakeMs = 30_000;
    const { service, blue } = newService();
    const r = await deployEcs(service, {}, { cancelWhen: /▶ Verify green/, timeoutMs: 40_000 });
    expect(r.code).not.toBe(0);
    const d = ecs.deploymentsOf('prod', service).at(-1)!;
    // Held at the PAUSE hook: rolled back through it.
    expect(ecs.calls('ContinueServiceDeployment').map((x) => x.body)).toContainEqual({ serviceDeploymentArn: d.serviceDeploymentArn, hookId: expect.stringMatching(/^ecs-pause-/), action: 'ROLLBACK' });
    expect(ecs.productionWeights(d.serviceDeploymentArn)).toEqual([0]);
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', service).taskDefinition).toBe(blue);
    noLeaks(r);
  });

  it('a green that fails verification on the test URL never gets production traffic: ECS, held at the hook, is told to roll back', async () => {
    ecs.bakeMs = 5_000;
    const { service, blue } = newService();
    green.healthy = false;
    const r = await deployEcs(service, { timeout: '20s' });
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(20_000);
    const d = ecs.deploymentsOf('prod', service).at(-1)!;
    // The stand-in records every production weight green was given: none above 0.
    expect(ecs.productionWeights(d.serviceDeploymentArn)).toEqual([0]);
    expect(ecs.calls('ContinueServiceDeployment').filter((x) => x.body.serviceDeploymentArn === d.serviceDeploymentArn).map((x) => x.body)).toEqual([{ serviceDeploymentArn: d.serviceDeploymentArn, hookId: expect.stringMatching(/^ecs-pause-/), action: 'ROLLBACK' }]);
    expect(ecs.calls('StopServiceDeployment').filter((x) => x.body.serviceDeploymentArn === d.serviceDeploymentArn)).toHaveLength(0);
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
    expect(errors).toMatch(/failed verification: health: .*unhealthy.*It never received production traffic/s);
    expect(r.log).toMatch(/Rolling back ECS service deployment .* at its PAUSE hook/);
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', service).taskDefinition).toBe(blue);
    noLeaks(r);
  });

  it('a green answering 500 on the test URL is broken: it fails after a few tries, not after minutes', async () => {
    ecs.bakeMs = 30_000;
    const { service, blue } = newService();
    green.answers = 500;
    const r = await deployEcs(service, { timeout: '10m' });
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(20_000);
    expect(r.annotations.find((a) => a.level === 'error')!.message).toMatch(/failed verification: health: HTTP 500/);
    expect(r.summary.split('\n').find((l) => l.startsWith('| Verify green'))).toMatch(/❌/);
    expect(ecs.service('prod', service).taskDefinition).toBe(blue);
    noLeaks(r);
  });

  it('a green answering 503 is warming up: retried, but never past the operation’s timeout', async () => {
    ecs.bakeMs = 60_000;
    const { service, blue } = newService();
    green.answers = 503;
    const r = await deployEcs(service, { timeout: '15s' });
    expect(r.code).toBe(1);
    // Was ~122 s: a fixed 2-minute verification whatever `timeout` said.
    expect(r.durationMs).toBeLessThan(25_000);
    expect(r.log).toMatch(/still not ready at the deadline/);
    expect(ecs.service('prod', service).taskDefinition).toBe(blue);
  });

  it('deploys a registered task definition named as family:revision, or as an ARN without its revision', async () => {
    const { service } = newService();
    const registered = (image: string) => ecs.opRegisterTaskDefinition({ family: service, containerDefinitions: [{ name: 'web', image }] }).taskDefinition.taskDefinitionArn as string;
    const second = registered('ghcr.io/acme/shop:v2');
    const byRevision = await deployEcs(service, { 'task-definition': `${service}:2`, 'container-name': undefined, image: undefined });
    expect(byRevision.code, byRevision.log).toBe(0);
    expect(forService('UpdateService', service).at(-1)!.body.deploymentConfiguration).toBeDefined();
    expect(byRevision.outputs['deployment-id']).toBe(second);
    const third = registered('ghcr.io/acme/shop:v3');
    // Was read as a file path (and refused) by the input check of old.
    // Another workflow run (the same run would be a re-run of a release that is live: nothing to do).
    const byArn = await deployEcs(service, { 'task-definition': `arn:aws:ecs:eu-west-1:123456789012:task-definition/${service}`, 'container-name': undefined, image: undefined }, { env: { GITHUB_RUN_ID: '4343' } });
    expect(byArn.code, byArn.log).toBe(0);
    expect(byArn.outputs['deployment-id']).toBe(third);
    // The hook configured by the first release is there: the next one sends no configuration.
    expect(forService('UpdateService', service).at(-1)!.body.deploymentConfiguration).toBeUndefined();
    expect(byArn.log).not.toMatch(/Configured a PAUSE lifecycle hook/);
    expect(ecs.service('prod', service).taskDefinition).toBe(third);
  });

  it('a bad ECS input fails naming it before any ECS request', async () => {
    const { service } = newService();
    const before = ecs.requests.length;
    const r = await deployEcs(service, { cluster: 'prod cluster!' });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.annotations.map((a) => a.message).join('\n'), r.stdout + r.stderr).toMatch(/cluster/);
    expect(ecs.requests.length).toBe(before);
  });

  it('stages with promote: false: green held at the PAUSE hook after the job, production on blue; operation promote lets ECS go on', async () => {
    const { service, blue } = newService();
    const environment = `staged-${service}`;
    const staged = await deployEcs(service, { promote: 'false', environment });
    expect(staged.code, staged.log + staged.stderr).toBe(0);
    expect(staged.outputs.result).toBe('staged');
    const greenId = staged.outputs['deployment-id']!;
    const arn = ecs.deploymentsOf('prod', service).at(-1)!.serviceDeploymentArn;
    // The job has ended; ECS still holds green (verified on the test listener) with no production traffic.
    expect(ecs.deploymentsOf('prod', service).at(-1)!.status).toBe('IN_PROGRESS');
    expect(ecs.awaiting(arn)).toBeDefined();
    expect(ecs.productionWeights(arn)).toEqual([0]);
    expect(ecs.calls('ContinueServiceDeployment').filter((x) => x.body.serviceDeploymentArn === arn)).toHaveLength(0);
    expect(staged.log).toMatch(/ECS holds green at the PAUSE hook \(production all on blue\) until \d{4}-\d\d-\d\dT/);
    const hits = green.hits;

    // Later, another run: the staged release from the ledger is verified again, then let go once.
    const promoted = await deployEcs(service, { operation: 'promote', environment }, { env: { GITHUB_RUN_ID: '5151' } });
    expect(promoted.code, promoted.log + promoted.stderr).toBe(0);
    expect(promoted.outputs.result).toBe('promoted');
    expect(promoted.outputs['deployment-id']).toBe(greenId);
    expect(promoted.outputs['previous-deployment-id']).toBe(blue);
    expect(green.hits).toBeGreaterThan(hits);
    expect(ecs.calls('ContinueServiceDeployment').filter((x) => x.body.serviceDeploymentArn === arn).map((x) => x.body.action)).toEqual(['CONTINUE']);
    // The same deployment went on: no second UpdateService, no second deployment.
    expect(forService('UpdateService', service)).toHaveLength(1);
    expect(ecs.deploymentsOf('prod', service).at(-1)!.serviceDeploymentArn).toBe(arn);
    expect(ecs.deploymentsOf('prod', service).at(-1)!.status).toBe('SUCCESSFUL');
    expect(ecs.service('prod', service).taskDefinition).toBe(greenId);
    noLeaks(staged);
    noLeaks(promoted);
  });
});
