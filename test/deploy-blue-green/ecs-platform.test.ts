/**
 * The ECS platform against the ECS stand-in: the real @aws-sdk/client-ecs making real, signed
 * awsJson1_1 requests over HTTP (through AWS_ENDPOINT_URL_ECS), a service deployment walked
 * through its real statuses and lifecycle stages.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError, ConfigurationError } from '../../shared/core/errors.js';
import { EcsDeploymentError, createEcsDeployments, type EcsOptions } from '../../shared/platforms/ecs.js';
import type { TrafficWait as WaitOptions } from '../../shared/platforms/traffic.js';
import { derivedForms } from '../../shared/core/secrets.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let ecs: EcsStandIn;
let logged: string[] = [];
let serviceNo = 0;

beforeAll(async () => {
  ecs = await startEcsStandIn({ stageMs: 30, bakeMs: 250 });
  process.env.AWS_ENDPOINT_URL_ECS = ecs.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = SECRET;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = '/nonexistent/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
});
afterAll(async () => {
  await ecs.close();
});

beforeEach(() => {
  logged = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
  });
  ecs.faults = [];
  ecs.stageMs = 30;
  ecs.bakeMs = 250;
});
afterEach(() => {
  vi.restoreAllMocks();
  // Nothing the platform wrote may carry the secret key, in any form; nor may any request.
  const text = logged.join('').split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
  for (const form of derivedForms(SECRET).filter((f) => f.length >= 6)) expect(text.includes(form)).toBe(false);
  for (const auth of ecs.authorizations) expect(auth.includes(SECRET)).toBe(false);
});

function setup(strategy: 'BLUE_GREEN' | 'ROLLING' = 'BLUE_GREEN', extra: Partial<EcsOptions> = {}) {
  const name = `shop-${++serviceNo}`;
  const { taskDefinitionArn } = ecs.addService({ cluster: 'prod', service: name, strategy, alarmNames: ['shop-5xx'] });
  const platform = createEcsDeployments({
    region: 'eu-west-1',
    cluster: 'prod',
    service: name,
    containerName: 'web',
    image: 'ghcr.io/acme/shop:v2',
    testUrl: 'http://127.0.0.1:1/test',
    productionUrl: 'http://127.0.0.1:1/',
    maxAttempts: 6,
    ...extra,
  });
  return { name, platform, blue: taskDefinitionArn };
}

const opts = (ms = 20_000, signal = new AbortController().signal): WaitOptions => ({ signal, deadline: Date.now() + ms });
const requestsFor = (service: string) => ecs.requests.filter((r) => r.body.service === service || r.body.services?.includes(service));

describe('ECS platform', () => {
  it('a LINEAR service held before each production step (left so by canary-shift) is verified, then let through every step', async () => {
    const name = `shop-${++serviceNo}`;
    ecs.addService({ cluster: 'prod', service: name, strategy: 'LINEAR', linearConfiguration: { stepPercent: 50, stepBakeTimeInMinutes: 0 }, lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'] }] });
    const platform = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: name, containerName: 'web', image: 'ghcr.io/acme/shop:v2', pollIntervalMs: 50, maxPollIntervalMs: 100 });
    const candidate = await platform.createCandidate(opts());
    // The service has a hook already: nothing configured, the release held there.
    expect(ecs.calls('UpdateService').filter((r) => r.body.service === name)[0]!.body.deploymentConfiguration).toBeUndefined();
    expect(candidate.details?.gate).toBe('PRE_PRODUCTION_TRAFFIC_SHIFT');
    const ready = await platform.waitReady(candidate, opts());
    const arn = candidate.details!.serviceDeploymentArn!;
    expect(ready.details?.hookId).toBe(ecs.awaiting(arn)!.hookId);
    expect(ecs.productionWeights(arn)).toEqual([0]);
    await platform.shiftTraffic(candidate, 100, opts());
    expect(ecs.deployments.get(arn)!.status).toBe('SUCCESSFUL');
    expect(ecs.productionWeights(arn)).toEqual([0, 50, 100]);
    expect(ecs.calls('ContinueServiceDeployment').filter((r) => r.body.serviceDeploymentArn === arn).map((r) => r.body.action)).toEqual(['CONTINUE', 'CONTINUE']);
  });

  it('releases on BLUE_GREEN: ready once test traffic is on green, promoted once ECS completes the bake', async () => {
    ecs.stageMs = 120;
    ecs.bakeMs = 1_200;
    const { name, platform, blue } = setup('BLUE_GREEN', { pollIntervalMs: 50, maxPollIntervalMs: 100 });
    const live = await platform.findLive(opts());
    expect(live?.id).toBe(blue);
    const before = ecs.requests.length;
    const candidate = await platform.createCandidate(opts());
    expect(candidate.id).toMatch(new RegExp(`task-definition/${name}:2$`));
    const arn = candidate.details!.serviceDeploymentArn!;
    const d = ecs.deployments.get(arn)!;
    expect(d).toBeDefined();

    // Exactly one, minimal UpdateService.
    const updates = ecs.calls('UpdateService').filter((r) => r.body.service === name);
    // Minimal, plus the PAUSE hook the BLUE_GREEN service lacked (ECS holds green on the test listener until verified).
    expect(updates.map((r) => r.body)).toEqual([
      {
        cluster: 'prod',
        service: name,
        taskDefinition: candidate.id,
        forceNewDeployment: false,
        deploymentConfiguration: expect.objectContaining({ lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' } }] }),
      },
    ]);

    const ready = await platform.waitReady(candidate, opts());
    // Ready while ECS is still in flight (green has 100 % test traffic), not after the bake.
    expect(d.status).toBe('IN_PROGRESS');
    expect(['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME']).toContain(d.lifecycleStage);
    expect(d.testWeight).toBe(100);
    expect(ready.details?.lifecycleStage).toBeDefined();

    await platform.shiftTraffic(candidate, 100, opts());
    const noticed = Date.now();
    const successfulAt = ecs.reachedAt(arn, 'SUCCESSFUL');
    expect(successfulAt).toBeDefined();
    expect(noticed - successfulAt!).toBeLessThan(1_500);
    expect(ecs.service('prod', name).taskDefinition).toBe(candidate.id);
    expect((await platform.findLive(opts()))?.id).toBe(candidate.id);

    // The log streamed the stages, weights, circuit breaker and alarms, each line only on change.
    const lines = logged.join('').split('\n').filter((l) => l.startsWith('ECS deployment'));
    const text = lines.join('\n');
    for (const stage of ['TEST_TRAFFIC_SHIFT', 'BAKE_TIME', 'SUCCESSFUL']) expect(text).toContain(stage);
    expect(text).toMatch(/green production 100% \/ test 100%/);
    expect(text).toMatch(/circuit breaker MONITORING/);
    expect(text).toMatch(/alarms MONITORING/);
    lines.forEach((line, i) => i > 0 && expect(line).not.toBe(lines[i - 1]));
    // Polling, not hammering: well under 20 describes a second.
    const polls = ecs.requests.slice(before).filter((r) => r.operation === 'DescribeServiceDeployments').length;
    expect(polls).toBeLessThan(80);
  });

  it('waits on a ROLLING service until its deployment truly completes, not when tasks first look steady', async () => {
    const { platform } = setup('ROLLING');
    const candidate = await platform.createCandidate(opts());
    const arn = candidate.details!.serviceDeploymentArn!;
    const d = ecs.deployments.get(arn)!;
    let sawAllRunningWhileInProgress = false;
    const watcher = setInterval(() => {
      if (d.status === 'IN_PROGRESS' && d.running === d.desired) sawAllRunningWhileInProgress = true;
    }, 5);
    await platform.waitReady(candidate, opts());
    clearInterval(watcher);
    expect(sawAllRunningWhileInProgress).toBe(true);
    expect(d.status).toBe('SUCCESSFUL');
    const successfulAt = ecs.reachedAt(arn, 'SUCCESSFUL')!;
    expect(Date.now() - successfulAt).toBeLessThan(1_500);
    await platform.shiftTraffic(candidate, 100, opts());
  });

  it('a ROLLING deployment that fails after its tasks are all running is a failure', async () => {
    const { name, platform, blue } = setup('ROLLING');
    ecs.planNext(`prod/${name}`, { failAt: 'BAKE_TIME' });
    const candidate = await platform.createCandidate(opts());
    await expect(platform.waitReady(candidate, opts())).rejects.toThrow(/circuit breaker: tasks failed to start/);
    await platform.rollback({ id: blue }, candidate, { ...opts(), reason: 'test' });
    expect(ecs.service('prod', name).taskDefinition).toBe(blue);
  });

  it('fails with ECS’s reason when the circuit breaker rolls the deployment back; rollback is then a no-op', async () => {
    const { name, platform, blue } = setup();
    ecs.planNext(`prod/${name}`, { failAt: 'SCALE_UP' });
    const live = await platform.findLive(opts());
    const candidate = await platform.createCandidate(opts());
    const error = await platform.waitReady(candidate, opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EcsDeploymentError);
    expect((error as EcsDeploymentError).message).toContain('ECS deployment circuit breaker: tasks failed to start.');
    expect((error as EcsDeploymentError).status).toMatch(/^ROLLBACK_/);
    expect(logged.join('')).toMatch(/circuit breaker TRIGGERED \(3\/3 failed tasks\)/);

    const updatesBefore = ecs.calls('UpdateService').length;
    await platform.rollback(live, candidate, { ...opts(), reason: 'verification failed' });
    await platform.rollback(live, candidate, { ...opts(), reason: 'again' }); // safe twice
    expect(ecs.calls('StopServiceDeployment').filter((r) => r.body.serviceDeploymentArn === candidate.details!.serviceDeploymentArn)).toHaveLength(0);
    expect(ecs.calls('UpdateService').length).toBe(updatesBefore);
    expect(ecs.deployments.get(candidate.details!.serviceDeploymentArn!)!.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', name).taskDefinition).toBe(blue);
  });

  it('reports a CloudWatch alarm rollback with the alarm name', async () => {
    const { name, platform } = setup();
    ecs.planNext(`prod/${name}`, { failAt: 'BAKE_TIME', failure: 'alarm' });
    const candidate = await platform.createCandidate(opts());
    const release = async () => {
      await platform.waitReady(candidate, opts());
      await platform.shiftTraffic(candidate, 100, opts());
    };
    await expect(release()).rejects.toThrow(/rolled back because the CloudWatch alarm\(s\) shop-5xx are in ALARM state/);
    expect(logged.join('')).toMatch(/alarms TRIGGERED: shop-5xx/);
  });

  it('retries throttling (400 ThrottlingException and 429), 5xx and a hung request without a duplicate UpdateService', async () => {
    const { name, platform } = setup('BLUE_GREEN', { requestTimeoutMs: 1_000 });
    ecs.faults = [
      { operation: 'DescribeServices', times: 1, kind: 'server-error' },
      { operation: 'UpdateService', times: 2, kind: 'throttle' },
      { operation: 'RegisterTaskDefinition', times: 1, kind: 'throttle429' },
      { operation: 'DescribeServiceDeployments', times: 1, kind: 'hang' },
      { operation: 'DescribeServiceDeployments', times: 2, kind: 'throttle429' },
    ];
    const candidate = await platform.createCandidate(opts());
    await platform.waitReady(candidate, opts());
    await platform.shiftTraffic(candidate, 100, opts());
    expect(ecs.faults.every((f) => f.times === 0)).toBe(true);
    const updates = ecs.calls('UpdateService').filter((r) => r.body.service === name);
    expect(updates.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(ecs.deploymentsOf('prod', name)).toHaveLength(2); // the initial one and ours
    expect(ecs.calls('RegisterTaskDefinition').filter((r) => r.body.family === name && r.status === 200)).toHaveLength(1);
  });

  it('a job cancelled during the bake stops the deployment with a rollback and waits for it to settle', async () => {
    ecs.bakeMs = 10_000;
    const { name, platform, blue } = setup();
    const candidate = await platform.createCandidate(opts());
    const arn = candidate.details!.serviceDeploymentArn!;
    await platform.waitReady(candidate, opts());
    const job = new AbortController();
    const d = ecs.deployments.get(arn)!;
    const timer = setInterval(() => d.lifecycleStage === 'BAKE_TIME' && job.abort(new CancelledError('SIGTERM')), 10);
    const started = Date.now();
    const error = await platform.shiftTraffic(candidate, 100, opts(30_000, job.signal)).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(8_000);
    const stops = ecs.calls('StopServiceDeployment');
    expect(stops.map((r) => r.body)).toContainEqual({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' });
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', name).taskDefinition).toBe(blue);
    expect(logged.join('')).toMatch(/Cancelled: stopped ECS service deployment .* with a rollback/);
    // The action's own rollback afterwards (with the aborted signal) is safe and changes nothing.
    const updates = ecs.calls('UpdateService').length;
    await platform.rollback({ id: blue }, candidate, { ...opts(5_000, job.signal), reason: 'cancelled' });
    expect(ecs.calls('UpdateService').length).toBe(updates);
  });

  it('a deployment that hangs ends at the deadline, and the rollback after it stops it', async () => {
    const { name, platform, blue } = setup();
    ecs.planNext(`prod/${name}`, { hangAt: 'BAKE_TIME' });
    const live = await platform.findLive(opts());
    const candidate = await platform.createCandidate(opts());
    await platform.waitReady(candidate, opts());
    const started = Date.now();
    await expect(platform.shiftTraffic(candidate, 100, opts(1_500))).rejects.toThrow(/timed out after [\d.]+s waiting for ECS to complete the deployment/);
    expect(Date.now() - started).toBeLessThan(3_000);
    const d = ecs.deployments.get(candidate.details!.serviceDeploymentArn!)!;
    expect(d.status).toBe('IN_PROGRESS');
    await platform.rollback(live, candidate, { ...opts(), reason: 'timed out' });
    expect(ecs.calls('StopServiceDeployment').map((r) => r.body)).toContainEqual({ serviceDeploymentArn: d.serviceDeploymentArn, stopType: 'ROLLBACK' });
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', name).taskDefinition).toBe(blue);
  });

  it('rolls back a completed deployment with an UpdateService to the previous task definition', async () => {
    const { name, platform, blue } = setup();
    const live = await platform.findLive(opts());
    const candidate = await platform.createCandidate(opts());
    await platform.waitReady(candidate, opts());
    await platform.shiftTraffic(candidate, 100, opts());
    await platform.rollback(live, candidate, { ...opts(), reason: 'watch failed' });
    const updates = ecs.calls('UpdateService').filter((r) => r.body.service === name);
    expect(updates.at(-1)!.body).toEqual({ cluster: 'prod', service: name, taskDefinition: blue, forceNewDeployment: false });
    const back = ecs.deploymentsOf('prod', name).at(-1)!;
    expect(back.target.taskDefinition).toBe(blue);
    expect(back.productionWeight).toBe(100);
    expect(ecs.service('prod', name).taskDefinition).toBe(blue);
  });

  it('patches only the named container of the current task definition and drops read-only fields', async () => {
    const { name, platform, blue } = setup();
    const candidate = await platform.createCandidate(opts());
    const register = ecs.calls('RegisterTaskDefinition').filter((r) => r.body.family === name).at(-1)!;
    expect(register.status).toBe(200);
    const body = register.body;
    for (const field of ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy']) {
      expect(body).not.toHaveProperty(field);
    }
    expect(body.containerDefinitions).toEqual([
      { name: 'web', image: 'ghcr.io/acme/shop:v2', essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] },
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
    ]);
    expect(body).toMatchObject({ family: name, cpu: '256', memory: '512', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] });
    expect(ecs.calls('DescribeTaskDefinition').at(-1)!.body.taskDefinition).toBe(blue);
    expect(candidate.details?.previousTaskDefinition).toBe(blue);
    await platform.shiftTraffic(candidate, 100, opts());

    const wrong = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: name, containerName: 'api', image: 'x:1' });
    await expect(wrong.createCandidate(opts())).rejects.toThrow(/container-name: .* has no container "api" \(it has: web, log-router\)/);
  });

  it('deploys an existing task definition ARN, and a re-run with the live one starts nothing', async () => {
    const { name, blue } = setup();
    const platform = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: name, taskDefinition: blue });
    const updates = ecs.calls('UpdateService').length;
    const candidate = await platform.createCandidate(opts());
    expect(candidate.details?.unchanged).toBe('true');
    expect(ecs.calls('UpdateService').length).toBe(updates);
    await platform.waitReady(candidate, opts());
    await platform.shiftTraffic(candidate, 100, opts());

    const missing = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: name, taskDefinition: `${name}:99` });
    const error = await missing.createCandidate(opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).location?.input).toBe('task-definition');
  });

  it('refuses to start while another deployment is in flight, and describe() shows it', async () => {
    ecs.bakeMs = 5_000;
    const { name, platform } = setup();
    const candidate = await platform.createCandidate(opts());
    await platform.waitReady(candidate, opts());
    const state = await platform.describe(opts());
    expect(state.inProgress).toMatch(/IN_PROGRESS/);
    expect(state.candidate?.id).toBe(candidate.id);
    const second = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: name, containerName: 'web', image: 'ghcr.io/acme/shop:v3' });
    await expect(second.createCandidate(opts())).rejects.toThrow(/another deployment of .* is in progress/);
    await platform.rollback(undefined, candidate, { ...opts(), reason: 'cleanup' });
    expect(ecs.deployments.get(candidate.details!.serviceDeploymentArn!)!.status).toBe('ROLLBACK_SUCCESSFUL');
  });

  it('promotes a registered task definition known only by its ARN (operation: promote with to)', async () => {
    const { name, blue } = setup();
    const v2 = ecs.register({ family: name, containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v2' }] }).taskDefinitionArn;
    const platform = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: name });
    const candidate = { id: v2 };
    await platform.waitReady(candidate, opts());
    await platform.shiftTraffic(candidate, 100, opts());
    expect(ecs.service('prod', name).taskDefinition).toBe(v2);
    expect(ecs.calls('UpdateService').filter((r) => r.body.service === name)).toHaveLength(1);
    // A manual rollback with no candidate goes back by UpdateService, and is a no-op the second time.
    await platform.rollback({ id: blue }, undefined, { ...opts(), reason: 'manual rollback' });
    await platform.rollback({ id: blue }, undefined, { ...opts(), reason: 'manual rollback' });
    expect(ecs.service('prod', name).taskDefinition).toBe(blue);
    expect(ecs.calls('UpdateService').filter((r) => r.body.service === name).map((r) => r.body.taskDefinition)).toEqual([v2, blue]);
  });

  it('notices a completed deployment within about a second (readiness-detection lag, default polling)', async () => {
    const lags: number[] = [];
    for (let i = 0; i < 5; i++) {
      ecs.bakeMs = 200 + Math.round(Math.random() * 1_000); // a random phase against the poll clock
      const { platform } = setup();
      const candidate = await platform.createCandidate(opts());
      await platform.shiftTraffic(candidate, 100, opts());
      lags.push(Date.now() - ecs.reachedAt(candidate.details!.serviceDeploymentArn!, 'SUCCESSFUL')!);
    }
    lags.sort((a, b) => a - b);
    const median = lags[Math.floor(lags.length / 2)]!;
    console.error(`ECS readiness-detection lag (SUCCESSFUL → noticed), ms: ${lags.join(', ')}; median ${median}`);
    expect(median).toBeLessThanOrEqual(1_100);
    expect(lags.at(-1)!).toBeLessThan(2_000);
  });

  it('names the cluster or service input when either does not exist', async () => {
    const { name } = setup();
    const noService = createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: 'nope', containerName: 'web', image: 'x:1' });
    await expect(noService.findLive(opts())).rejects.toMatchObject({ name: 'ConfigurationError', location: { input: 'service' } });
    const noCluster = createEcsDeployments({ region: 'eu-west-1', cluster: 'staging', service: name, containerName: 'web', image: 'x:1' });
    await expect(noCluster.createCandidate(opts())).rejects.toMatchObject({ name: 'ConfigurationError', location: { input: 'cluster' } });
  });
});

describe('task definition files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-td-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  const errorFor = async (taskDefinition: string, extra: Partial<EcsOptions> = {}) => {
    const before = ecs.requests.length;
    // A bad file fails when the platform is built (the action does that before any request).
    let error: unknown;
    try {
      createEcsDeployments({ region: 'eu-west-1', cluster: 'prod', service: 'whatever', taskDefinition, workspace: dir, ...extra });
    } catch (e) {
      error = e;
    }
    expect(ecs.requests.length).toBe(before); // nothing touched
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  };

  it('reports JSON syntax errors with the file and line', async () => {
    const e = await errorFor(file('broken.json', '{\n  "family": "shop",\n  "containerDefinitions": [\n    {"name": "web" "image": "x"}\n  ]\n}\n'));
    expect(e.location).toMatchObject({ file: 'broken.json', line: 4 });
    expect(e.message).toMatch(/broken\.json:4: not valid JSON/);
    const absolute = await errorFor(join(dir, 'broken.json'));
    expect(absolute.location).toMatchObject({ file: 'broken.json', line: 4 });
    const trailing = await errorFor(file('trailing.json', '{\n  "family": "shop",\n  "containerDefinitions": [],\n}\n'));
    expect(trailing.location?.line).toBe(4);
  });

  it('reports missing or wrong fields with their line', async () => {
    const noFamily = await errorFor(file('nofamily.json', '{\n  "containerDefinitions": [{"name": "web", "image": "x"}]\n}\n'));
    expect(noFamily.message).toMatch(/"family" must be/);
    const noImage = await errorFor(file('noimage.json', '{\n  "family": "shop",\n  "containerDefinitions": [\n    {"name": "web", "image": "x"},\n    {"name": "sidecar"}\n  ]\n}\n'));
    expect(noImage.location).toMatchObject({ file: 'noimage.json', line: 5 });
    expect(noImage.message).toMatch(/container "sidecar" needs an "image"/);
    const unknown = await errorFor(file('unknown.json', '{\n  "family": "shop",\n  "containerDefintions": []\n}\n'));
    expect(unknown.location?.line).toBe(3);
    expect(unknown.message).toMatch(/"containerDefintions" is not a task definition field/);
    const empty = await errorFor(file('empty.json', '{"family": "shop", "containerDefinitions": []}'));
    expect(empty.message).toMatch(/non-empty list/);
    const missing = await errorFor('does-not-exist.json');
    expect(missing.location?.input).toBe('task-definition');
    const badContainer = await errorFor(file('ok.json', '{"family": "shop", "containerDefinitions": [{"name": "web", "image": "x"}]}'), { containerName: 'api', image: 'y' });
    expect(badContainer.location?.input).toBe('container-name');
  });

  it('registers a revision from describe-task-definition output, read-only fields dropped, image patched', async () => {
    const { name } = setup();
    const described = {
      taskDefinition: {
        taskDefinitionArn: `arn:aws:ecs:eu-west-1:123456789012:task-definition/${name}:7`,
        family: name,
        revision: 7,
        status: 'ACTIVE',
        cpu: 512,
        memory: '1024',
        requiresAttributes: [{ name: 'x' }],
        compatibilities: ['FARGATE'],
        registeredAt: '2026-01-01T00:00:00Z',
        containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:old', essential: true }],
      },
      tags: [],
    };
    const platform = createEcsDeployments({
      region: 'eu-west-1', cluster: 'prod', service: name, taskDefinition: file('described.json', JSON.stringify(described, null, 2)),
      containerName: 'web', image: 'ghcr.io/acme/shop:v9', workspace: dir,
    });
    const candidate = await platform.createCandidate(opts());
    const body = ecs.calls('RegisterTaskDefinition').at(-1)!.body;
    expect(body).toEqual({ family: name, cpu: '512', memory: '1024', containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v9', essential: true }] });
    await platform.waitReady(candidate, opts());
    await platform.shiftTraffic(candidate, 100, opts());
  });
});
