/**
 * The bundle end to end, every check at once: real PostgreSQL, the GitHub stand-in (check runs,
 * statuses, the ledger), a local HTTPS server with a test-CA certificate, s3rver and a directory.
 * Ready, not ready (every check failing: annotations within GitHub's cap), override, timeouts.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubStandin, type GhDeployment, type GithubStandin } from '../harness/github.js';
import { closedPort, fault, startTestServer, type TestServer } from '../harness/https.js';
import { check, errors, freshDatabase, OWN_SUITE, preflight, report, RUN_ID, s3Endpoint, SHA, tempDir, warnings } from './support.js';

let github: GithubStandin;
let site: TestServer;
let hanging: TestServer;
let db: string;
let workspace: string;

const s3Env = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

function release(environment: string, runId: string, state: string): GhDeployment {
  const at = new Date().toISOString();
  return {
    id: 100 + github.deployments.length,
    sha: SHA,
    ref: 'main',
    task: 'deploy',
    environment,
    description: null,
    payload: { gantry: 1, platform: 'vercel', deploymentId: `dpl_${runId}`, runId },
    transient_environment: false,
    production_environment: environment === 'production',
    created_at: at,
    updated_at: at,
    statuses: [{ id: 1, state, description: '', environment, environment_url: '', log_url: '', created_at: at }],
  };
}

beforeAll(async () => {
  [github, site, hanging] = await Promise.all([
    startGithubStandin(),
    startTestServer({ tls: { days: 90 }, handler: (_req, res) => res.end('ok') }),
    startTestServer({ handler: () => fault.hang() }),
  ]);
  github.workflowRuns[RUN_ID] = { check_suite_id: OWN_SUITE };
  github.checkRuns.push(
    { name: 'build', head_sha: SHA, status: 'completed', conclusion: 'success', check_suite_id: 1 },
    { name: 'docs', head_sha: SHA, status: 'completed', conclusion: 'skipped', check_suite_id: 1 },
    { name: 'optional-audit', head_sha: SHA, status: 'completed', conclusion: 'neutral', check_suite_id: 2 },
    // This run's own job: still in progress, and never waited on.
    { name: 'release / preflight', head_sha: SHA, status: 'in_progress', conclusion: null, check_suite_id: OWN_SUITE },
  );
  github.statuses.push({ sha: SHA, context: 'ci/circleci', state: 'success' });
  // This run's own release record (a re-run) is not "another release in progress"; staging's is another environment.
  github.deployments.push(release('production', RUN_ID, 'in_progress'), release('staging', '5151', 'in_progress'));
  db = await freshDatabase('e2e');
  workspace = tempDir('ws');
  mkdirSync(join(workspace, 'migrations'));
  writeFileSync(join(workspace, 'migrations', '20260101000000_orders.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY);\n');
});

afterAll(async () => {
  await Promise.all([github.close(), site.close(), hanging.close()]);
});

const env = (extra: Record<string, string> = {}) => ({ GITHUB_API_URL: github.url, NODE_EXTRA_CA_CERTS: site.caFile, STRIPE_KEY: 'sk_live_x1', SESSION_SECRET: 's3cr3t-s3ss10n', ...s3Env, ...extra });

describe('preflight, end to end', () => {
  it('all green: every check passes at once, the checklist reads ready, nothing is left behind', async () => {
    const backupDir = tempDir('backups');
    // The freeze's dates are Berlin's calendar days: taking them from the UTC clock broke the
    // expected weekday and day count in the hour around UTC midnight.
    const freezeStart = DateTime.now().setZone('Europe/Berlin').plus({ days: 20 }).startOf('day');
    const freeze = `${freezeStart.toISODate()} - ${freezeStart.plus({ days: 3 }).toISODate()} Europe/Berlin`;
    const common = {
      environment: 'production',
      'required-env': 'STRIPE_KEY\nSESSION_SECRET',
      'database-url': db,
      'migrations-dir': 'migrations',
      urls: `${site.url}/health`,
      freeze,
      'required-checks': 'all',
      'allowed-refs': 'main\nrefs/tags/v*',
      'github-token': github.token,
    };
    const [local, s3] = await Promise.all([
      preflight({ ...common, 'backup-destination': backupDir }, { cwd: workspace, env: env(), secrets: [github.token, 's3cr3t-s3ss10n'] }),
      preflight(
        { ...common, 'backup-destination': 's3://backups/preflight', 's3-endpoint': s3Endpoint(), 's3-force-path-style': 'true' },
        { cwd: workspace, env: env(), secrets: [github.token, 's3cr3t-s3ss10n'] },
      ),
    ]);
    for (const r of [local, s3]) {
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs.ready).toBe('true');
      expect(JSON.parse(r.outputs.failed!)).toEqual([]);
      expect(JSON.parse(r.outputs.warnings!)).toEqual([]);
      const statuses = Object.fromEntries(report(r).checks.map((c) => [c.id, c.status]));
      expect(statuses).toEqual({
        config: 'pass', database: 'pass', migrations: 'pass', platform: 'skipped', ci: 'pass', ref: 'pass',
        concurrency: 'pass', freeze: 'pass', urls: 'pass', 'backup-destination': 'pass',
      });
      expect(errors(r)).toEqual([]);
      expect(r.summary).toMatch(/^## ✅ Ready to ship to production \(0123456\)/);
      expect(r.summary).toMatch(/\| ✅ \| CI checks \| 4 passed \(all checks on the commit\)/);
      expect(r.summary).toMatch(/\| ⏭️ \| Platform \| no platform given/);
    }
    expect(check(local, 'ci').data!.checks.map((c: { name: string }) => c.name).sort()).toEqual(['build', 'ci/circleci', 'docs', 'optional-audit']);
    expect(check(local, 'database').found).toMatch(/^PostgreSQL \d+\.\d+.* at 127\.0\.0\.1:\d+\/pre_e2e_\d+_\d+; pg_dump \(PostgreSQL\) \d+/);
    expect(check(local, 'migrations').found).toBe('at no version; 1 pending; 0 lint findings; no drift');
    expect(check(local, 'urls').found).toMatch(/answered: https:\/\/127\.0\.0\.1:\d+\/health 200 in \d+ ms; certificate valid (89|90) more days/);
    expect(check(local, 'freeze').found).toMatch(new RegExp(`^not frozen; next freeze ${freezeStart.toFormat('ccc yyyy-MM-dd')} 00:00 Europe/Berlin \\(in (19|20)d( \\d+h)?\\)`));
    expect(check(local, 'config').found).toBe('2 set: STRIPE_KEY, SESSION_SECRET');
    expect(check(s3, 'backup-destination').found).toBe('s3://backups/preflight is writable (probe written and deleted)');
    expect(readdirSync(backupDir)).toEqual([]);
  });

  it('not ready: every check fails; 9 failures annotated plus the step\'s own, the tenth only in the summary', async () => {
    // A re-run of build failed (the newest run of a name decides).
    github.checkRuns.push({ name: 'build', head_sha: SHA, status: 'completed', conclusion: 'failure', check_suite_id: 1 });
    try {
      github.deployments.push(release('canary', '9999', 'in_progress'));
      const now = DateTime.utc();
      const r = await preflight(
        {
          environment: 'canary',
          'required-env': 'STRIPE_KEY\nMISSING_ONE\nEMPTY_ONE',
          'database-url': `postgres://gantry:nope@127.0.0.1:${await closedPort()}/x`,
          'migrations-dir': 'migrations',
          platform: 'vercel',
          'vercel-token': 'vcp_not_a_real_token',
          'vercel-project-id': 'prj_missing',
          'vercel-api-url': `http://127.0.0.1:${await closedPort()}`,
          urls: `http://127.0.0.1:${await closedPort()}/`,
          freeze: `${now.minus({ days: 1 }).toISODate()} - ${now.plus({ days: 1 }).toISODate()}`,
          'required-checks': 'all',
          'allowed-refs': 'release/*',
          'backup-destination': join(site.caFile, 'not-a-dir'),
          'github-token': github.token,
          timeout: '3s',
        },
        { cwd: workspace, env: env({ EMPTY_ONE: '   ' }), secrets: [github.token, 'vcp_not_a_real_token'] },
      );
      expect(r.code).toBe(1);
      expect(r.outputs.ready).toBe('false');
      expect(JSON.parse(r.outputs.failed!).sort()).toEqual(['backup-destination', 'ci', 'concurrency', 'config', 'database', 'freeze', 'migrations', 'platform', 'ref', 'urls'].sort());
      const errs = errors(r);
      expect(errs).toHaveLength(10);
      expect(errs.filter((e) => e.properties.title?.startsWith('preflight: '))).toHaveLength(9);
      expect(errs.at(-1)!.message).toMatch(/^preflight failed: not ready to ship: .*set fail-on-not-ready: false/);
      expect(r.summary).toMatch(/^## ❌ Not ready to ship to canary/);
      expect(r.summary).toMatch(/1 more failure\(s\) are only in this table/);
      expect(check(r, 'config').found).toBe('not set: MISSING_ONE; empty: EMPTY_ONE');
      expect(check(r, 'freeze').found).toMatch(/^frozen by "[\d-]+ - [\d-]+" until \w{3} [\d-]+ 00:00 UTC \(in 1d( \d+h)?\); no further freeze scheduled$/);
      expect(check(r, 'freeze').fix).toMatch(/set freeze-override/);
      expect(check(r, 'ref').found).toBe('refs/heads/main matches none of release/*');
      expect(check(r, 'concurrency').found).toMatch(/another release of canary is in progress: deployment \d+ of 0123456 \(in_progress since .*, run https:\/\/github.com\/acme\/shop\/actions\/runs\/9999\)/);
      expect(check(r, 'ci').found).toBe('1 failed: build (failure)');
      expect(check(r, 'urls').found).toMatch(/connection refused/);
      expect(check(r, 'database').found).toMatch(/cannot connect to 127\.0\.0\.1:\d+\/x/);
      expect(check(r, 'backup-destination').found).toMatch(/cannot be created/);
      expect(r.summary).not.toContain('nope');
    } finally {
      github.checkRuns.pop();
    }
  });

  it('fail-on-not-ready: false passes the step with ready=false; an override turns the freeze into a recorded warning', async () => {
    const now = DateTime.utc();
    const freeze = `${now.minus({ days: 1 }).toISODate()} - ${now.plus({ days: 2 }).toISODate()} America/New_York`;
    const reason = 'hotfix INC-4711, approved by the on-call lead';
    const [overridden, branching] = await Promise.all([
      preflight({ freeze, 'freeze-override': reason }, { env: env() }),
      preflight({ freeze, 'allowed-refs': 'release/*', 'fail-on-not-ready': 'false' }, { env: env() }),
    ]);
    expect(overridden.code).toBe(0);
    expect(overridden.outputs.ready).toBe('true');
    expect(JSON.parse(overridden.outputs.warnings!)).toEqual(['freeze']);
    expect(report(overridden).freezeOverride).toBe(reason);
    expect(check(overridden, 'freeze').found).toContain(`overridden: ${reason}`);
    expect(overridden.summary).toContain(`**Freeze overridden:** ${reason}`);
    expect(warnings(overridden)[0]!.properties.title).toBe('preflight: Change freeze');

    expect(branching.code).toBe(0);
    expect(branching.outputs.ready).toBe('false');
    expect(JSON.parse(branching.outputs.failed!)).toEqual(['ref', 'freeze']);
    expect(branching.log).toMatch(/fail-on-not-ready is false, so the step passes with ready=false/);
  });

  it('each check has its own timeout: a URL that never answers fails by name at `timeout`, and the others are not held up', async () => {
    const r = await preflight({ urls: `${hanging.url}/`, 'required-env': 'STRIPE_KEY', timeout: '700ms', 'fail-on-not-ready': 'false' }, { env: env() });
    expect(r.outputs.ready).toBe('false');
    expect(check(r, 'urls').status).toBe('fail');
    expect(check(r, 'urls').found).toMatch(/no answer within|did not finish within 700ms/);
    expect(check(r, 'urls').durationMs).toBeLessThan(1500);
    expect(check(r, 'config').status).toBe('pass');
  });
});
