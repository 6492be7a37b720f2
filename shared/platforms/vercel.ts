/**
 * The Vercel engine behind the `vercel-blue-green` and `vercel` (rolling) traffic platforms
 * (blue-green.ts, vercel-rolling.ts). `@vercel/client` uploads and creates a staged production deployment (target production,
 * no domains assigned); the REST API reads its state, promotes it (an asynchronous alias job) and
 * rolls back. Every wait is bounded, polls briskly, and ends on cancellation.
 */
import { isAbsolute } from 'node:path';
import { HttpError, isTransient, pollUntil, requestJson, sleep } from '../core/net.js';
import { errorMessage, TimeoutError } from '../core/errors.js';
import type { ProductionState, ReleaseRef, TrafficHooks, TrafficWait } from './traffic.js';

export interface VercelOptions {
  token: string;
  teamId?: string;
  projectId: string;
  /** Absolute path of what to upload (the project, or its `.vercel/output` parent when prebuilt). */
  workingDirectory: string;
  prebuilt?: boolean;
  /** Default https://api.vercel.com; the stand-in in tests. */
  apiUrl?: string;
  /** Production's URL when it cannot be read from the project's domains. */
  productionUrl?: string;
  /** Attached to the deployment (githubCommitSha, …). */
  meta?: Record<string, string>;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
  /** Readiness polling: first interval and cap. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
}

interface VercelDeployment {
  id: string;
  url: string;
  readyState: string;
  readySubstate?: string | null;
  target?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  createdAt?: number;
}

interface VercelProject {
  id: string;
  name: string;
  targets?: { production?: { id: string; url?: string; alias?: string[]; createdAt?: number } };
  alias?: Array<{ domain: string; target?: string }>;
  lastAliasRequest?: { fromDeploymentId?: string | null; toDeploymentId: string; jobStatus: string; type?: string; requestedAt?: number } | null;
}

const FAILED_STATES = new Set(['ERROR', 'CANCELED', 'BLOCKED', 'DELETED']);
const httpsUrl = (host: string) => (/^https?:\/\//.test(host) ? host : `https://${host}`);

/** Vercel REST calls with the token, the team, retries of what is safe to retry, and errors in Vercel's words. */
export function vercelApi(options: Pick<VercelOptions, 'token' | 'teamId' | 'apiUrl' | 'requestTimeoutMs'>, say: (m: string) => void) {
  const apiUrl = (options.apiUrl ?? 'https://api.vercel.com').replace(/\/+$/, '');
  return async function api<T>(method: string, path: string, signal: AbortSignal, body?: unknown, attempts = 5): Promise<T> {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${apiUrl}${path}${options.teamId ? `${sep}teamId=${encodeURIComponent(options.teamId)}` : ''}`;
    return requestJson<T>(url, {
      method,
      body,
      signal,
      timeoutMs: options.requestTimeoutMs ?? 20_000,
      headers: { authorization: `Bearer ${options.token}`, 'user-agent': 'gantry' },
      attempts,
      baseDelayMs: 250,
      maxDelayMs: 5_000,
      onRetry: ({ attempt, delayMs, error }) => say(`Vercel API: ${errorMessage(error)} — retry ${attempt} in ${delayMs} ms`),
      describe: (status, text) => {
        let message = text.slice(0, 300);
        try {
          const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
          if (parsed.error) message = `${parsed.error.code ?? ''}: ${parsed.error.message ?? ''}`;
        } catch {
          /* not JSON */
        }
        return `Vercel ${method} ${path.split('?')[0]}: ${status} ${message}`;
      },
    });
  };
}

export type VercelProduction = ReturnType<typeof createVercelProduction>;

export function createVercelProduction(options: VercelOptions, hooks: TrafficHooks = {}) {
  const apiUrl = (options.apiUrl ?? 'https://api.vercel.com').replace(/\/+$/, '');
  const say = (m: string) => hooks.log?.(m);
  const pollInterval = options.pollIntervalMs ?? 250;
  const maxPollInterval = options.maxPollIntervalMs ?? 1000;

  const api = vercelApi(options, say);

  const project = (signal: AbortSignal) => api<VercelProject>('GET', `/v9/projects/${encodeURIComponent(options.projectId)}`, signal);
  const deployment = (id: string, signal: AbortSignal) => api<VercelDeployment>('GET', `/v13/deployments/${encodeURIComponent(id)}`, signal);

  const productionUrlOf = (p: VercelProject): string | undefined => {
    if (options.productionUrl) return options.productionUrl;
    const alias = p.targets?.production?.alias?.[0] ?? p.alias?.find((a) => !a.target || a.target === 'PRODUCTION')?.domain;
    return alias ? httpsUrl(alias) : undefined;
  };

  const refOf = (d: { id: string; url?: string; createdAt?: number }, extra: Record<string, string> = {}): ReleaseRef => ({
    id: d.id,
    url: d.url ? httpsUrl(d.url) : undefined,
    createdAt: d.createdAt,
    details: extra,
  });

  async function findLive({ signal }: TrafficWait): Promise<ReleaseRef | undefined> {
    const p = await project(signal);
    const prod = p.targets?.production;
    return prod ? refOf(prod, { target: 'production' }) : undefined;
  }

  async function createCandidate({ signal, deadline }: TrafficWait): Promise<ReleaseRef> {
    if (!isAbsolute(options.workingDirectory)) throw new Error(`the working directory must be absolute, got ${options.workingDirectory}`);
    const { createDeployment } = await import('@vercel/client');
    const clientOptions = {
      token: options.token,
      teamId: options.teamId,
      path: options.workingDirectory,
      apiUrl,
      prebuilt: options.prebuilt ?? false,
      isDirectory: true,
      userAgent: 'gantry',
    };
    const deploymentOptions = {
      // `project` is accepted by the API but missing from @vercel/client's types.
      project: options.projectId,
      target: 'production',
      // Staged: built for production, no domain moves until we promote it.
      autoAssignCustomDomains: false,
      meta: options.meta ?? {},
    } as Record<string, unknown>;
    const events = createDeployment(clientOptions as never, deploymentOptions as never) as AsyncGenerator<{ type: string; payload: any }>;
    const upload = (async () => {
      for await (const event of events) {
        if (signal.aborted) break;
        if (event.type === 'file-count') say(`Uploading ${event.payload.missing?.length ?? 0} of ${event.payload.total?.size ?? '?'} files`);
        else if (event.type === 'warning' || event.type === 'notice') say(`Vercel ${event.type}: ${String(event.payload)}`);
        else if (event.type === 'error') {
          const p = event.payload ?? {};
          const status = typeof p.status === 'number' ? p.status : 0;
          throw new HttpError(`Vercel refused the deployment: ${p.code ? `${p.code}: ` : ''}${p.message ?? errorMessage(p)}`, status);
        } else if (event.type === 'created') {
          // @vercel/client would now wait for `alias-assigned`, which a staged deployment never gets.
          await events.return?.(undefined);
          return event.payload as VercelDeployment;
        }
      }
      throw signal.aborted ? signal.reason : new Error('@vercel/client ended without creating a deployment');
    })();
    const created = await race(upload, signal, deadline, 'the upload and deployment creation');
    return refOf(created, { target: 'production', staged: 'true' });
  }

  async function waitReady(candidate: ReleaseRef, { signal, deadline }: TrafficWait): Promise<ReleaseRef> {
    let last = '';
    const done = await pollUntil(
      async () => {
        let d: VercelDeployment;
        try {
          d = await deployment(candidate.id, signal);
        } catch (error) {
          if (isTransient(error)) return undefined;
          throw error;
        }
        if (d.readyState !== last) {
          say(`Deployment ${d.id}: ${d.readyState}`);
          last = d.readyState;
        }
        if (d.readyState === 'READY' || FAILED_STATES.has(d.readyState)) return d;
        return undefined;
      },
      { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: pollInterval, maxIntervalMs: maxPollInterval, signal, what: `deployment ${candidate.id} to be ready` },
    );
    if (done.readyState !== 'READY') {
      const events = await buildLog(done.id, signal);
      const reason = done.errorMessage ?? (done.readyState === 'CANCELED' ? 'the deployment was canceled' : done.readyState === 'BLOCKED' ? 'the deployment was blocked (plan limits or a failed check)' : 'no reason given');
      throw new Error(`Vercel deployment ${done.id} ended ${done.readyState}: ${reason}${events ? `\n${events}` : ''}`);
    }
    return { ...candidate, url: httpsUrl(done.url), details: { ...candidate.details, readySubstate: done.readySubstate ?? '' } };
  }

  async function buildLog(id: string, signal: AbortSignal): Promise<string> {
    try {
      const events = await api<Array<{ type: string; payload?: { text?: string } }>>('GET', `/v3/deployments/${id}/events?direction=backward&limit=20`, signal, undefined, 2);
      return events
        .reverse()
        .map((e) => `  ${e.type}: ${e.payload?.text ?? ''}`)
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Starts an alias job (promote or rollback) once, then waits until it has succeeded. */
  async function aliasJob(kind: 'promote' | 'rollback', target: ReleaseRef, { signal, deadline }: TrafficWait): Promise<void> {
    const path = kind === 'promote' ? `/v10/projects/${encodeURIComponent(options.projectId)}/promote/${encodeURIComponent(target.id)}` : `/v1/projects/${encodeURIComponent(options.projectId)}/rollback/${encodeURIComponent(target.id)}`;
    const isOurs = (p: VercelProject) => p.lastAliasRequest?.toDeploymentId === target.id && ['pending', 'in-progress', 'succeeded'].includes(p.lastAliasRequest.jobStatus);
    for (let attempt = 1; ; attempt++) {
      const before = await project(signal);
      if (before.targets?.production?.id === target.id && !(before.lastAliasRequest && ['pending', 'in-progress'].includes(before.lastAliasRequest.jobStatus))) {
        say(kind === 'promote' ? `${target.id} already serves production: no promote needed` : `Production is still on ${target.id}: nothing to switch back`);
        return;
      }
      if (isOurs(before)) break; // a request of ours got through earlier (re-run, or an answer lost on the way back)
      try {
        say(`Requesting ${kind} of ${target.id}`);
        // One try per loop: a lost answer is resolved by reading the project, never by sending twice blindly.
        await api('POST', path, signal, {}, 1);
        break;
      } catch (error) {
        if (signal.aborted) throw error;
        const busy = error instanceof HttpError && error.status === 409;
        if (attempt >= 6 || !(isTransient(error) || busy)) throw error;
        const serverSays = error instanceof HttpError ? error.retryAfterMs : undefined;
        const delay = Math.max(serverSays ?? 0, Math.min(4000, 200 * 2 ** attempt));
        say(`${kind} request: ${errorMessage(error)} — checking the project and retrying in ${delay} ms`);
        await sleep(delay, signal);
      }
    }
    await pollUntil(
      async () => {
        let p: VercelProject;
        try {
          p = await project(signal);
        } catch (error) {
          if (isTransient(error)) return undefined;
          throw error;
        }
        const job = p.lastAliasRequest;
        if (job && job.toDeploymentId === target.id) {
          if (job.jobStatus === 'succeeded') return true;
          if (job.jobStatus === 'failed') throw new Error(`Vercel's alias job for the ${kind} of ${target.id} failed`);
          return undefined;
        }
        return p.targets?.production?.id === target.id ? true : undefined;
      },
      { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 200, maxIntervalMs: 1000, signal, what: `the ${kind} of ${target.id} to take effect` },
    );
    say(`${kind === 'promote' ? 'Promoted' : 'Rolled back to'} ${target.id}: production traffic is on it`);
  }

  async function shiftTraffic(candidate: ReleaseRef, percent: number, wait: TrafficWait): Promise<void> {
    if (percent !== 100) throw new Error('Vercel traffic weights below 100% need rolling releases, which Gantry does not drive yet');
    await aliasJob('promote', candidate, wait);
  }

  async function rollback(target: ReleaseRef | undefined, candidate: ReleaseRef | undefined, wait: TrafficWait & { reason: string }): Promise<void> {
    if (candidate) {
      try {
        const d = await deployment(candidate.id, wait.signal);
        if (d.readyState === 'QUEUED' || d.readyState === 'BUILDING' || d.readyState === 'INITIALIZING') {
          await api('PATCH', `/v12/deployments/${candidate.id}/cancel`, wait.signal, {}, 2);
          say(`Cancelled the build of ${candidate.id}`);
        }
      } catch (error) {
        say(`Could not check or cancel ${candidate.id}: ${errorMessage(error)}`);
      }
    }
    if (!target) {
      say('No previous production deployment to go back to.');
      return;
    }
    await aliasJob('rollback', target, wait);
  }

  /** Production builds still queued or building, newest first (someone else's release on its way). */
  async function productionBuilds(signal: AbortSignal): Promise<Array<{ uid: string; state: string }>> {
    const q = `projectId=${encodeURIComponent(options.projectId)}&target=production&state=QUEUED,INITIALIZING,BUILDING&limit=10`;
    const { deployments } = await api<{ deployments?: Array<{ uid: string; state?: string; readyState?: string }> }>('GET', `/v6/deployments?${q}`, signal);
    return (deployments ?? []).map((d) => ({ uid: d.uid, state: d.readyState ?? d.state ?? '' })).filter((d) => ['QUEUED', 'INITIALIZING', 'BUILDING'].includes(d.state));
  }

  /** The project's rolling release when one is running (404: the project has none). */
  async function activeRollingRelease(signal: AbortSignal): Promise<string | undefined> {
    try {
      const { rollingRelease: r } = await api<{ rollingRelease?: { state?: string; canaryDeployment?: { id?: string }; activeStage?: { index?: number; targetPercentage?: number } } | null }>(
        'GET',
        `/v1/projects/${encodeURIComponent(options.projectId)}/rolling-release`,
        signal,
      );
      if (!r || r.state !== 'ACTIVE') return undefined;
      const stage = r.activeStage ? ` at stage ${r.activeStage.index ?? '?'} (${r.activeStage.targetPercentage ?? '?'}%)` : '';
      return `rolling release of ${r.canaryDeployment?.id ?? 'a deployment'}${stage}`;
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw error;
    }
  }

  async function describe({ signal }: TrafficWait): Promise<ProductionState> {
    const [p, builds, rolling] = await Promise.all([project(signal), productionBuilds(signal), activeRollingRelease(signal)]);
    const prod = p.targets?.production;
    const job = p.lastAliasRequest;
    const busy = [
      job && ['pending', 'in-progress'].includes(job.jobStatus) ? `${job.type ?? 'alias'} of ${job.toDeploymentId} (${job.jobStatus})` : undefined,
      rolling,
      ...builds.map((b) => `production build ${b.uid} (${b.state})`),
    ].filter(Boolean);
    return {
      live: prod ? refOf(prod) : undefined,
      candidateWeight: 0,
      inProgress: busy.length ? busy.join('; ') : undefined,
      productionUrl: productionUrlOf(p),
    };
  }

  return { findLive, createCandidate, waitReady, shiftTraffic, rollback, describe };
}

function race<T>(work: Promise<T>, signal: AbortSignal, deadline: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(`timed out waiting for ${what}`)), Math.max(0, deadline - Date.now()));
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}
