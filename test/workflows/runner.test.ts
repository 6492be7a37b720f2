/** The workflow runner itself, on small fixture workflows: ordering, conditions, contexts, calls. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { startGithubStandin } from '../harness/github.js';
import { configureAwsCredentials } from '../harness/pipeline-world.js';
import { WorkflowRunner, type RunnerOptions } from '../harness/workflow-runner/index.js';

const FIXTURES = join(ROOT, 'test', 'workflows', 'fixtures');

function runner(extra: Partial<RunnerOptions> = {}) {
  return new WorkflowRunner({
    repository: 'acme/fixture',
    repositories: { 'acme/fixture': { dir: FIXTURES, sha: 'a'.repeat(40) } },
    secrets: { TOKEN: 'repo-level-token' },
    environments: { staging: { vars: { WHERE: 'staging' }, secrets: { TOKEN: 'staging-token-value' } } },
    github: { token: 'ghs_fixture', apiUrl: 'http://127.0.0.1:9' },
    ...extra,
  });
}

describe('workflow runner', () => {
  it('runs jobs in needs order with inputs, env, vars and secrets of the environment, outputs and a reusable call', async () => {
    const run = await runner().run({ repo: 'acme/fixture', path: '.github/workflows/main.yml' }, { event: 'workflow_dispatch', inputs: { who: 'gantry' } });
    expect(run.result).toBe('success');
    const [first, second, after] = run.jobs;
    expect(first!.outputs).toEqual({ said: 'hello gantry from staging', 'token-length': String('staging-token-value'.length) });
    expect(first!.steps.map((s) => s.conclusion)).toEqual(['success', 'success', 'skipped', 'skipped']);
    expect(first!.steps[0]!.summary).toContain('summary of say');
    expect(first!.steps[1]!.log).toContain('token is ***');
    expect(first!.steps[1]!.log).not.toContain('staging-token-value');
    expect(second!.jobs[0]!.outputs.echoed).toBe('hello gantry from staging (true)');
    expect(after!.result).toBe('skipped');
  });

  it('runs failure() steps and jobs after a failed step, and skips what needs a failed job', async () => {
    const run = await runner().run({ repo: 'acme/fixture', path: '.github/workflows/main.yml' }, { event: 'workflow_dispatch', inputs: { fail: true } });
    expect(run.result).toBe('failure');
    const [first, second, after] = run.jobs;
    expect(first!.steps.map((s) => s.conclusion)).toEqual(['success', 'success', 'failure', 'success']);
    expect(first!.steps[3]!.outputs).toEqual({ cleaned: 'true' });
    expect(second!.result).toBe('skipped');
    expect(after!.result).toBe('success');
  });

  it('refuses undeclared inputs, and a job whose environment a reviewer rejects', async () => {
    await expect(runner().run({ repo: 'acme/fixture', path: '.github/workflows/main.yml' }, { event: 'workflow_dispatch', inputs: { nope: 'x' } })).rejects.toThrow(/input 'nope' is not defined/);
    const run = await runner({ environments: { staging: { approve: false } } }).run({ repo: 'acme/fixture', path: '.github/workflows/main.yml' }, { event: 'workflow_dispatch' });
    expect(run.jobs[0]!.result).toBe('failure');
    expect(run.jobs[0]!.error).toMatch(/rejected/);
    expect(run.jobs[0]!.steps).toEqual([]);
  });

  it('serialises jobs of one concurrency group across runs', async () => {
    const r = runner();
    const [a, b] = await Promise.all([
      r.run({ repo: 'acme/fixture', path: '.github/workflows/called.yml' }, { event: 'workflow_call', inputs: { said: 'same' } }),
      r.run({ repo: 'acme/fixture', path: '.github/workflows/called.yml' }, { event: 'workflow_call', inputs: { said: 'same' } }),
    ]);
    const [ja, jb] = [a.jobs[0]!, b.jobs[0]!];
    expect(ja.result).toBe('success');
    expect(jb.result).toBe('success');
    const [firstDone, second] = ja.startedAt <= jb.startedAt ? [ja, jb] : [jb, ja];
    expect(second.startedAt).toBeGreaterThanOrEqual(firstDone.endedAt);
    expect(second.queuedMs).toBeGreaterThan(0);
  });

  it("files GitHub's own deployment record unless deployment: false, and gives OIDC credentials only with id-token: write", async () => {
    const github = await startGithubStandin();
    try {
      const run = await runner({ github: { token: github.token, apiUrl: github.url }, actions: { 'aws-actions/configure-aws-credentials': configureAwsCredentials } }).run(
        { repo: 'acme/fixture', path: '.github/workflows/environments.yml' },
        { event: 'workflow_dispatch' },
      );
      const [recorded, unrecorded] = run.jobs;
      expect(recorded!.result).toBe('failure');
      expect(recorded!.steps[0]!.annotations[0]!.message).toMatch(/id-token: write/);
      expect(unrecorded!.result).toBe('success');
      expect(github.deployments.map((d) => [d.environment, d.statuses.map((s) => s.state)])).toEqual([['staging', ['failure']]]);
    } finally {
      await github.close();
    }
  });

  it('files each run in the GitHub stand-in as GitHub does: the run, its check suite, a check run per job', async () => {
    const github = await startGithubStandin();
    try {
      const run = await runner({ github: { token: github.token, apiUrl: github.url, runs: github.runs } }).run(
        { repo: 'acme/fixture', path: '.github/workflows/main.yml' },
        { event: 'workflow_dispatch', inputs: { who: 'gantry' } },
      );
      const filed = github.workflowRuns[run.runId]!;
      expect(filed).toMatchObject({ status: 'completed', conclusion: 'success', head_sha: 'a'.repeat(40), head_branch: 'main', event: 'workflow_dispatch' });
      // Named as GitHub names them: a reusable workflow's jobs under the calling job's name.
      expect(github.checkRuns.filter((c) => c.check_suite_id === filed.check_suite_id).map((c) => [c.name, c.status, c.conclusion]).sort()).toEqual([
        ['after-failure', 'completed', 'skipped'],
        ['first', 'completed', 'success'],
        ['second / echo', 'completed', 'success'],
      ]);
      // What an action inside the run reads (preflight, to leave its own checks out).
      const answer = await fetch(`${github.url}/repos/acme/fixture/actions/runs/${run.runId}`, { headers: { authorization: `Bearer ${github.token}` } });
      expect(await answer.json()).toMatchObject({ id: Number(run.runId), check_suite_id: filed.check_suite_id, status: 'completed' });
    } finally {
      await github.close();
    }
  });
});
