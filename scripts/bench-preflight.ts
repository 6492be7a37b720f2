/**
 * preflight wall time on loopback, through the committed bundle, with every check on: a real
 * PostgreSQL (with a migrations folder), the GitHub stand-in (checks, ledger), the ECS stand-in,
 * an HTTPS site, s3rver. Two figures (medians), not assertions:
 *
 *  1. one check slow (the site answers after SLOW_MS): the checks' wall time against the slowest
 *     check — concurrency means within 10 % of it, not the sum;
 *  2. nothing slow: the whole step, process start included — target under 1.5 s.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionResult } from '../test/harness/action.js';
import { startEcsStandIn } from '../test/harness/ecs.js';
import { startGithubStandin } from '../test/harness/github.js';
import { fault, startTestServer } from '../test/harness/https.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { startS3 } from '../test/harness/s3.js';

const SLOW_MS = Number(process.env.SLOW_MS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 5);
const SHA = '0123456789abcdef0123456789abcdef01234567';

const [pg, s3, github, ecs, site, slow] = await Promise.all([
  startPostgres(),
  startS3(['backups']),
  startGithubStandin(),
  startEcsStandIn(),
  startTestServer({ tls: true, handler: (_req, res) => res.end('ok') }),
  startTestServer({ tls: true, handler: (_req, res) => fault.slow(res, SLOW_MS) }),
]);
try {
  const db = await createDatabase(pg, 'bench_preflight');
  github.workflowRuns['4242'] = { check_suite_id: 777 };
  for (let i = 0; i < 150; i++) github.checkRuns.push({ name: `test-${i}`, head_sha: SHA, status: 'completed', conclusion: 'success', check_suite_id: 1 });
  ecs.addService({ cluster: 'prod', service: 'shop', strategy: 'BLUE_GREEN' });
  const workspace = mkdtempSync(join(tmpdir(), 'gantry-bench-pre-'));
  mkdirSync(join(workspace, 'migrations'));
  for (let i = 1; i <= 20; i++) writeFileSync(join(workspace, 'migrations', `${String(i).padStart(3, '0')}_step.sql`), `CREATE TABLE t${i} (id bigint PRIMARY KEY, v text);\n`);

  const run = (url: string) =>
    runAction('preflight', {
      cwd: workspace,
      inputs: {
        environment: 'production',
        'required-env': 'STRIPE_KEY',
        'database-url': db,
        'migrations-dir': 'migrations',
        platform: 'ecs',
        'aws-region': 'eu-west-1',
        cluster: 'prod',
        service: 'shop',
        urls: url,
        'backup-destination': 's3://backups/bench',
        's3-endpoint': s3.endpoint,
        's3-force-path-style': 'true',
        freeze: 'Fri 16:00 - Mon 08:00 Europe/Berlin\n2099-12-20 - 2099-12-31',
        'required-checks': 'all',
        'allowed-refs': 'main',
        'github-token': github.token,
        'fail-on-not-ready': 'false',
      },
      env: {
        GITHUB_API_URL: github.url,
        NODE_EXTRA_CA_CERTS: site.caFile,
        STRIPE_KEY: 'sk_test_1',
        AWS_ENDPOINT_URL_ECS: ecs.url,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const checksOf = (r: ActionResult) => {
    const report = JSON.parse(r.outputs.report ?? '{}') as { elapsedMs: number; checks: Array<{ id: string; status: string; durationMs: number; found: string }> };
    const bad = report.checks?.filter((c) => c.status !== 'pass' && !(c.id === 'freeze' && c.status === 'fail'));
    if (!report.checks || bad.length) throw new Error(`unexpected results: ${JSON.stringify(bad ?? r.stdout.slice(-2000))}`);
    return report;
  };

  const slowRuns = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run(slow.url);
    const report = checksOf(r);
    const slowest = Math.max(...report.checks.map((c) => c.durationMs));
    slowRuns.push({ elapsed: report.elapsedMs, slowest, sum: report.checks.reduce((s, c) => s + c.durationMs, 0), wall: r.durationMs, per: report.checks });
  }
  const fastRuns = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await run(site.url);
    const report = checksOf(r);
    fastRuns.push({ wall: r.durationMs, elapsed: report.elapsedMs, per: report.checks });
  }
  const mid = slowRuns.sort((a, b) => a.elapsed - b.elapsed)[Math.floor(RUNS / 2)]!;
  console.log(`preflight on loopback, 10 checks at once (median of ${RUNS}):`);
  console.log(`| one check slow (URL answers after ${SLOW_MS} ms) | checks' wall ${mid.elapsed} ms | slowest check ${mid.slowest} ms | over the slowest: ${(((mid.elapsed - mid.slowest) / mid.slowest) * 100).toFixed(1)} % (target ≤ 10 %) | sum of checks ${mid.sum} ms |`);
  console.log(`|   per check | ${mid.per.map((c) => `${c.id} ${c.durationMs}`).join(', ')} ms |`);
  console.log(`| nothing slow | step wall time ${median(fastRuns.map((r) => r.wall))} ms incl. process start (target < 1500 ms) | checks' wall ${median(fastRuns.map((r) => r.elapsed))} ms | runs: ${fastRuns.map((r) => r.wall).join(', ')} ms |`);
  console.log(`|   per check (last run) | ${fastRuns.at(-1)!.per.map((c) => `${c.id} ${c.durationMs}`).join(', ')} ms |`);
} finally {
  await Promise.all([pg.stop(), s3.stop(), github.close(), ecs.close(), site.close(), slow.close()]);
}
