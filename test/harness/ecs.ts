/**
 * An Amazon ECS stand-in that speaks the real awsJson1_1 protocol over HTTP (POST /,
 * `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>`, JSON bodies, AWS error shapes),
 * reached by the real SDK through `AWS_ENDPOINT_URL_ECS`. It walks service deployments through
 * their real statuses and lifecycle stages on a fast clock, and can be told to fail (circuit
 * breaker or alarm → ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL), roll back on
 * StopServiceDeployment, throttle, or hang. Every request is recorded.
 *
 * Strategies BLUE_GREEN, CANARY (`canaryConfiguration`: one production shift of canaryPercent,
 * a bake, then the rest) and LINEAR (`linearConfiguration`: equal shifts of stepPercent, a bake
 * after each), on the fast clock (`minuteMs` per configured minute). Lifecycle hooks of type PAUSE
 * hold a deployment at their stage — POST_TEST_TRAFFIC_SHIFT, or PRE_PRODUCTION_TRAFFIC_SHIFT
 * before every production shift — with an AWAITING_ACTION entry in `lifecycleHookDetails` until
 * ContinueServiceDeployment (CONTINUE or ROLLBACK) or the hook's timeout. Every production weight a
 * deployment is given is recorded (`productionWeights`), so a test can say "never above 0".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsStandInServer } from './aws-server.js';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

export const BLUE_GREEN_STAGES = [
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
] as const;
export type Stage = (typeof BLUE_GREEN_STAGES)[number];
export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'CANARY' | 'LINEAR';
/** Where a lifecycle hook can run: the stages, plus the moment before each production shift. */
export type HookStage = Exclude<Stage, 'SCALE_UP' | 'BAKE_TIME' | 'CLEAN_UP'> | 'PRE_PRODUCTION_TRAFFIC_SHIFT';
const HOOK_STAGES = new Set<string>(['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT']);
const STRATEGIES = new Set<string>(['ROLLING', 'BLUE_GREEN', 'CANARY', 'LINEAR']);

export interface LifecycleHook {
  targetType?: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn?: string;
  roleArn?: string;
  lifecycleStages: string[];
  hookDetails?: unknown;
  timeoutConfiguration?: { timeoutInMinutes?: number; action?: 'CONTINUE' | 'ROLLBACK' };
}

export interface HookDetail {
  hookId: string;
  targetType: 'PAUSE';
  status: 'AWAITING_ACTION' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  /** Not part of the API shape (ECS does not say which stage a hook holds): for tests. */
  stage: HookStage;
  expiresAt: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
}

/** The traffic part of a service's deploymentConfiguration, snapshotted by each deployment. */
export interface TrafficConfig {
  strategy: Strategy;
  bakeTimeInMinutes: number;
  lifecycleHooks: LifecycleHook[];
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
}

interface Move {
  stage: Stage | 'PRE_PRODUCTION_TRAFFIC_SHIFT';
  /** The production weight this move shifts to. */
  weight?: number;
  ms: number;
}

export interface RecordedRequest {
  operation: string;
  body: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
  /** The status we answered with. */
  status: number;
  /** Error type when we answered with one. */
  error?: string;
  at: number;
}

export interface Fault {
  /** Operation to affect (all when omitted). */
  operation?: string;
  /** How many requests to affect. */
  times: number;
  kind: 'throttle' | 'throttle429' | 'server-error' | 'hang' | 'reset';
  /** Carry the request out before answering with the fault (a 5xx after the change happened). */
  afterApplying?: boolean;
}

export interface DeploymentPlan {
  /** Fail the deployment when it reaches this stage (ROLLING: after this many steps, use 'SCALE_UP'). */
  failAt?: Stage;
  /** How it fails. */
  failure?: 'circuit-breaker' | 'alarm';
  /** Stop progressing at this stage (never completes on its own). */
  hangAt?: Stage;
}

interface TaskDef {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  status: 'ACTIVE';
  containerDefinitions: Array<Record<string, any>>;
  [key: string]: any;
}

interface Revision {
  serviceRevisionArn: string;
  serviceArn: string;
  clusterArn: string;
  taskDefinition: string;
  createdAt: number;
}

export interface Transition {
  status: string;
  stage?: string;
  at: number;
}

export interface StandInDeployment {
  serviceDeploymentArn: string;
  serviceKey: string;
  strategy: Strategy;
  status: string;
  statusReason?: string;
  lifecycleStage?: Stage;
  createdAt: number;
  startedAt?: number;
  updatedAt: number;
  finishedAt?: number;
  stoppedAt?: number;
  source?: Revision;
  target: Revision;
  desired: number;
  running: number;
  testWeight: number;
  productionWeight: number;
  circuitBreaker: { status: string; failureCount: number; threshold: number };
  alarms?: { status: string; alarmNames: string[]; triggeredAlarmNames: string[] };
  rollback?: { reason: string; startedAt: number; serviceRevisionArn?: string };
  config: TrafficConfig;
  hooks: HookDetail[];
  /** Every production weight the target revision was given, in order (starts at 0). */
  productionWeights: Array<{ at: number; weight: number }>;
  moves: Move[];
  plan: DeploymentPlan;
  transitions: Transition[];
  timer?: NodeJS.Timeout;
  step: number;
}

interface ServiceRecord {
  key: string;
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  clusterName: string;
  taskDefinition: string;
  desiredCount: number;
  strategy: Strategy;
  bakeTimeInMinutes: number;
  lifecycleHooks: LifecycleHook[];
  canaryConfiguration?: TrafficConfig['canaryConfiguration'];
  linearConfiguration?: TrafficConfig['linearConfiguration'];
  alarmNames: string[];
  currentServiceDeployment?: string;
  currentRevision: Revision;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
}

export interface ServiceSpec {
  cluster: string;
  service: string;
  strategy?: Strategy;
  desiredCount?: number;
  /** The task definition the service runs now (registered for you). */
  taskDefinition?: { family: string; containerDefinitions: Array<Record<string, any>>; [key: string]: any };
  alarmNames?: string[];
  bakeTimeInMinutes?: number;
  lifecycleHooks?: LifecycleHook[];
  canaryConfiguration?: TrafficConfig['canaryConfiguration'];
  linearConfiguration?: TrafficConfig['linearConfiguration'];
}

export interface EcsStandInOptions {
  region?: string;
  account?: string;
  /** Milliseconds each lifecycle stage (or rolling step) takes. */
  stageMs?: number;
  /** Milliseconds the BAKE_TIME stage takes. */
  bakeMs?: number;
  /** Milliseconds a configured minute takes (CANARY / LINEAR step bakes, hook timeouts; default a real minute). */
  minuteMs?: number;
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const now = () => Date.now();
const epoch = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
const REGISTER_FIELDS = new Set([
  'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'containerDefinitions', 'volumes', 'placementConstraints',
  'requiresCompatibilities', 'cpu', 'memory', 'tags', 'pidMode', 'ipcMode', 'proxyConfiguration', 'inferenceAccelerators',
  'ephemeralStorage', 'runtimePlatform', 'enableFaultInjection',
]);
const UPDATE_FIELDS = new Set([
  'cluster', 'service', 'desiredCount', 'taskDefinition', 'capacityProviderStrategy', 'deploymentConfiguration',
  'availabilityZoneRebalancing', 'networkConfiguration', 'placementConstraints', 'placementStrategy', 'platformVersion',
  'forceNewDeployment', 'healthCheckGracePeriodSeconds', 'deploymentController', 'enableExecuteCommand',
  'enableECSManagedTags', 'loadBalancers', 'propagateTags', 'serviceRegistries', 'serviceConnectConfiguration',
  'volumeConfigurations', 'vpcLatticeConfigurations', 'monitoring',
]);
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']);

export class EcsStandIn extends AwsStandInServer {
  readonly region: string;
  readonly account: string;
  stageMs: number;
  bakeMs: number;
  minuteMs: number;
  readonly requests: RecordedRequest[] = [];
  readonly deployments = new Map<string, StandInDeployment>();
  readonly taskDefinitions = new Map<string, TaskDef>();
  readonly revisions = new Map<string, Revision>();
  readonly services = new Map<string, ServiceRecord>();
  /** Faults applied to the next matching requests. */
  faults: Fault[] = [];
  /** What the next deployment (per service key, or '*') does. */
  plans = new Map<string, DeploymentPlan>();
  private seq = 0;

  constructor(options: EcsStandInOptions = {}) {
    super();
    this.region = options.region ?? 'eu-west-1';
    this.account = options.account ?? '123456789012';
    this.stageMs = options.stageMs ?? 40;
    this.bakeMs = options.bakeMs ?? 300;
    this.minuteMs = options.minuteMs ?? 60_000;
  }

  override async close(): Promise<void> {
    for (const d of this.deployments.values()) clearTimeout(d.timer);
    await super.close();
  }

  /** Requests for one operation, in order. */
  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  // ── fixtures ────────────────────────────────────────────────────────────────

  addService(spec: ServiceSpec): { serviceArn: string; taskDefinitionArn: string } {
    const clusterArn = `arn:aws:ecs:${this.region}:${this.account}:cluster/${spec.cluster}`;
    const serviceArn = `arn:aws:ecs:${this.region}:${this.account}:service/${spec.cluster}/${spec.service}`;
    const td = this.register(
      spec.taskDefinition ?? {
        family: spec.service,
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        executionRoleArn: `arn:aws:iam::${this.account}:role/ecsTaskExecutionRole`,
        containerDefinitions: [
          { name: 'web', image: 'ghcr.io/acme/shop:v1', essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }] },
          { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
        ],
      },
    );
    const key = `${spec.cluster}/${spec.service}`;
    const revision = this.newRevision(serviceArn, clusterArn, spec.cluster, spec.service, td.taskDefinitionArn);
    const record: ServiceRecord = {
      key,
      serviceArn,
      serviceName: spec.service,
      clusterArn,
      clusterName: spec.cluster,
      taskDefinition: td.taskDefinitionArn,
      desiredCount: spec.desiredCount ?? 2,
      strategy: spec.strategy ?? 'BLUE_GREEN',
      bakeTimeInMinutes: spec.bakeTimeInMinutes ?? 5,
      lifecycleHooks: spec.lifecycleHooks ?? [],
      canaryConfiguration: spec.canaryConfiguration,
      linearConfiguration: spec.linearConfiguration,
      alarmNames: spec.alarmNames ?? [],
      currentRevision: revision,
      status: 'ACTIVE',
    };
    // The service's first deployment, long finished.
    const first = this.createDeployment(record, undefined, revision, {});
    first.status = 'SUCCESSFUL';
    first.lifecycleStage = record.strategy !== 'ROLLING' ? 'CLEAN_UP' : undefined;
    first.running = record.desiredCount;
    this.shift(first, 100);
    first.testWeight = 100;
    first.finishedAt = first.createdAt;
    first.transitions.push({ status: 'SUCCESSFUL', at: first.createdAt });
    record.currentServiceDeployment = first.serviceDeploymentArn;
    this.services.set(key, record);
    return { serviceArn, taskDefinitionArn: td.taskDefinitionArn };
  }

  /** The plan for the next deployment of `cluster/service` (or of any service with '*'). */
  planNext(service: string, plan: DeploymentPlan): void {
    this.plans.set(service, plan);
  }

  service(cluster: string, service: string): ServiceRecord {
    const s = this.services.get(`${cluster}/${service}`);
    if (!s) throw new Error(`no service ${cluster}/${service}`);
    return s;
  }

  /** The deployments of a service, oldest first. */
  deploymentsOf(cluster: string, service: string): StandInDeployment[] {
    return [...this.deployments.values()].filter((d) => d.serviceKey === `${cluster}/${service}`);
  }

  /** Every production weight deployment `arn`'s new revision was given, in order. */
  productionWeights(arn: string): number[] {
    return this.deployments.get(arn)?.productionWeights.map((w) => w.weight) ?? [];
  }

  /** The PAUSE hook a deployment waits at, if any. */
  awaiting(arn: string): HookDetail | undefined {
    return this.deployments.get(arn)?.hooks.find((h) => h.status === 'AWAITING_ACTION');
  }

  /** When a deployment first reached `status` (ms since epoch). */
  reachedAt(arn: string, status: string): number | undefined {
    return this.deployments.get(arn)?.transitions.find((t) => t.status === status)?.at;
  }

  register(input: Record<string, any>): TaskDef {
    const family = input.family as string;
    const revision = [...this.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
    const arn = `arn:aws:ecs:${this.region}:${this.account}:task-definition/${family}:${revision}`;
    const { tags: _tags, ...rest } = input;
    const td: TaskDef = {
      ...structuredClone(rest),
      taskDefinitionArn: arn,
      family,
      revision,
      status: 'ACTIVE',
      containerDefinitions: structuredClone(input.containerDefinitions),
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
      registeredAt: now() / 1000,
      registeredBy: `arn:aws:sts::${this.account}:assumed-role/deployer/gantry`,
    };
    this.taskDefinitions.set(arn, td);
    return td;
  }

  private newRevision(serviceArn: string, clusterArn: string, cluster: string, service: string, taskDefinition: string): Revision {
    const id = `${Date.now()}${++this.seq}`.padStart(19, '0');
    const rev: Revision = {
      serviceRevisionArn: `arn:aws:ecs:${this.region}:${this.account}:service-revision/${cluster}/${service}/${id}`,
      serviceArn,
      clusterArn,
      taskDefinition,
      createdAt: now(),
    };
    this.revisions.set(rev.serviceRevisionArn, rev);
    return rev;
  }

  private createDeployment(service: ServiceRecord, source: Revision | undefined, target: Revision, plan: DeploymentPlan): StandInDeployment {
    const id = `${Date.now().toString(36)}${(++this.seq).toString(36)}`;
    const [cluster, name] = service.key.split('/');
    const d: StandInDeployment = {
      serviceDeploymentArn: `arn:aws:ecs:${this.region}:${this.account}:service-deployment/${cluster}/${name}/${id}`,
      serviceKey: service.key,
      strategy: service.strategy,
      status: 'PENDING',
      createdAt: now(),
      updatedAt: now(),
      source,
      target,
      desired: service.desiredCount,
      running: 0,
      testWeight: 0,
      productionWeight: 0,
      circuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
      alarms: service.alarmNames.length ? { status: 'MONITORING', alarmNames: service.alarmNames, triggeredAlarmNames: [] } : undefined,
      config: structuredClone(this.configOf(service)),
      hooks: [],
      productionWeights: [{ at: now(), weight: 0 }],
      moves: [],
      plan,
      transitions: [{ status: 'PENDING', at: now() }],
      step: -1,
    };
    d.moves = this.movesOf(d);
    this.deployments.set(d.serviceDeploymentArn, d);
    return d;
  }

  private configOf(s: ServiceRecord): TrafficConfig {
    return {
      strategy: s.strategy,
      bakeTimeInMinutes: s.bakeTimeInMinutes,
      lifecycleHooks: s.lifecycleHooks,
      ...(s.strategy === 'CANARY' ? { canaryConfiguration: s.canaryConfiguration ?? {} } : {}),
      ...(s.strategy === 'LINEAR' ? { linearConfiguration: s.linearConfiguration ?? {} } : {}),
    };
  }

  /** The stages of a BLUE_GREEN / CANARY / LINEAR deployment, with a hook point before each production shift. */
  private movesOf(d: StandInDeployment): Move[] {
    const c = d.config;
    if (c.strategy === 'ROLLING') return [];
    const moves: Move[] = (['RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'] as const).map((stage) => ({ stage, ms: this.stageMs }));
    let shifts = [100];
    let bakeMinutes = 0;
    if (c.strategy === 'CANARY') {
      shifts = [c.canaryConfiguration?.canaryPercent ?? 5, 100];
      bakeMinutes = c.canaryConfiguration?.canaryBakeTimeInMinutes ?? 10;
    } else if (c.strategy === 'LINEAR') {
      const step = c.linearConfiguration?.stepPercent ?? 10;
      shifts = [];
      for (let w = step; w < 100; w = Math.round((w + step) * 10) / 10) shifts.push(w);
      shifts.push(100);
      bakeMinutes = c.linearConfiguration?.stepBakeTimeInMinutes ?? 6;
    }
    for (const weight of shifts) {
      moves.push({ stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', ms: 0 }, { stage: 'PRODUCTION_TRAFFIC_SHIFT', weight, ms: weight < 100 ? Math.max(this.stageMs, bakeMinutes * this.minuteMs) : this.stageMs });
    }
    moves.push({ stage: 'POST_PRODUCTION_TRAFFIC_SHIFT', ms: this.stageMs }, { stage: 'BAKE_TIME', ms: this.bakeMs }, { stage: 'CLEAN_UP', ms: this.stageMs });
    return moves;
  }

  /** Gives the new revision `weight` % of production traffic, recording every change. */
  private shift(d: StandInDeployment, weight: number): void {
    if (d.productionWeight === weight) return;
    d.productionWeight = weight;
    d.productionWeights.push({ at: now(), weight });
  }

  /** Holds the deployment at a PAUSE hook configured for `stage`; true when it does. */
  private pauseAt(d: StandInDeployment, stage: HookStage): boolean {
    const hook = d.config.lifecycleHooks.find((h) => h.targetType === 'PAUSE' && h.lifecycleStages.includes(stage));
    if (!hook) return false;
    const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
    const detail: HookDetail = {
      hookId: `ecs-pause-${Math.random().toString(36).slice(2)}${(++this.seq).toString(36)}`,
      targetType: 'PAUSE',
      status: 'AWAITING_ACTION',
      stage,
      expiresAt: now() + minutes * this.minuteMs,
      timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
    };
    d.hooks.push(detail);
    d.updatedAt = now();
    this.schedule(d, minutes * this.minuteMs, () => {
      detail.status = 'TIMED_OUT';
      this.resolveHook(d, detail.timeoutAction, 'Service deployment rolled back because the lifecycle hook timed out.');
    });
    return true;
  }

  private resolveHook(d: StandInDeployment, action: 'CONTINUE' | 'ROLLBACK', reason: string): void {
    if (action === 'ROLLBACK') return this.startRollback(d, this.services.get(d.serviceKey)!, reason, 'ROLLBACK_IN_PROGRESS');
    this.schedule(d, 1, () => this.advance(d));
  }

  // ── the deployment clock ───────────────────────────────────────────────────

  private set(d: StandInDeployment, status: string, stage?: Stage): void {
    d.status = status;
    d.lifecycleStage = stage ?? d.lifecycleStage;
    d.updatedAt = now();
    d.transitions.push({ status, stage: d.lifecycleStage, at: d.updatedAt });
  }

  private schedule(d: StandInDeployment, ms: number, fn: () => void): void {
    clearTimeout(d.timer);
    d.timer = setTimeout(fn, ms);
  }

  private advance(d: StandInDeployment): void {
    if (d.status !== 'PENDING' && d.status !== 'IN_PROGRESS') return;
    const service = this.services.get(d.serviceKey)!;
    if (d.status === 'PENDING') {
      d.startedAt = now();
      this.set(d, 'IN_PROGRESS', d.strategy === 'BLUE_GREEN' ? 'RECONCILE_SERVICE' : undefined);
      d.step = 0;
    } else {
      d.step++;
    }
    if (d.strategy !== 'ROLLING') {
      const move = d.moves[d.step];
      if (!move) return this.succeed(d, service);
      if (move.stage === 'PRE_PRODUCTION_TRAFFIC_SHIFT') {
        if (this.pauseAt(d, move.stage)) return;
        return this.advance(d);
      }
      const stage = move.stage;
      if (d.step > 0 && (stage !== d.lifecycleStage || move.weight !== undefined)) this.set(d, 'IN_PROGRESS', stage);
      if (stage === 'SCALE_UP' || stage === 'POST_SCALE_UP') d.running = stage === 'SCALE_UP' ? Math.ceil(d.desired / 2) : d.desired;
      if (stage === 'TEST_TRAFFIC_SHIFT' || stage === 'POST_TEST_TRAFFIC_SHIFT') d.testWeight = 100;
      if (move.weight !== undefined) this.shift(d, move.weight);
      if (d.plan.failAt === stage) return this.fail(d, service);
      if (d.plan.hangAt === stage) return;
      if (HOOK_STAGES.has(stage) && this.pauseAt(d, stage as HookStage)) return;
      this.schedule(d, move.ms, () => this.advance(d));
      return;
    }
    // ROLLING: tasks replaced in steps; the rollout completes only after the new tasks stayed healthy.
    const steps = ['SCALE_UP', 'POST_SCALE_UP', 'BAKE_TIME'] as const;
    const stage = steps[d.step];
    if (!stage) return this.succeed(d, service);
    d.running = Math.min(d.desired, Math.ceil(((d.step + 1) * d.desired) / 2));
    this.shift(d, Math.round((d.running / d.desired) * 100));
    if (d.step > 0) this.set(d, 'IN_PROGRESS');
    if (d.plan.failAt === stage) return this.fail(d, service);
    if (d.plan.hangAt === stage) return;
    this.schedule(d, stage === 'BAKE_TIME' ? this.bakeMs : this.stageMs, () => this.advance(d));
  }

  private succeed(d: StandInDeployment, service: ServiceRecord): void {
    d.finishedAt = now();
    d.running = d.desired;
    this.shift(d, 100);
    d.testWeight = 100;
    d.circuitBreaker.status = 'MONITORING_COMPLETE';
    if (d.alarms) d.alarms.status = 'MONITORING_COMPLETE';
    this.set(d, 'SUCCESSFUL');
    service.currentRevision = d.target;
  }

  private fail(d: StandInDeployment, service: ServiceRecord): void {
    let reason: string;
    if (d.plan.failure === 'alarm' && d.alarms) {
      d.alarms.status = 'TRIGGERED';
      d.alarms.triggeredAlarmNames = [d.alarms.alarmNames[0]!];
      reason = `Service deployment rolled back because the CloudWatch alarm(s) ${d.alarms.alarmNames[0]} are in ALARM state.`;
    } else {
      d.circuitBreaker.failureCount = d.circuitBreaker.threshold;
      d.circuitBreaker.status = 'TRIGGERED';
      reason = 'ECS deployment circuit breaker: tasks failed to start.';
    }
    this.startRollback(d, service, reason, 'ROLLBACK_IN_PROGRESS');
  }

  private startRollback(d: StandInDeployment, service: ServiceRecord, reason: string, status: 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_REQUESTED'): void {
    for (const h of d.hooks) if (h.status === 'AWAITING_ACTION') h.status = 'FAILED';
    d.statusReason = reason;
    d.rollback = { reason, startedAt: now(), serviceRevisionArn: d.source?.serviceRevisionArn };
    this.shift(d, 0);
    d.testWeight = 0;
    this.set(d, status);
    const settle = () => {
      if (d.status === 'ROLLBACK_REQUESTED') {
        this.set(d, 'ROLLBACK_IN_PROGRESS');
        return this.schedule(d, this.stageMs, settle);
      }
      d.running = 0;
      d.finishedAt = now();
      this.set(d, 'ROLLBACK_SUCCESSFUL');
      if (d.source) {
        service.taskDefinition = d.source.taskDefinition;
        service.currentRevision = d.source;
      }
    };
    if (d.plan.hangAt === 'CLEAN_UP' && status === 'ROLLBACK_REQUESTED') return; // "hang" during a rollback: never settles
    this.schedule(d, this.stageMs * 2, settle);
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    let body: Record<string, any> = {};
    const record: RecordedRequest = { operation, body, headers: req.headers, status: 200, at: now() };
    this.requests.push(record);
    const send = (status: number, payload: unknown, error?: string) => {
      record.status = status;
      record.error = error;
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': `req-${this.requests.length}`,
        ...(error ? { 'x-amzn-errortype': error } : {}),
      });
      res.end(text);
    };
    try {
      if (req.method !== 'POST' || req.url !== '/') throw new AwsError('UnknownOperationException', `${req.method} ${req.url}`, 404);
      if (!target.startsWith(TARGET_PREFIX)) throw new AwsError('UnknownOperationException', `unknown target ${target}`);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.1')) {
        throw new AwsError('SerializationException', `content-type ${req.headers['content-type']}`);
      }
      if (!/^AWS4-HMAC-SHA256 Credential=[^/]+\//.test(String(req.headers.authorization ?? ''))) {
        throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      }
      body = raw ? JSON.parse(raw) : {};
      record.body = body;
      const fault = this.faults.find((f) => f.times > 0 && (!f.operation || f.operation === operation));
      const handler = (this as unknown as Record<string, (b: Record<string, any>) => unknown>)[`op${operation}`];
      if (fault) {
        fault.times--;
        record.error = fault.kind;
        if (fault.afterApplying && typeof handler === 'function') handler.call(this, body);
        if (fault.kind === 'hang') return this.hang(res);
        if (fault.kind === 'reset') {
          record.status = 0;
          req.socket.destroy();
          return;
        }
        if (fault.kind === 'throttle') throw new AwsError('ThrottlingException', 'Rate exceeded');
        if (fault.kind === 'throttle429') throw new AwsError('ThrottlingException', 'Rate exceeded', 429);
        throw new AwsError('ServerException', 'Service Unavailable. Please try again later.', 500);
      }
      if (typeof handler !== 'function') throw new AwsError('UnknownOperationException', `${operation} is not supported by the stand-in`);
      send(200, handler.call(this, body));
    } catch (error) {
      if (error instanceof AwsError) send(error.status, { __type: error.type, message: error.message }, error.type);
      else if (error instanceof SyntaxError) send(400, { __type: 'SerializationException', message: 'Malformed JSON' }, 'SerializationException');
      else send(500, { __type: 'ServerException', message: String(error) }, 'ServerException');
    }
  }

  private findService(cluster: string | undefined, service: string): ServiceRecord | undefined {
    const clusterName = (cluster ?? 'default').replace(/^arn:.*:cluster\//, '');
    const name = service.replace(/^arn:.*:service\/(?:[^/]+\/)?/, '');
    return this.services.get(`${clusterName}/${name}`);
  }

  private requireService(cluster: string | undefined, service: string | undefined): ServiceRecord {
    if (!service) throw new AwsError('InvalidParameterException', 'service is required');
    const clusterName = (cluster ?? 'default').replace(/^arn:.*:cluster\//, '');
    if (![...this.services.values()].some((s) => s.clusterName === clusterName)) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    const s = this.findService(cluster, service);
    if (!s || s.status !== 'ACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
    return s;
  }

  private serviceShape(s: ServiceRecord): Record<string, unknown> {
    const inFlight = [...this.deployments.values()].filter((d) => d.serviceKey === s.key && IN_FLIGHT.has(d.status));
    const current = this.deployments.get(s.currentServiceDeployment ?? '');
    return {
      serviceArn: s.serviceArn,
      serviceName: s.serviceName,
      clusterArn: s.clusterArn,
      status: s.status,
      desiredCount: s.desiredCount,
      runningCount: s.desiredCount,
      pendingCount: 0,
      launchType: 'FARGATE',
      taskDefinition: s.taskDefinition,
      deploymentController: { type: 'ECS' },
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        alarms: { alarmNames: s.alarmNames, enable: s.alarmNames.length > 0, rollback: true },
        ...this.configShape(this.configOf(s)),
      },
      currentServiceDeployment: s.currentServiceDeployment,
      currentServiceRevisions: [current?.target, ...inFlight.map((d) => d.source)]
        .filter((r): r is Revision => !!r)
        .map((r) => ({ arn: r.serviceRevisionArn, requestedTaskCount: s.desiredCount, runningTaskCount: s.desiredCount, pendingTaskCount: 0 })),
      deployments: [
        {
          id: `ecs-svc/${s.currentServiceDeployment?.split('/').pop()}`,
          status: 'PRIMARY',
          taskDefinition: s.taskDefinition,
          desiredCount: s.desiredCount,
          runningCount: current?.running ?? s.desiredCount,
          pendingCount: 0,
          rolloutState: current && IN_FLIGHT.has(current.status) ? 'IN_PROGRESS' : current?.status === 'SUCCESSFUL' ? 'COMPLETED' : 'FAILED',
          createdAt: epoch(current?.createdAt),
          updatedAt: epoch(current?.updatedAt),
        },
      ],
      createdAt: epoch(s.currentRevision.createdAt),
      schedulingStrategy: 'REPLICA',
    };
  }

  private configShape(c: TrafficConfig): Record<string, unknown> {
    return {
      strategy: c.strategy,
      ...(c.strategy !== 'ROLLING' ? { bakeTimeInMinutes: c.bakeTimeInMinutes } : {}),
      ...(c.lifecycleHooks.length ? { lifecycleHooks: c.lifecycleHooks } : {}),
      ...(c.canaryConfiguration ? { canaryConfiguration: c.canaryConfiguration } : {}),
      ...(c.linearConfiguration ? { linearConfiguration: c.linearConfiguration } : {}),
    };
  }

  /** UpdateService's deploymentConfiguration: checked as ECS checks it, then applied to the service (not to a deployment in flight). */
  private applyDeploymentConfiguration(s: ServiceRecord, c: Record<string, any>): void {
    const bad = (message: string) => new AwsError('InvalidParameterException', message);
    const strategy = (c.strategy ?? s.strategy) as Strategy;
    if (!STRATEGIES.has(strategy)) throw bad(`Invalid deployment strategy: ${strategy}`);
    const minutes = (v: unknown, name: string) => {
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1440)) throw bad(`${name} must be an integer from 0 to 1440.`);
    };
    minutes(c.bakeTimeInMinutes, 'bakeTimeInMinutes');
    if (c.canaryConfiguration && strategy !== 'CANARY') throw bad('canaryConfiguration is only valid with the CANARY deployment strategy.');
    if (c.linearConfiguration && strategy !== 'LINEAR') throw bad('linearConfiguration is only valid with the LINEAR deployment strategy.');
    const percent = (v: unknown, min: number, name: string) => {
      if (v !== undefined && !(typeof v === 'number' && v >= min && v <= 100 && Math.abs(v * 10 - Math.round(v * 10)) < 1e-9)) throw bad(`${name} must be a multiple of 0.1 from ${min} to 100.`);
    };
    percent(c.canaryConfiguration?.canaryPercent, 0.1, 'canaryPercent');
    minutes(c.canaryConfiguration?.canaryBakeTimeInMinutes, 'canaryBakeTimeInMinutes');
    percent(c.linearConfiguration?.stepPercent, 3, 'stepPercent');
    minutes(c.linearConfiguration?.stepBakeTimeInMinutes, 'stepBakeTimeInMinutes');
    for (const h of (c.lifecycleHooks ?? []) as LifecycleHook[]) {
      const type = h.targetType ?? 'AWS_LAMBDA';
      if (type !== 'PAUSE' && type !== 'AWS_LAMBDA') throw bad(`Invalid lifecycle hook targetType: ${type}`);
      if (!Array.isArray(h.lifecycleStages) || h.lifecycleStages.length === 0) throw bad('A lifecycle hook needs lifecycleStages.');
      for (const stage of h.lifecycleStages) {
        if (!HOOK_STAGES.has(stage)) throw bad(`Invalid lifecycle stage for a hook: ${stage}`);
        if (type === 'PAUSE' && (stage === 'TEST_TRAFFIC_SHIFT' || stage === 'PRODUCTION_TRAFFIC_SHIFT')) throw bad(`PAUSE hooks cannot be configured at the ${stage} stage.`);
      }
      if (type === 'PAUSE' && h.hookTargetArn) throw bad('hookTargetArn is not applicable for PAUSE hooks.');
      if (type === 'AWS_LAMBDA' && !h.hookTargetArn) throw bad('hookTargetArn is required for AWS_LAMBDA hooks.');
      const t = h.timeoutConfiguration;
      if (t?.timeoutInMinutes !== undefined && !(Number.isInteger(t.timeoutInMinutes) && t.timeoutInMinutes >= 1 && t.timeoutInMinutes <= 1440)) throw bad('timeoutInMinutes must be from 1 to 1440.');
      if (t?.action !== undefined && t.action !== 'CONTINUE' && t.action !== 'ROLLBACK') throw bad(`Invalid timeout action: ${t.action}`);
    }
    s.strategy = strategy;
    if (c.bakeTimeInMinutes !== undefined) s.bakeTimeInMinutes = c.bakeTimeInMinutes;
    if (c.lifecycleHooks !== undefined) s.lifecycleHooks = structuredClone(c.lifecycleHooks);
    if (c.canaryConfiguration !== undefined) s.canaryConfiguration = structuredClone(c.canaryConfiguration);
    if (c.linearConfiguration !== undefined) s.linearConfiguration = structuredClone(c.linearConfiguration);
  }

  // ── operations ─────────────────────────────────────────────────────────────

  opContinueServiceDeployment(body: Record<string, any>) {
    for (const key of Object.keys(body)) {
      if (!['serviceDeploymentArn', 'hookId', 'action'].includes(key)) throw new AwsError('SerializationException', `Unknown field ${key}`);
    }
    if (!body.serviceDeploymentArn || !body.hookId) throw new AwsError('InvalidParameterException', 'serviceDeploymentArn and hookId are required.');
    const action = body.action ?? 'CONTINUE';
    if (action !== 'CONTINUE' && action !== 'ROLLBACK') throw new AwsError('InvalidParameterException', `Invalid action: ${action}`);
    const d = this.deployments.get(String(body.serviceDeploymentArn));
    if (!d) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
    const hook = d.hooks.find((h) => h.hookId === body.hookId);
    if (!hook) throw new AwsError('InvalidParameterException', `The lifecycle hook ${body.hookId} does not belong to this service deployment.`);
    if (hook.status !== 'AWAITING_ACTION' || d.status !== 'IN_PROGRESS') {
      throw new AwsError('ConflictException', `The lifecycle hook ${body.hookId} is ${hook.status}, not awaiting action.`);
    }
    clearTimeout(d.timer);
    hook.status = 'SUCCEEDED';
    this.resolveHook(d, action, 'Service deployment rolled back because of a ContinueServiceDeployment ROLLBACK action.');
    return { serviceDeploymentArn: d.serviceDeploymentArn };
  }

  opDescribeServices(body: Record<string, any>) {
    const services: unknown[] = [];
    const failures: unknown[] = [];
    for (const name of (body.services ?? []) as string[]) {
      const s = this.findService(body.cluster, name);
      if (s) services.push(this.serviceShape(s));
      else failures.push({ arn: `arn:aws:ecs:${this.region}:${this.account}:service/${body.cluster ?? 'default'}/${name}`, reason: 'MISSING' });
    }
    const clusterName = String(body.cluster ?? 'default').replace(/^arn:.*:cluster\//, '');
    if (![...this.services.values()].some((s) => s.clusterName === clusterName)) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return { services, failures };
  }

  opDescribeTaskDefinition(body: Record<string, any>) {
    const ref = String(body.taskDefinition ?? '');
    let td = this.taskDefinitions.get(ref);
    if (!td) {
      const m = /^(?:arn:.*:task-definition\/)?([^:]+)(?::(\d+))?$/.exec(ref);
      const family = [...this.taskDefinitions.values()].filter((t) => t.family === m?.[1]);
      td = m?.[2] ? family.find((t) => t.revision === Number(m[2])) : family.at(-1);
    }
    if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.');
    return { taskDefinition: td, tags: [] };
  }

  opRegisterTaskDefinition(body: Record<string, any>) {
    for (const key of Object.keys(body)) {
      if (!REGISTER_FIELDS.has(key)) throw new AwsError('SerializationException', `Unknown field ${key}`);
    }
    if (typeof body.family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(body.family)) {
      throw new AwsError('ClientException', 'Family contains invalid characters.');
    }
    if (!Array.isArray(body.containerDefinitions) || body.containerDefinitions.length === 0) {
      throw new AwsError('ClientException', 'Container list cannot be empty.');
    }
    for (const c of body.containerDefinitions) {
      if (!c.name || !c.image) throw new AwsError('ClientException', 'Container.image should not be null or empty.');
    }
    return { taskDefinition: this.register(body), tags: body.tags ?? [] };
  }

  opUpdateService(body: Record<string, any>) {
    for (const key of Object.keys(body)) {
      if (!UPDATE_FIELDS.has(key)) throw new AwsError('SerializationException', `Unknown field ${key}`);
    }
    const s = this.requireService(body.cluster, body.service);
    if (body.deploymentConfiguration) this.applyDeploymentConfiguration(s, body.deploymentConfiguration);
    if (typeof body.desiredCount === 'number') s.desiredCount = body.desiredCount;
    if (body.taskDefinition) {
      const td = this.opDescribeTaskDefinition({ taskDefinition: body.taskDefinition }).taskDefinition;
      const changed = td.taskDefinitionArn !== s.taskDefinition;
      if (changed || body.forceNewDeployment) {
        const inFlight = this.deploymentsOf(s.clusterName, s.serviceName).filter((d) => IN_FLIGHT.has(d.status));
        for (const d of inFlight) {
          // A new deployment supersedes the one in flight.
          clearTimeout(d.timer);
          d.stoppedAt = now();
          d.statusReason = 'Stopped because a newer service deployment started.';
          this.set(d, 'STOPPED');
        }
        s.taskDefinition = td.taskDefinitionArn;
        const target = this.newRevision(s.serviceArn, s.clusterArn, s.clusterName, s.serviceName, td.taskDefinitionArn);
        const plan = this.plans.get(s.key) ?? this.plans.get('*') ?? {};
        this.plans.delete(s.key);
        this.plans.delete('*');
        const d = this.createDeployment(s, s.currentRevision, target, plan);
        s.currentServiceDeployment = d.serviceDeploymentArn;
        this.schedule(d, this.stageMs, () => this.advance(d));
      }
    }
    return { service: this.serviceShape(s) };
  }

  opListServiceDeployments(body: Record<string, any>) {
    const s = this.requireService(body.cluster, body.service);
    const statuses = body.status as string[] | undefined;
    const after = body.createdAt?.after as number | undefined;
    const before = body.createdAt?.before as number | undefined;
    const all = this.deploymentsOf(s.clusterName, s.serviceName)
      .filter((d) => !statuses?.length || statuses.includes(d.status))
      .filter((d) => after === undefined || d.createdAt / 1000 >= after)
      .filter((d) => before === undefined || d.createdAt / 1000 <= before)
      .reverse(); // newest first
    const start = Number(body.nextToken ?? 0);
    const max = Math.min(Number(body.maxResults ?? 20), 100);
    const page = all.slice(start, start + max);
    return {
      serviceDeployments: page.map((d) => ({
        serviceDeploymentArn: d.serviceDeploymentArn,
        serviceArn: s.serviceArn,
        clusterArn: s.clusterArn,
        createdAt: epoch(d.createdAt),
        startedAt: epoch(d.startedAt),
        finishedAt: epoch(d.finishedAt),
        targetServiceRevisionArn: d.target.serviceRevisionArn,
        status: d.status,
        statusReason: d.statusReason,
      })),
      nextToken: start + max < all.length ? String(start + max) : undefined,
    };
  }

  opDescribeServiceDeployments(body: Record<string, any>) {
    const serviceDeployments: unknown[] = [];
    const failures: unknown[] = [];
    for (const arn of (body.serviceDeploymentArns ?? []) as string[]) {
      const d = this.deployments.get(arn);
      if (!d) {
        failures.push({ arn, reason: 'MISSING', detail: 'The service deployment does not exist.' });
        continue;
      }
      const s = this.services.get(d.serviceKey)!;
      const summary = (r: Revision, running: number, test: number, prod: number) => ({
        arn: r.serviceRevisionArn,
        requestedTaskCount: d.desired,
        runningTaskCount: running,
        pendingTaskCount: Math.max(0, d.desired - running),
        ...(d.strategy !== 'ROLLING' ? { requestedTestTrafficWeight: test, requestedProductionTrafficWeight: prod } : {}),
      });
      serviceDeployments.push({
        serviceDeploymentArn: d.serviceDeploymentArn,
        serviceArn: s.serviceArn,
        clusterArn: s.clusterArn,
        createdAt: epoch(d.createdAt),
        startedAt: epoch(d.startedAt),
        finishedAt: epoch(d.finishedAt),
        stoppedAt: epoch(d.stoppedAt),
        updatedAt: epoch(d.updatedAt),
        sourceServiceRevisions: d.source ? [summary(d.source, d.desired, 100 - d.testWeight, 100 - d.productionWeight)] : [],
        targetServiceRevision: summary(d.target, d.running, d.testWeight, d.productionWeight),
        status: d.status,
        statusReason: d.statusReason,
        lifecycleStage: d.lifecycleStage,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
          ...this.configShape(d.config),
        },
        ...(d.hooks.length ? { lifecycleHookDetails: d.hooks.map(({ stage: _stage, ...h }) => ({ ...h, expiresAt: epoch(h.expiresAt) })) } : {}),
        rollback: d.rollback ? { ...d.rollback, startedAt: epoch(d.rollback.startedAt) } : undefined,
        deploymentCircuitBreaker: d.circuitBreaker,
        alarms: d.alarms ?? { status: 'DISABLED' },
      });
    }
    return { serviceDeployments, failures };
  }

  opDescribeServiceRevisions(body: Record<string, any>) {
    const serviceRevisions: unknown[] = [];
    const failures: unknown[] = [];
    for (const arn of (body.serviceRevisionArns ?? []) as string[]) {
      const r = this.revisions.get(arn);
      if (!r) failures.push({ arn, reason: 'MISSING' });
      else serviceRevisions.push({ ...r, createdAt: epoch(r.createdAt), launchType: 'FARGATE' });
    }
    return { serviceRevisions, failures };
  }

  opStopServiceDeployment(body: Record<string, any>) {
    const d = this.deployments.get(String(body.serviceDeploymentArn ?? ''));
    if (!d) throw new AwsError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
    const stopType = body.stopType ?? 'ABORT';
    if (d.status !== 'PENDING' && d.status !== 'IN_PROGRESS') {
      throw new AwsError('ConflictException', `The service deployment is in ${d.status} status and can't be stopped.`);
    }
    clearTimeout(d.timer);
    const service = this.services.get(d.serviceKey)!;
    if (stopType === 'ROLLBACK') {
      this.startRollback(d, service, 'Service deployment rolled back because of a stop request.', 'ROLLBACK_REQUESTED');
    } else {
      d.statusReason = 'Service deployment stopped because of a stop request.';
      this.set(d, 'STOP_REQUESTED');
      this.schedule(d, this.stageMs, () => {
        d.stoppedAt = now();
        this.set(d, 'STOPPED');
      });
    }
    return { serviceDeploymentArn: d.serviceDeploymentArn };
  }
}

export async function startEcsStandIn(options: EcsStandInOptions = {}): Promise<EcsStandIn> {
  return new EcsStandIn(options).start();
}
