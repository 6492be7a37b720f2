/**
 * `npm run demo`: the release pipeline itself. The workflow runner (test/harness/workflow-runner/)
 * runs the app's caller workflows — which call Gantry's promote.yml and rollback.yml — against
 * local stand-ins: a throwaway PostgreSQL per environment, a Vercel project per environment
 * (or, with --platform ecs, the ECS stand-in's blue/green services; with --platform ecs-alb, canary
 * releases on ECS behind the ELBv2 stand-in's listener rule), the GitHub Deployments ledger, and a receiver for
 * Slack and webhook messages. Every step is a committed bundle run exactly as the runner runs it.
 *
 *   v1 is released to staging, then production, each stage first asking preflight whether it is
 *      safe to ship (its checklist is printed under the step);
 *   v2 has a broken health endpoint: staging's smoke test fails after the switch and the same job
 *      rolls staging back — production never sees it;
 *   v3 adds a migration and is released to both;
 *   a dispatched rollback puts production back on v1 and restores its database from the backup
 *      taken before v3's migration.
 *
 * Prints the tree of jobs and steps with durations and outcomes, and writes every step's job
 * summary to one Markdown page. Everything it starts is stopped; its temp folder is removed.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../test/harness/action.js';
import { built, startPipelineWorld, type PipelineWorld } from '../test/harness/pipeline-world.js';
import type { JobRecord, RunRecord } from '../test/harness/workflow-runner/index.js';
import { palette } from '../test/harness/colour.js';

const { bold, dim, green, red, yellow } = palette();
const mark = { success: green('✓'), failure: red('✗'), skipped: dim('○'), cancelled: yellow('⊘') };
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const platform = process.argv.includes('--platform') ? process.argv[process.argv.indexOf('--platform') + 1] : 'vercel';

function printTree(title: string, run: RunRecord): void {
  console.log(`\n${bold(`▶ ${title}`)}  ${mark[run.result]} ${run.result} ${dim(secs(run.durationMs))}`);
  const walk = (jobs: JobRecord[], indent: string) => {
    for (const job of jobs) {
      const env = job.environment ? dim(` [${job.environment}]`) : '';
      console.log(`${indent}${mark[job.result]} ${bold(job.name)}${env} ${dim(secs(job.durationMs))}${job.error ? `  ${job.error}` : ''}`);
      walk(job.jobs, `${indent}  `);
      for (const step of job.steps) {
        if (step.conclusion === 'skipped') {
          console.log(`${indent}    ${mark.skipped} ${dim(step.name)}`);
          continue;
        }
        const note = step.annotations.find((a) => a.level === 'error')?.message.split('\n')[0];
        console.log(`${indent}    ${mark[step.conclusion]} ${step.name} ${dim(secs(step.durationMs))}${note ? `  ${dim(`— ${note.slice(0, 140)}`)}` : ''}`);
        if (step.what.endsWith('/actions/preflight')) printChecklist(step.outputs.report, `${indent}        `);
      }
    }
  };
  walk(run.jobs, '  ');
}

/** Preflight's checklist, from its report output: a line per check that ran, the skipped ones on one line. */
function printChecklist(report: string | undefined, indent: string): void {
  if (!report) return;
  const { checks } = JSON.parse(report) as { checks: Array<{ title: string; status: 'pass' | 'warn' | 'fail' | 'skipped'; found: string }> };
  const icon = { pass: green('✓'), warn: yellow('!'), fail: red('✗'), skipped: dim('○') };
  for (const c of checks.filter((c) => c.status !== 'skipped')) console.log(`${indent}${icon[c.status]} ${dim(`${c.title}: ${c.found.slice(0, 110)}`)}`);
  const skipped = checks.filter((c) => c.status === 'skipped').map((c) => c.title);
  if (skipped.length) console.log(`${indent}${icon.skipped} ${dim(`not asked for: ${skipped.join(', ')}`)}`);
}

function summaries(title: string, run: RunRecord): string {
  const out: string[] = [`# ${title} — ${run.result}`, ''];
  const walk = (jobs: JobRecord[]) => {
    for (const job of jobs) {
      walk(job.jobs);
      for (const step of job.steps) {
        if (!step.summary.trim()) continue;
        out.push(`## ${job.path} › ${step.name} (${step.conclusion}, ${secs(step.durationMs)})`, '', step.summary.trim(), '');
      }
    }
  };
  walk(run.jobs);
  return out.join('\n');
}

async function main(): Promise<void> {
  if (platform !== 'vercel' && platform !== 'ecs' && platform !== 'ecs-alb') throw new Error(`--platform ${platform}: use vercel, ecs or ecs-alb`);
  const started = Date.now();
  const temp = mkdtempSync(join(tmpdir(), 'gantry-demo-'));
  chmodSync(temp, 0o755); // PostgreSQL runs as its own OS user under it
  // Everything started from here (PostgreSQL, stand-ins, the runner's job folders) lands in `temp`.
  process.env.TMPDIR = temp;
  const page: string[] = [];
  let world: PipelineWorld | undefined;
  let failed = false;
  try {
    const where = { vercel: 'Vercel', ecs: 'AWS ECS (blue/green services, OIDC)', 'ecs-alb': 'AWS ECS behind an ALB (canary releases, OIDC)' }[platform];
    console.log(bold(`Gantry — the release pipeline on ${where}, run by the local workflow runner on stand-ins`));
    console.log(dim(`actions from dist/: ${['preflight', 'backup', 'migrate', 'deploy-blue-green', 'canary-shift', 'smoke-test', 'notify'].map((a) => `${a}${built(a) ? '' : ' (not built: its step is left out)'}`).join(', ')}`));
    world = await startPipelineWorld({ tempDir: temp, platform });
    const w = world;
    const show = async (title: string, run: RunRecord, expect: RunRecord['result']) => {
      printTree(title, run);
      page.push(summaries(title, run));
      console.log(dim(`  staging answers ${await w.live('staging')} · production answers ${await w.live('production')}`));
      const fresh = w.messages.splice(0);
      for (const m of fresh) console.log(dim(`  ✉ ${m.channel}: ${JSON.stringify(m.body).slice(0, 160)}`));
      if (run.result !== expect) throw new Error(`${title}: expected ${expect}, got ${run.result}`);
    };

    w.writeApp('v1');
    await show('release v1 (release.yml → promote.yml: staging, then production)', await w.dispatch('release.yml', { version: 'v1' }), 'success');

    // On ECS the app's version is its image tag; a tag ending in -broken answers health "unhealthy".
    w.writeApp('v2', { health: 'unhealthy' });
    const stopped = platform === 'ecs-alb' ? "staging's canary is aborted at its first step" : 'staging rolls back in the same job';
    await show(`release v2 — its /api/health says unhealthy: ${stopped}, production never sees it`, await w.dispatch('release.yml', { version: platform === 'vercel' ? 'v2' : 'v2-broken' }), 'failure');

    w.writeApp('v3', { migrations: { 'migrations/20261120000000_order_notes.sql': "ALTER TABLE orders ADD COLUMN note text;\nINSERT INTO orders (total, note) VALUES (42, 'v3');\n" } });
    const v3 = await w.dispatch('release.yml', { version: 'v3' });
    await show('release v3 (a migration adds orders.note)', v3, 'success');
    const backupId = v3.jobs[0]!.jobs.find((j) => j.path.endsWith('/production'))!.outputs['backup-id']!;

    await show(
      `rollback.yml dispatched: production back to v1, database restored from ${backupId}`,
      await w.dispatch('rollback.yml', { environment: 'production', to: '', 'restore-database': true, 'backup-id': backupId, confirm: 'production' }),
      'success',
    );
  } catch (error) {
    failed = true;
    console.error(`\nDemo failed: ${error instanceof Error ? error.message : error}`);
  } finally {
    await world?.close();
    rmSync(temp, { recursive: true, force: true });
  }
  const dir = join(ROOT, '.demo');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'job-summaries.md');
  writeFileSync(file, page.join('\n\n---\n\n'));
  console.log(`\n${bold('Every step’s job summary:')} ${file}`);
  console.log(dim(`demo wall time ${secs(Date.now() - started)}; temp folder removed`));
  process.exitCode = failed ? 1 : 0;
}

await main();
