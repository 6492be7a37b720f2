/**
 * One interface over the deployment targets (Vercel, AWS ECS), used by deploy-blue-green,
 * canary-shift, preflight and rollback. A platform knows how to stage a candidate without
 * production traffic, move traffic to it in steps (100 % = promote), and put traffic back.
 */

/** A deployment on the platform: a Vercel deployment, or an ECS task-definition revision / service deployment. */
export interface DeploymentRef {
  /** The platform's own id (Vercel `dpl_…`; ECS task definition ARN). */
  id: string;
  /** Where this deployment answers on its own (Vercel deployment URL; ECS test listener URL). */
  url?: string;
  /** When it was created, ms since epoch. */
  createdAt?: number;
  /** Platform details worth showing (ECS service deployment ARN, Vercel target, …). */
  details?: Record<string, string>;
}

export interface PlatformState {
  /** What serves production now. */
  live?: DeploymentRef;
  /** A candidate that is staged or receiving part of the traffic. */
  candidate?: DeploymentRef;
  /** Percent of production traffic on the candidate (0 when none). */
  candidateWeight: number;
  /** A deployment or traffic change already in progress (someone else deploying). */
  inProgress?: string;
  productionUrl?: string;
}

export interface WaitOptions {
  signal: AbortSignal;
  /** Absolute deadline, ms since epoch: every wait ends by then. */
  deadline: number;
}

/**
 * What the orchestrator gives a platform (added for deploy-blue-green; every member optional so
 * a platform may ignore it).
 */
export interface PlatformHooks {
  /** Progress lines worth a log line (lifecycle stage, traffic weights, alarm state…). Redacted by the caller. */
  log?(message: string): void;
  /** Called as soon as a candidate exists, before waiting on it, so a cancellation can clean it up. */
  onCandidate?(candidate: DeploymentRef): void;
}

export interface Platform {
  readonly name: 'vercel' | 'ecs';
  /** What serves production now; undefined on a first release. */
  findLive(options: WaitOptions): Promise<DeploymentRef | undefined>;
  /**
   * Creates a candidate that receives no production traffic yet (Vercel: a staged production
   * build; ECS: a new task definition revision rolled out as a service deployment whose
   * production traffic ECS moves only after its bake).
   */
  createCandidate(options: WaitOptions): Promise<DeploymentRef>;
  /** Waits until the candidate can be verified; throws with the platform's reason when it fails. */
  waitReady(candidate: DeploymentRef, options: WaitOptions): Promise<DeploymentRef>;
  /** Moves `percent` of production traffic to the candidate; 100 promotes. Resolves once in effect. */
  shiftTraffic(candidate: DeploymentRef, percent: number, options: WaitOptions): Promise<void>;
  /**
   * Puts all production traffic back on `target` (the previous deployment) and stops the
   * candidate if one is still rolling out. Safe to call twice.
   */
  rollback(target: DeploymentRef | undefined, candidate: DeploymentRef | undefined, options: WaitOptions & { reason: string }): Promise<void>;
  /** Current state, for preflight and the job summary. */
  describe(options: WaitOptions): Promise<PlatformState>;
}
