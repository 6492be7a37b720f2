/**
 * The release ledger: GitHub Deployments as the durable record of releases. Every release is a
 * deployment for its environment (created with `auto_merge: false` and no required contexts, so
 * neither a merge nor CI gates it), with a payload naming the platform deployment, the one it
 * replaced, the URL, and the backup / migration it went out with. Statuses move
 * in_progress → success / failure / inactive. Rollback reads it to know where to go back to.
 *
 * Plain fetch (no Octokit: cold start) with retries on 429 / 5xx / resets.
 */
import { HttpError, fetchWithTimeout, parseRetryAfter, retry } from './core/net.js';
import { log } from './core/log.js';
import { errorMessage } from './core/errors.js';

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
  timeoutMs?: number;
  /** Log-friendly link for statuses (the workflow run). */
  logUrl?: string;
}

export class Ledger {
  constructor(private readonly options: LedgerOptions) {}

  private async call<T>(method: string, path: string, body?: unknown, idempotent = method === 'GET', signal = this.options.signal): Promise<T> {
    const { token, apiUrl, repository, timeoutMs = 15_000 } = this.options;
    const url = `${apiUrl.replace(/\/+$/, '')}/repos/${repository}${path}`;
    return retry(
      async () => {
        const res = await fetchWithTimeout(url, {
          method,
          timeoutMs,
          signal,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            'user-agent': 'gantry-deploy',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        if (!res.ok) {
          const message = (() => {
            try {
              return (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {
              return text;
            }
          })();
          // GitHub's secondary rate limit answers 403 with Retry-After.
          const limited = res.status === 403 && res.headers.get('retry-after');
          throw new HttpError(`GitHub ${method} ${path}: ${res.status} ${message.slice(0, 200)}`, limited ? 429 : res.status, parseRetryAfter(res.headers.get('retry-after')));
        }
        return (text ? JSON.parse(text) : undefined) as T;
      },
      {
        attempts: idempotent ? 5 : 4,
        baseDelayMs: 300,
        maxDelayMs: 5_000,
        signal,
        // A create cut off or answered 5xx may have happened: the caller checks before repeating it.
        // 429 (and a refused connection) means it was not handled.
        retryable: (error) => (error instanceof HttpError ? error.status === 429 || (idempotent && error.status >= 500) : idempotent || isRefusedConnection(error)),
        onRetry: ({ attempt, delayMs, error }) => log.info(`GitHub API: ${errorMessage(error)}; retry ${attempt} in ${delayMs} ms`),
      },
    );
  }

  /**
   * Records a new release (status in_progress). Creating a deployment is not idempotent, so a
   * create cut off mid-flight is resolved by looking for it (same sha, environment and platform id)
   * before trying again.
   */
  async create(input: { ref: string; environment: string; payload: ReleasePayload; description: string; productionEnvironment?: boolean }): Promise<Release> {
    const body = {
      ref: input.ref,
      task: 'deploy',
      environment: input.environment,
      auto_merge: false,
      required_contexts: [],
      payload: input.payload,
      description: input.description.slice(0, 140),
      production_environment: input.productionEnvironment ?? /^prod/i.test(input.environment),
      transient_environment: false,
    };
    let created: { id: number; sha: string; ref: string; environment: string; created_at: string; payload: ReleasePayload } | undefined;
    for (let attempt = 1; !created; attempt++) {
      try {
        created = await this.call('POST', '/deployments', body, false);
      } catch (error) {
        if (attempt >= 3 || (error instanceof HttpError && error.status < 500)) throw error;
        log.info(`GitHub API: ${errorMessage(error)}; checking whether the deployment was created before trying again`);
        const found = (await this.list(input.environment, 10)).find(
          (r) => r.ref === input.ref && r.payload.deploymentId === input.payload.deploymentId && !(r.statuses?.length),
        );
        if (found) return found;
      }
      if (created && !('id' in created)) throw new Error(`GitHub did not create the deployment: ${(created as { message?: string }).message ?? 'no id returned'}`);
    }
    return { id: created.id, sha: created.sha, ref: created.ref, environment: created.environment, createdAt: created.created_at, payload: created.payload, statuses: [] };
  }

  /** `details.signal` overrides the ledger's signal (cleanup after a cancellation still records). */
  async setStatus(id: number, state: ReleaseState, details: { description?: string; environmentUrl?: string; signal?: AbortSignal } = {}): Promise<void> {
    await this.call(
      'POST',
      `/deployments/${id}/statuses`,
      {
        state,
        description: (details.description ?? '').slice(0, 140),
        ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
        ...(this.options.logUrl ? { log_url: this.options.logUrl } : {}),
        auto_inactive: true,
      },
      // Posting the same status twice is harmless: retry it like a read.
      true,
      details.signal ?? this.options.signal,
    );
  }

  /** Gantry's releases for an environment, newest first, with their statuses. */
  async list(environment: string, limit = 30): Promise<Release[]> {
    const raw = await this.call<Array<{ id: number; sha: string; ref: string; environment: string; created_at: string; payload: unknown }>>(
      'GET',
      `/deployments?environment=${encodeURIComponent(environment)}&per_page=${Math.min(100, limit)}`,
    );
    const releases: Release[] = [];
    for (const d of raw) {
      const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload) as Partial<ReleasePayload> | undefined;
      if (!payload || payload.gantry !== 1 || !payload.deploymentId) continue;
      releases.push({ id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, createdAt: d.created_at, payload });
    }
    await Promise.all(
      releases.map(async (r) => {
        const statuses = await this.call<Array<{ state: ReleaseState; description: string; environment_url: string }>>('GET', `/deployments/${r.id}/statuses?per_page=30`);
        r.statuses = statuses.map((s) => ({ state: s.state, description: s.description ?? '', environmentUrl: s.environment_url ?? '' }));
      }),
    );
    return releases;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRefusedConnection(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === 'ECONNREFUSED') return true;
  }
  return false;
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
 * Where a rollback with no `to` goes: the last successful release before the one that is live now.
 * `liveId` is the platform's live deployment (the ledger's newest success may have been rolled
 * back by hand on the platform); releases of that same deployment are skipped.
 */
export function previousRelease(releases: Release[], liveId: string | undefined, platform: string): Release | undefined {
  const mine = releases.filter((r) => r.payload.platform === platform);
  const liveIndex = liveId ? mine.findIndex((r) => r.payload.deploymentId === liveId) : -1;
  const older = liveIndex >= 0 ? mine.slice(liveIndex + 1) : mine;
  return older.find((r) => wasSuccessful(r) && r.payload.deploymentId !== liveId);
}
