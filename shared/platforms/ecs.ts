/**
 * The ECS deployment engine behind the `ecs-blue-green` and `ecs` (native canary) traffic
 * platforms (blue-green.ts, ecs-native.ts), on ECS's own deployment machinery: a service whose
 * `deploymentConfiguration.strategy` is BLUE_GREEN (or CANARY / LINEAR) moves test and then
 * production traffic itself and bakes; ROLLING services replace tasks. We register the task
 * definition revision, send a minimal UpdateService, and follow the service deployment through
 * ListServiceDeployments / DescribeServiceDeployments (the SDK has no waiter for it), polling
 * every 0.5–1 s so readiness is noticed within about a second.
 *
 * Any ROLLBACK_*, STOPPED or STOP_REQUESTED status is a failure carrying ECS's statusReason
 * (reported once ECS has settled it, so the message names where it ended).
 * Cancellation (the AbortSignal) while a deployment is in flight stops it with a rollback.
 *
 * PAUSE lifecycle hooks gate the traffic shifts: a BLUE_GREEN deployment is held at
 * POST_TEST_TRAFFIC_SHIFT (green on the test listener only, production still all blue) until
 * Gantry has verified green and answers ContinueServiceDeployment CONTINUE or ROLLBACK. The hook
 * is configured on the service with the release when it is missing, with a timeout that rolls
 * back on its own if nobody answers (a lost runner never leaves a deployment held).
 */
import { readFileSync } from 'node:fs';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type DeploymentConfiguration,
  type DeploymentLifecycleHookAction,
  type DeploymentLifecycleHookDetail,
  type RegisterTaskDefinitionRequest,
  type Service,
  type ServiceDeployment,
  type ServiceRevisionSummary,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { parseDocument } from 'yaml';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { log } from '../core/log.js';
import { abortReason, pollUntil, retry } from '../core/net.js';
import { TimeoutError } from '../core/errors.js';
import { awsClientConfig, awsErrorName, retryableAws, type AwsClientOptions } from './aws.js';
import type { ProductionState, ReleaseRef, TrafficWait } from './traffic.js';
import { resolveTaskDefinition } from './task-definition.js';
import { context } from '../core/context.js';

export function ecsClient(options: AwsClientOptions): ECSClient {
  return new ECSClient(awsClientConfig(options));
}

export interface EcsOptions {
  region: string;
  cluster: string;
  service: string;
  /** A task definition JSON file (path, relative to the workspace) or an existing task definition ARN. */
  taskDefinition?: string;
  /** With `image`: patch this container of the service's current task definition (or of the file). */
  containerName?: string;
  image?: string;
  /** The test listener URL where green answers before it gets production traffic. */
  testUrl?: string;
  productionUrl?: string;
  /** Informational: the service's own bakeTimeInMinutes governs the bake; shown when they differ. */
  bakeTimeMs?: number;
  /** First poll interval (default 500 ms); it grows to `maxPollIntervalMs` (default 1 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** How long a cancelled job waits for the rollback it requested to settle (default 6 s). */
  cancelGraceMs?: number;
  /** SDK attempts per request, throttling included (default 8). */
  maxAttempts?: number;
  /** Per-request timeout (default 15 s); a request that hangs is retried. */
  requestTimeoutMs?: number;
  /** Where a relative task definition path is resolved (default GITHUB_WORKSPACE, else cwd). */
  workspace?: string;
  /** A client to use instead of a new one (tests). */
  client?: ECSClient;
  /**
   * How long ECS holds a deployment at a PAUSE hook before it rolls back on its own when nobody
   * answers (the action's `timeout`; default 30 min). Used when Gantry configures the hook.
   */
  hookTimeoutMs?: number;
  /**
   * The deploymentConfiguration a release needs on the service (the ecs traffic platform: CANARY /
   * LINEAR and its PAUSE hook), from the current one; undefined when it already fits. Default: a
   * BLUE_GREEN service gets a PAUSE hook at POST_TEST_TRAFFIC_SHIFT.
   */
  configure?: (current: DeploymentConfiguration | undefined) => { configuration: DeploymentConfiguration; note: string } | undefined;
}

/** Where Gantry holds a deployment: green verified on the test listener (blue/green), or before each production step (canary/linear). */
export type GateStage = 'POST_TEST_TRAFFIC_SHIFT' | 'PRE_PRODUCTION_TRAFFIC_SHIFT';

/** The PAUSE hook at `stage` a deployment configuration has, if any. */
export function pauseHookAt(configuration: DeploymentConfiguration | undefined, stage: GateStage) {
  return configuration?.lifecycleHooks?.find((h) => h.targetType === 'PAUSE' && h.lifecycleStages?.includes(stage));
}

/** `configuration` with a PAUSE hook at `stage` added; undefined when it has one already. */
export function withPauseHook(configuration: DeploymentConfiguration | undefined, stage: GateStage, timeoutMs: number): DeploymentConfiguration | undefined {
  if (pauseHookAt(configuration, stage)) return undefined;
  // ECS takes the timeout in whole minutes (1–1440); rolling back is what a missing answer should mean.
  const timeoutInMinutes = Math.min(1440, Math.max(1, Math.ceil(timeoutMs / 60_000)));
  return {
    ...configuration,
    lifecycleHooks: [...(configuration?.lifecycleHooks ?? []), { targetType: 'PAUSE', lifecycleStages: [stage], timeoutConfiguration: { timeoutInMinutes, action: 'ROLLBACK' } }],
  };
}

/** The PAUSE hook a deployment waits at (AWAITING_ACTION), if any. */
export function awaitingHook(d: ServiceDeployment | undefined): DeploymentLifecycleHookDetail | undefined {
  return d?.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
}

const SEND_FAILED = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED', 'STOP_REQUESTED']);
const IN_FLIGHT = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED'] as const;
const SETTLED = new Set(['SUCCESSFUL', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']);
/** Failures ECS is still carrying out: followed until they settle, so the error names where they ended. */
const SETTLING = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']);
const STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];
const stageIndex = (stage: string | undefined) => (stage ? STAGES.indexOf(stage) : -1);

/** Fields RegisterTaskDefinition accepts; everything DescribeTaskDefinition adds on top is read-only. */
const REGISTER_FIELDS = [
  'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes', 'placementConstraints',
  'requiresCompatibilities', 'cpu', 'memory', 'tags', 'pidMode', 'ipcMode', 'proxyConfiguration', 'inferenceAccelerators',
  'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection',
] as const;
const READ_ONLY_FIELDS = new Set([
  'taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy',
  'deregisteredAt', 'deleteRequestedAt',
]);

/** A service deployment that ECS failed, rolled back or stopped. */
export class EcsDeploymentError extends Error {
  override name = 'EcsDeploymentError';
  constructor(
    message: string,
    readonly serviceDeploymentArn: string,
    readonly status: string,
    readonly statusReason?: string,
  ) {
    super(message);
  }
}

const short = (arn: string | undefined) => (arn ? arn.split('/').pop()! : '?');
const shortTd = (arn: string | undefined) => (arn ? arn.replace(/^arn:[^:]+:ecs:[^:]*:\d*:task-definition\//, '') : '?');

function lineOf(text: string, needle: string, from = 0): number | undefined {
  const index = text.indexOf(needle, Math.max(0, from));
  if (index < 0) return undefined;
  return text.slice(0, index).split('\n').length;
}

function jsonErrorLine(text: string, error: unknown): { line?: number; column?: number } {
  const message = errorMessage(error);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (pos) {
    const before = text.slice(0, Number(pos[1])).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1 };
  }
  // Messages like "Unexpected token 'x'" carry no position: ask a parser that reports one.
  const doc = parseDocument(text, { prettyErrors: false });
  const at = doc.errors[0]?.linePos?.[0];
  if (at) return { line: at.line, column: at.col };
  if (/end of JSON input/.test(message)) return { line: text.split('\n').length };
  return {};
}

/**
 * Reads and checks a task definition file: JSON, an object with a family and containers that each
 * have a name and an image. Accepts `aws ecs describe-task-definition` output (read-only fields
 * and the `taskDefinition` wrapper are dropped). Mistakes are ConfigurationErrors with file and line.
 */
export function readTaskDefinitionFile(path: string, shownPath = path): RegisterTaskDefinitionRequest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigurationError(
      code === 'ENOENT'
        ? `task-definition: no file ${shownPath}. Give a task definition JSON file (relative to the workspace) or a task definition ARN.`
        : `task-definition: cannot read ${shownPath} (${code ?? errorMessage(error)})`,
      { input: 'task-definition' },
    );
  }
  const at = (line: number | undefined, column?: number) => ({ file: shownPath, line, column, input: 'task-definition' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorLine(text, error);
    throw new ConfigurationError(`${shownPath}${line ? `:${line}` : ''}: not valid JSON (${errorMessage(error)})`, at(line, column));
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'taskDefinition' in parsed && Object.keys(parsed).every((k) => k === 'taskDefinition' || k === 'tags')) {
    const wrapper = parsed as { taskDefinition: unknown; tags?: unknown };
    parsed = { ...(wrapper.taskDefinition as object), ...(Array.isArray(wrapper.tags) && wrapper.tags.length ? { tags: wrapper.tags } : {}) };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`${shownPath}: a task definition is a JSON object with "family" and "containerDefinitions"`, at(1));
  }
  const td: Record<string, unknown> = {};
  const allowed = new Set<string>(REGISTER_FIELDS);
  for (const [key, value] of Object.entries(parsed)) {
    if (READ_ONLY_FIELDS.has(key)) continue;
    if (!allowed.has(key)) {
      const line = lineOf(text, `"${key}"`);
      throw new ConfigurationError(
        `${shownPath}${line ? `:${line}` : ''}: "${key}" is not a task definition field RegisterTaskDefinition accepts (known: ${REGISTER_FIELDS.join(', ')})`,
        at(line),
      );
    }
    td[key] = value;
  }
  if (typeof td.family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(td.family)) {
    const line = lineOf(text, '"family"');
    throw new ConfigurationError(
      `${shownPath}${line ? `:${line}` : ''}: "family" must be a name of letters, digits, "-" and "_" (up to 255)${td.family === undefined ? ', and it is missing' : ''}`,
      at(line ?? 1),
    );
  }
  const containers = td.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    const line = lineOf(text, '"containerDefinitions"');
    throw new ConfigurationError(`${shownPath}${line ? `:${line}` : ''}: "containerDefinitions" must be a non-empty list of containers`, at(line ?? 1));
  }
  const seen = new Set<string>();
  let searchFrom = text.indexOf('"containerDefinitions"');
  containers.forEach((c, i) => {
    const name = c && typeof c === 'object' ? (c as { name?: unknown }).name : undefined;
    const image = c && typeof c === 'object' ? (c as { image?: unknown }).image : undefined;
    const nameAt = typeof name === 'string' ? text.indexOf(JSON.stringify(name), searchFrom) : -1;
    const line = nameAt >= 0 ? lineOf(text, JSON.stringify(name), searchFrom) : lineOf(text, '"containerDefinitions"');
    if (nameAt >= 0) searchFrom = nameAt + 1;
    if (typeof name !== 'string' || !name) {
      throw new ConfigurationError(`${shownPath}${line ? `:${line}` : ''}: container #${i + 1} needs a "name"`, at(line));
    }
    if (seen.has(name)) throw new ConfigurationError(`${shownPath}${line ? `:${line}` : ''}: two containers are named "${name}"`, at(line));
    seen.add(name);
    if (typeof image !== 'string' || !image.trim()) {
      throw new ConfigurationError(`${shownPath}${line ? `:${line}` : ''}: container "${name}" needs an "image"`, at(line));
    }
  });
  for (const key of ['cpu', 'memory'] as const) {
    if (typeof td[key] === 'number') td[key] = String(td[key]);
    else if (td[key] !== undefined && typeof td[key] !== 'string') {
      const line = lineOf(text, `"${key}"`);
      throw new ConfigurationError(`${shownPath}${line ? `:${line}` : ''}: "${key}" must be a string such as "512"`, at(line));
    }
  }
  return td as unknown as RegisterTaskDefinitionRequest;
}

/** The current task definition, made registrable again: read-only fields and AWS-owned tags dropped. */
export function registrable(td: TaskDefinition, tags?: Array<{ key?: string; value?: string }>): RegisterTaskDefinitionRequest {
  const out: Record<string, unknown> = {};
  for (const key of REGISTER_FIELDS) {
    const value = (td as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) out[key] = structuredClone(value);
  }
  const own = (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:'));
  if (own.length) out.tags = own;
  return out as unknown as RegisterTaskDefinitionRequest;
}

export function patchImage(td: RegisterTaskDefinitionRequest, containerName: string, image: string): RegisterTaskDefinitionRequest {
  const containers = td.containerDefinitions ?? [];
  const container = containers.find((c: ContainerDefinition) => c.name === containerName);
  if (!container) {
    throw new ConfigurationError(
      `container-name: the task definition ${td.family} has no container "${containerName}" (it has: ${containers.map((c) => c.name).join(', ') || 'none'})`,
      { input: 'container-name' },
    );
  }
  container.image = image;
  return td;
}


interface Tracked {
  line?: string;
  warnedTransient?: boolean;
}

export function createEcsDeployments(options: EcsOptions): EcsDeployments {
  return new EcsDeployments(options);
}

export class EcsDeployments {
  private readonly client: ECSClient;
  /** For ContinueServiceDeployment: never repeated by the SDK, retried by us after re-reading the hook. */
  private readonly writeClient: ECSClient;
  private readonly tracked = new Map<string, Tracked>();
  private readonly pollMs: number;
  private readonly maxPollMs: number;
  private readonly graceMs: number;
  private readonly fromFile?: RegisterTaskDefinitionRequest;

  constructor(private readonly options: EcsOptions) {
    this.client = options.client ?? ecsClient({ region: options.region, maxAttempts: options.maxAttempts ?? 8, requestTimeoutMs: options.requestTimeoutMs });
    this.writeClient = options.client ?? ecsClient({ region: options.region, maxAttempts: 1, requestTimeoutMs: options.requestTimeoutMs });
    this.pollMs = options.pollIntervalMs ?? 500;
    this.maxPollMs = options.maxPollIntervalMs ?? 1_000;
    this.graceMs = options.cancelGraceMs ?? 6_000;
    // A bad file fails here, when the action builds the platform: before any request.
    this.fromFile = this.checkInputs();
  }

  // ── API calls ─────────────────────────────────────────────────────────────

  private async call<T>(operation: string, send: (abortSignal?: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await send(signal);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      const name = awsErrorName(error);
      const message = errorMessage(error);
      if (name === 'ClusterNotFoundException') {
        throw new ConfigurationError(`cluster: ECS has no cluster "${this.options.cluster}" in ${this.options.region}`, { input: 'cluster' });
      }
      if (name === 'ServiceNotFoundException') {
        throw new ConfigurationError(`service: the cluster ${this.options.cluster} has no active service "${this.options.service}"`, { input: 'service' });
      }
      if (name === 'CredentialsProviderError') {
        throw new ConfigurationError(
          'no AWS credentials: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)',
        );
      }
      if (name === 'AccessDeniedException') throw new Error(`AWS denied ecs:${operation}: ${message}. The role needs ecs:${operation}.`, { cause: error });
      const wrapped = new Error(`ECS ${operation} failed: ${name && !message.startsWith(name) ? `${name}: ` : ''}${message}`, { cause: error });
      Object.assign(wrapped, { awsName: name, $retryable: retryableAws(error) });
      throw wrapped;
    }
  }

  private async describeService(signal?: AbortSignal): Promise<Service> {
    const { cluster, service } = this.options;
    const out = await this.call('DescribeServices', (abortSignal) => this.client.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal }), signal);
    const found = out.services?.[0];
    if (!found || found.status !== 'ACTIVE') {
      const why = out.failures?.[0]?.reason ?? found?.status ?? 'MISSING';
      throw new ConfigurationError(`service: the cluster ${cluster} has no active service "${service}" (${why})`, { input: 'service' });
    }
    const controller = found.deploymentController?.type ?? 'ECS';
    if (controller !== 'ECS') {
      throw new ConfigurationError(
        `service: ${service} uses the ${controller} deployment controller; Gantry drives ECS-native deployments (deploymentController ECS with strategy BLUE_GREEN, CANARY, LINEAR or ROLLING)`,
        { input: 'service' },
      );
    }
    return found;
  }

  async describeDeployment(arn: string, signal?: AbortSignal): Promise<ServiceDeployment> {
    const out = await this.call(
      'DescribeServiceDeployments',
      (abortSignal) => this.client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal }),
      signal,
    );
    const d = out.serviceDeployments?.[0];
    if (!d) throw new Error(`ECS does not know the service deployment ${arn} (${out.failures?.[0]?.reason ?? 'MISSING'})`);
    return d;
  }

  private async inFlight(signal?: AbortSignal): Promise<Array<{ arn: string; status: string }>> {
    const { cluster, service } = this.options;
    const out = await this.call(
      'ListServiceDeployments',
      (abortSignal) => this.client.send(new ListServiceDeploymentsCommand({ cluster, service, status: [...IN_FLIGHT], maxResults: 20 }), { abortSignal }),
      signal,
    );
    return (out.serviceDeployments ?? []).map((d) => ({ arn: d.serviceDeploymentArn!, status: d.status ?? '?' }));
  }

  private async revisionTaskDefinition(revisionArn: string | undefined, signal?: AbortSignal): Promise<string | undefined> {
    if (!revisionArn) return undefined;
    const out = await this.call(
      'DescribeServiceRevisions',
      (abortSignal) => this.client.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] }), { abortSignal }),
      signal,
    );
    return out.serviceRevisions?.[0]?.taskDefinition;
  }

  private async updateService(taskDefinition: string, signal?: AbortSignal, deploymentConfiguration?: DeploymentConfiguration): Promise<Service | undefined> {
    const { cluster, service } = this.options;
    // Minimal: only what changes. Anything else would overwrite settings owned by the service's IaC.
    const out = await this.call(
      'UpdateService',
      (abortSignal) =>
        this.client.send(new UpdateServiceCommand({ cluster, service, taskDefinition, forceNewDeployment: false, ...(deploymentConfiguration ? { deploymentConfiguration } : {}) }), { abortSignal }),
      signal,
    );
    return out.service;
  }

  /** What the release changes in the service's deploymentConfiguration, if anything. */
  private configurationFor(service: Service): { configuration: DeploymentConfiguration; note: string } | undefined {
    const current = service.deploymentConfiguration;
    if (this.options.configure) return this.options.configure(current);
    if ((current?.strategy ?? 'ROLLING') !== 'BLUE_GREEN') return undefined;
    const configuration = withPauseHook(current, 'POST_TEST_TRAFFIC_SHIFT', this.options.hookTimeoutMs ?? 30 * 60_000);
    if (!configuration) return undefined;
    const minutes = pauseHookAt(configuration, 'POST_TEST_TRAFFIC_SHIFT')!.timeoutConfiguration!.timeoutInMinutes;
    return {
      configuration,
      note: `Configured a PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT on ${this.options.service}: ECS now holds each blue/green deployment, green on the test listener only, until it is verified (rolled back by ECS after ${minutes} min without an answer)`,
    };
  }

  /**
   * Answers the PAUSE hook `hookId` of deployment `arn` (CONTINUE or ROLLBACK). Retried on
   * throttling and 5xx, re-reading the deployment first: once the hook is no longer awaiting
   * (an answer that took effect before a fault), nothing is sent again. False when it was not awaiting.
   */
  async answerHook(arn: string, hookId: string, action: DeploymentLifecycleHookAction, signal: AbortSignal): Promise<boolean> {
    return retry(
      async (attempt) => {
        const d = await this.describeDeployment(arn, signal);
        if (awaitingHook(d)?.hookId !== hookId) {
          if (attempt > 1) log.info(`ECS deployment ${short(arn)}: the hook was already answered; ${action} not sent again`);
          return attempt > 1;
        }
        try {
          await this.call(
            'ContinueServiceDeployment',
            (abortSignal) => this.writeClient.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action }), { abortSignal }),
            signal,
          );
        } catch (error) {
          // Answered meanwhile (ECS's own timeout, someone else): not ours to repeat.
          if ((error as { awsName?: string }).awsName === 'ConflictException') return false;
          throw error;
        }
        return true;
      },
      {
        attempts: 6,
        baseDelayMs: 300,
        maxDelayMs: 5_000,
        signal,
        retryable: (e) => (e as { $retryable?: boolean }).$retryable === true,
        onRetry: ({ delayMs, error }) => log.info(`${errorMessage(error)}; re-reading the deployment and trying again in ${delayMs}ms`),
      },
    );
  }

  /** Rolls an in-flight deployment back: through its PAUSE hook when it waits at one, else by stopping it. */
  async rollBack(arn: string, signal: AbortSignal): Promise<boolean> {
    const d = await this.describeDeployment(arn, signal);
    const hook = awaitingHook(d);
    if (hook?.hookId && (await this.answerHook(arn, hook.hookId, 'ROLLBACK', signal))) return true;
    return this.stop(arn, signal);
  }

  private async stop(arn: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.call(
        'StopServiceDeployment',
        (abortSignal) => this.client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }), { abortSignal }),
        signal,
      );
      return true;
    } catch (error) {
      // Already finished, rolling back or stopped: nothing to stop (safe to call twice).
      const name = (error as { awsName?: string }).awsName;
      if (name === 'ConflictException' || name === 'ServiceDeploymentNotFoundException') return false;
      throw error;
    }
  }

  // ── following a deployment ────────────────────────────────────────────────

  private strategyOf(d: ServiceDeployment | undefined, fallback?: string): string {
    return d?.deploymentConfiguration?.strategy ?? fallback ?? 'ROLLING';
  }

  /** Logs status, stage, traffic weights, task counts, circuit breaker and alarms — only when something changed. */
  private report(d: ServiceDeployment): void {
    const arn = d.serviceDeploymentArn ?? '?';
    const t = this.tracked.get(arn) ?? {};
    const target = d.targetServiceRevision;
    const weights = (r: ServiceRevisionSummary | undefined) =>
      r && (r.requestedProductionTrafficWeight !== undefined || r.requestedTestTrafficWeight !== undefined)
        ? `production ${r.requestedProductionTrafficWeight ?? 0}% / test ${r.requestedTestTrafficWeight ?? 0}%`
        : undefined;
    const parts = [
      d.status,
      d.lifecycleStage,
      target ? `green tasks ${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0}` : undefined,
      weights(target) ? `green ${weights(target)}` : undefined,
      d.deploymentCircuitBreaker?.status && d.deploymentCircuitBreaker.status !== 'DISABLED'
        ? `circuit breaker ${d.deploymentCircuitBreaker.status}${d.deploymentCircuitBreaker.failureCount ? ` (${d.deploymentCircuitBreaker.failureCount}/${d.deploymentCircuitBreaker.threshold ?? '?'} failed tasks)` : ''}`
        : undefined,
      d.alarms?.status && d.alarms.status !== 'DISABLED'
        ? `alarms ${d.alarms.status}${d.alarms.triggeredAlarmNames?.length ? `: ${d.alarms.triggeredAlarmNames.join(', ')}` : ''}`
        : undefined,
      d.statusReason ? `— ${d.statusReason}` : undefined,
    ].filter(Boolean);
    const line = parts.join(' · ');
    if (line !== t.line) {
      log.info(`ECS deployment ${short(arn)}: ${line}`);
      t.line = line;
      this.tracked.set(arn, t);
    }
  }

  private failure(d: ServiceDeployment): EcsDeploymentError {
    const reason = d.statusReason ?? d.rollback?.reason;
    const why = [
      reason,
      d.deploymentCircuitBreaker?.status === 'TRIGGERED' ? 'circuit breaker triggered' : undefined,
      d.alarms?.triggeredAlarmNames?.length ? `alarms in ALARM: ${d.alarms.triggeredAlarmNames.join(', ')}` : undefined,
    ].filter(Boolean);
    return new EcsDeploymentError(
      `ECS service deployment ${short(d.serviceDeploymentArn)} of ${this.options.service} ended ${d.status}${why.length ? `: ${why.join('; ')}` : ''}`,
      d.serviceDeploymentArn ?? '?',
      d.status ?? '?',
      reason,
    );
  }

  /**
   * Polls a service deployment until `done` says so. Failure statuses throw with ECS's reason.
   * On cancellation, an in-flight deployment is stopped with a rollback first (when `stopOnCancel`).
   */
  async follow(
    arn: string,
    what: string,
    done: (d: ServiceDeployment) => boolean,
    options: TrafficWait,
    { stopOnCancel = true, failOn = SEND_FAILED }: { stopOnCancel?: boolean; failOn?: Set<string> } = {},
  ): Promise<ServiceDeployment> {
    const t = this.tracked.get(arn) ?? {};
    this.tracked.set(arn, t);
    let settling: ServiceDeployment | undefined;
    try {
      return await pollUntil(
        async () => {
          let d: ServiceDeployment;
          try {
            d = await this.describeDeployment(arn, options.signal);
          } catch (error) {
            if (options.signal.aborted || !retryableAws((error as { cause?: unknown }).cause ?? error)) throw error;
            if (!t.warnedTransient) log.warning(`ECS did not answer (${errorMessage(error)}); still waiting for ${what}`);
            t.warnedTransient = true;
            return undefined;
          }
          this.report(d);
          if (failOn.has(d.status ?? '')) {
            // ECS is still rolling back: the error should say where it ended, not where it was.
            if (SETTLING.has(d.status ?? '')) {
              settling = d;
              return undefined;
            }
            throw this.failure(d);
          }
          return done(d) ? d : undefined;
        },
        { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.pollMs, maxIntervalMs: this.maxPollMs, signal: options.signal, what },
      );
    } catch (error) {
      if (options.signal.aborted && stopOnCancel) await this.stopOnCancel(arn);
      if (settling && error instanceof TimeoutError) throw this.failure(settling);
      throw error;
    }
  }

  /** The job was cancelled while `arn` was in flight: roll it back and wait (bounded) for ECS to settle. */
  private async stopOnCancel(arn: string): Promise<void> {
    const grace = AbortSignal.timeout(this.graceMs);
    try {
      const stopped = await this.rollBack(arn, grace);
      log.warning(
        stopped
          ? `Cancelled: stopped ECS service deployment ${short(arn)} with a rollback; production stays on the previous revision`
          : `Cancelled: ECS service deployment ${short(arn)} was no longer in progress`,
      );
      const d = await this.follow(arn, 'the rollback to settle', (x) => SETTLED.has(x.status ?? ''), { signal: grace, deadline: Date.now() + this.graceMs }, {
        stopOnCancel: false,
        failOn: new Set(),
      });
      if (d.status === 'ROLLBACK_FAILED') log.error(`ECS could not roll back ${short(arn)}: ${d.statusReason ?? 'no reason given'}`);
      else log.info(`ECS service deployment ${short(arn)} settled: ${d.status}`);
    } catch (error) {
      log.warning(`Cancelled: asked ECS to roll back ${short(arn)}; it had not settled within ${Math.round(this.graceMs / 1000)}s (${errorMessage(error)})`);
    }
  }

  /** Finds the service deployment started by our UpdateService. */
  private async newDeployment(before: string | undefined, after: Service | undefined, since: number, options: TrafficWait): Promise<string> {
    if (after?.currentServiceDeployment && after.currentServiceDeployment !== before) return after.currentServiceDeployment;
    const { cluster, service } = this.options;
    return pollUntil(
      async () => {
        const out = await this.call(
          'ListServiceDeployments',
          (abortSignal) =>
            this.client.send(new ListServiceDeploymentsCommand({ cluster, service, createdAt: { after: new Date(since - 60_000) }, maxResults: 10 }), {
              abortSignal,
            }),
          options.signal,
        );
        const found = (out.serviceDeployments ?? [])
          .filter((d) => d.serviceDeploymentArn !== before)
          .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
        return found?.serviceDeploymentArn;
      },
      { timeoutMs: Math.min(60_000, Math.max(0, options.deadline - Date.now())), intervalMs: this.pollMs, maxIntervalMs: 2_000, signal: options.signal, what: 'ECS to start the service deployment' },
    );
  }

  // ── Platform ──────────────────────────────────────────────────────────────

  async findLive(options: TrafficWait): Promise<ReleaseRef | undefined> {
    const service = await this.describeService(options.signal);
    return this.live(service, options);
  }

  private async live(service: Service, options: TrafficWait): Promise<ReleaseRef | undefined> {
    let taskDefinition = service.taskDefinition;
    let revision: string | undefined;
    let deployment: ServiceDeployment | undefined;
    if (service.currentServiceDeployment) {
      deployment = await this.describeDeployment(service.currentServiceDeployment, options.signal);
      const sources = [...(deployment.sourceServiceRevisions ?? [])].sort(
        (a, b) => (b.requestedProductionTrafficWeight ?? 0) - (a.requestedProductionTrafficWeight ?? 0),
      );
      if (deployment.status === 'SUCCESSFUL') revision = deployment.targetServiceRevision?.arn;
      else if (deployment.status === 'ROLLBACK_SUCCESSFUL') revision = deployment.rollback?.serviceRevisionArn ?? sources[0]?.arn;
      else if (deployment.status === 'IN_PROGRESS' && (deployment.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= 100) {
        revision = deployment.targetServiceRevision?.arn;
      } else revision = sources[0]?.arn;
      if (revision && revision !== deployment.targetServiceRevision?.arn) taskDefinition = (await this.revisionTaskDefinition(revision, options.signal)) ?? taskDefinition;
    }
    if (!taskDefinition) return undefined;
    return {
      id: taskDefinition,
      url: this.options.productionUrl,
      details: {
        taskDefinition: shortTd(taskDefinition),
        ...(revision ? { serviceRevisionArn: revision } : {}),
        ...(service.currentServiceDeployment ? { serviceDeploymentArn: service.currentServiceDeployment } : {}),
        strategy: service.deploymentConfiguration?.strategy ?? 'ROLLING',
      },
    };
  }

  /** Checks the inputs and reads a task definition file before anything talks to AWS. */
  private checkInputs(): RegisterTaskDefinitionRequest | undefined {
    const { taskDefinition, containerName, image } = this.options;
    if ((containerName && !image) || (image && !containerName)) {
      throw new ConfigurationError('container-name and image go together: give both to patch a container image', { input: containerName ? 'image' : 'container-name' });
    }
    if (!taskDefinition) return undefined;
    const source = resolveTaskDefinition(taskDefinition, this.options.workspace ?? context().workspace);
    if (source.kind === 'registered') return undefined;
    // Annotations point at the file as the repository knows it.
    const td = readTaskDefinitionFile(source.path, source.shown);
    if (containerName && image) patchImage(td, containerName, image);
    return td;
  }

  async createCandidate(options: TrafficWait): Promise<ReleaseRef> {
    const { taskDefinition, containerName, image } = this.options;
    if (!taskDefinition && !image) {
      throw new ConfigurationError('task-definition: give a task definition (JSON file or ARN), or container-name + image to patch the current one', {
        input: 'task-definition',
      });
    }
    const fromFile = this.fromFile;

    const service = await this.describeService(options.signal);
    const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
    const busy = await this.inFlight(options.signal);
    if (busy.length) {
      throw new Error(
        `another deployment of ${this.options.service} is in progress (${busy.map((b) => `${short(b.arn)} ${b.status}`).join(', ')}); wait for it to finish or stop it before releasing`,
      );
    }
    const previous = await this.live(service, options);

    let arn: string;
    if (fromFile) {
      arn = await this.register(fromFile, options.signal);
      log.info(`Registered ${shortTd(arn)} from ${taskDefinition}`);
    } else if (taskDefinition) {
      const out = await this.call(
        'DescribeTaskDefinition',
        (abortSignal) => this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), { abortSignal }),
        options.signal,
      ).catch((error: unknown) => {
        if ((error as { awsName?: string }).awsName === 'ClientException') {
          throw new ConfigurationError(`task-definition: ECS has no task definition ${taskDefinition} in ${this.options.region}`, { input: 'task-definition' });
        }
        throw error;
      });
      const td = out.taskDefinition!;
      if (containerName && image) {
        arn = await this.register(patchImage(registrable(td, out.tags), containerName, image), options.signal);
        log.info(`Registered ${shortTd(arn)}: ${containerName} → ${image} (from ${shortTd(td.taskDefinitionArn)})`);
      } else arn = td.taskDefinitionArn!;
    } else {
      const current = previous?.id ?? service.taskDefinition!;
      const out = await this.call(
        'DescribeTaskDefinition',
        (abortSignal) => this.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: current, include: ['TAGS'] }), { abortSignal }),
        options.signal,
      );
      arn = await this.register(patchImage(registrable(out.taskDefinition!, out.tags), containerName!, image!), options.signal);
      log.info(`Registered ${shortTd(arn)}: ${containerName} → ${image} (from ${shortTd(current)})`);
    }

    const details: Record<string, string> = { strategy, taskDefinition: shortTd(arn) };
    if (previous) details.previousTaskDefinition = previous.id;
    if (service.deploymentConfiguration?.bakeTimeInMinutes !== undefined) details.bakeTimeMinutes = String(service.deploymentConfiguration.bakeTimeInMinutes);
    if (this.options.bakeTimeMs !== undefined && service.deploymentConfiguration?.bakeTimeInMinutes !== undefined) {
      const configured = service.deploymentConfiguration.bakeTimeInMinutes * 60_000;
      if (Math.abs(configured - this.options.bakeTimeMs) >= 60_000) {
        log.warning(`bake-time: the service bakes for ${service.deploymentConfiguration.bakeTimeInMinutes} min (its deploymentConfiguration.bakeTimeInMinutes); change it there, not per release`);
      }
    }

    if (arn === service.taskDefinition && arn === previous?.id) {
      // A re-run: the service already runs this revision. Don't start another deployment.
      log.info(`${this.options.service} already runs ${shortTd(arn)}; no new deployment started`);
      return { id: arn, url: this.options.testUrl, createdAt: Date.now(), details: { ...details, serviceDeploymentArn: service.currentServiceDeployment ?? '', unchanged: 'true' } };
    }

    const change = this.configurationFor(service);
    const since = Date.now();
    const updated = await this.updateService(arn, options.signal, change?.configuration);
    if (change) log.info(change.note);
    const gate = this.gateOf(change?.configuration ?? service.deploymentConfiguration);
    if (gate) details.gate = gate;
    const deploymentArn = await this.newDeployment(service.currentServiceDeployment, updated, since, options);
    log.info(
      `Started ECS service deployment ${short(deploymentArn)} of ${this.options.service}: ${shortTd(previous?.id)} → ${shortTd(arn)} (${strategy}${strategy !== 'ROLLING' && details.bakeTimeMinutes ? `, bake ${details.bakeTimeMinutes} min` : ''})`,
    );
    return { id: arn, url: this.options.testUrl, createdAt: since, details: { ...details, serviceDeploymentArn: deploymentArn } };
  }

  /** The PAUSE hook this release is held at before production traffic moves, if the service has one. */
  private gateOf(configuration: DeploymentConfiguration | undefined): GateStage | undefined {
    const strategy = configuration?.strategy ?? 'ROLLING';
    if (strategy === 'BLUE_GREEN' && pauseHookAt(configuration, 'POST_TEST_TRAFFIC_SHIFT')) return 'POST_TEST_TRAFFIC_SHIFT';
    if ((strategy === 'CANARY' || strategy === 'LINEAR') && pauseHookAt(configuration, 'PRE_PRODUCTION_TRAFFIC_SHIFT')) return 'PRE_PRODUCTION_TRAFFIC_SHIFT';
    return undefined;
  }

  private async register(request: RegisterTaskDefinitionRequest, signal: AbortSignal): Promise<string> {
    const out = await this.call('RegisterTaskDefinition', (abortSignal) => this.client.send(new RegisterTaskDefinitionCommand(request), { abortSignal }), signal);
    return out.taskDefinition!.taskDefinitionArn!;
  }

  /**
   * The service deployment that rolls `candidate` out. A candidate known only by its task
   * definition (`operation: promote` with `to`) is found on the service, or deployed now.
   */
  private async deploymentOf(candidate: ReleaseRef, options: TrafficWait): Promise<string> {
    const known = candidate.details?.serviceDeploymentArn;
    if (known) return known;
    const service = await this.describeService(options.signal);
    if (service.currentServiceDeployment) {
      const d = await this.describeDeployment(service.currentServiceDeployment, options.signal);
      const taskDefinition = await this.revisionTaskDefinition(d.targetServiceRevision?.arn, options.signal);
      if (taskDefinition === candidate.id && !SEND_FAILED.has(d.status ?? '')) {
        // Staged by an earlier job (promote: false): held at its PAUSE hook, which is what lets it go on.
        const gate = d.status === 'IN_PROGRESS' ? this.gateOf(d.deploymentConfiguration) : undefined;
        candidate.details = { ...candidate.details, serviceDeploymentArn: service.currentServiceDeployment, ...(gate ? { gate } : {}) };
        return service.currentServiceDeployment;
      }
    }
    const busy = await this.inFlight(options.signal);
    if (busy.length) {
      throw new Error(`another deployment of ${this.options.service} is in progress (${busy.map((b) => `${short(b.arn)} ${b.status}`).join(', ')})`);
    }
    const previous = await this.live(service, options);
    const since = Date.now();
    const updated = await this.updateService(candidate.id, options.signal);
    const arn = await this.newDeployment(service.currentServiceDeployment, updated, since, options);
    log.info(`Started ECS service deployment ${short(arn)} of ${this.options.service}: ${shortTd(previous?.id)} → ${shortTd(candidate.id)}`);
    candidate.details = { ...candidate.details, serviceDeploymentArn: arn, ...(previous ? { previousTaskDefinition: previous.id } : {}) };
    return arn;
  }

  async waitReady(candidate: ReleaseRef, options: TrafficWait): Promise<ReleaseRef> {
    const arn = await this.deploymentOf(candidate, options);
    const d = await this.follow(
      arn,
      `${this.options.service} to be ready for verification`,
      (x) => {
        if (x.status === 'SUCCESSFUL') return true;
        if (this.strategyOf(x, candidate.details?.strategy) === 'ROLLING') return false; // a rollout is ready only when complete
        if (x.status !== 'IN_PROGRESS') return false;
        // Held by our hook: ECS waits for the verification's answer, production has not moved.
        if (candidate.details?.gate) return !!awaitingHook(x);
        const target = x.targetServiceRevision;
        const healthy = (target?.runningTaskCount ?? 0) >= (target?.requestedTaskCount ?? 1);
        const stage = stageIndex(x.lifecycleStage);
        const testRouted = stage >= stageIndex('POST_TEST_TRAFFIC_SHIFT') || (x.lifecycleStage === 'TEST_TRAFFIC_SHIFT' && (target?.requestedTestTrafficWeight ?? 0) >= 100);
        return healthy && testRouted;
      },
      options,
    );
    const held = awaitingHook(d);
    if (held?.expiresAt) log.info(`ECS holds green at the PAUSE hook (production all on blue) until ${held.expiresAt.toISOString()}, then rolls it back by itself`);
    return {
      ...candidate,
      details: {
        ...candidate.details,
        status: d.status ?? '',
        ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}),
        ...(d.targetServiceRevision?.arn ? { serviceRevisionArn: d.targetServiceRevision.arn } : {}),
        ...(held?.hookId ? { hookId: held.hookId } : {}),
      },
    };
  }

  async shiftTraffic(candidate: ReleaseRef, percent: number, options: TrafficWait): Promise<void> {
    if (percent <= 0) return;
    const arn = await this.deploymentOf(candidate, options);
    // ECS moves production traffic itself (BLUE_GREEN after the test shift, CANARY/LINEAR in its
    // configured steps); we wait until it has done so. 100 % = the deployment completed its bake.
    const what = percent >= 100 ? `ECS to complete the deployment of ${this.options.service}` : `${percent}% of production traffic on green`;
    const shifted = (x: ServiceDeployment) => x.status === 'SUCCESSFUL' || (percent < 100 && (x.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= percent);
    for (;;) {
      // Held at our hook while green was verified (CANARY / LINEAR: before each production step): let ECS go on.
      const d = await this.follow(arn, what, (x) => shifted(x) || (!!candidate.details?.gate && !!awaitingHook(x)), options);
      const hookId = shifted(d) ? undefined : awaitingHook(d)?.hookId;
      if (!hookId) return;
      if (await this.answerHook(arn, hookId, 'CONTINUE', options.signal)) log.info(`ECS deployment ${short(arn)}: green verified, told ECS to continue (ContinueServiceDeployment CONTINUE)`);
    }
  }

  async rollback(target: ReleaseRef | undefined, candidate: ReleaseRef | undefined, options: TrafficWait & { reason: string }): Promise<void> {
    const arn = candidate?.details?.serviceDeploymentArn;
    const cancelled = options.signal.aborted;
    // A cancelled job still gets its rollback: within the grace period, not the aborted signal.
    const wait: TrafficWait = cancelled ? { signal: AbortSignal.timeout(this.graceMs), deadline: Date.now() + this.graceMs } : options;
    if (arn && candidate?.details?.unchanged !== 'true') {
      const d = await this.describeDeployment(arn, wait.signal);
      this.report(d);
      if (d.status === 'PENDING' || d.status === 'IN_PROGRESS') {
        log.info(`Rolling back ECS service deployment ${short(arn)}${awaitingHook(d) ? ' at its PAUSE hook' : ''}: ${options.reason}`);
        await this.rollBack(arn, wait.signal);
      }
      if (d.status !== 'SUCCESSFUL') {
        const settled = await this.follow(arn, 'the rollback to settle', (x) => SETTLED.has(x.status ?? ''), wait, { stopOnCancel: false, failOn: new Set() });
        if (settled.status === 'ROLLBACK_FAILED') throw new EcsDeploymentError(`ECS could not roll back ${short(arn)}: ${settled.statusReason ?? 'no reason given'}`, arn, 'ROLLBACK_FAILED', settled.statusReason);
        if (settled.status !== 'SUCCESSFUL') {
          log.info(`ECS service deployment ${short(arn)} ${settled.status}; production is back on ${shortTd(target?.id ?? candidate?.details?.previousTaskDefinition)}`);
          return;
        }
      }
    }
    // The candidate's deployment completed (or there is none): deploy the previous revision again.
    const to = target?.id ?? candidate?.details?.previousTaskDefinition;
    if (!to) throw new Error('nothing to roll back to: no previous ECS task definition is known');
    let service = await this.describeService(wait.signal);
    const productionBack = (x: ServiceDeployment) =>
      x.status === 'SUCCESSFUL' ||
      (this.strategyOf(x) !== 'ROLLING' && x.status === 'IN_PROGRESS' && (x.targetServiceRevision?.requestedProductionTrafficWeight ?? 0) >= 100);
    const busy = await this.inFlight(wait.signal);
    for (const b of busy) {
      const d = await this.describeDeployment(b.arn, wait.signal);
      const targetTd = await this.revisionTaskDefinition(d.targetServiceRevision?.arn, wait.signal);
      if (targetTd === to && (d.status === 'PENDING' || d.status === 'IN_PROGRESS')) {
        // Already going back (an earlier call, or someone else): follow it, never stop it.
        log.info(`ECS service deployment ${short(b.arn)} is already rolling ${this.options.service} out to ${shortTd(to)}`);
        await this.followBack(b.arn, to, productionBack, wait);
        return;
      }
      if (d.status === 'PENDING' || d.status === 'IN_PROGRESS') {
        log.info(`Stopping in-flight ECS service deployment ${short(b.arn)} (${d.status}) with a rollback`);
        await this.stop(b.arn, wait.signal);
      }
      await this.follow(b.arn, 'the in-flight deployment to settle', (x) => SETTLED.has(x.status ?? ''), wait, { stopOnCancel: false, failOn: new Set() });
    }
    if (busy.length) service = await this.describeService(wait.signal);
    const live = await this.live(service, wait);
    if (live?.id === to) {
      log.info(`${this.options.service} already runs ${shortTd(to)}; nothing to roll back`);
      return;
    }
    log.info(`Rolling back ${this.options.service} to ${shortTd(to)}: ${options.reason}`);
    const since = Date.now();
    const updated = await this.updateService(to, wait.signal);
    const back = await this.newDeployment(service.currentServiceDeployment, updated, since, wait);
    // Production is back once ECS has shifted it (BLUE_GREEN: past the production shift; ROLLING: complete).
    await this.followBack(back, to, productionBack, wait);
  }

  /** Follows a deployment back to `to`, a release that was live: a PAUSE hook holding it is answered CONTINUE (nothing to verify). */
  private async followBack(arn: string, to: string, productionBack: (d: ServiceDeployment) => boolean, wait: TrafficWait): Promise<void> {
    for (;;) {
      const d = await this.follow(arn, `production traffic back on ${shortTd(to)}`, (x) => productionBack(x) || !!awaitingHook(x), wait, { stopOnCancel: false });
      const hookId = awaitingHook(d)?.hookId;
      if (productionBack(d) || !hookId) return;
      log.info(`ECS deployment ${short(arn)} back to ${shortTd(to)} is held at a PAUSE hook: continued (it was live before)`);
      await this.answerHook(arn, hookId, 'CONTINUE', wait.signal);
    }
  }

  async describe(options: TrafficWait): Promise<ProductionState> {
    const service = await this.describeService(options.signal);
    const live = await this.live(service, options);
    const busy = await this.inFlight(options.signal);
    const state: ProductionState = { live, candidateWeight: 0, productionUrl: this.options.productionUrl };
    if (busy[0]) {
      state.inProgress = `ECS service deployment ${short(busy[0].arn)} is ${busy[0].status}`;
      const d = await this.describeDeployment(busy[0].arn, options.signal);
      const taskDefinition = await this.revisionTaskDefinition(d.targetServiceRevision?.arn, options.signal);
      if (taskDefinition) {
        state.candidate = {
          id: taskDefinition,
          url: this.options.testUrl,
          createdAt: d.createdAt?.getTime(),
          details: { serviceDeploymentArn: busy[0].arn, status: d.status ?? '', ...(d.lifecycleStage ? { lifecycleStage: d.lifecycleStage } : {}) },
        };
        state.candidateWeight = d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
      }
    }
    return state;
  }
}

