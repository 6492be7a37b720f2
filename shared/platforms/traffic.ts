/**
 * The traffic interface (platform interface v2): the one interface over the deployment targets,
 * used by canary-shift (steps), deploy-blue-green (one step, 0 → 100 after verification),
 * preflight (`live`: what serves production, a rollout in flight) and the rollback.
 *
 * What v1 lacked, and this says:
 * - who drives the steps: Gantry (ALB weights, Vercel approve-stage: Gantry sets each weight)
 *   or the platform (ECS native CANARY/LINEAR, a rolling release advancing itself: Gantry holds
 *   or lets each step go and waits for the weight the platform reaches);
 * - the step plan, checked against (or written into) the platform's own configuration;
 * - `setWeight` / `waitForWeight`, and `abort` (the rollout stops, all traffic to stable at once)
 *   distinct from `rollback` (back to an earlier release);
 * - progress as data (stage, weights, alarms) that logs, the summary and charts use;
 * - a registry of platforms (`registerTrafficPlatform`), not a closed union, with typed details
 *   the ledger can store to resume a paused rollout in a later job.
 */

export type Driver = 'gantry' | 'platform';

/** A canary rollout's plan: weights in percent of production traffic, ascending, ending at 100. */
export type StepPlan = number[];

/** Where traffic stands, as data. */
export interface TrafficProgress {
  at: number;
  /** The platform's own stage name (e.g. `weights`, `PRODUCTION_TRAFFIC_SHIFT`, `stage 2/4`). */
  stage: string;
  /** Percent of production traffic on the canary. */
  canaryWeight: number;
  /** Alarms the platform watches, with their state. */
  alarms?: Array<{ name: string; state: string }>;
  detail?: string;
}

/** What a platform needs stored to pick a rollout up again (JSON, kept in the ledger). */
export type TrafficDetails = Record<string, string | number | boolean | undefined>;

/** A release on the platform: a Vercel deployment, an ECS task definition revision. */
export interface ReleaseRef {
  /** The platform's own id (Vercel `dpl_…`; ECS task definition ARN). */
  id: string;
  /** Where this release answers on its own (Vercel deployment URL; ECS test listener URL). */
  url?: string;
  /** When it was created, ms since epoch. */
  createdAt?: number;
  /** Platform details worth showing (ECS service deployment ARN, Vercel target, …). */
  details?: Record<string, string>;
}

/** What serves production now, and whether a rollout is already in flight (preflight, the ledger, blue-green's plan). */
export interface ProductionState {
  /** What serves production; undefined before the first release. */
  live?: ReleaseRef;
  /** A release that is staged or receiving part of the traffic. */
  candidate?: ReleaseRef;
  /** Percent of production traffic on the candidate (0 when none). */
  candidateWeight: number;
  /** A deployment or traffic change already in progress (someone else releasing), in words. */
  inProgress?: string;
  productionUrl?: string;
}

export interface CanaryRef {
  /** The platform's id of the new release (an ECS task definition ARN, a Vercel dpl_…). */
  id: string;
  /** What serves stable traffic (the release being replaced). */
  stableId?: string;
  /** Where the canary answers on its own, when known. */
  url?: string;
  /** Where stable answers on its own, when known (probed as the baseline when no probe-url is given). */
  stableUrl?: string;
  details: TrafficDetails;
}

export interface TrafficWait {
  signal: AbortSignal;
  /** Absolute deadline (ms since epoch): every wait ends by then. */
  deadline: number;
}

export interface TrafficPlatform {
  readonly name: string;
  readonly driver: Driver;
  /** Checks (or adapts) the plan for this platform; throws a ConfigurationError naming `steps` when it cannot run it. */
  plan(steps: StepPlan): StepPlan;
  /** Where traffic stands now (a re-run or resume starts from this, never moving traffic twice). */
  progress(options: TrafficWait): Promise<TrafficProgress>;
  /**
   * Creates the canary without production traffic and waits until it can take some (blue-green:
   * until green can be verified at its own URL). `created`, when the platform calls it, runs as
   * soon as the canary exists, before the wait (the ledger records it first).
   */
  prepare(options: TrafficWait & { created?(canary: CanaryRef): Promise<void> }): Promise<CanaryRef>;
  /** Picks up a canary prepared by an earlier job from the details it stored. */
  resume(details: TrafficDetails, options: TrafficWait): Promise<CanaryRef>;
  /** Gantry-driven: moves the canary to `weight` and resolves once in effect. Platform-driven: lets the platform take its next step. */
  setWeight(weight: number, options: TrafficWait): Promise<TrafficProgress>;
  /** Resolves once the canary's weight is `weight` (bounded by the deadline). */
  waitForWeight(weight: number, options: TrafficWait): Promise<TrafficProgress>;
  /** Stops the rollout: all traffic to stable first, then cleans up. Safe to call twice. */
  abort(reason: string, options: TrafficWait): Promise<TrafficProgress>;
  /** Finishes a rollout at 100 % (the canary becomes stable). */
  complete(options: TrafficWait): Promise<TrafficProgress>;
  /** Goes back to an earlier release (not needed to abort a rollout). Optional. */
  rollback?(toId: string, options: TrafficWait): Promise<void>;
  /** What serves production and whether a rollout is in flight, read without changing anything. Optional. */
  live?(options: TrafficWait): Promise<ProductionState>;
}

export interface TrafficHooks {
  log?(message: string): void;
}

type Factory = (options: unknown, hooks: TrafficHooks) => Promise<TrafficPlatform>;
const registry = new Map<string, Factory>();

/** Adds a platform; its module is loaded only when the platform is created. */
export function registerTrafficPlatform<O>(name: string, factory: (options: O, hooks: TrafficHooks) => Promise<TrafficPlatform>): void {
  registry.set(name, factory as Factory);
}

export function trafficPlatforms(): string[] {
  return [...registry.keys()];
}

export async function createTrafficPlatform<O>(name: string, options: O, hooks: TrafficHooks = {}): Promise<TrafficPlatform> {
  const factory = registry.get(name);
  if (!factory) throw new Error(`no traffic platform "${name}" (known: ${trafficPlatforms().join(', ')})`);
  return factory(options, hooks);
}

/** Parses a `steps` list: weights 1..100 ascending, `pause` between them; 100 appended when missing. */
export function parseSteps(items: string[]): Array<number | 'pause'> {
  const out: Array<number | 'pause'> = [];
  let last = 0;
  for (const item of items) {
    if (/^pause$/i.test(item)) {
      out.push('pause');
      continue;
    }
    const m = /^(\d{1,3})%?$/.exec(item);
    const n = m ? Number(m[1]) : NaN;
    if (!(n >= 1 && n <= 100)) throw new Error(`${JSON.stringify(item)} is not a weight: use percentages 1 to 100 (e.g. 5,25,50,100) or pause`);
    if (n <= last) throw new Error(`${n} comes after ${last}: weights must go up`);
    last = n;
    out.push(n);
  }
  if (out.length === 0) throw new Error('give at least one weight');
  if (last !== 100) out.push(100);
  return out;
}

// Built-in platforms, each loaded (with its SDKs) only when used.
registerTrafficPlatform<import('./ecs-alb.js').EcsAlbOptions>('ecs-alb', async (options, hooks) => (await import('./ecs-alb.js')).createEcsAlbPlatform(options, hooks));
registerTrafficPlatform<import('./vercel-rolling.js').VercelRollingOptions>('vercel', async (options, hooks) => (await import('./vercel-rolling.js')).createVercelRollingPlatform(options, hooks));
registerTrafficPlatform<import('./ecs-native.js').EcsNativeOptions>('ecs', async (options, hooks) => (await import('./ecs-native.js')).createEcsNativePlatform(options, hooks));
registerTrafficPlatform<import('./vercel.js').VercelOptions>('vercel-blue-green', async (options, hooks) => (await import('./blue-green.js')).createVercelBlueGreen(options, hooks));
registerTrafficPlatform<import('./ecs.js').EcsOptions>('ecs-blue-green', async (options) => (await import('./blue-green.js')).createEcsBlueGreen(options));
