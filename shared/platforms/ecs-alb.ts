/**
 * ECS behind an Application Load Balancer with two target groups, Gantry driving the steps:
 * one listener rule forwards to a stable and a canary target group, and each step is a
 * ModifyRule of the two weights. The canary service gets the new task definition and is waited
 * on — its ECS deployment completed and every target in the canary group healthy — before it
 * gets any weight. Abort puts the weights back on stable first, then scales the canary down.
 * Completing (Flagger's promotion) rolls the new task definition out to the stable service,
 * waits for its targets, moves all traffic back to the stable group and scales the canary down,
 * so the next release starts from the same layout.
 *
 * Reads go through the SDKs' own retries (throttling, 5xx). A weight change is retried by us,
 * re-reading the rule first: a ModifyRule that failed after it took effect is never sent twice.
 */
import {
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyRuleCommand,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { abortReason, pollUntil, retry } from '../core/net.js';
import { awsClientConfig, awsErrorName as awsName, retryableAws } from './aws.js';
import { ecsClient, patchImage, readTaskDefinitionFile, registrable } from './ecs.js';
import { resolveTaskDefinition } from './task-definition.js';
import { context } from '../core/context.js';
import { type CanaryRef, type StepPlan, type TrafficDetails, type TrafficHooks, type TrafficPlatform, type TrafficProgress, type TrafficWait } from './traffic.js';

export interface EcsAlbOptions {
  region: string;
  cluster: string;
  /** The stable service (behind the stable target group). */
  service: string;
  /** The canary service (behind the canary target group). */
  canaryService: string;
  /** A task definition ARN, or the path of a JSON file to register. */
  taskDefinition?: string;
  containerName?: string;
  image?: string;
  listenerRuleArn: string;
  stableTargetGroupArn: string;
  canaryTargetGroupArn: string;
  pollIntervalMs?: number;
  /** Tries per weight change (each after re-reading the rule). */
  writeAttempts?: number;
  retryBaseMs?: number;
}

class EcsAlbPlatform implements TrafficPlatform {
  readonly name = 'ecs-alb';
  readonly driver = 'gantry' as const;
  private readonly elb: ElasticLoadBalancingV2Client;
  private readonly elbWrite: ElasticLoadBalancingV2Client;
  private readonly ecs: ECSClient;
  private readonly log: (m: string) => void;
  private canary?: CanaryRef;

  constructor(
    private readonly o: EcsAlbOptions,
    hooks: TrafficHooks,
  ) {
    this.elb = new ElasticLoadBalancingV2Client(awsClientConfig({ region: o.region, maxAttempts: 6 }));
    // Weight changes are not retried blindly by the SDK: see setWeight.
    this.elbWrite = new ElasticLoadBalancingV2Client(awsClientConfig({ region: o.region, maxAttempts: 1 }));
    this.ecs = ecsClient({ region: o.region, maxAttempts: 6 });
    this.log = hooks.log ?? (() => {});
  }

  plan(steps: StepPlan): StepPlan {
    return steps; // any weights 0–100 fit a forward action
  }

  // ── AWS calls with errors a person can act on ─────────────────────────────

  private async call<T>(what: string, send: (abortSignal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) throw abortReason(signal);
    try {
      return await send(signal);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      const name = awsName(error);
      if (name === 'CredentialsProviderError') throw new ConfigurationError('no AWS credentials: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
      if (name === 'RuleNotFoundException' || name === 'RuleNotFound') throw new ConfigurationError(`listener-rule-arn: no listener rule ${this.o.listenerRuleArn}`, { input: 'listener-rule-arn' });
      if (name === 'ClusterNotFoundException') throw new ConfigurationError(`cluster: ECS has no cluster "${this.o.cluster}" in ${this.o.region}`, { input: 'cluster' });
      if (name === 'ServiceNotFoundException') throw new ConfigurationError(`service / canary-service: the cluster ${this.o.cluster} has no such active service`, { input: 'canary-service' });
      if (name === 'AccessDeniedException' || name === 'AccessDenied') throw new Error(`AWS denied ${what}: ${errorMessage(error)}`, { cause: error });
      const wrapped = new Error(`${what} failed: ${name && !errorMessage(error).startsWith(name) ? `${name}: ` : ''}${errorMessage(error)}`, { cause: error });
      Object.assign(wrapped, { $retryable: retryableAws(error) });
      throw wrapped;
    }
  }

  private async rule(signal: AbortSignal): Promise<Rule> {
    const out = await this.call('elasticloadbalancing:DescribeRules', (abortSignal) => this.elb.send(new DescribeRulesCommand({ RuleArns: [this.o.listenerRuleArn] }), { abortSignal }), signal);
    const rule = out.Rules?.[0];
    if (!rule) throw new ConfigurationError(`listener-rule-arn: no listener rule ${this.o.listenerRuleArn}`, { input: 'listener-rule-arn' });
    return rule;
  }

  /** The canary's weight in percent, checking the rule forwards to exactly our two groups. */
  private weightOf(rule: Rule): number {
    const forward = rule.Actions?.filter((a) => a.Type === 'forward') ?? [];
    const groups = forward[0]?.ForwardConfig?.TargetGroups ?? (forward[0]?.TargetGroupArn ? [{ TargetGroupArn: forward[0].TargetGroupArn, Weight: 1 }] : []);
    const weight = (arn: string) => groups.find((g) => g.TargetGroupArn === arn)?.Weight;
    const stable = weight(this.o.stableTargetGroupArn);
    const canary = weight(this.o.canaryTargetGroupArn) ?? 0;
    if (forward.length !== 1 || stable === undefined || groups.some((g) => g.TargetGroupArn !== this.o.stableTargetGroupArn && g.TargetGroupArn !== this.o.canaryTargetGroupArn)) {
      throw new ConfigurationError(
        `listener-rule-arn: the rule must have one forward action over stable-target-group-arn and canary-target-group-arn (it forwards to ${groups.map((g) => g.TargetGroupArn).join(', ') || 'nothing'})`,
        { input: 'listener-rule-arn' },
      );
    }
    const total = (stable ?? 0) + canary;
    return total === 0 ? 0 : Math.round((canary / total) * 100);
  }

  async progress(options: TrafficWait): Promise<TrafficProgress> {
    const weight = this.weightOf(await this.rule(options.signal));
    return { at: Date.now(), stage: 'weights', canaryWeight: weight, detail: `stable ${100 - weight}% / canary ${weight}%` };
  }

  private async service(name: string, signal: AbortSignal): Promise<Service> {
    const out = await this.call('ecs:DescribeServices', (abortSignal) => this.ecs.send(new DescribeServicesCommand({ cluster: this.o.cluster, services: [name] }), { abortSignal }), signal);
    const s = out.services?.[0];
    if (!s || s.status !== 'ACTIVE') {
      const input = name === this.o.service ? 'service' : 'canary-service';
      throw new ConfigurationError(`${input}: the cluster ${this.o.cluster} has no active service "${name}"`, { input });
    }
    return s;
  }

  private async newTaskDefinition(stable: Service, signal: AbortSignal): Promise<string> {
    const { taskDefinition, containerName, image } = this.o;
    const source = taskDefinition ? resolveTaskDefinition(taskDefinition, context().workspace) : undefined;
    if (source?.kind === 'registered' && !(containerName && image)) return source.reference;
    let td;
    if (source?.kind === 'file') td = readTaskDefinitionFile(source.path, source.shown);
    else {
      const from = source?.reference ?? stable.taskDefinition!;
      const out = await this.call('ecs:DescribeTaskDefinition', (abortSignal) => this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: from, include: ['TAGS'] }), { abortSignal }), signal);
      td = registrable(out.taskDefinition!, out.tags);
    }
    if (containerName && image) td = patchImage(td, containerName, image);
    const out = await this.call('ecs:RegisterTaskDefinition', (abortSignal) => this.ecs.send(new RegisterTaskDefinitionCommand(td), { abortSignal }), signal);
    this.log(`Registered ${out.taskDefinition!.taskDefinitionArn}`);
    return out.taskDefinition!.taskDefinitionArn!;
  }

  private async rollOut(serviceName: string, taskDefinition: string, desiredCount: number | undefined, options: TrafficWait): Promise<void> {
    await this.call(
      'ecs:UpdateService',
      (abortSignal) => this.ecs.send(new UpdateServiceCommand({ cluster: this.o.cluster, service: serviceName, taskDefinition, ...(desiredCount === undefined ? {} : { desiredCount }) }), { abortSignal }),
      options.signal,
    );
    this.log(`${serviceName}: rolling out ${taskDefinition.split('/').pop()}`);
    await pollUntil(
      async () => {
        const s = await this.service(serviceName, options.signal);
        const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
        if (primary?.taskDefinition !== taskDefinition) return undefined;
        if (primary.rolloutState === 'FAILED') throw new Error(`ECS could not roll ${taskDefinition} out to ${serviceName}: ${primary.rolloutStateReason ?? 'deployment failed'}`);
        return primary.rolloutState === 'COMPLETED' ? true : undefined;
      },
      { timeoutMs: options.deadline - Date.now(), intervalMs: this.o.pollIntervalMs ?? 500, signal: options.signal, what: `${serviceName} to run ${taskDefinition.split('/').pop()}` },
    );
  }

  private async waitHealthy(targetGroupArn: string, options: TrafficWait): Promise<void> {
    let last = '';
    await pollUntil(
      async () => {
        const out = await this.call('elasticloadbalancing:DescribeTargetHealth', (abortSignal) => this.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), { abortSignal }), options.signal);
        const states = (out.TargetHealthDescriptions ?? []).map((t) => t.TargetHealth?.State ?? 'unknown');
        const line = states.length ? `${states.filter((s) => s === 'healthy').length}/${states.length} targets healthy` : 'no targets registered';
        if (line !== last) this.log(`${targetGroupArn.split(':').pop()}: ${(last = line)}`);
        return states.length > 0 && states.every((s) => s === 'healthy') ? true : undefined;
      },
      { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.o.pollIntervalMs ?? 500, signal: options.signal, what: `the targets of ${targetGroupArn.split(':').pop()} to be healthy (last: ${last || 'not asked yet'})` },
    ).catch((error: Error) => {
      if (error.name === 'TimeoutError') error.message = error.message.replace(/\(last: [^)]*\)/, `(last: ${last})`);
      throw error;
    });
  }

  async prepare(options: TrafficWait): Promise<CanaryRef> {
    // Check the rule before changing anything.
    const before = this.weightOf(await this.rule(options.signal));
    if (before !== 0) this.log(`The canary group already has ${before}% of the traffic (an earlier rollout?): it is prepared again from 0.`);
    const [stable, canary] = await Promise.all([this.service(this.o.service, options.signal), this.service(this.o.canaryService, options.signal)]);
    if (before !== 0) await this.setWeight(0, options);
    const taskDefinition = await this.newTaskDefinition(stable, options.signal);
    await this.rollOut(this.o.canaryService, taskDefinition, canary.desiredCount ? undefined : Math.max(1, stable.desiredCount ?? 1), options);
    await this.waitHealthy(this.o.canaryTargetGroupArn, options);
    this.canary = {
      id: taskDefinition,
      stableId: stable.taskDefinition,
      details: { cluster: this.o.cluster, service: this.o.service, canaryService: this.o.canaryService, listenerRuleArn: this.o.listenerRuleArn, taskDefinition, stableTaskDefinition: stable.taskDefinition, desiredCount: stable.desiredCount ?? 1 },
    };
    return this.canary;
  }

  async resume(details: TrafficDetails, options: TrafficWait): Promise<CanaryRef> {
    const taskDefinition = String(details.taskDefinition ?? '');
    if (details.listenerRuleArn !== this.o.listenerRuleArn || details.canaryService !== this.o.canaryService) {
      throw new ConfigurationError(`the paused rollout used listener rule ${details.listenerRuleArn} and canary service ${details.canaryService}: give the same listener-rule-arn and canary-service`, { input: 'listener-rule-arn' });
    }
    const canary = await this.service(this.o.canaryService, options.signal);
    if (canary.taskDefinition !== taskDefinition) throw new Error(`the canary service now runs ${canary.taskDefinition}, not the paused rollout's ${taskDefinition}: start a new rollout`);
    this.canary = { id: taskDefinition, stableId: String(details.stableTaskDefinition ?? ''), details };
    return this.canary;
  }

  async setWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    const w = Math.round(weight);
    await retry(
      async (attempt) => {
        // Re-read before every try: a change that took effect before a fault is not sent again.
        if (this.weightOf(await this.rule(options.signal)) === w) {
          if (attempt > 1) this.log(`Weights were already ${100 - w}/${w}: not sent again`);
          return;
        }
        await this.call(
          'elasticloadbalancing:ModifyRule',
          (abortSignal) =>
            this.elbWrite.send(
              new ModifyRuleCommand({
                RuleArn: this.o.listenerRuleArn,
                Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: this.o.stableTargetGroupArn, Weight: 100 - w }, { TargetGroupArn: this.o.canaryTargetGroupArn, Weight: w }] } }],
              }),
              { abortSignal },
            ),
          options.signal,
        );
      },
      {
        attempts: this.o.writeAttempts ?? 5,
        baseDelayMs: this.o.retryBaseMs ?? 300,
        maxDelayMs: 5_000,
        signal: options.signal,
        retryable: (e) => (e as { $retryable?: boolean }).$retryable === true,
        onRetry: ({ delayMs, error }) => this.log(`${errorMessage(error)}; checking the rule and trying again in ${delayMs}ms`),
      },
    );
    return this.waitForWeight(w, options);
  }

  async waitForWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    return pollUntil(
      async () => {
        const p = await this.progress(options);
        return p.canaryWeight === weight ? p : undefined;
      },
      { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: this.o.pollIntervalMs ?? 500, signal: options.signal, what: `canary weight ${weight}%` },
    );
  }

  async abort(reason: string, options: TrafficWait): Promise<TrafficProgress> {
    const p = await this.setWeight(0, options);
    this.log(`All traffic back on stable (${reason})`);
    await this.scaleDownCanary(options);
    return p;
  }

  private async scaleDownCanary(options: TrafficWait): Promise<void> {
    try {
      await this.call('ecs:UpdateService', (abortSignal) => this.ecs.send(new UpdateServiceCommand({ cluster: this.o.cluster, service: this.o.canaryService, desiredCount: 0 }), { abortSignal }), options.signal);
      this.log(`${this.o.canaryService}: scaled down to 0`);
    } catch (error) {
      this.log(`Could not scale ${this.o.canaryService} down (${errorMessage(error)}); traffic is on stable, scale it down by hand`);
    }
  }

  async complete(options: TrafficWait): Promise<TrafficProgress> {
    const canary = this.canary;
    if (!canary) throw new Error('complete() before prepare() or resume()');
    await this.setWeight(100, options);
    await this.rollOut(this.o.service, canary.id, undefined, options);
    await this.waitHealthy(this.o.stableTargetGroupArn, options);
    const p = await this.setWeight(0, options);
    this.log(`${this.o.service} runs ${canary.id.split('/').pop()}; all traffic on the stable group again`);
    await this.scaleDownCanary(options);
    return { ...p, stage: 'promoted', canaryWeight: 100, detail: `stable runs ${canary.id}` };
  }
}

export function createEcsAlbPlatform(options: EcsAlbOptions, hooks: TrafficHooks = {}): TrafficPlatform {
  return new EcsAlbPlatform(options, hooks);
}
