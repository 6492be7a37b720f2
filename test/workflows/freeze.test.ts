/**
 * Preflight stops the release before any backup, migration or traffic: a change freeze, and a
 * required CI check gone red. The real deploy.yml run through the workflow runner, the preflight
 * bundle from dist/, the GitHub stand-in holding the commit's checks and the run's own.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { databasesOn, startPipelineWorld, type PipelineWorld } from '../harness/pipeline-world.js';
import type { RunRecord } from '../harness/workflow-runner/index.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld({ postgres: databasesOn(inject('postgresUrl')) });
}, 60_000);
afterAll(() => world?.close());

const DEPLOY = { repo: 'acme/gantry', path: '.github/workflows/deploy.yml' };
const inputs = { environment: 'production', version: 'v1', 'migrations-dir': 'migrations', watch: '0s' };
const release = () => world.runner.run(DEPLOY, { event: 'workflow_call', inheritSecrets: true, inputs });

/** The release stopped at preflight, for exactly these checks, and nothing after it ran. */
function expectStoppedInPreflight(run: RunRecord, failed: string[]) {
  expect(run.result).toBe('failure');
  const steps = Object.fromEntries(run.jobs[0]!.steps.map((s) => [s.name, s]));
  const preflight = steps['Is it safe to ship?']!;
  expect(preflight.conclusion, preflight.log).toBe('failure');
  expect(JSON.parse(preflight.outputs.report!).failed).toEqual(failed);
  for (const name of ['Back up the database', 'Migrate the database', 'Release blue-green', 'Smoke-test production', 'Roll back to the previous release']) {
    expect(steps[name]!.conclusion, name).toBe('skipped');
  }
  expect(readdirSync(world.stages.production.backups)).toEqual([]);
  expect(world.stages.production.vercel!.deployments.size).toBe(0);
  expect(world.github.deployments.filter((d) => d.payload.gantry === 1)).toEqual([]);
  return preflight;
}

describe('preflight stops a release', { timeout: 240_000 }, () => {
  it('a change freeze stops it in preflight, before any backup, migration or traffic', async () => {
    const year = new Date().getUTCFullYear();
    world.runner.options.environments!.production!.vars!.FREEZE = `${year - 1}-12-20 - ${year + 1}-01-04 UTC`;
    world.writeApp('v1');
    const preflight = expectStoppedInPreflight(await release(), ['freeze']);
    expect(JSON.stringify(preflight.annotations) + preflight.summary).toMatch(/freeze/i);
  });

  it('stops it when a required CI check of the commit went red, and tells which', async () => {
    delete world.runner.options.environments!.production!.vars!.FREEZE;
    // A re-run of the app's test job failed: a newer check run of the same name in a newer suite.
    const sha = world.runner.options.repositories['acme/shop']!.sha;
    world.github.checkRuns.push({ name: 'test', head_sha: sha, status: 'completed', conclusion: 'failure', check_suite_id: 4243 });
    const preflight = expectStoppedInPreflight(await release(), ['ci']);
    expect(preflight.annotations.map((a) => a.message).join('\n')).toMatch(/1 failed: test \(failure\)/);
  });
});
