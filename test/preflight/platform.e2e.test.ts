/**
 * The platform check through the real SDKs against the stand-ins: the ECS stand-in (awsJson1_1 via
 * AWS_ENDPOINT_URL_ECS) with a service deployment in flight, and the Vercel stand-in with a promote
 * (alias job) in flight; missing targets and bad credentials fail by name, secrets unseen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startVercelStandin, type VercelStandin } from '../harness/vercel.js';
import { check, preflight } from './support.js';

const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let ecs: EcsStandIn;
let vercel: VercelStandin;

beforeAll(async () => {
  [ecs, vercel] = await Promise.all([startEcsStandIn({ stageMs: 40, bakeMs: 60_000 }), startVercelStandin({ buildMs: 50, aliasMs: 60_000 })]);
  ecs.addService({ cluster: 'prod', service: 'shop', strategy: 'BLUE_GREEN' });
  ecs.addService({ cluster: 'prod', service: 'api', strategy: 'BLUE_GREEN' });
});
afterAll(async () => {
  await Promise.all([ecs.close(), vercel.close()]);
});

const ecsEnv = () => ({
  AWS_ENDPOINT_URL_ECS: ecs.url,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: SECRET_KEY,
  AWS_CONFIG_FILE: '/nonexistent/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
});
const ecsRun = (service: string, extra: Record<string, string> = {}) =>
  preflight({ platform: 'ecs', 'aws-region': 'eu-west-1', cluster: 'prod', service, 'fail-on-not-ready': 'false', ...extra }, { env: ecsEnv(), secrets: [SECRET_KEY] });

describe('platform: ECS', () => {
  it('an ACTIVE service with nothing rolling out passes and says what is live', async () => {
    const r = await ecsRun('api');
    expect(check(r, 'platform')).toMatchObject({ status: 'pass', found: 'ECS service api in prod (eu-west-1): live: api:1; nothing rolling out' });
  });

  it('a service deployment in flight fails: someone else is releasing', async () => {
    const td = ecs.register({ family: 'shop', containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v2', essential: true }] });
    ecs.planNext('prod/shop', { hangAt: 'POST_TEST_TRAFFIC_SHIFT' });
    ecs.opUpdateService({ cluster: 'prod', service: 'shop', taskDefinition: td.taskDefinitionArn });
    const r = await ecsRun('shop');
    const c = check(r, 'platform');
    expect(c.status).toBe('fail');
    expect(c.found).toMatch(/^ECS service shop in prod \(eu-west-1\): live: shop:1; already rolling out: ECS service deployment \S+ is IN_PROGRESS \(0% of production on shop:2\)$/);
    expect(c.data).toMatchObject({ candidate: td.taskDefinitionArn });
    expect(c.fix).toMatch(/wait for the rollout in flight/);
  });

  it('a missing service fails by name', async () => {
    const r = await ecsRun('nope');
    expect(check(r, 'platform').status).toBe('fail');
    expect(check(r, 'platform').found).toMatch(/has no active service "nope"/);
  });
});

describe('platform: Vercel', () => {
  const vercelRun = (extra: Record<string, string> = {}) =>
    preflight(
      { platform: 'vercel', 'vercel-token': vercel.token, 'vercel-team-id': vercel.teamId, 'vercel-project-id': vercel.projectId, 'vercel-api-url': vercel.url, 'fail-on-not-ready': 'false', ...extra },
      { secrets: [vercel.token, extra['vercel-token'] ?? vercel.token] },
    );
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${vercel.url}${path}${path.includes('?') ? '&' : '?'}teamId=${vercel.teamId}`, {
      method,
      headers: { authorization: `Bearer ${vercel.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, any>;
  };

  it('the project exists and nothing is live yet; then a promote in flight fails the check', async () => {
    const quiet = await vercelRun();
    expect(check(quiet, 'platform')).toMatchObject({ status: 'pass', found: `Vercel project ${vercel.projectId}: nothing live yet (first release); nothing rolling out` });

    const first = await api('POST', '/v13/deployments', { name: 'shop', project: vercel.projectId, target: 'production', files: [] });
    await new Promise((r) => setTimeout(r, 200));
    const live = await api('POST', '/v13/deployments', { name: 'shop', project: vercel.projectId, target: 'production', autoAssignCustomDomains: false, files: [] });
    await new Promise((r) => setTimeout(r, 200));
    await api('POST', `/v10/projects/${vercel.projectId}/promote/${live.id}`, {});
    const busy = await vercelRun();
    const c = check(busy, 'platform');
    expect(c.status).toBe('fail');
    expect(c.found).toBe(`Vercel project ${vercel.projectId}: live: ${first.id}; already rolling out: promote of ${live.id} (pending)`);
  });

  it('a production build on its way, or an active rolling release, is a rollout in flight', async () => {
    const other = await startVercelStandin({ buildMs: 50 });
    try {
      const run = () =>
        preflight(
          { platform: 'vercel', 'vercel-token': other.token, 'vercel-team-id': other.teamId, 'vercel-project-id': other.projectId, 'vercel-api-url': other.url, 'fail-on-not-ready': 'false' },
          { secrets: [other.token] },
        );
      const call = async (path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
        (await (await fetch(`${other.url}${path}?teamId=${other.teamId}`, { method: 'POST', headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json', ...init.headers }, body: init.body })).json()) as Record<string, any>;
      // The real upload protocol: the file by digest, then a deployment naming it (the stand-in reads its build time from it).
      const plan = JSON.stringify({ buildMs: 60_000 });
      await call('/v2/files', { body: plan, headers: { 'x-now-digest': 'f00d0001', 'content-type': 'application/octet-stream' } });
      const building = await call('/v13/deployments', { body: JSON.stringify({ name: 'shop', project: other.projectId, target: 'production', files: [{ file: 'standin.json', sha: 'f00d0001', size: plan.length }] }) });
      await new Promise((r) => setTimeout(r, 100));
      const r1 = await run();
      expect(check(r1, 'platform').status).toBe('fail');
      expect(check(r1, 'platform').found).toMatch(new RegExp(`already rolling out: production build ${building.id} \\((QUEUED|BUILDING)\\)$`));

      other.deployments.get(building.id)!.doneAt = Date.now();
      other.setRollingRelease({ state: 'ACTIVE', canaryDeployment: { id: building.id }, activeStage: { index: 1, targetPercentage: 25 } });
      const r2 = await run();
      expect(check(r2, 'platform').found).toMatch(new RegExp(`already rolling out: rolling release of ${building.id} at stage 1 \\(25%\\)$`));

      other.setRollingRelease({ state: 'COMPLETE', canaryDeployment: { id: building.id } });
      const r3 = await run();
      expect(check(r3, 'platform')).toMatchObject({ status: 'pass' });
      expect(check(r3, 'platform').found).toMatch(/nothing rolling out$/);
    } finally {
      await other.close();
    }
  });

  it("a rolling release started through Vercel's API is a rollout in flight until it is rolled back", async () => {
    const other = await startVercelStandin({ buildMs: 50, aliasMs: 100 });
    try {
      const call = async (method: string, path: string, body: unknown) =>
        (await (await fetch(`${other.url}${path}?teamId=${other.teamId}`, { method, headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, any>;
      const settle = () => new Promise((r) => setTimeout(r, 250));
      const run = () =>
        preflight(
          { platform: 'vercel', 'vercel-token': other.token, 'vercel-team-id': other.teamId, 'vercel-project-id': other.projectId, 'vercel-api-url': other.url, 'fail-on-not-ready': 'false' },
          { secrets: [other.token] },
        );
      const live = await call('POST', '/v13/deployments', { name: 'shop', project: other.projectId, target: 'production', files: [] });
      await settle();
      await call('PATCH', `/v1/projects/${other.projectId}/rolling-release/config`, { enabled: true, advancementType: 'manual-approval', stages: [{ targetPercentage: 10 }, { targetPercentage: 100 }] });
      const canary = await call('POST', '/v13/deployments', { name: 'shop', project: other.projectId, target: 'production', autoAssignCustomDomains: false, files: [] });
      await settle();
      const started = await call('POST', `/v1/projects/${other.projectId}/rolling-release/start`, { canaryDeploymentId: canary.id });
      expect(started.rollingRelease).toMatchObject({ state: 'ACTIVE', substate: 'PAUSED', activeStage: { index: 0, targetPercentage: 10 } });
      const busy = await run();
      expect(check(busy, 'platform')).toMatchObject({ status: 'fail' });
      expect(check(busy, 'platform').found).toBe(`Vercel project ${other.projectId}: live: ${live.id}; already rolling out: rolling release of ${canary.id} at stage 0 (10%)`);

      await call('POST', `/v1/projects/${other.projectId}/rollback/${live.id}`, {});
      await settle();
      const quiet = await run();
      expect(check(quiet, 'platform')).toMatchObject({ status: 'pass', found: `Vercel project ${other.projectId}: live: ${live.id}; nothing rolling out` });
    } finally {
      await other.close();
    }
  });

  it('a token Vercel refuses fails with its answer, the token unseen', async () => {
    const r = await vercelRun({ 'vercel-token': 'vcp_refused_token_123' });
    expect(check(r, 'platform').status).toBe('fail');
    expect(check(r, 'platform').found).toMatch(/403 forbidden: Not authorized/);
  });
});
