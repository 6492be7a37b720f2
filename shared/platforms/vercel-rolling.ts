/**
 * Vercel rolling releases, Gantry driving the steps: the project's rolling-release stages are
 * written from `steps` (manual approval at every stage), the canary is a staged production
 * deployment (built by the Vercel engine, vercel.ts: no domain moved), and then
 * - the first step starts the rolling release for it (`POST …/rolling-release/start`),
 * - every later step approves the next stage (`…/approve-stage`) once the step before was judged,
 * - 100 % completes it (`…/complete`): the canary serves all production traffic,
 * - abort is Vercel's instant rollback to the deployment that was current (there is no abort
 *   route): the rolling release ends and production goes back, which is checked, not assumed.
 *
 * Every write is sent once per try and a failed try is resolved by reading the rolling release
 * again, so a stage is never approved twice (the answer to a request that took effect can be lost).
 */
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { HttpError, isTransient, pollUntil, sleep } from '../core/net.js';
import { type CanaryRef, type StepPlan, type TrafficDetails, type TrafficHooks, type TrafficPlatform, type TrafficProgress, type TrafficWait } from './traffic.js';
import { createVercelProduction, vercelApi, type VercelOptions } from './vercel.js';

export type VercelRollingOptions = VercelOptions & {
  /** Tries per write (start, approve-stage, complete, rollback), each after reading the state again. */
  writeAttempts?: number;
};

interface Stage {
  index: number;
  targetPercentage: number;
  isFinalStage?: boolean;
  requireApproval?: boolean;
}
interface Deployment {
  id: string;
  url?: string;
}
interface RollingRelease {
  state: 'ACTIVE' | 'COMPLETE' | 'ABORTED';
  substate?: 'PAUSED' | null;
  activeStage?: Stage | null;
  stages?: Stage[];
  canaryDeployment?: Deployment | null;
  currentDeployment?: Deployment | null;
}
interface RollingConfig {
  advancementType?: string;
  stages?: Array<{ targetPercentage: number }> | null;
}

const BLUE_GREEN = 'use deploy-blue-green (staged production, verify, promote all at once) instead';

class VercelRollingPlatform implements TrafficPlatform {
  readonly name = 'vercel';
  readonly driver = 'gantry' as const;
  private readonly api: ReturnType<typeof vercelApi>;
  private readonly log: (m: string) => void;
  private readonly base: string;
  private plannedStages: number[] = [];
  private canary?: CanaryRef;

  constructor(
    private readonly o: VercelRollingOptions,
    hooks: TrafficHooks,
  ) {
    this.log = hooks.log ?? (() => {});
    this.api = vercelApi(o, this.log);
    this.base = `/v1/projects/${encodeURIComponent(o.projectId)}/rolling-release`;
  }

  plan(steps: StepPlan): StepPlan {
    if (!steps.some((s) => s < 100)) throw new ConfigurationError(`steps: a rolling release needs at least one stage below 100% (e.g. 5,25,50,100); for a switch all at once ${BLUE_GREEN}`, { input: 'steps' });
    this.plannedStages = steps;
    return steps;
  }

  // ── reads ──────────────────────────────────────────────────────────────────

  private async config(signal: AbortSignal): Promise<RollingConfig | null> {
    try {
      return (await this.api<{ rollingRelease: RollingConfig | null }>('GET', `${this.base}/config`, signal)).rollingRelease;
    } catch (error) {
      if (error instanceof HttpError && (error.status === 402 || error.status === 403)) throw this.notAvailable(errorMessage(error));
      throw error;
    }
  }

  private notAvailable(why: string): ConfigurationError {
    return new ConfigurationError(
      `vercel-project-id: the project ${this.o.projectId} does not have Rolling Releases (${why}). Enable them in the project's settings (Build & Deployment → Rolling Releases, Pro or Enterprise plan), or ${BLUE_GREEN}.`,
      { input: 'vercel-project-id' },
    );
  }

  private async state(signal: AbortSignal): Promise<RollingRelease | null> {
    return (await this.api<{ rollingRelease: RollingRelease | null }>('GET', this.base, signal)).rollingRelease;
  }

  /** The canary's share of production, from the rolling release of *our* canary (anything else: 0). */
  private weightOf(r: RollingRelease | null): number {
    if (!r || r.canaryDeployment?.id !== this.canary?.id) return 0;
    if (r.state === 'COMPLETE') return 100;
    return r.state === 'ACTIVE' ? (r.activeStage?.targetPercentage ?? 0) : 0;
  }

  private progressOf(r: RollingRelease | null): TrafficProgress {
    const weight = this.weightOf(r);
    const mine = r?.canaryDeployment?.id === this.canary?.id;
    const stage = !r || !mine ? 'not started' : r.state !== 'ACTIVE' ? r.state.toLowerCase() : `stage ${(r.activeStage?.index ?? 0) + 1}/${r.stages?.length ?? '?'}`;
    const waiting = mine && r?.substate === 'PAUSED' ? ', waiting for approval' : '';
    return { at: Date.now(), stage, canaryWeight: weight, detail: `rolling release ${stage}${waiting}: ${weight}% on ${this.canary?.id ?? 'the canary'}` };
  }

  async progress(options: TrafficWait): Promise<TrafficProgress> {
    return this.progressOf(await this.state(options.signal));
  }

  // ── prepare / resume ───────────────────────────────────────────────────────

  async prepare(options: TrafficWait): Promise<CanaryRef> {
    const { signal } = options;
    const config = await this.config(signal);
    if (!config) throw this.notAvailable('they are not enabled');
    const running = await this.state(signal);
    if (running?.state === 'ACTIVE') {
      throw new Error(`a rolling release of ${running.canaryDeployment?.id ?? 'another deployment'} is already active at ${running.activeStage?.targetPercentage ?? '?'}%: let it finish or roll it back (a paused canary-shift rollout: operation abort or promote) before starting another`);
    }
    const production = createVercelProduction(this.o, { log: this.log });
    const stable = await production.findLive(options);
    if (!stable) throw new Error(`nothing serves production of ${this.o.projectId} yet: a rolling release shifts traffic from a current deployment, so make the first release with deploy-blue-green`);
    await this.writeStages(config, signal);
    const staged = await production.createCandidate(options);
    this.log(`Staged production deployment ${staged.id} (no traffic yet); waiting until it is ready`);
    const ready = await production.waitReady(staged, options);
    this.canary = {
      id: ready.id,
      stableId: stable.id,
      url: ready.url,
      stableUrl: stable.url,
      details: { projectId: this.o.projectId, canary: ready.id, stable: stable.id, canaryUrl: ready.url, stableUrl: stable.url, stages: this.plannedStages.join(',') },
    };
    return this.canary;
  }

  /** Writes the plan as the project's stages (manual approval: Gantry approves each after judging it), when they differ. */
  private async writeStages(config: RollingConfig, signal: AbortSignal): Promise<void> {
    const stages = this.plannedStages;
    const current = (config.stages ?? []).map((s) => s.targetPercentage);
    if (config.advancementType === 'manual-approval' && current.join(',') === stages.join(',')) return;
    // The SDK's config update sends no body: the REST route takes the stages (duration would be minutes; none with manual approval).
    await this.api('PATCH', `${this.base}/config`, signal, {
      enabled: true,
      advancementType: 'manual-approval',
      stages: stages.map((targetPercentage) => (targetPercentage < 100 ? { targetPercentage, requireApproval: true } : { targetPercentage })),
    });
    this.log(`Rolling-release stages of ${this.o.projectId} set to ${stages.join('% → ')}% with manual approval (were ${current.length ? `${current.join(', ')}%` : 'none'}, ${config.advancementType ?? 'unset'})`);
  }

  async resume(details: TrafficDetails, options: TrafficWait): Promise<CanaryRef> {
    if (details.projectId !== this.o.projectId) {
      throw new ConfigurationError(`vercel-project-id: the paused rollout is on project ${details.projectId}: give the same vercel-project-id`, { input: 'vercel-project-id' });
    }
    const url = (key: string) => (details[key] ? String(details[key]) : undefined);
    this.canary = { id: String(details.canary), stableId: String(details.stable ?? ''), url: url('canaryUrl'), stableUrl: url('stableUrl'), details };
    this.plannedStages = String(details.stages ?? '').split(',').filter(Boolean).map(Number);
    const r = await this.state(options.signal);
    if (r?.canaryDeployment?.id !== this.canary.id || r.state === 'ABORTED') {
      throw new Error(`the rolling release of ${this.canary.id} is no longer running (Vercel reports ${r ? `${r.state} for ${r.canaryDeployment?.id}` : 'none'}): start a new rollout`);
    }
    return this.canary;
  }

  // ── traffic ────────────────────────────────────────────────────────────────

  /**
   * Sends one write per try; after a failed try reads the rolling release and stops when the
   * write took effect (`done`), so a lost answer never leads to a second approval.
   */
  private async write(what: string, path: string, body: unknown, done: (r: RollingRelease | null) => boolean, options: TrafficWait): Promise<void> {
    const attempts = this.o.writeAttempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      if (done(await this.readState(options))) {
        if (attempt > 1) this.log(`${what} had taken effect: not sent again`);
        return;
      }
      try {
        await this.api('POST', path, options.signal, body, 1);
        return;
      } catch (error) {
        if (options.signal.aborted) throw error;
        const busy = error instanceof HttpError && (error.status === 409 || error.status === 429);
        if (attempt >= attempts || !(isTransient(error) || busy)) throw new Error(`${what} failed: ${errorMessage(error)}`, { cause: error });
        const serverSays = error instanceof HttpError ? error.retryAfterMs : undefined;
        const delay = Math.min(Math.max(serverSays ?? 0, 200 * 2 ** attempt), 5_000, Math.max(0, options.deadline - Date.now()));
        this.log(`${what}: ${errorMessage(error)} — reading the rolling release and trying again in ${delay} ms`);
        await sleep(delay, options.signal);
      }
    }
  }

  /** The state, riding out transient errors until the deadline (reads are always safe to repeat). */
  private readState(options: TrafficWait): Promise<RollingRelease | null> {
    return pollUntil(
      async () => {
        try {
          return { r: await this.state(options.signal) };
        } catch (error) {
          if (isTransient(error)) return undefined;
          throw error;
        }
      },
      { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: 250, maxIntervalMs: 2_000, signal: options.signal, what: 'the rolling release to be readable' },
    ).then((x) => x.r);
  }

  async setWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    const canary = this.canary;
    if (!canary) throw new Error('setWeight() before prepare() or resume()');
    const stages = this.plannedStages;
    const index = stages.indexOf(weight);
    if (index < 0) throw new Error(`${weight}% is not one of the rolling release's stages (${stages.join(', ')}%)`);
    const reached = (r: RollingRelease | null) => this.weightOf(r) >= weight;
    if (weight === 100) {
      await this.write(`Completing the rolling release of ${canary.id}`, `${this.base}/complete`, { canaryDeploymentId: canary.id }, (r) => r?.canaryDeployment?.id === canary.id && r.state === 'COMPLETE', options);
    } else if (index === 0) {
      await this.write(`Starting the rolling release of ${canary.id}`, `${this.base}/start`, { canaryDeploymentId: canary.id }, reached, options);
    } else {
      await this.write(`Approving stage ${index + 1} (${weight}%)`, `${this.base}/approve-stage`, { nextStageIndex: index, canaryDeploymentId: canary.id }, reached, options);
    }
    return this.waitForWeight(weight, options);
  }

  async waitForWeight(weight: number, options: TrafficWait): Promise<TrafficProgress> {
    let last: TrafficProgress | undefined;
    return pollUntil(
      async () => {
        let r: RollingRelease | null;
        try {
          r = await this.state(options.signal);
        } catch (error) {
          if (isTransient(error)) return undefined;
          throw error;
        }
        last = this.progressOf(r);
        if (r?.canaryDeployment?.id === this.canary?.id && r?.state === 'ABORTED') throw new Error(`the rolling release of ${this.canary?.id} was aborted on Vercel (someone rolled back)`);
        return last.canaryWeight === weight ? last : undefined;
      },
      { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: 200, maxIntervalMs: 1_000, signal: options.signal, what: `canary weight ${weight}%` },
    );
  }

  /**
   * Vercel has no abort route: an instant rollback to the deployment that was current ends the
   * rolling release. Then production is checked: no rolling release of ours still running, and
   * the project's production is the stable deployment again.
   */
  async abort(reason: string, options: TrafficWait): Promise<TrafficProgress> {
    const canary = this.canary;
    if (!canary?.stableId) throw new Error('abort() before prepare() or resume()');
    const stable = canary.stableId;
    const over = (r: RollingRelease | null) => !r || r.canaryDeployment?.id !== canary.id || r.state === 'ABORTED';
    const rollback = `/v1/projects/${encodeURIComponent(this.o.projectId)}/rollback/${encodeURIComponent(stable)}`;
    this.log(`Rolling production back to ${stable} (${reason})`);
    await this.write(`The rollback to ${stable}`, rollback, {}, over, options);
    await this.waitForProduction(stable, options);
    this.log(`All production traffic is back on ${stable}`);
    return { at: Date.now(), stage: 'aborted', canaryWeight: 0, detail: `rolled back to ${stable}: ${reason}` };
  }

  /** Until Vercel reports no rolling release of ours running and `stableOrCanary` as production, with no alias job pending. */
  private async waitForProduction(id: string, options: TrafficWait): Promise<void> {
    let last = 'not read yet';
    await pollUntil(
      async () => {
        try {
          const [r, p] = await Promise.all([
            this.state(options.signal),
            this.api<{ targets?: { production?: { id: string } }; lastAliasRequest?: { jobStatus?: string; toDeploymentId?: string } | null }>('GET', `/v9/projects/${encodeURIComponent(this.o.projectId)}`, options.signal),
          ]);
          const running = r?.state === 'ACTIVE' && r.canaryDeployment?.id === this.canary?.id;
          const job = p.lastAliasRequest;
          const pending = job && job.jobStatus !== 'succeeded' && job.jobStatus !== 'failed';
          if (job?.jobStatus === 'failed' && job.toDeploymentId === id) throw new Error(`Vercel's alias job to ${id} failed`);
          last = `production ${p.targets?.production?.id ?? 'none'}${running ? ', rolling release still active' : ''}${pending ? `, alias job ${job!.jobStatus}` : ''}`;
          return !running && !pending && p.targets?.production?.id === id ? true : undefined;
        } catch (error) {
          if (isTransient(error)) return undefined;
          throw error;
        }
      },
      { timeoutMs: Math.max(0, options.deadline - Date.now()), intervalMs: 200, maxIntervalMs: 1_000, signal: options.signal, what: `production to serve ${id} (last: ${last})` },
    ).catch((error: Error) => {
      if (error.name === 'TimeoutError') error.message = `${error.message.replace(/\(last: [^)]*\)/, '')}(last: ${last})`;
      throw error;
    });
  }

  async complete(options: TrafficWait): Promise<TrafficProgress> {
    const canary = this.canary;
    if (!canary) throw new Error('complete() before prepare() or resume()');
    await this.setWeight(100, options);
    await this.waitForProduction(canary.id, options);
    return { at: Date.now(), stage: 'complete', canaryWeight: 100, detail: `${canary.id} serves all production traffic` };
  }

  async rollback(toId: string, options: TrafficWait): Promise<void> {
    const production = createVercelProduction(this.o, { log: this.log });
    await production.rollback({ id: toId }, undefined, { ...options, reason: 'rollback' });
  }
}

export function createVercelRollingPlatform(options: VercelRollingOptions, hooks: TrafficHooks = {}): TrafficPlatform {
  return new VercelRollingPlatform(options, hooks);
}
