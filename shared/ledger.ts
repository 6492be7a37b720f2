/**
 * The release ledger: GitHub Deployments as the durable record of releases. Every release is a
 * deployment for its environment (created with `auto_merge: false` and no required contexts, so
 * neither a merge nor CI gates it), with a payload naming the platform deployment, the one it
 * replaced, the URL, and the backup / migration it went out with. Statuses move
 * in_progress → success / failure / inactive. Rollback reads it to know where to go back to.
 *
 * Every call goes through shared/github.ts (Octokit with retries and rate-limit handling),
 * loaded on first use so actions that never touch the ledger do not pay for it.
 */
import { errorMessage } from './core/errors.js';
import { log } from './core/log.js';
import type { GitHubClient } from './github.js';

export interface ReleasePayload {
  /** Written by Gantry, so the ledger can tell its records apart from others'. */
  gantry: 1;
  platform: string;
  /** The platform's deployment id (Vercel dpl_…, ECS task definition ARN). */
  deploymentId: string;
  /** What served production before. */
  previousDeploymentId?: string;
  url?: string;
  backupId?: string;
  migrationVersion?: string;
  /** The workflow run that made the release (a re-run of it must not release twice). */
  runId?: string;
  /** Set on a rollback record: the release it rolled back from. */
  rollbackOf?: string;
  /** A canary rollout's plan and the platform's details to pick it up again (canary-shift). */
  canary?: { steps: Array<number | 'pause'>; details: Record<string, string | number | boolean | undefined> };
}

export type ReleaseState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface Release {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  payload: Partial<ReleasePayload>;
  /** Statuses, newest first. */
  statuses?: Array<{ state: ReleaseState; description: string; environmentUrl: string }>;
}

export interface LedgerOptions {
  token: string;
  /** e.g. https://api.github.com (GITHUB_API_URL). */
  apiUrl: string;
  /** owner/name */
  repository: string;
  signal?: AbortSignal;
  /** Budget of one call, retries included. */
  timeoutMs?: number;
  /** Log-friendly link for statuses (the workflow run). */
  logUrl?: string;
}

export class Ledger {
  private client?: Promise<GitHubClient>;
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly options: LedgerOptions) {
    [this.owner = '', this.repo = ''] = options.repository.split('/');
  }

  private octokit(): Promise<GitHubClient> {
    this.client ??= import('./github.js').then(({ github }) => github({ token: this.options.token, apiUrl: this.options.apiUrl }));
    return this.client;
  }

  /** Request options: the call's budget and cancellation; `retries: 0` for calls that must not repeat blindly. */
  private request(signal = this.options.signal, retries?: number) {
    const budget = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    return { request: { signal: signal ? AbortSignal.any([signal, budget]) : budget, ...(retries === undefined ? {} : { retries }) } };
  }

  /**
   * Records a new release (status in_progress). Creating a deployment is not idempotent, so a
   * create cut off mid-flight is resolved by looking for it (same sha, environment and platform id)
   * before trying again.
   */
  async create(input: { ref: string; environment: string; payload: ReleasePayload; description: string; productionEnvironment?: boolean }): Promise<Release> {
    const octokit = await this.octokit();
    for (let attempt = 1; ; attempt++) {
      try {
        const { data, status } = await octokit.rest.repos.createDeployment({
          owner: this.owner,
          repo: this.repo,
          ref: input.ref,
          task: 'deploy',
          environment: input.environment,
          auto_merge: false,
          required_contexts: [],
          payload: input.payload as unknown as Record<string, unknown>,
          description: input.description.slice(0, 140),
          production_environment: input.productionEnvironment ?? isProductionEnvironment(input.environment),
          transient_environment: false,
          ...this.request(undefined, 0),
        });
        if (status !== 201 || !('id' in data)) throw new Error(`GitHub did not create the deployment: ${(data as { message?: string }).message ?? `answer ${status}`}`);
        return { id: data.id, sha: data.sha, ref: data.ref, environment: data.environment, createdAt: data.created_at, payload: input.payload, statuses: [] };
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (attempt >= 3 || (status !== undefined && status < 500)) throw error;
        log.info(`GitHub API: ${errorMessage(error)}; checking whether the deployment was created before trying again`);
        const found = (await this.list(input.environment, 10)).find(
          (r) => r.ref === input.ref && r.payload.deploymentId === input.payload.deploymentId && !r.statuses?.length,
        );
        if (found) return found;
      }
    }
  }

  /** `details.signal` overrides the ledger's signal (cleanup after a cancellation still records). */
  async setStatus(id: number, state: ReleaseState, details: { description?: string; environmentUrl?: string; signal?: AbortSignal } = {}): Promise<void> {
    const octokit = await this.octokit();
    // Posting the same status twice is harmless, so the client's retries apply.
    await octokit.rest.repos.createDeploymentStatus({
      owner: this.owner,
      repo: this.repo,
      deployment_id: id,
      state,
      description: (details.description ?? '').slice(0, 140),
      ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
      ...(this.options.logUrl ? { log_url: this.options.logUrl } : {}),
      // GitHub would retire earlier releases only in non-production environments; the release
      // record retires them itself, the same way everywhere (ReleaseRecord callers).
      auto_inactive: false,
      ...this.request(details.signal),
    });
  }

  /** Gantry's releases for an environment, newest first, with their statuses. */
  async list(environment: string, limit = 30): Promise<Release[]> {
    const octokit = await this.octokit();
    const releases: Release[] = [];
    const pages = octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
      owner: this.owner,
      repo: this.repo,
      environment,
      per_page: Math.min(100, limit),
      ...this.request(),
    });
    let seen = 0;
    for await (const { data } of pages) {
      for (const d of data) {
        const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as Partial<ReleasePayload> | undefined;
        if (payload?.gantry === 1 && payload.deploymentId) {
          releases.push({ id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, createdAt: d.created_at, payload });
        }
      }
      seen += data.length;
      if (seen >= limit) break;
    }
    await Promise.all(
      releases.map(async (r) => {
        const { data } = await octokit.rest.repos.listDeploymentStatuses({ owner: this.owner, repo: this.repo, deployment_id: r.id, per_page: 30, ...this.request() });
        r.statuses = data.map((s) => ({ state: s.state as ReleaseState, description: s.description ?? '', environmentUrl: s.environment_url ?? '' }));
      }),
    );
    return releases;
  }
}

/**
 * One release's record in the ledger, owning its status changes. Changes are queued and go out in
 * order without holding up the release: Octokit's throttling spaces GitHub writes a second apart
 * (GitHub's guidance for content-creating requests), and a platform that moves on its own (ECS
 * walking a deployment through its stages) must be followed meanwhile. `settled()` waits for them.
 * A status that cannot be written is a warning: the ledger must never decide production's fate.
 */
/** What the release needs of a ledger (the GitHub one, or an in-memory one in tests). */
export type LedgerApi = Pick<Ledger, 'create' | 'setStatus' | 'list'>;

export class ReleaseRecord {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ledger: LedgerApi,
    readonly release: Release,
    private readonly warn: (message: string) => void = (m) => log.warning(m),
  ) {}

  get id(): number {
    return this.release.id;
  }

  /**
   * Queues a status change. A write has its own budget (`details.signal`, default 30 s), not the
   * job's: a cancelled job still records how its release ended, in order.
   */
  mark(state: ReleaseState, details: { description?: string; environmentUrl?: string; signal?: AbortSignal } = {}): void {
    const signal = details.signal ?? AbortSignal.timeout(30_000);
    this.queue = this.queue.then(() =>
      this.ledger.setStatus(this.release.id, state, { ...details, signal }).catch((error: unknown) => this.warn(`Could not record '${state}' on GitHub deployment ${this.release.id}: ${errorMessage(error)}`)),
    );
  }

  /** Waits until every queued status change was written (or warned about). */
  settled(): Promise<void> {
    return this.queue;
  }
}

/** The one rule for which GitHub environments are production: named production or prod (any case), or prod-*. */
export function isProductionEnvironment(environment: string): boolean {
  return /^prod(uction)?([-_ ].*)?$/i.test(environment);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a release went out and stayed: its latest decisive status (success, failure, error) is
 * success. GitHub marks older successful releases `inactive` when a newer one succeeds — that does
 * not make them failed.
 */
export function wasSuccessful(release: Release): boolean {
  const decisive = release.statuses?.find((s) => s.state === 'success' || s.state === 'failure' || s.state === 'error');
  return decisive?.state === 'success';
}

/** The latest status that is not `inactive`. */
export function latestState(release: Release): ReleaseState | undefined {
  return release.statuses?.find((s) => s.state !== 'inactive')?.state;
}

/**
 * Platforms whose releases leave the same kind of deployment on the same target, so a rollback on
 * one may go back to a release recorded by another: a canary on ECS behind an ALB (canary-shift
 * `ecs-alb`) ends with the stable service on the new task definition, as an ECS release does.
 */
const ROLLBACK_PEERS: Record<string, string[]> = { ecs: ['ecs', 'ecs-alb'] };

/**
 * Where a rollback with no `to` goes: the last successful release before the one that is live now.
 * `liveId` is the platform's live deployment (the ledger's newest success may have been rolled
 * back by hand on the platform); releases of that same deployment are skipped.
 */
export function previousRelease(releases: Release[], liveId: string | undefined, platform: string): Release | undefined {
  const peers = ROLLBACK_PEERS[platform] ?? [platform];
  const mine = releases.filter((r) => peers.includes(r.payload.platform ?? ''));
  const liveIndex = liveId ? mine.findIndex((r) => r.payload.deploymentId === liveId) : -1;
  // A release someone rolled back from (a newer rollback record names it in rollbackOf) is not one to go back to.
  const rolledBackFrom = new Set<string>();
  for (const [i, r] of mine.entries()) {
    if (r.payload.rollbackOf && wasSuccessful(r)) rolledBackFrom.add(r.payload.rollbackOf);
    if (i <= liveIndex || r.payload.deploymentId === liveId || rolledBackFrom.has(r.payload.deploymentId ?? '')) continue;
    if (wasSuccessful(r)) return r;
  }
  return undefined;
}
