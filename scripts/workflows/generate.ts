/**
 * Writes .github/workflows/deploy.yml and promote.yml from one release-job definition
 * (release-job.yml beside this file) and one table of inputs and secrets, so the one-environment
 * workflow and both stages of the promotion can never drift apart.
 *
 *   npx tsx scripts/workflows/generate.ts          write the files
 *   npx tsx scripts/workflows/generate.ts --check  exit 1 when the committed files are stale (CI, test)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEMPLATE = readFileSync(join(ROOT, 'scripts', 'workflows', 'release-job.yml'), 'utf8');

interface Input {
  name: string;
  description: string;
  type: 'string' | 'boolean';
  default: string | boolean;
}

/** The same in every stage of a promotion. */
const SHARED: Input[] = [
  { name: 'platform', type: 'string', default: 'vercel', description: 'Where the app runs: vercel or ecs.' },
  { name: 'strategy', type: 'string', default: 'blue-green', description: 'How traffic moves: blue-green (verify green, switch, watch) or canary (traffic in steps, measured at each; on Vercel as a rolling release; on ECS behind an ALB with two target groups, or without one as the service\'s own CANARY / LINEAR deployment).' },
  { name: 'version', type: 'string', default: '', description: 'What is released, as people read it in notifications (default: the commit sha).' },
  { name: 'working-directory', type: 'string', default: '.', description: "The app's folder in the repository: Vercel uploads it, migrate reads migrations-dir relative to it." },
  { name: 'migrations-dir', type: 'string', default: '', description: 'Folder of SQL migrations (relative to working-directory). Empty: no migration step (an app without a database leaves it empty).' },
  { name: 'verify-checks', type: 'string', default: '', description: "smoke-test checks (YAML list) run against the new release before it gets traffic, and as the canary's probes. Default: GET / expecting 2xx." },
  { name: 'smoke-checks', type: 'string', default: '', description: 'smoke-test checks (YAML list) run against production after the switch; a failure rolls back. Empty: no smoke test.' },
  { name: 'watch', type: 'string', default: '2m', description: 'How long production is watched after a blue-green switch (0 skips the watch).' },
  { name: 'canary-steps', type: 'string', default: '5,25,50,100', description: 'Canary: traffic percentages, one step after another. ECS without an ALB runs CANARY (e.g. 10,100) or LINEAR (equal steps: e.g. 25,50,75,100) only.' },
  { name: 'canary-step-duration', type: 'string', default: '5m', description: 'Canary: how long each step is measured.' },
  { name: 'canary-analysis-interval', type: 'string', default: '30s', description: 'Canary: how often a step is measured and judged (at most canary-step-duration).' },
  { name: 'canary-probe-rate', type: 'string', default: '2', description: 'Canary: probe rounds per second sent to the canary (probe-url) and to stable (baseline-url); each round sends every verify-checks request once.' },
  { name: 'canary-min-samples', type: 'string', default: '20', description: "Canary: fewer probe answers than this in a measurement is no data (the step is inconclusive and aborts)." },
  { name: 'max-error-rate', type: 'string', default: '5%', description: 'Canary: the error rate that aborts a step.' },
  { name: 'max-p95-latency', type: 'string', default: '2s', description: "Canary: the canary's p95 latency that aborts a step." },
  { name: 'canary-metrics', type: 'string', default: '', description: 'Canary: YAML list of Prometheus or JSON metrics judged at every measurement (see canary-shift metrics). Empty: probes only.' },
  { name: 'canary-timeout', type: 'string', default: '60m', description: "Canary: upper bound for the whole canary; reaching it puts all traffic back on stable. Keep it under the job's 90 minutes." },
  { name: 'container-name', type: 'string', default: '', description: 'ECS: the container whose image is replaced by image (instead of a whole task definition).' },
  { name: 'image', type: 'string', default: '', description: 'ECS: the image to release, e.g. 123456789012.dkr.ecr.eu-central-1.amazonaws.com/shop:1.2.3.' },
  { name: 'preflight', type: 'boolean', default: true, description: 'Check that it is safe to ship (freeze windows, checks, database, platform) before anything moves. false skips it.' },
  { name: 'freeze-override', type: 'string', default: '', description: 'A reason to release during a change freeze (recorded in the summary). Empty: a freeze stops the release.' },
];

/** Per environment: an explicit input wins, else the environment's variable. */
const PER_ENVIRONMENT: Array<{ name: string; variable: string; description: string }> = [
  { name: 'vercel-team-id', variable: 'VERCEL_TEAM_ID', description: 'Vercel: the team id (team_…); empty for a personal account.' },
  { name: 'vercel-project-id', variable: 'VERCEL_PROJECT_ID', description: 'Vercel: the project id (prj_…) — one Vercel project per environment, since every Vercel release is a production build of its project.' },
  { name: 'aws-region', variable: 'AWS_REGION', description: 'ECS: the AWS region.' },
  { name: 'aws-role-arn', variable: 'AWS_ROLE_ARN', description: 'ECS: the IAM role to assume through GitHub OIDC (preferred over access keys).' },
  { name: 'cluster', variable: 'ECS_CLUSTER', description: 'ECS: the cluster name or ARN.' },
  { name: 'service', variable: 'ECS_SERVICE', description: 'ECS: the service name or ARN.' },
  { name: 'task-definition', variable: 'ECS_TASK_DEFINITION', description: 'ECS: a task definition JSON file in the app repository, or an ARN.' },
  { name: 'test-url', variable: 'ECS_TEST_URL', description: 'ECS: where green (or, in an ECS native canary, the new revision) answers before it gets production traffic (the test listener); probed by an ECS native canary when probe-url is empty.' },
  { name: 'production-url', variable: 'PRODUCTION_URL', description: 'Where the environment answers (smoke test, notifications; read from Vercel when empty).' },
  { name: 'canary-service', variable: 'ECS_CANARY_SERVICE', description: 'Canary on ECS behind an ALB: the service behind the canary target group (it runs the new release first; scaled to 0 after).' },
  { name: 'listener-rule-arn', variable: 'ALB_LISTENER_RULE_ARN', description: 'Canary on ECS behind an ALB: the listener rule whose forward action carries the stable and canary target groups (its weights are the canary share).' },
  { name: 'stable-target-group-arn', variable: 'ALB_STABLE_TARGET_GROUP_ARN', description: 'Canary on ECS behind an ALB: the target group of the service (stable).' },
  { name: 'canary-target-group-arn', variable: 'ALB_CANARY_TARGET_GROUP_ARN', description: 'Canary on ECS behind an ALB: the target group of canary-service.' },
  { name: 'probe-url', variable: 'CANARY_PROBE_URL', description: 'Canary: where the canary alone answers (a test listener or a header-matched rule); verify-checks are sent there at every step.' },
  { name: 'baseline-url', variable: 'CANARY_BASELINE_URL', description: 'Canary: where stable alone answers, probed alike so the canary is compared with stable (optional).' },
  { name: 'backup-destination', variable: 'BACKUP_DESTINATION', description: 'Where the backup before migrating goes (s3://bucket/prefix or a directory). Empty: no backup.' },
  { name: 'freeze', variable: 'FREEZE', description: 'Change-freeze windows for preflight, e.g. "Fri 16:00 - Mon 08:00 Europe/Berlin", one per line.' },
];

/** Secrets: from the environment with `secrets: inherit`, or passed explicitly (per stage in promote). */
const SECRETS: Array<{ name: string; description: string }> = [
  { name: 'DATABASE_URL', description: 'postgres:// URL of the environment database (backup, migrate, preflight). Absent: no database steps.' },
  { name: 'BACKUP_PASSPHRASE', description: 'Passphrase the backup is encrypted with (or set the variable BACKUP_RECIPIENTS to age public keys, faster and preferred).' },
  { name: 'BACKUP_IDENTITY', description: 'With BACKUP_RECIPIENTS: an age private key (AGE-SECRET-KEY-1…) to re-read the new backup while verifying it.' },
  { name: 'VERCEL_TOKEN', description: 'Vercel: an access token for the project.' },
  { name: 'VERCEL_PROTECTION_BYPASS', description: "Vercel: the project's Protection Bypass for Automation secret (verifying a protected deployment)." },
  { name: 'AWS_ACCESS_KEY_ID', description: 'ECS without OIDC: access key id (prefer the variable AWS_ROLE_ARN).' },
  { name: 'AWS_SECRET_ACCESS_KEY', description: 'ECS without OIDC: secret access key.' },
  { name: 'SLACK_WEBHOOK_URL', description: 'Slack incoming webhook for release messages.' },
  { name: 'SLACK_TOKEN', description: 'Slack bot token (with the variable SLACK_CHANNEL): one message per release, updated.' },
  { name: 'WEBHOOK_URL', description: 'A URL that receives every release event as signed JSON.' },
  { name: 'WEBHOOK_SECRET', description: 'The signing secret for WEBHOOK_URL (Standard Webhooks, whsec_…).' },
  { name: 'PAGERDUTY_ROUTING_KEY', description: 'PagerDuty Events v2 routing key: an incident when a release fails or rolls back.' },
  { name: 'SENTRY_DSN', description: "Sentry DSN for the actions' own failures." },
];

const OUTPUTS: Array<{ name: string; description: string }> = [
  { name: 'result', description: 'promoted, rolled-back (blue-green), aborted or paused (canary); empty when the release stopped before traffic moved.' },
  { name: 'rolled-back', description: 'true when traffic went back to the previous release: a failure after the switch, or an aborted canary.' },
  { name: 'deployment-id', description: 'The platform deployment released (Vercel dpl_…, ECS task definition ARN).' },
  { name: 'production-url', description: 'Where the environment answers.' },
  { name: 'github-deployment-id', description: 'The GitHub Deployment recording the release (the ledger).' },
  { name: 'backup-id', description: 'The backup taken before migrating (restore it with rollback.yml).' },
  { name: 'migration-version', description: 'The schema version after migrating.' },
];

interface Stage {
  job: string;
  environment: string;
  /** Prefix of this stage's explicit inputs and secrets (promote), or none (deploy). */
  prefix?: string;
  requireBackup: string;
  needs?: string;
}

function job(stage: Stage): string {
  const upper = stage.prefix?.toUpperCase().replace(/-/g, '_');
  let text = TEMPLATE.replace(/@job@/g, stage.job)
    .replace(/@environment@/g, stage.environment)
    .replace(/@require-backup@/g, stage.requireBackup)
    .replace(/@config\(([a-z-]+)\)@/g, (_, name: string) => {
      const entry = PER_ENVIRONMENT.find((e) => e.name === name);
      if (!entry) throw new Error(`release-job.yml: @config(${name})@ is not in PER_ENVIRONMENT`);
      return `inputs.${stage.prefix ? `${stage.prefix}-` : ''}${name} || vars.${entry.variable}`;
    })
    .replace(/@secret\(([A-Z_]+)\)@/g, (_, name: string) => {
      if (!SECRETS.some((s) => s.name === name)) throw new Error(`release-job.yml: @secret(${name})@ is not in SECRETS`);
      return upper ? `(secrets.${upper}_${name} || secrets.${name})` : `secrets.${name}`;
    });
  if (stage.needs) text = text.replace(`  ${stage.job}:\n`, `  ${stage.job}:\n    needs: ${stage.needs}\n`);
  if (/@[a-z-]+(\([^)]*\))?@/.test(text)) throw new Error(`release-job.yml: unknown placeholder ${/@[a-z-]+(\([^)]*\))?@/.exec(text)![0]}`);
  return text;
}

const yamlString = (s: string) => JSON.stringify(s);

function inputLines(inputs: Input[]): string[] {
  return inputs.flatMap((i) => [
    `      ${i.name}:`,
    `        description: ${yamlString(i.description)}`,
    `        type: ${i.type}`,
    `        default: ${typeof i.default === 'boolean' ? String(i.default) : yamlString(i.default)}`,
  ]);
}

function secretLines(secrets: Array<{ name: string; description: string }>): string[] {
  return secrets.flatMap((s) => [`      ${s.name}:`, `        description: ${yamlString(s.description)}`, '        required: false']);
}

function outputLines(job: string): string[] {
  return OUTPUTS.flatMap((o) => [`      ${o.name}:`, `        description: ${yamlString(o.description)}`, `        value: \${{ jobs.${job}.outputs.${o.name} }}`]);
}

const GENERATED = '# GENERATED by scripts/workflows/generate.ts from scripts/workflows/release-job.yml — edit those, then run it.';

export function deployWorkflow(): string {
  return [
    GENERATED,
    '#',
    '# One environment, one release: preflight → backup → migrate → blue-green or canary → smoke test →',
    '# notify, rolled back in the same job when something fails after the switch. Configuration comes',
    "# from the environment's variables and secrets (call with `secrets: inherit`), explicit inputs win.",
    '#   uses: OWNER/gantry/.github/workflows/deploy.yml@v1',
    'name: gantry-deploy',
    '',
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      environment:',
    '        description: "The GitHub environment to release to: its protection rules, variables and secrets apply."',
    '        type: string',
    '        required: true',
    '      require-backup:',
    '        description: "Refuse to migrate without a backup taken first (set it for production)."',
    '        type: boolean',
    '        default: false',
    ...inputLines(SHARED),
    ...inputLines(PER_ENVIRONMENT.map((e) => ({ name: e.name, type: 'string', default: '', description: `${e.description} Default: the environment's variable ${e.variable}.` }))),
    '    secrets:',
    ...secretLines(SECRETS),
    '    outputs:',
    ...outputLines('release'),
    '',
    'permissions: {}',
    '',
    'jobs:',
    job({ job: 'release', environment: 'inputs.environment', requireBackup: 'inputs.require-backup' }).trimEnd(),
    '',
  ].join('\n');
}

export function promoteWorkflow(): string {
  const stages = ['staging', 'production'] as const;
  return [
    GENERATED,
    '#',
    "# The promotion: staging, then production behind the production environment's protection rules",
    '# (required reviewers are the approval). Each stage is the same release job as deploy.yml, with its',
    "# own environment's variables and secrets; production refuses to migrate without a backup.",
    '#   uses: OWNER/gantry/.github/workflows/promote.yml@v1',
    'name: gantry-promote',
    '',
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      staging-environment:',
    '        description: "The staging environment\'s name."',
    '        type: string',
    '        default: staging',
    '      production-environment:',
    '        description: "The production environment\'s name (protect it with required reviewers)."',
    '        type: string',
    '        default: production',
    ...inputLines(SHARED),
    ...stages.flatMap((stage) =>
      inputLines(PER_ENVIRONMENT.map((e) => ({ name: `${stage}-${e.name}`, type: 'string', default: '', description: `${e.description} Default: the ${stage} environment's variable ${e.variable}.` }))),
    ),
    '    secrets:',
    ...secretLines(SECRETS.map((s) => ({ name: s.name, description: `${s.description} (Both stages, unless a stage's own is given; with secrets: inherit, each environment's.)` }))),
    ...stages.flatMap((stage) => secretLines(SECRETS.map((s) => ({ name: `${stage.toUpperCase()}_${s.name}`, description: `${stage}: ${s.description}` })))),
    '    outputs:',
    ...outputLines('production'),
    '',
    'permissions: {}',
    '',
    'jobs:',
    job({ job: 'staging', environment: 'inputs.staging-environment', prefix: 'staging', requireBackup: 'false' }).trimEnd(),
    '',
    job({ job: 'production', environment: 'inputs.production-environment', prefix: 'production', requireBackup: 'true', needs: 'staging' }).trimEnd(),
    '',
  ].join('\n');
}

export const GENERATED_FILES: Record<string, () => string> = {
  '.github/workflows/deploy.yml': deployWorkflow,
  '.github/workflows/promote.yml': promoteWorkflow,
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, make] of Object.entries(GENERATED_FILES)) {
    const file = join(ROOT, path);
    const text = make();
    if (check) {
      if (readFileSync(file, 'utf8') !== text) (stale++, console.error(`${path} is stale: run npx tsx scripts/workflows/generate.ts`));
    } else writeFileSync(file, text);
  }
  process.exitCode = stale ? 1 : 0;
}
