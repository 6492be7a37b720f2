/**
 * The DESIGN.md contracts (input and output names) of actions whose action.yml has not landed yet.
 * The workflows are wired to them by these names; the wiring test checks against this table only
 * while actions/<name>/action.yml is missing — once it lands, the action.yml is the contract.
 */
const platformInputs = [
  'vercel-token', 'vercel-team-id', 'vercel-project-id', 'working-directory', 'prebuilt', 'vercel-api-url', 'protection-bypass-secret',
  'aws-region', 'cluster', 'service', 'task-definition', 'container-name', 'image', 'test-url', 'production-url', 'bake-time',
];

export const PENDING_CONTRACTS: Record<string, { inputs: string[]; outputs: string[] }> = {
  preflight: {
    inputs: [
      'environment', 'required-env', 'database-url', 'migrations-dir', 'platform', ...platformInputs, 'urls', 'backup-destination', 'freeze',
      'freeze-override', 'required-checks', 'wait-for-checks', 'allowed-refs', 'block-concurrent', 'fail-on-not-ready', 'timeout', 'github-token', 'sentry-dsn',
    ],
    outputs: ['ready', 'failed', 'warnings', 'report'],
  },
  'canary-shift': {
    inputs: [
      'platform', 'operation', 'environment', 'steps', 'step-duration', 'analysis-interval', 'probe-url', 'baseline-url', 'probe-checks', 'probe-rate',
      'max-error-rate', 'max-p95-latency', 'max-latency-regression', 'min-samples', 'failure-limit', 'on-no-data', 'on-inconclusive', 'on-failure',
      'metrics', 'cloudwatch-alarms', 'listener-rule-arn', 'stable-target-group-arn', 'canary-target-group-arn', 'canary-service', 'timeout',
      ...platformInputs, 'github-token', 'sentry-dsn',
    ],
    outputs: ['result', 'final-weight', 'failed-step', 'deployment-id', 'github-deployment-id', 'report'],
  },
  notify: {
    inputs: [
      'status', 'environment', 'version', 'url', 'message', 'slack-webhook-url', 'slack-token', 'slack-channel', 'webhook-url', 'webhook-secret',
      'webhook-signature-style', 'pagerduty-routing-key', 'sentry-auth-token', 'sentry-org', 'sentry-project', 'sentry-url', 'smtp-url', 'email-from',
      'email-to', 'teams-webhook-url', 'discord-webhook-url', 'github-deployment-id', 'environment-url', 'github-token', 'timeout', 'fail-on-error', 'sentry-dsn',
    ],
    outputs: ['delivered', 'failed', 'report'],
  },
};
