/** The ledger against the GitHub Deployments stand-in: create semantics, statuses, and where a rollback goes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger, previousRelease, wasSuccessful, type Release } from '../../shared/ledger.js';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';

let gh: GithubStandin;
beforeAll(async () => {
  gh = await startGithubStandin();
});
afterAll(() => gh?.close());

const rel = (id: number, deploymentId: string, states: string[]): Release => ({
  id,
  sha: 'x',
  ref: 'x',
  environment: 'production',
  createdAt: '',
  payload: { gantry: 1, platform: 'vercel', deploymentId },
  statuses: states.reverse().map((state) => ({ state: state as never, description: '', environmentUrl: '' })),
});

describe('ledger', () => {
  it('the stand-in refuses what GitHub refuses: auto-merge and required contexts', async () => {
    const post = (body: object) =>
      fetch(`${gh.url}/repos/acme/shop/deployments`, { method: 'POST', headers: { authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ ref: 'main', environment: 'production' })).status).toBe(202);
    expect((await post({ ref: 'main', environment: 'production', auto_merge: false })).status).toBe(409);
    expect((await post({ ref: 'main', environment: 'production', auto_merge: false, required_contexts: [] })).status).toBe(201);
  });

  it('records releases with payload and statuses, retrying 429 and 5xx, and lists newest first', async () => {
    const ledger = new Ledger({ token: gh.token, apiUrl: gh.url, repository: 'acme/shop' });
    gh.inject({ method: "POST", path: /\/deployments$/, status: 502, times: 1 });
    gh.inject({ method: 'POST', path: /\/statuses$/, status: 429, times: 1, retryAfter: '0' });
    const before = gh.deployments.length;
    const a = await ledger.create({ ref: 'a'.repeat(40), environment: 'staging', description: 'a', payload: { gantry: 1, platform: 'vercel', deploymentId: 'dpl_a', backupId: 'b1' } });
    await ledger.setStatus(a.id, 'in_progress');
    await ledger.setStatus(a.id, 'success', { environmentUrl: 'https://shop.example.com' });
    const b = await ledger.create({ ref: 'b'.repeat(40), environment: 'staging', description: 'b', payload: { gantry: 1, platform: 'vercel', deploymentId: 'dpl_b', previousDeploymentId: 'dpl_a' } });
    await ledger.setStatus(b.id, 'success');
    expect(gh.deployments.length - before).toBe(2);
    const list = await ledger.list('staging');
    expect(list.map((r) => r.payload.deploymentId)).toEqual(['dpl_b', 'dpl_a']);
    // auto_inactive is off: the release record retires earlier releases itself, in every environment.
    expect(list[1]!.statuses!.map((s) => s.state)).toEqual(['success', 'in_progress']);
    expect(wasSuccessful(list[1]!)).toBe(true);
    expect(previousRelease(list, 'dpl_b', 'vercel')!.payload.deploymentId).toBe('dpl_a');
  });

  it('a call whose signal is aborted (a cancelled job) fails at once: Octokit does not retry it', async () => {
    const ledger = new Ledger({ token: gh.token, apiUrl: gh.url, repository: 'acme/shop' });
    const r = await ledger.create({ ref: 'c'.repeat(40), environment: 'staging', description: 'c', payload: { gantry: 1, platform: 'vercel', deploymentId: 'dpl_c' } });
    const controller = new AbortController();
    controller.abort(new Error('cancelled (SIGTERM)'));
    const started = Date.now();
    await expect(ledger.setStatus(r.id, 'in_progress', { signal: controller.signal })).rejects.toThrow(/cancelled/);
    // At most its wait for a write slot (GitHub writes go a second apart); retried, it took 1 + 4 + 9 s more.
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a rollback goes to the last successful release before the live one', () => {
    const releases = [
      rel(5, 'dpl_x', ['in_progress', 'success']), // a rollback record: x is live again
      rel(4, 'dpl_d', ['in_progress', 'success', 'inactive', 'failure']), // rolled back from
      rel(3, 'dpl_c', ['in_progress', 'failure']), // refused
      rel(2, 'dpl_x', ['in_progress', 'success', 'inactive']),
      rel(1, 'dpl_w', ['in_progress', 'success', 'inactive']),
    ];
    expect(previousRelease(releases, 'dpl_x', 'vercel')!.payload.deploymentId).toBe('dpl_w');
    expect(previousRelease(releases, 'dpl_d', 'vercel')!.payload.deploymentId).toBe('dpl_x');
    expect(previousRelease(releases, 'dpl_unknown', 'vercel')!.payload.deploymentId).toBe('dpl_x');
    expect(previousRelease(releases, 'dpl_x', 'ecs')).toBeUndefined();
  });

  it('an ECS rollback may go back to a canary released on ECS behind an ALB (same service, task definitions); other platforms stay apart', () => {
    const on = (platform: string, r: Release): Release => ({ ...r, payload: { ...r.payload, platform } });
    const releases = [
      on('ecs', rel(3, 'td:3', ['in_progress', 'success'])),
      on('ecs-alb', rel(2, 'td:2', ['in_progress', 'success'])),
      on('vercel', rel(1, 'dpl_a', ['in_progress', 'success'])),
    ];
    expect(previousRelease(releases, 'td:3', 'ecs')!.payload.deploymentId).toBe('td:2');
    expect(previousRelease(releases, 'td:2', 'ecs')).toBeUndefined();
    expect(previousRelease(releases, 'dpl_b', 'vercel')!.payload.deploymentId).toBe('dpl_a');
  });

  it('a release rolled back from by hand is inactive, not failed, and the next rollback skips it', () => {
    const rollback = rel(9, 'dpl_b', ['in_progress', 'success']);
    rollback.payload.rollbackOf = 'dpl_c';
    const releases = [
      rollback,
      rel(8, 'dpl_c', ['in_progress', 'success', 'inactive']), // healthy, rolled back from
      rel(7, 'dpl_b', ['in_progress', 'success', 'inactive']),
      rel(6, 'dpl_a', ['in_progress', 'success', 'inactive']),
    ];
    expect(wasSuccessful(releases[1]!)).toBe(true);
    expect(previousRelease(releases, 'dpl_b', 'vercel')!.payload.deploymentId).toBe('dpl_a');
    // Were c not named as rolled back from, the next rollback would go "back" to it.
    const unnamed = [{ ...rollback, payload: { ...rollback.payload, rollbackOf: undefined } }, ...releases.slice(1)];
    expect(previousRelease(unnamed, 'dpl_b', 'vercel')!.payload.deploymentId).toBe('dpl_c');
  });
});
