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

/** What GitHub knows about the release beyond the run: when it started, what it replaced, who approved it. */
export interface ReleaseHistory {
  startedAt?: number;
  /** The commit of the environment's previous successful deployment (for a diff link). */
  previousSha?: string;
  approvedBy: string[];
  /** Why some of it could not be read. */
  problem?: string;
}

/**
 * Best effort within `timeoutMs`: the deployment's creation time (→ {duration}), the previous
 * successful deployment of the environment (→ a compare link) and the run's environment approvals.
 * A failure here only leaves these facts out of the messages.
 */
export async function releaseHistory(o: GithubOptions, runId: string, timeoutMs: number, signal?: AbortSignal): Promise<ReleaseHistory> {
  const [owner = '', repo = ''] = o.repository.split('/');
  const budget = AbortSignal.timeout(timeoutMs);
  const request = { signal: signal ? AbortSignal.any([signal, budget]) : budget, retries: 0 };
  const history: ReleaseHistory = { approvedBy: [] };
  try {
    const octokit = await client(o.token);
    const approvals = runId
      ? octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals', { owner, repo, run_id: Number(runId), request }).then(({ data }) => data, () => [])
      : Promise.resolve([]);
    const { data: deployment } = await octokit.rest.repos.getDeployment({ owner, repo, deployment_id: o.deploymentId, request });
    history.startedAt = Date.parse(deployment.created_at);
    const { data: earlier } = await octokit.rest.repos.listDeployments({ owner, repo, environment: deployment.environment, per_page: 30, request });
    for (const d of earlier.filter((x) => x.id < deployment.id && x.sha !== deployment.sha).slice(0, 5)) {
      const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id, per_page: 1, request });
      if (statuses[0] && ['success', 'inactive'].includes(statuses[0].state)) {
        history.previousSha = d.sha;
        break;
      }
    }
    history.approvedBy = [...new Set((await approvals).filter((a) => a.state === 'approved').map((a) => a.user.login))];
  } catch (error) {
    history.problem = budget.aborted ? `no answer within ${timeoutMs}ms` : errorMessage(error);
  }
  return history;
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
