/**
 * GitHub: the release's deployment status (state, environment URL, log URL = the run), through
 * the suite's Octokit (retries, rate limits, GITHUB_API_URL). A re-run that finds the same state
 * and log URL already on top of the deployment adds nothing.
 */
import { errorMessage } from '../core/errors.js';
import type { Channel, Outcome } from './channel.js';
import type { Release, Status } from './release.js';

export interface GithubOptions {
  token: string;
  deploymentId: number;
  environmentUrl?: string;
  repository: string;
}

const STATES: Record<Status, 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'> = {
  started: 'in_progress',
  success: 'success',
  failure: 'failure',
  cancelled: 'error',
  'rolled-back': 'failure',
};

async function client(token: string) {
  const { github } = await import('../github.js');
  return github({ token, rateLimitRetries: 1 });
}

/** When the deployment was created (the release's start, for {duration}); undefined when it cannot be read in time. */
export async function deploymentStartedAt(o: GithubOptions, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
  const [owner = '', repo = ''] = o.repository.split('/');
  const budget = AbortSignal.timeout(timeoutMs);
  try {
    const octokit = await client(o.token);
    const { data } = await octokit.rest.repos.getDeployment({ owner, repo, deployment_id: o.deploymentId, request: { signal: signal ? AbortSignal.any([signal, budget]) : budget, retries: 0 } });
    return Date.parse(data.created_at);
  } catch {
    return undefined;
  }
}

export function githubDeployment(o: GithubOptions): Channel {
  const [owner = '', repo = ''] = o.repository.split('/');
  return {
    name: 'github',
    async send(r: Release, ctx): Promise<Outcome> {
      const octokit = await client(o.token);
      const state = STATES[r.status];
      const request = { signal: ctx.signal };
      ctx.requested();
      let latest: { state: string; log_url?: string } | undefined;
      try {
        const { data } = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: o.deploymentId, per_page: 1, request });
        latest = data[0];
      } catch (error) {
        throw new Error(`GitHub deployment ${o.deploymentId}: ${errorMessage(error)}`, { cause: error });
      }
      if (latest && latest.state === state && (latest.log_url ?? '') === (r.runUrl ?? '')) {
        ctx.note(`Deployment ${o.deploymentId} already has status "${state}" from this run.`);
        return { result: 'delivered', detail: `deployment ${o.deploymentId} already "${state}"` };
      }
      ctx.requested();
      await octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: o.deploymentId,
        state,
        description: r.text.replace(/\s+/g, ' ').slice(0, 140),
        environment: r.environment,
        ...((o.environmentUrl ?? r.url) && { environment_url: o.environmentUrl ?? r.url }),
        ...(r.runUrl && { log_url: r.runUrl }),
        auto_inactive: true,
        request,
      });
      ctx.note(`Deployment ${o.deploymentId}: status "${state}".`);
      return { result: 'delivered', detail: `deployment ${o.deploymentId} → ${state}` };
    },
  };
}
