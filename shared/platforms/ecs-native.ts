/**
 * ECS native CANARY / LINEAR, the platform driving the steps and Gantry gating each one: the plan
 * (`steps`) is written into the service's deploymentConfiguration (strategy, canaryConfiguration
 * or linearConfiguration) with a PAUSE lifecycle hook at PRE_PRODUCTION_TRAFFIC_SHIFT, so ECS
 * holds the deployment before every production shift. Each `setWeight` answers that hook with
 * ContinueServiceDeployment CONTINUE and waits until ECS has shifted; the analysis of the step
 * runs while ECS bakes and then waits at the next hook. A failed verdict answers ROLLBACK (or stops
 * the deployment with a rollback) and waits until ECS reports it rolled back. Alarms configured on
 * the service are reported by name when ECS rolls back on them.
 *
 * Built on the ECS deployment engine (ecs.ts): the same task definition handling, deployment following,
 * error messages and hook answers as deploy-blue-green on ECS.
 */
import type { DeploymentConfiguration, ServiceDeployment } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '../core/errors.js';
import { awaitingHook, createEcsDeployments, pauseHookAt, withPauseHook, type EcsOptions, type EcsDeployments } from './ecs.js';
import { ecsNativePlan } from './ecs-plan.js';
import type { CanaryRef, StepPlan, TrafficDetails, TrafficHooks, TrafficPlatform, TrafficProgress, TrafficWait } from './traffic.js';

export interface EcsNativeOptions extends Pick<EcsOptions, 'region' | 'cluster' | 'service' | 'taskDefinition' | 'containerName' | 'image' | 'workspace' | 'pollIntervalMs'> {
  /** The weights (no pauses): written into the service as CANARY or LINEAR. */
  steps: StepPlan;
  /** How long Gantry analyses a step: ECS's own step bake is set to fit inside it. */
  stepDurationMs: number;
  /** The rollout's bound; also how long ECS holds at the hook before rolling back on its own. */
  timeoutMs: number;
}

const short = (arn: string | undefined) => (arn ? arn.split('/').pop()! : '?');
const IN_FLIGHT = new Set(['PENDING', 'IN_PROGRESS']);

/** The canary's share of production traffic in a deployment. */
function weightOf(d: ServiceDeployment): number {
  if (d.status === 'SUCCESSFUL') return 100;
  if (!IN_FLIGHT.has(d.status ?? '')) return 0;
  return d.targetServiceRevision?.requestedProductionTrafficWeight ?? 0;
}

class EcsNativePlatform implements TrafficPlatform {
  readonly name = 'ecs';
  readonly driver = 'platform' as const;
  private readonly ecs: EcsDeployments;
  private readonly log: (m: string) => void;
  private canary?: CanaryRef;

  constructor(
    private readonly o: EcsNativeOptions,
    hooks: TrafficHooks,
  ) {
    this.log = hooks.log ?? (() => {});
    this.ecs = createEcsDeployments({ ...o, hookTimeoutMs: o.timeoutMs, configure: (current) => this.configure(current) });
  }

  plan(steps: StepPlan): StepPlan {
    try {
      ecsNativePlan(steps);
    } catch (error) {
      throw new ConfigurationError(`Input 'steps' does not fit ECS native deployments: ${(error as Error).message}`, { input: 'steps' });
    }
    return steps;
  }

  /** The service's deploymentConfiguration with our plan and hook written in; undefined when it has them already. */
  private configure(current: DeploymentConfiguration | undefined): { configuration: DeploymentConfiguration; note: string } | undefined {
    const plan = ecsNativePlan(this.o.steps);
    // ECS's own step bake fits inside a step's analysis, so ECS then waits at the hook for the verdict.
    const bake = Math.floor(this.o.stepDurationMs / 60_000);
    const { canaryConfiguration: _c, linearConfiguration: _l, ...rest } = current ?? {};
    const next: DeploymentConfiguration = {
      ...rest,
      strategy: plan.strategy,
      ...(plan.strategy === 'CANARY'
        ? { canaryConfiguration: { canaryPercent: plan.canaryPercent, canaryBakeTimeInMinutes: bake } }
        : { linearConfiguration: { stepPercent: plan.stepPercent, stepBakeTimeInMinutes: bake } }),
      // The bake after 100 % stays the service's own; a service without one gets one step's worth.
      bakeTimeInMinutes: current?.bakeTimeInMinutes ?? Math.max(1, Math.ceil(this.o.stepDurationMs / 60_000)),
    };
    const configuration = withPauseHook(next, 'PRE_PRODUCTION_TRAFFIC_SHIFT', this.o.timeoutMs) ?? next;
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if (
      current?.strategy === configuration.strategy &&
      same(current?.canaryConfiguration, configuration.canaryConfiguration) &&
      same(current?.linearConfiguration, configuration.linearConfiguration) &&
      pauseHookAt(current, 'PRE_PRODUCTION_TRAFFIC_SHIFT')
    ) {
      return undefined;
    }
    const shape = plan.strategy === 'CANARY' ? `CANARY ${plan.canaryPercent}% then the rest` : `LINEAR ${plan.stepPercent}% a step`;
    const hook = pauseHookAt(configuration, 'PRE_PRODUCTION_TRAFFIC_SHIFT')!;
    return {
      configuration,
      note: `Wrote the steps into ${this.o.service}'s deployment configuration: ${shape}, bake ${bake} min a step; PAUSE lifecycle hook at PRE_PRODUCTION_TRAFFIC_SHIFT (ECS holds before every production step until Gantry's verdict; rolls back by itself after ${hook.timeoutConfiguration?.timeoutInMinutes ?? 1440} min without one)`,
    };
  }

  private arn(): string {
    const arn = this.canary?.details.serviceDeploymentArn;
    if (typeof arn !== 'string' || !arn) throw new Error('no ECS service deployment: prepare() or resume() first');
    return arn;
  }

  private toProgress(d: ServiceDeployment): TrafficProgress {
    const weight = weightOf(d);
    const held = awaitingHook(d);
    const alarms = d.alarms?.alarmNames?.map((name) => ({ name, state: d.alarms?.triggeredAlarmNames?.includes(name) ? 'ALARM' : 'OK' }));
    return {
      at: Date.now(),
      stage: `${d.lifecycleStage ?? d.status}${held ? ' (held at the PAUSE hook)' : ''}`,
      canaryWeight: weight,
      ...(alarms?.length ? { alarms } : {}),
      detail: `ECS deployment ${short(d.serviceDeploymentArn)} ${d.status}: stable ${100 - weight}% / canary ${weight}%`,
    };
  }

  async progress(options: TrafficWait): Promise<TrafficProgress> {
    return this.toProgress(await this.ecs.describeDeployment(this.arn(), options.signal));
  }

  async prepare(options: TrafficWait): Promise<CanaryRef> {
    const candidate = await this.ecs.createCandidate(options);
    const details = candidate.details ?? {};
    if (details.unchanged === 'true') throw new Error(`${this.o.service} already runs ${candidate.id}: there is nothing to roll out as a canary`);
    const arn = details.serviceDeploymentArn!;
    this.canary = {
      id: candidate.id,
      stableId: details.previousTaskDefinition,
      details: { cluster: this.o.cluster, service: this.o.service, serviceDeploymentArn: arn, taskDefinition: candidate.id, stableTaskDefinition: details.previousTaskDefinition },
    };
    // The new tasks start and take test traffic; ECS then holds before the first production step.
    await this.ecs.follow(arn, `${this.o.service} to be held before its first production step`, (d) => !!awaitingHook(d) || d.status === 'SUCCESSFUL', options);
    return this.canary;
  }

  async resume(details: TrafficDetails, options: TrafficWait): Promise<CanaryRef> {
    if (details.service !== this.o.service || details.cluster !== this.o.cluster) {
      throw new ConfigurationError(`the paused rollout is of service ${details.service} in cluster ${details.cluster}: give the same cluster and service`, { input: 'service' });
    }
    this.canary = { id: String(details.taskDefinition ?? ''), stableId: details.stableTaskDefinition ? String(details.stableTaskDefinition) : undefined, details };
    const d = await this.ecs.describeDeployment(this.arn(), options.signal);
    if (!IN_FLIGHT.has(d.status ?? '')) throw new Error(`the paused rollout's ECS deployment ${short(d.serviceDeploymentArn)} is ${d.status}${d.statusReason ? ` (${d.statusReason})` : ''}: start a new rollout`);
    return this.canary;
  }

  async setWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    const arn = this.arn();
    const now = await this.ecs.describeDeployment(arn, options.signal);
    if (weightOf(now) >= weight) return this.toProgress(now);
    // ECS bakes the step before, then holds at the hook: let it take its next step.
    const held = await this.ecs.follow(arn, `ECS to hold before its next production step (${weight}%)`, (d) => !!awaitingHook(d) || d.status === 'SUCCESSFUL', options);
    const hook = awaitingHook(held);
    if (hook?.hookId && (await this.ecs.answerHook(arn, hook.hookId, 'CONTINUE', options.signal))) {
      this.log(`ECS deployment ${short(arn)}: step to ${weight}% let go (ContinueServiceDeployment CONTINUE)`);
    }
    return this.waitForWeight(weight, options);
  }

  async waitForWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    const d = await this.ecs.follow(this.arn(), `${weight}% of production traffic on the canary`, (x) => weightOf(x) >= weight, options);
    return this.toProgress(d);
  }

  async abort(reason: string, options: TrafficWait): Promise<TrafficProgress> {
    const canary = this.canary;
    if (!canary) throw new Error('abort() before prepare() or resume()');
    // In flight: rolled back through the hook (or stopped with a rollback) and followed until ECS
    // says ROLLBACK_SUCCESSFUL; already completed: the stable task definition deployed again.
    await this.ecs.rollback(canary.stableId ? { id: canary.stableId } : undefined, { id: canary.id, details: { serviceDeploymentArn: this.arn(), ...(canary.stableId ? { previousTaskDefinition: canary.stableId } : {}) } }, { ...options, reason });
    const d = await this.ecs.describeDeployment(this.arn(), options.signal);
    const p = this.toProgress(d);
    return { ...p, canaryWeight: d.status === 'SUCCESSFUL' ? 0 : p.canaryWeight, detail: `${p.detail}${d.alarms?.triggeredAlarmNames?.length ? ` · ECS acted on alarm(s) ${d.alarms.triggeredAlarmNames.join(', ')}` : ''}` };
  }

  async complete(options: TrafficWait): Promise<TrafficProgress> {
    const arn = this.arn();
    const d = await this.ecs.follow(arn, `ECS to complete the deployment of ${this.o.service} (its bake)`, (x) => x.status === 'SUCCESSFUL' || !!awaitingHook(x), options);
    const hook = awaitingHook(d);
    if (hook?.hookId) await this.ecs.answerHook(arn, hook.hookId, 'CONTINUE', options.signal);
    const done = hook ? await this.ecs.follow(arn, `ECS to complete the deployment of ${this.o.service}`, (x) => x.status === 'SUCCESSFUL', options) : d;
    return { ...this.toProgress(done), stage: 'promoted', detail: `${this.o.service} runs ${this.canary?.id.split('/').pop()}` };
  }
}

export function createEcsNativePlatform(options: EcsNativeOptions, hooks: TrafficHooks = {}): TrafficPlatform {
  return new EcsNativePlatform(options, hooks);
}
