/**
 * The world the release pipeline runs in, for test/workflows/ and `npm run demo`: an app
 * repository (acme/shop) with the README's caller workflows, Gantry itself (acme/gantry, its
 * actions/ and committed dist/), GitHub environments `staging` and `production` — each with its
 * own Vercel project (a Vercel stand-in each), its own PostgreSQL database and backup folder —
 * one GitHub Deployments stand-in (the ledger), a local receiver for Slack and webhook messages,
 * and the workflow runner wired to all of it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from './action.js';
import { startGithubStandin, type GithubStandin } from './github.js';
import { createDatabase, startPostgres, type PostgresServer } from './postgres.js';
import { tlsIdentity } from './tls.js';
import { startVercelStandin, type VercelStandin } from './vercel.js';
import { startEcsStandIn, type EcsStandIn } from './ecs.js';
import { ElbStandIn } from './elbv2.js';
import { WorkflowRunner, type JobRecord, type RunRecord, type StandIn } from './workflow-runner/index.js';

export const STAGES = ['staging', 'production'] as const;
/** The app's CI checks, required on main by its rules. */
export const CI_CHECKS = ['build', 'test'];
export type Stage = (typeof STAGES)[number];

/** Whether an action's bundle has been built (the pipeline uses only what exists). */
export const built = (action: string) => existsSync(join(ROOT, 'dist', action, 'index.js'));

/** The reusable workflow a release job runs, as the tests call it. */
export const DEPLOY_WORKFLOW = { repo: 'acme/gantry', path: '.github/workflows/deploy.yml' };
/** A job's steps by name. */
export const stepsByName = (job: JobRecord) => Object.fromEntries(job.steps.map((s) => [s.name, s]));
/** The newest webhook message that mentions a stage, as JSON text. */
export const lastWebhookAbout = (world: PipelineWorld, stage: Stage) =>
  JSON.stringify(world.messages.filter((m) => m.channel === 'webhook' && JSON.stringify(m.body).includes(stage)).at(-1)?.body);
/** The ledger's record (a GitHub deployment) of a release run. */
export const ledgerRecordOf = (world: PipelineWorld, run: RunRecord) => world.github.deployments.find((d) => String(d.id) === run.outputs['github-deployment-id'])!;
/** The first job's steps with each failed step's log tail and annotations: the message a failed expectation shows. */
export const traceSteps = (run: RunRecord) =>
  run.jobs[0]!.steps.map((s) => `${s.conclusion} ${s.name}${s.conclusion === 'failure' ? `\n${s.log.slice(-1500)}\n${s.annotations.map((a) => a.message).join('\n')}` : ''}`).join('\n');

export interface Message {
  channel: 'slack' | 'webhook';
  at: number;
  body: unknown;
}

export interface StageWorld {
  /** age key pair the stage's backups are encrypted to (recipients: no scrypt on every backup). */
  backupIdentity: string;
  /** The stage's Vercel project (platform vercel). */
  vercel?: VercelStandin;
  /** The stage's ECS service (platforms ecs and ecs-alb): cluster shop-<stage>, service web. */
  ecs?: { cluster: string; service: string; productionUrl: string; testUrl: string };
  /**
   * Platform ecs-alb: the canary's own service behind the canary target group, the listener rule
   * that weighs the two groups (production answers through it), and where each group alone answers.
   */
  alb?: { canaryService: string; ruleArn: string; stable: string; canary: string; probeUrl: string; baselineUrl: string };
  databaseUrl: string;
  backups: string;
}

export interface PipelineWorld {
  dir: string;
  app: string;
  github: GithubStandin;
  platform: Platform;
  ecs?: EcsStandIn;
  /** Platform ecs-alb: the load balancer's listener rules and target groups. */
  elb?: ElbStandIn;
  stages: Record<Stage, StageWorld>;
  messages: Message[];
  runner: WorkflowRunner;
  /** Writes the app at this version into the app repository (what actions/checkout copies). */
  writeApp(version: string, options?: { health?: 'healthy' | 'unhealthy'; migrations?: Record<string, string> }): void;
  /** Runs the app's caller workflow .github/workflows/<file> by workflow_dispatch. */
  dispatch(file: string, inputs?: Record<string, string | boolean>): Promise<RunRecord>;
  /** What production of a stage answers at /api/version. */
  live(stage: Stage): Promise<string>;
  /** Every secret of the world (for leak checks). */
  secrets(): string[];
  close(): Promise<void>;
}

/** The README's caller, as an app team writes it (with secrets: inherit), quickened for tests. */
export const RELEASE_CALLER = `name: release
on:
  workflow_dispatch:
    inputs:
      version: { type: string, required: true }
permissions:
  contents: read
  deployments: write
  checks: read
  statuses: read
  actions: read
  id-token: write
jobs:
  release:
    uses: acme/gantry/.github/workflows/promote.yml@v1
    with:
      version: \${{ inputs.version }}
      migrations-dir: migrations
      watch: 0s
      canary-step-duration: 2s
      verify-checks: |
        - path: /
          expect-body: Shop
      smoke-checks: |
        - path: /api/health
          health: true
    secrets: inherit
`;

/** The README's ten-line rollback caller. */
export const ROLLBACK_CALLER = `name: rollback
on:
  workflow_dispatch:
    inputs:
      environment: { type: environment, required: true }
      to: { type: string, description: "Deployment id (empty: the previous release)" }
      restore-database: { type: boolean, default: false }
      backup-id: { type: string, default: latest }
      confirm: { type: string, description: "Type the environment's name to restore the database" }
permissions: { contents: read, deployments: write, id-token: write }
jobs:
  rollback:
    uses: acme/gantry/.github/workflows/rollback.yml@v1
    with:
      environment: \${{ inputs.environment }}
      to: \${{ inputs.to }}
      restore-database: \${{ inputs.restore-database }}
      backup-id: \${{ inputs.backup-id }}
      confirm: \${{ inputs.confirm }}
    secrets: inherit
`;

/** aws-actions/configure-aws-credentials, stood in: OIDC needs the job's id-token: write, as on GitHub. */
export const configureAwsCredentials: StandIn = ({ inputs, permissions }) => {
  if (!inputs['aws-region']) return { error: 'Input required and not supplied: aws-region' };
  if (inputs['role-to-assume']) {
    if (permissions['id-token'] !== 'write') return { error: 'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers (no OIDC token: the job lacks permissions: id-token: write)' };
  } else if (!inputs['aws-access-key-id'] || !inputs['aws-secret-access-key']) return { error: 'Credentials could not be loaded, please check your action inputs' };
  const key = `ASIA${Math.random().toString(36).slice(2, 14).toUpperCase()}`;
  const secret = `stand-in-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  return {
    env: { AWS_REGION: inputs['aws-region'], AWS_DEFAULT_REGION: inputs['aws-region'], AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: `token-${secret}` },
    secrets: [secret],
    outputs: { 'aws-account-id': '123456789012' },
    log: inputs['role-to-assume'] ? `Assumed ${inputs['role-to-assume']} through OIDC (stand-in)` : 'Access keys configured (stand-in)',
  };
};

async function startReceiver(messages: Message[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let parsed: unknown = body;
      try {
        parsed = JSON.parse(body);
      } catch {
        /* not JSON */
      }
      messages.push({ channel: req.url?.startsWith('/slack') ? 'slack' : 'webhook', at: Date.now(), body: parsed });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export type Platform = 'vercel' | 'ecs' | 'ecs-alb';

/** Databases on one PostgreSQL server (the tests': vitest's injected postgresUrl) instead of a server per environment. */
export function databasesOn(server: string): WorldOptions['postgres'] {
  return { url: server, urlFor: (db) => Object.assign(new URL(server), { pathname: `/${db}` }).toString() };
}

export interface WorldOptions {
  /** One PostgreSQL per environment (the demo) or databases on a given server (tests). */
  postgres?: { url: string; urlFor(db: string): string };
  tempDir?: string;
  /** Step timeout for the runner. */
  stepTimeoutMs?: number;
  onStep?: ConstructorParameters<typeof WorkflowRunner>[0]['onStep'];
  /**
   * vercel (a Vercel project per environment), ecs (a blue/green ECS service per environment), or
   * ecs-alb (per environment a stable and a canary ECS service behind one ALB listener rule; the
   * release caller uses strategy: canary).
   */
  platform?: Platform;
  /**
   * Platform ecs: the strategy the services start with. CANARY and LINEAR (ECS native canaries):
   * production answers by the service deployment's weights — each request to the new revision or
   * the one before, drawn by its production weight — and the test URL is the new revision alone.
   */
  ecsStrategy?: 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
}

/**
 * What an ECS service answers: its app at the version in the image tag of the task definition the
 * service runs (production) or was last given (green, at the test listener); a tag ending in
 * -broken answers /api/health with "unhealthy".
 */
async function startEcsApp(version: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const v = version();
    const path = (req.url ?? '/').split('?')[0];
    const headers = { 'strict-transport-security': 'max-age=63072000', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'self'" };
    if (path === '/api/health') return res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ status: v.endsWith('-broken') ? 'unhealthy' : 'healthy', version: v }));
    if (path === '/api/version') return res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ version: v.replace(/-broken$/, '') }));
    res.writeHead(200, { 'content-type': 'text/html', ...headers }).end(`<!doctype html><title>shop ${v}</title><h1>Shop ${v}</h1>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The version an ECS service runs: the image tag of its task definition. */
function imageTag(ecs: EcsStandIn, cluster: string, service: string): string {
  const arn = ecs.service(cluster, service).taskDefinition;
  return String(ecs.taskDefinitions.get(arn ?? '')?.containerDefinitions?.[0]?.image ?? ':v0').split(':').pop()!;
}

/** A load balancer's front: every request forwarded to the target `pick` names at that moment. */
async function startLoadBalancer(pick: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    fetch(`${pick()}${req.url ?? '/'}`, { method: req.method, signal: AbortSignal.timeout(5000) })
      .then(async (answer) => {
        const headers = Object.fromEntries([...answer.headers].filter(([k]) => !['connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k)));
        res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
      })
      .catch(() => res.writeHead(502).end('Bad Gateway'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export async function startPipelineWorld(options: WorldOptions = {}): Promise<PipelineWorld> {
  const platform = options.platform ?? 'vercel';
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'gantry-pipeline-'));
  const app = join(dir, 'shop');
  mkdirSync(join(app, '.github', 'workflows'), { recursive: true });
  let caller = RELEASE_CALLER;
  if (platform !== 'vercel') caller = caller.replace('      watch: 0s\n', '      watch: 0s\n      platform: ecs\n      container-name: web\n      image: ghcr.io/acme/shop:${{ inputs.version }}\n');
  if (platform === 'ecs-alb') {
    // A canary measured at a quick pace, its probes asking the health endpoint too.
    caller = caller
      .replace('      watch: 0s\n', '      watch: 0s\n      strategy: canary\n      canary-steps: 25,100\n      canary-analysis-interval: 1s\n      canary-probe-rate: 10\n      canary-min-samples: 5\n')
      .replace('          expect-body: Shop\n', '          expect-body: Shop\n        - path: /api/health\n          health: true\n');
  }
  writeFileSync(join(app, '.github', 'workflows', 'release.yml'), caller);
  const rollbackCaller = platform !== 'vercel' ? ROLLBACK_CALLER.replace('      environment: ${{ inputs.environment }}\n', '      environment: ${{ inputs.environment }}\n      platform: ecs\n') : ROLLBACK_CALLER;
  writeFileSync(join(app, '.github', 'workflows', 'rollback.yml'), rollbackCaller);
  const messages: Message[] = [];
  const receiver = await startReceiver(messages);
  const servers: PostgresServer[] = [];
  const apps: Server[] = [];
  const github = await startGithubStandin();
  // The app's commit, with what its CI left on it (another workflow's check suite, done and green)
  // and the rule that makes those checks required on main, as in a real repository.
  const appSha = '0123456789abcdef0123456789abcdef01234567';
  for (const name of CI_CHECKS) github.checkRuns.push({ name, head_sha: appSha, status: 'completed', conclusion: 'success', check_suite_id: 4242 });
  github.rules.main = [{ type: 'required_status_checks', parameters: { strict_required_status_checks_policy: false, required_status_checks: CI_CHECKS.map((context) => ({ context })) } }];
  const vercels: Partial<Record<Stage, VercelStandin>> = {};
  const ecsServices: Partial<Record<Stage, StageWorld['ecs']>> = {};
  const albs: Partial<Record<Stage, StageWorld['alb']>> = {};
  let ecs: EcsStandIn | undefined;
  let elb: ElbStandIn | undefined;
  if (platform === 'vercel') {
    [vercels.staging, vercels.production] = await Promise.all([startVercelStandin({ buildMs: 300, aliasMs: 200 }), startVercelStandin({ buildMs: 300, aliasMs: 200 })]);
  } else if (platform === 'ecs-alb') {
    ecs = await startEcsStandIn({ stageMs: 20 });
    elb = await new ElbStandIn(ecs.region, ecs.account).start();
    for (const stage of STAGES) {
      const cluster = `shop-${stage}`;
      const taskDefinition = { family: `shop-${stage}`, containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v0', essential: true, portMappings: [{ containerPort: 8080 }] }] };
      ecs.addService({ cluster, service: 'web', strategy: 'ROLLING', desiredCount: 2, taskDefinition });
      ecs.addService({ cluster, service: 'web-canary', strategy: 'ROLLING', desiredCount: 0, taskDefinition });
      const rule = elb.addRule(`shop-${stage}`);
      const versionOf = (service: string) => () => imageTag(ecs!, cluster, service);
      const [stable, canary] = await Promise.all([startEcsApp(versionOf('web')), startEcsApp(versionOf('web-canary'))]);
      // Production answers through the listener rule: each request to a group drawn by its weight.
      const weights = elb.weights.bind(elb, rule.ruleArn);
      const production = await startLoadBalancer(() => (Math.random() * 100 < (weights()[rule.canary] ?? 0) ? canary.url : stable.url));
      apps.push(stable.server, canary.server, production.server);
      ecsServices[stage] = { cluster, service: 'web', productionUrl: production.url, testUrl: '' };
      albs[stage] = { canaryService: 'web-canary', ruleArn: rule.ruleArn, stable: rule.stable, canary: rule.canary, probeUrl: canary.url, baselineUrl: stable.url };
    }
  } else {
    const standIn = await startEcsStandIn({ stageMs: 40, bakeMs: 300 });
    ecs = standIn;
    for (const stage of STAGES) {
      const cluster = `shop-${stage}`;
      const strategy = options.ecsStrategy ?? 'BLUE_GREEN';
      standIn.addService({
        cluster,
        service: 'web',
        strategy,
        taskDefinition: { family: `shop-${stage}`, containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v0', essential: true, portMappings: [{ containerPort: 8080 }] }] },
      });
      const imageOf = (arn: string | undefined) => String(standIn.taskDefinitions.get(arn ?? '')?.containerDefinitions?.[0]?.image ?? ':v0').split(':').pop()!;
      if (strategy !== 'BLUE_GREEN') {
        // The service's latest deployment: its new revision (target) and the one it replaces (source).
        const latest = () => standIn.deploymentsOf(cluster, 'web').at(-1)!;
        const [target, source] = await Promise.all([startEcsApp(() => imageOf(latest().target.taskDefinition)), startEcsApp(() => imageOf((latest().source ?? latest().target).taskDefinition))]);
        const production = await startLoadBalancer(() => (Math.random() * 100 < latest().productionWeight ? target.url : source.url));
        apps.push(target.server, source.server, production.server);
        ecsServices[stage] = { cluster, service: 'web', productionUrl: production.url, testUrl: target.url };
        continue;
      }
      const production = await startEcsApp(() => imageOf(standIn.service(cluster, 'web').taskDefinition));
      const green = await startEcsApp(() => imageOf([...standIn.taskDefinitions.values()].filter((t) => t.family === `shop-${stage}`).at(-1)?.taskDefinitionArn));
      apps.push(production.server, green.server);
      ecsServices[stage] = { cluster, service: 'web', productionUrl: production.url, testUrl: green.url };
    }
  }
  // A database per environment: on the given server (tests), or a throwaway server each (demo).
  const own = options.postgres ? [] : await Promise.all(STAGES.map(() => startPostgres()));
  servers.push(...own);
  const { generateIdentity } = await import('age-encryption');
  const stages = {} as Record<Stage, StageWorld>;
  for (const [i, stage] of STAGES.entries()) {
    const server = options.postgres ?? own[i]!;
    const databaseUrl = await createDatabase(server, `shop_${stage}_${Math.random().toString(36).slice(2, 7)}`);
    const backups = join(dir, `backups-${stage}`);
    mkdirSync(backups);
    stages[stage] = { vercel: vercels[stage], ecs: ecsServices[stage], alb: albs[stage], databaseUrl, backups, backupIdentity: await generateIdentity() };
  }
  const gantrySha = gitSha();
  const { identityToRecipient } = await import('age-encryption');
  const recipients: Partial<Record<Stage, string>> = {};
  for (const stage of STAGES) recipients[stage] = await identityToRecipient(stages[stage].backupIdentity);
  const runner = new WorkflowRunner({
    repository: 'acme/shop',
    repositories: {
      'acme/shop': { dir: app, sha: appSha },
      'acme/gantry': { dir: ROOT, sha: gantrySha, include: ['actions', 'dist'] },
    },
    environments: Object.fromEntries(
      STAGES.map((stage) => {
        const s = stages[stage];
        const platformVars: Record<string, string> = s.vercel
          ? { VERCEL_PROJECT_ID: s.vercel.projectId, VERCEL_TEAM_ID: s.vercel.teamId, VERCEL_API_URL: s.vercel.url, PRODUCTION_URL: s.vercel.productionUrl }
          : { AWS_REGION: ecs!.region, AWS_ROLE_ARN: `arn:aws:iam::${ecs!.account}:role/gantry-release-${stage}`, ECS_CLUSTER: s.ecs!.cluster, ECS_SERVICE: s.ecs!.service, PRODUCTION_URL: s.ecs!.productionUrl };
        if (s.ecs?.testUrl) platformVars.ECS_TEST_URL = s.ecs.testUrl;
        if (s.alb) {
          Object.assign(platformVars, {
            ECS_CANARY_SERVICE: s.alb.canaryService,
            ALB_LISTENER_RULE_ARN: s.alb.ruleArn,
            ALB_STABLE_TARGET_GROUP_ARN: s.alb.stable,
            ALB_CANARY_TARGET_GROUP_ARN: s.alb.canary,
            CANARY_PROBE_URL: s.alb.probeUrl,
            CANARY_BASELINE_URL: s.alb.baselineUrl,
          });
        }
        return [
          stage,
          {
            vars: { ...platformVars, BACKUP_DESTINATION: s.backups, BACKUP_RECIPIENTS: recipients[stage]! },
            secrets: {
              DATABASE_URL: s.databaseUrl,
              ...(s.vercel ? { VERCEL_TOKEN: s.vercel.token, VERCEL_PROTECTION_BYPASS: s.vercel.bypassSecret } : {}),
              BACKUP_IDENTITY: s.backupIdentity,
              ...(built('notify') ? { SLACK_WEBHOOK_URL: `${receiver.url}/slack/${stage}`, WEBHOOK_URL: `${receiver.url}/hooks/${stage}`, WEBHOOK_SECRET: `whsec_${Buffer.from(`secret-${stage}-0123456789`).toString('base64')}` } : {}),
            },
          },
        ];
      }),
    ),
    github: { token: github.token, apiUrl: github.url, runs: github.runs },
    env: { NODE_EXTRA_CA_CERTS: tlsIdentity().certFile, ...(ecs ? { AWS_ENDPOINT_URL_ECS: ecs.url } : {}), ...(elb ? { AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url } : {}) },
    actions: { 'aws-actions/configure-aws-credentials': configureAwsCredentials },
    stepTimeoutMs: options.stepTimeoutMs ?? 120_000,
    tempDir: dir,
    onStep: options.onStep,
  });

  const writeApp: PipelineWorld['writeApp'] = (version, o = {}) => {
    const files: Record<string, string> = {
      'index.html': `<!doctype html><title>shop ${version}</title><h1>Shop ${version}</h1>`,
      'api/health.json': JSON.stringify({ status: o.health ?? 'healthy', version }),
      'api/version.json': JSON.stringify({ version }),
      'migrations/20261101000000_create_orders.sql': 'CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total numeric(10,2) NOT NULL);\n',
      ...o.migrations,
    };
    rmSync(join(app, 'api'), { recursive: true, force: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(app, path)), { recursive: true });
      writeFileSync(join(app, path), content);
    }
  };

  const live = async (stage: Stage) => {
    const { request } = await import('node:https');
    const { request: plain } = await import('node:http');
    const ca = readFileSync(tlsIdentity().certFile, 'utf8');
    return new Promise<string>((resolve, reject) => {
      const url = stages[stage].vercel?.productionUrl ?? stages[stage].ecs!.productionUrl;
      const get = url.startsWith('https:') ? request : plain;
      const req = get(`${url}/api/version`, { ca, timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      });
      req.on('error', reject);
      req.end();
    });
  };

  return {
    dir,
    app,
    github,
    platform,
    ecs,
    elb,
    stages,
    messages,
    runner,
    writeApp,
    dispatch: (file, inputs = {}) => runner.run({ repo: 'acme/shop', path: `.github/workflows/${file}` }, { event: 'workflow_dispatch', inputs }),
    live,
    secrets: () => [github.token, ...STAGES.flatMap((s) => [stages[s].vercel?.token ?? '', stages[s].vercel?.bypassSecret ?? '', stages[s].backupIdentity, new URL(stages[s].databaseUrl).password])].filter(Boolean),
    close: async () => {
      const closing = (server: Server) => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
      await Promise.all([github.close(), ...Object.values(vercels).map((v) => v.close()), ecs?.close(), elb?.close(), closing(receiver.server), ...apps.map(closing), ...servers.map((s) => s.stop())]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'f'.repeat(40);
  }
}
