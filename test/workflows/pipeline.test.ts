/**
 * The release pipeline, proven by running the real workflow files (.github/workflows/) through the
 * workflow runner against the stand-ins: the app's README callers → promote.yml / deploy.yml /
 * rollback.yml → Gantry's committed bundles → Vercel, GitHub Deployments, PostgreSQL.
 * The tests share one world and run in order: each starts from where the one before left it.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { built, databasesOn, startPipelineWorld, type PipelineWorld, type Stage } from '../harness/pipeline-world.js';
import type { JobRecord, RunRecord } from '../harness/workflow-runner/index.js';

let world: PipelineWorld;

beforeAll(async () => {
  world = await startPipelineWorld({ postgres: databasesOn(inject('postgresUrl')) });
}, 60_000);
afterAll(() => world?.close());

const allJobs = (jobs: JobRecord[]): JobRecord[] => jobs.flatMap((j) => [j, ...allJobs(j.jobs)]);
const job = (run: RunRecord, path: string) => allJobs(run.jobs).find((j) => j.path === path)!;
const step = (j: JobRecord, name: string) => j.steps.find((s) => s.name === name)!;
const trace = (run: RunRecord) =>
  allJobs(run.jobs)
    .map((j) => `${j.path}: ${j.result}${j.error ? ` (${j.error})` : ''}\n${j.steps.map((s) => `  ${s.conclusion} ${s.name}${s.conclusion === 'failure' ? `\n${s.log.slice(-1500)}\n${s.annotations.map((a) => a.message).join('\n')}` : ''}`).join('\n')}`)
    .join('\n');

async function tables(stage: Stage): Promise<string[]> {
  const client = new pg.Client({ connectionString: world.stages[stage].databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    return rows.map((r) => r.tablename as string);
  } finally {
    await client.end();
  }
}

async function columns(stage: Stage, table: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: world.stages[stage].databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [table]);
    return rows.map((r) => r.column_name as string);
  } finally {
    await client.end();
  }
}

/** No secret value in anything a run hands on: step and job outputs (logs and summaries are masked). */
function expectNoLeaks(run: RunRecord) {
  const written = allJobs(run.jobs).flatMap((j) => [JSON.stringify(j.outputs), ...j.steps.flatMap((s) => [JSON.stringify(s.outputs), s.log, s.summary])]).join('\n');
  for (const secret of [...world.secrets(), ...run.secrets].filter((s) => s.length >= 8)) expect(written.includes(secret), 'a secret was written').toBe(false);
}

 /** Preflight's checklist from its report output, check id → status. */
function preflight(j: JobRecord): { ready: boolean; checks: Array<{ id: string; status: string; found: string; data?: Record<string, unknown> }> } {
  const s = step(j, 'Is it safe to ship?');
  expect(s.conclusion, s.log).toBe('success');
  return JSON.parse(s.outputs.report!);
}

const SMOKE = '- path: /api/health\n  health: true\n';

function deployProduction(version: string, inputs: Record<string, string | boolean> = {}) {
  return world.runner.run(
    { repo: 'acme/gantry', path: '.github/workflows/deploy.yml' },
    { event: 'workflow_call', inheritSecrets: true, inputs: { environment: 'production', version, 'migrations-dir': 'migrations', watch: '0s', 'verify-checks': '- path: /', 'smoke-checks': SMOKE, ...inputs } },
  );
}

describe('the release pipeline, run through its workflow files', { timeout: 240_000 }, () => {
  it('releases to staging, then production, each with its own Vercel project, database and backup', async () => {
    world.writeApp('v1');
    const run = await world.dispatch('release.yml', { version: 'v1' });
    expect(run.result, trace(run)).toBe('success');
    const staging = job(run, 'release/staging');
    const production = job(run, 'release/production');
    expect(staging.result).toBe('success');
    expect(production.result).toBe('success');
    expect(production.startedAt).toBeGreaterThanOrEqual(staging.endedAt);
    for (const stage of ['staging', 'production'] as const) {
      const j = stage === 'staging' ? staging : production;
      const vercel = world.stages[stage].vercel!;
      expect(j.environment).toBe(stage);
      expect(j.outputs.result).toBe('promoted');
      // Each stage's release went to its own project, and is what its production serves.
      expect(vercel.production()).toBe(j.outputs['deployment-id']);
      expect(await world.live(stage)).toBe('200 {"version":"v1"}');
      expect(await tables(stage)).toContain('orders');
      expect(readdirSync(world.stages[stage].backups).length).toBeGreaterThan(0);
      expect(j.outputs['backup-id']).toMatch(/\S/);
      // Preflight ran first: CI green (the commit's required checks, its own run's checks left out),
      // no other release of the environment in flight, the database and the platform reachable.
      const checklist = preflight(j);
      expect(checklist.ready).toBe(true);
      const check = (id: string) => checklist.checks.find((c) => c.id === id)!;
      expect(check('ci')).toMatchObject({ status: 'pass', found: '2 passed (required by main\'s rules: build, test)' });
      expect(check('ci').data!.ownCheckSuite).toBe(world.github.workflowRuns[run.runId]!.check_suite_id);
      expect(check('concurrency').status).toBe('pass');
      expect(check('database').status).toBe('pass');
      expect(checklist.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(step(j, 'Back up the database').conclusion).toBe('success');
      expect(step(j, 'Migrate the database').conclusion).toBe('success');
      expect(step(j, 'Smoke-test production').conclusion).toBe('success');
      expect(step(j, 'Roll back to the previous release').conclusion).toBe('skipped');
    }
    expect(world.stages.staging.vercel!.production()).not.toBe(world.stages.production.vercel!.production());
    // GitHub's record of the run: its check suite on the commit, a check run per job, as GitHub names them.
    const suite = world.github.workflowRuns[run.runId]!;
    expect(suite).toMatchObject({ status: 'completed', conclusion: 'success', head_sha: world.runner.options.repositories['acme/shop']!.sha });
    expect(world.github.checkRuns.filter((c) => c.check_suite_id === suite.check_suite_id).map((c) => [c.name, c.conclusion])).toEqual([
      ['release / release to staging', 'success'],
      ['release / release to production', 'success'],
    ]);
    // One release, one record per environment: the ledger's (the jobs opt out of GitHub's own,
    // which the runner files for a job that names an environment without deployment: false).
    expect(world.github.deployments.map((d) => [d.environment, d.payload.gantry]).sort()).toEqual([['production', 1], ['staging', 1]]);
    expectNoLeaks(run);
  });

  it('rolls a release back in the same job when production fails its smoke test after the switch', async () => {
    const before = world.stages.production.vercel!.production();
    world.writeApp('v2', { health: 'unhealthy' });
    const run = await deployProduction('v2');
    expect(run.result, trace(run)).toBe('failure');
    const release = job(run, 'release');
    expect(release.steps.map((s) => `${s.name}: ${s.conclusion}`)).toEqual(
      expect.arrayContaining(['Release blue-green: success', 'Smoke-test production: failure', 'Roll back to the previous release: success']),
    );
    expect(step(release, 'Release blue-green').outputs.result).toBe('promoted');
    expect(run.outputs['rolled-back']).toBe('true');
    // Production is back on v1, and the ledger says so: a rollback record of the v2 release.
    expect(world.stages.production.vercel!.production()).toBe(before);
    expect(await world.live('production')).toBe('200 {"version":"v1"}');
    const v2 = step(release, 'Release blue-green').outputs['deployment-id'];
    const rollback = world.github.deployments.filter((d) => d.environment === 'production' && d.payload.rollbackOf).at(-1);
    expect(rollback, JSON.stringify(world.github.deployments.map((d) => d.payload))).toBeDefined();
    expect(JSON.stringify(rollback!.payload)).toContain(String(before));
    expect(JSON.stringify(rollback!.payload)).toContain(String(v2));
    if (built('notify')) {
      const last = world.messages.filter((m) => JSON.stringify(m.body).includes('production')).at(-1);
      expect(JSON.stringify(last?.body)).toMatch(/rolled.back/i);
    }
    expectNoLeaks(run);
  });

  it('rolls back on dispatch: traffic first, then the database restored from the backup before the release', async () => {
    // staging gets v3 with a new migration; its backup is taken before that migration runs.
    world.writeApp('v3', { migrations: { 'migrations/20261120000000_order_notes.sql': "ALTER TABLE orders ADD COLUMN note text;\nINSERT INTO orders (total, note) VALUES (42, 'v3');\n" } });
    const v1 = world.stages.staging.vercel!.production();
    const release = await world.runner.run(
      { repo: 'acme/gantry', path: '.github/workflows/deploy.yml' },
      { event: 'workflow_call', inheritSecrets: true, inputs: { environment: 'staging', version: 'v3', 'migrations-dir': 'migrations', watch: '0s' } },
    );
    expect(release.result, trace(release)).toBe('success');
    expect(await columns('staging', 'orders')).toContain('note');
    const backupId = release.outputs['backup-id']!;

    const run = await world.dispatch('rollback.yml', { environment: 'staging', 'restore-database': true, 'backup-id': backupId, confirm: 'staging' });
    expect(run.result, trace(run)).toBe('success');
    const steps = job(run, 'rollback/rollback').steps.filter((s) => s.conclusion !== 'skipped').map((s) => s.name);
    expect(steps.indexOf('Verify the backup to restore')).toBeLessThan(steps.indexOf('Put traffic back'));
    expect(steps.indexOf('Put traffic back')).toBeLessThan(steps.indexOf('Restore the database'));
    expect(world.stages.staging.vercel!.production()).toBe(v1);
    expect(await world.live('staging')).toBe('200 {"version":"v1"}');
    expect(await columns('staging', 'orders')).toEqual(['id', 'total']);
    expectNoLeaks(run);
  });

  it('refuses a rollback whose confirmation is wrong before anything moves', async () => {
    const live = world.stages.production.vercel!.production();
    const aliasJobs = world.stages.production.vercel!.aliasJobs.length;
    const ledger = world.github.deployments.length;
    const run = await world.dispatch('rollback.yml', { environment: 'production', 'restore-database': true, confirm: 'prod' });
    expect(run.result).toBe('failure');
    const steps = job(run, 'rollback/rollback').steps;
    expect(steps[0]!.conclusion).toBe('failure');
    expect(steps[0]!.annotations.map((a) => a.message).join('\n')).toContain("type the environment's name ('production') in confirm");
    expect(steps.slice(1).filter((s) => s.conclusion !== 'skipped').map((s) => s.name)).toEqual([]);
    expect(world.stages.production.vercel!.production()).toBe(live);
    expect(world.stages.production.vercel!.aliasJobs.length).toBe(aliasJobs);
    expect(world.github.deployments.length).toBe(ledger);
  });
});
