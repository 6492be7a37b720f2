/**
 * Faults and bad input, through the bundle: 429s and connection resets are retried without
 * duplicate effects (one promote, one GitHub deployment), and every input given a bad value fails
 * with one error naming it before any request reaches Vercel or GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks } from '../harness/action.js';
import { deploy, fetchProduction, secretsOf, startWorld, writeApp, type World } from '../harness/deploy-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ buildMs: 250, aliasMs: 300 });
});
afterAll(() => world?.close());

describe('deploy-blue-green under faults (Vercel)', () => {
  it('retries 429s and resets without a second promote or a second GitHub deployment', async () => {
    const base = await deploy(world, { 'working-directory': writeApp(world, { version: '1.0.0' }) });
    expect(base.code, base.log).toBe(0);
    const ghBefore = world.github.deployments.length;
    // Vercel: the first promote is rate limited twice, then handled but its answer is lost.
    world.vercel.inject({ method: 'POST', path: /\/promote\//, status: 429, times: 2, retryAfter: '0' });
    world.vercel.inject({ method: 'POST', path: /\/promote\//, status: 'reset', when: 'after', times: 1 });
    world.vercel.inject({ method: 'GET', path: /^\/v13\/deployments\//, status: 503, times: 2 });
    world.vercel.inject({ method: 'GET', path: /^\/v9\/projects\//, status: 'reset', times: 1 });
    // GitHub: a secondary rate limit on statuses and a 502 on the listing.
    world.github.inject({ method: 'POST', path: /\/statuses$/, status: 429, times: 2, retryAfter: '0' });
    world.github.inject({ method: 'GET', path: /\/deployments$/, status: 502, times: 1 });
    const r = await deploy(world, { 'working-directory': writeApp(world, { version: '2.0.0' }) });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.result).toBe('promoted');
    const green = r.outputs['deployment-id']!;
    expect(world.vercel.production()).toBe(green);
    expect((await fetchProduction(world)).body).toContain('2.0.0');
    // Three promote requests reached the stand-in: 2 × 429, then one handled whose answer was lost; the
    // next attempt read the project, found the alias job and did not send another.
    expect(world.vercel.count('POST', new RegExp(`/promote/${green}$`))).toBe(3);
    expect(world.vercel.aliasJobs.filter((j) => j.type === 'promote' && j.toDeploymentId === green)).toHaveLength(1);
    expect(world.github.deployments.length - ghBefore).toBe(1);
    expect(world.github.deployments.at(-1)!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(r.log).toMatch(/429/);
    expect(findSecretLeaks(r, secretsOf(world))).toEqual([]);
  });

  it('re-running a release that already went out changes nothing', async () => {
    const dir = writeApp(world, { version: '3.0.0' });
    const runId = '777001';
    const first = await deploy(world, { 'working-directory': dir }, { env: { GITHUB_RUN_ID: runId } });
    expect(first.code, first.log).toBe(0);
    const requests = world.vercel.count('POST', /^\/v13\/deployments$/);
    const again = await deploy(world, { 'working-directory': dir }, { env: { GITHUB_RUN_ID: runId, GITHUB_RUN_ATTEMPT: '2' } });
    expect(again.code, again.log).toBe(0);
    expect(again.outputs).toMatchObject({ result: 'promoted', 'deployment-id': first.outputs['deployment-id'], 'github-deployment-id': first.outputs['github-deployment-id'] });
    expect(world.vercel.count('POST', /^\/v13\/deployments$/)).toBe(requests);
    expect(world.vercel.aliasJobs.filter((j) => j.toDeploymentId === first.outputs['deployment-id'])).toHaveLength(1);
  });
});

describe('deploy-blue-green bad inputs', () => {
  const bad: Array<[string, Record<string, string>]> = [
    ['platform', { platform: 'heroku' }],
    ['operation', { operation: 'explode' }],
    ['environment', { environment: '!prod' }],
    ['verify-checks', { 'verify-checks': '- name: x\n  expect-status: 999' }],
    ['promote', { promote: 'maybe' }],
    ['watch', { watch: 'a while' }],
    ['auto-rollback', { 'auto-rollback': 'perhaps' }],
    ['timeout', { timeout: 'never' }],
    ['to', { to: 'a b' }],
    ['backup-id', { 'backup-id': 'has space' }],
    ['migration-version', { 'migration-version': 'v 2' }],
    ['github-token', { 'github-token': '' }],
    ['vercel-token', { 'vercel-token': 'short' }],
    ['vercel-team-id', { 'vercel-team-id': 'acme' }],
    ['vercel-project-id', { 'vercel-project-id': 'Bad Project!' }],
    ['working-directory', { 'working-directory': 'no-such-dir' }],
    ['prebuilt', { prebuilt: 'true' }],
    ['vercel-api-url', { 'vercel-api-url': 'api.vercel.com' }],
    ['protection-bypass-secret', { 'protection-bypass-secret': 'x' }],
    ['aws-region', { 'aws-region': 'mars-1' }],
    ['cluster', { cluster: 'bad cluster' }],
    ['service', { service: 'bad/service' }],
    ['task-definition', { platform: 'ecs', 'aws-region': 'eu-central-1', cluster: 'c', service: 's', 'task-definition': 'missing.json' }],
    ['container-name', { platform: 'ecs', 'aws-region': 'eu-central-1', cluster: 'c', service: 's', 'container-name': 'web app' }],
    ['image', { platform: 'ecs', 'aws-region': 'eu-central-1', cluster: 'c', service: 's', 'container-name': 'web', image: 'a b' }],
    ['test-url', { 'test-url': 'not-a-url' }],
    ['production-url', { 'production-url': 'ftp://x' }],
    ['bake-time', { 'bake-time': 'long' }],
  ];

  it('fails each with one error naming it, before any request to Vercel or GitHub', async () => {
    const app = writeApp(world, { version: 'x' });
    const before = world.vercel.requests.length + world.github.requests.length;
    const results: Array<[string, Awaited<ReturnType<typeof deploy>>]> = [];
    for (let i = 0; i < bad.length; i += 7) {
      const batch = bad.slice(i, i + 7);
      results.push(...(await Promise.all(batch.map(async ([name, inputs]) => [name, await deploy(world, { 'working-directory': app, ...inputs })] as [string, Awaited<ReturnType<typeof deploy>>]))));
    }
    for (const [name, r] of results) {
      const errors = r.annotations.filter((a) => a.level === 'error');
      expect(r.code, `${name}: ${r.log}`).toBe(1);
      expect(errors, `${name}: ${r.log}`).toHaveLength(1);
      expect(errors[0]!.message, name).toContain(`'${name}'`);
      expect(findSecretLeaks(r, secretsOf(world)), name).toEqual([]);
    }
    expect(world.vercel.requests.length + world.github.requests.length - before).toBe(0);
  }, 120_000);
});
