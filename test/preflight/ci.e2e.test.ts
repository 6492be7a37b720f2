/**
 * The CI check against the GitHub stand-in: pagination past 100, the branch's required checks from
 * its rules, commit statuses, waiting for pending checks, the wait's bound, this run's own suite
 * left out, and a transient 5xx retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';
import { check, OWN_SUITE, preflight, RUN_ID } from './support.js';

let github: GithubStandin;
let n = 0;
const sha = () => `${(++n).toString(16).padStart(8, '0')}${'ab'.repeat(16)}`;

beforeAll(async () => {
  github = await startGithubStandin();
  github.workflowRuns[RUN_ID] = { check_suite_id: OWN_SUITE };
});
afterAll(() => github.close());

const run = (commit: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  preflight(
    { 'github-token': github.token, 'fail-on-not-ready': 'false', ...inputs },
    { env: { GITHUB_API_URL: github.url, GITHUB_SHA: commit, GANTRY_GITHUB_RETRY_MS: '50', ...env }, secrets: [github.token] },
  );

describe('CI checks', () => {
  it('reads every page past 100 and leaves this run\'s own (failing, pending) checks out', async () => {
    const commit = sha();
    for (let i = 0; i < 230; i++) github.checkRuns.push({ name: `test-shard-${i}`, head_sha: commit, status: 'completed', conclusion: 'success', check_suite_id: 1 });
    github.checkRuns.push(
      { name: 'release / preflight', head_sha: commit, status: 'in_progress', conclusion: null, check_suite_id: OWN_SUITE },
      { name: 'release / earlier-step', head_sha: commit, status: 'completed', conclusion: 'failure', check_suite_id: OWN_SUITE },
    );
    for (let i = 0; i < 120; i++) github.statuses.push({ sha: commit, context: `status-${i}`, state: 'success' });
    const r = await run(commit, { 'required-checks': 'all' });
    expect(check(r, 'ci')).toMatchObject({ status: 'pass', found: '350 passed (all checks on the commit)' });
    const pages = github.requests.filter((q) => q.path === `/repos/acme/shop/commits/${commit}/check-runs`).length;
    expect(pages).toBe(3);
    expect(github.requests.filter((q) => q.path === `/repos/acme/shop/commits/${commit}/statuses`).length).toBe(2);
  });

  it('by default checks the branch\'s required checks from its rules (a failing optional check does not block)', async () => {
    const commit = sha();
    github.rules.main = [
      { type: 'deletion' },
      { type: 'required_status_checks', parameters: { strict_required_status_checks_policy: false, required_status_checks: [{ context: 'build' }, { context: 'ci/circleci' }] } },
    ];
    github.checkRuns.push(
      { name: 'build', head_sha: commit, status: 'completed', conclusion: 'success', check_suite_id: 1 },
      { name: 'nightly-fuzz', head_sha: commit, status: 'completed', conclusion: 'failure', check_suite_id: 1 },
    );
    // Statuses are newest last here (as posted): pending, then success.
    github.statuses.push({ sha: commit, context: 'ci/circleci', state: 'pending' }, { sha: commit, context: 'ci/circleci', state: 'success' });
    try {
      const r = await run(commit);
      expect(check(r, 'ci')).toMatchObject({ status: 'pass', found: "2 passed (required by main's rules: build, ci/circleci)" });
    } finally {
      delete github.rules.main;
    }
  });

  it('waits for a pending check, then passes', async () => {
    const commit = sha();
    github.checkRuns.push({ name: 'e2e', head_sha: commit, status: 'completed', conclusion: 'success', check_suite_id: 1, completeAt: Date.now() + 1500 });
    const r = await run(commit, { 'required-checks': 'e2e', 'wait-for-checks': '30s' });
    expect(check(r, 'ci')).toMatchObject({ status: 'pass', found: '1 passed (required: e2e)' });
    expect(check(r, 'ci').durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('the wait is bounded by wait-for-checks: a check that never finishes, or never reports, fails by name', async () => {
    const commit = sha();
    github.checkRuns.push({ name: 'deploy-preview', head_sha: commit, status: 'queued', conclusion: null, check_suite_id: 3 });
    const started = Date.now();
    const r = await run(commit, { 'required-checks': 'deploy-preview\nsecurity-scan', 'wait-for-checks': '1500ms' });
    expect(check(r, 'ci').status).toBe('fail');
    expect(check(r, 'ci').found).toBe('2 still pending after 1.5s: deploy-preview (queued), security-scan (not reported yet)');
    expect(check(r, 'ci').fix).toMatch(/raise wait-for-checks/);
    expect(check(r, 'ci').durationMs).toBeGreaterThanOrEqual(1400);
    expect(check(r, 'ci').durationMs).toBeLessThan(4000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a failed commit status fails at once, without waiting for the pending ones', async () => {
    const commit = sha();
    github.statuses.push({ sha: commit, context: 'ci/jenkins', state: 'error' }, { sha: commit, context: 'ci/slow', state: 'pending' });
    const r = await run(commit, { 'required-checks': 'all', 'wait-for-checks': '1m' });
    expect(check(r, 'ci')).toMatchObject({ status: 'fail', found: '1 failed: ci/jenkins (error)' });
    expect(check(r, 'ci').durationMs).toBeLessThan(5000);
  });

  it('retries a transient 502 from GitHub', async () => {
    const commit = sha();
    github.checkRuns.push({ name: 'build', head_sha: commit, status: 'completed', conclusion: 'success', check_suite_id: 1 });
    github.inject({ method: 'GET', path: new RegExp(`/commits/${commit}/check-runs$`), status: 502, times: 1 });
    const r = await run(commit, { 'required-checks': 'build' });
    expect(check(r, 'ci')).toMatchObject({ status: 'pass' });
    expect(github.count('GET', new RegExp(`/commits/${commit}/check-runs$`))).toBe(2);
  });

  it('fails at once, naming the permission, when it cannot find this run\'s own checks (instead of waiting on itself)', async () => {
    const commit = sha();
    github.checkRuns.push({ name: 'build', head_sha: commit, status: 'completed', conclusion: 'success', check_suite_id: 1 });
    const r = await run(commit, { 'required-checks': 'all', 'wait-for-checks': '1m' }, { GITHUB_RUN_ID: '5555' });
    expect(check(r, 'ci').status).toBe('fail');
    expect(check(r, 'ci').found).toMatch(/^cannot read this workflow run \(5555\) to leave its own checks out: Not Found/);
    expect(check(r, 'ci').fix).toMatch(/actions: read/);
    expect(check(r, 'ci').durationMs).toBeLessThan(10_000);
  });

  it('skipped without a token; a bad token fails with GitHub\'s answer', async () => {
    const commit = sha();
    const none = await preflight({ 'github-token': '' }, { env: { GITHUB_API_URL: github.url, GITHUB_SHA: commit } });
    expect(check(none, 'ci')).toMatchObject({ status: 'skipped', found: 'no github-token given' });
    const bad = await preflight({ 'github-token': 'ghs_wrongwrongwrong', 'fail-on-not-ready': 'false' }, { env: { GITHUB_API_URL: github.url, GITHUB_SHA: commit }, secrets: ['ghs_wrongwrongwrong'] });
    expect(check(bad, 'ci').status).toBe('fail');
    expect(check(bad, 'ci').found).toMatch(/Bad credentials/);
  });
});
