/**
 * Blue-green as traffic platforms (`vercel-blue-green`, `ecs-blue-green`): one step, 0 → 100
 * after verification.
 * - `prepare` stages green without production traffic and waits until it can be verified
 *   (Vercel: a staged production build; ECS: a service deployment held at its PAUSE hook at
 *   POST_TEST_TRAFFIC_SHIFT, green on the test listener only);
 * - `complete` (= `setWeight(100)`) promotes it (Vercel's promote alias job; ECS: the hook answered
 *   CONTINUE, followed through ECS's own bake);
 * - `abort` puts all traffic back on blue (a build still running is cancelled; ECS rolls the
 *   deployment back through the hook, or blue is deployed again once green had completed);
 * - `rollback(toId)` goes back to an earlier release; `live` reads what serves production.
 * The work is done by the engines (vercel.ts, ecs.ts), each loaded only when its target is used.
 */
import { ConfigurationError } from '../core/errors.js';
import { pollUntil } from '../core/net.js';
import type { EcsOptions } from './ecs.js';
import type { VercelOptions, VercelProduction } from './vercel.js';
import type { CanaryRef, Driver, ProductionState, ReleaseRef, StepPlan, TrafficDetails, TrafficHooks, TrafficPlatform, TrafficProgress, TrafficWait } from './traffic.js';

/** What blue-green asks of an engine (both vercel.ts and ecs.ts have it). */
type Engine = Pick<VercelProduction, 'createCandidate' | 'waitReady' | 'shiftTraffic' | 'rollback' | 'describe'>;

class BlueGreenPlatform implements TrafficPlatform {
  /** What served production when the rollout began: abort puts traffic back on it. */
  private blue?: ReleaseRef;
  private blueRead = false;
  private green?: ReleaseRef;

  constructor(
    /** The target, as the ledger names it (`vercel`, `ecs`). */
    readonly name: 'vercel' | 'ecs',
    readonly driver: Driver,
    private readonly engine: Engine,
  ) {}

  plan(steps: StepPlan): StepPlan {
    if (steps.length !== 1 || steps[0] !== 100) {
      throw new ConfigurationError(`Input 'steps' (${steps.join(',')}) does not fit blue-green, which moves all production traffic at once after verifying green: use canary-shift for traffic in steps`, { input: 'steps' });
    }
    return steps;
  }

  async live(options: TrafficWait): Promise<ProductionState> {
    const state = await this.engine.describe(options);
    if (!this.blueRead) [this.blue, this.blueRead] = [state.live, true];
    return state;
  }

  async progress(options: TrafficWait): Promise<TrafficProgress> {
    const state = await this.engine.describe(options);
    const green = this.green?.id;
    const weight = !green ? 0 : state.live?.id === green ? 100 : state.candidate?.id === green ? state.candidateWeight : 0;
    return { at: Date.now(), stage: state.inProgress ? 'rolling out' : 'settled', canaryWeight: weight, detail: state.inProgress ?? `production on ${state.live?.id ?? 'nothing yet'}` };
  }

  async prepare(options: TrafficWait & { created?(canary: CanaryRef): Promise<void> }): Promise<CanaryRef> {
    await this.readBlue(options);
    this.green = await this.engine.createCandidate(options);
    await options.created?.(this.canaryOf(this.green));
    this.green = await this.engine.waitReady(this.green, options);
    return this.canaryOf(this.green);
  }

  /** A green staged by an earlier job (`operation: promote`), known by its id (and URL) from the ledger. */
  async resume(details: TrafficDetails, options: TrafficWait): Promise<CanaryRef> {
    await this.readBlue(options);
    this.green = { id: String(details.deploymentId), ...(details.url ? { url: String(details.url) } : {}) };
    this.green = await this.engine.waitReady(this.green, options);
    return this.canaryOf(this.green);
  }

  async setWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    if (weight === 100) return this.complete(options);
    if (weight === 0) return this.abort('weight 0', options);
    throw new ConfigurationError(`blue-green moves 0 or 100 % of production traffic, not ${weight} %: use canary-shift for steps`, { input: 'steps' });
  }

  async waitForWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    return pollUntil(
      async () => {
        const p = await this.progress(options);
        return (weight === 0 ? p.canaryWeight === 0 : p.canaryWeight >= weight) ? p : undefined;
      },
      { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: 500, maxIntervalMs: 2_000, signal: options.signal, what: `${weight}% of production traffic on green` },
    );
  }

  async complete(options: TrafficWait): Promise<TrafficProgress> {
    const green = this.staged('complete');
    await this.engine.shiftTraffic(green, 100, options);
    return { at: Date.now(), stage: 'promoted', canaryWeight: 100, detail: `${green.id} serves production` };
  }

  async abort(reason: string, options: TrafficWait): Promise<TrafficProgress> {
    // Nothing staged (the ledger failed before green was asked for): traffic never left blue.
    if (this.green) await this.engine.rollback(this.blue, this.green, { ...options, reason });
    return { at: Date.now(), stage: 'aborted', canaryWeight: 0, detail: `production on ${this.blue?.id ?? 'nothing (first release)'}` };
  }

  async rollback(toId: string, options: TrafficWait): Promise<void> {
    await this.engine.rollback({ id: toId }, undefined, { ...options, reason: 'manual rollback' });
  }

  private async readBlue(options: TrafficWait): Promise<void> {
    if (!this.blueRead) await this.live(options);
  }

  private staged(what: 'complete'): ReleaseRef {
    if (!this.green) throw new Error(`${what}() before prepare() or resume()`);
    return this.green;
  }

  private canaryOf(green: ReleaseRef): CanaryRef {
    return { id: green.id, url: green.url, stableId: this.blue?.id, stableUrl: this.blue?.url, details: { ...green.details, deploymentId: green.id, ...(green.url ? { url: green.url } : {}) } };
  }
}

export async function createVercelBlueGreen(options: VercelOptions, hooks: TrafficHooks = {}): Promise<TrafficPlatform> {
  const { createVercelProduction } = await import('./vercel.js');
  // Gantry promotes (Vercel's alias job).
  return new BlueGreenPlatform('vercel', 'gantry', createVercelProduction(options, hooks));
}

export async function createEcsBlueGreen(options: EcsOptions): Promise<TrafficPlatform> {
  const { createEcsDeployments } = await import('./ecs.js');
  // ECS moves production traffic itself once Gantry lets it past the hook; it logs its own progress (shared/log).
  return new BlueGreenPlatform('ecs', 'platform', createEcsDeployments(options));
}
