/** No other release of this environment in progress, from the ledger (GitHub Deployments); the current run's own record excluded. */
import { latestState, Ledger } from '../../../../shared/ledger.js';
import type { Check } from './types.js';

export interface ConcurrencyOptions {
  token?: string;
  apiUrl: string;
  repository: string;
  environment?: string;
  runId: string;
  serverUrl: string;
  block: boolean;
  timeoutMs: number;
}

const IN_FLIGHT = new Set(['in_progress', 'queued', 'pending']);

export function concurrencyCheck(o: ConcurrencyOptions): Check {
  return {
    id: 'concurrency',
    title: 'No release in progress',
    skip: !o.environment ? 'no environment given' : !o.token ? 'no github-token given' : !o.repository ? 'GITHUB_REPOSITORY is not set' : undefined,
    timeoutMs: o.timeoutMs,
    run: async ({ signal }) => {
      const ledger = new Ledger({ token: o.token!, apiUrl: o.apiUrl, repository: o.repository, signal, timeoutMs: o.timeoutMs });
      const releases = await ledger.list(o.environment!, 30);
      const busy = releases.filter((r) => IN_FLIGHT.has(latestState(r) ?? '') && !(o.runId && r.payload.runId === o.runId));
      const data = { environment: o.environment, inProgress: busy.map((r) => ({ id: r.id, sha: r.sha, runId: r.payload.runId ?? null, createdAt: r.createdAt })) };
      if (!busy.length) return { status: 'pass', found: `no other release of ${o.environment} in progress`, data };
      const who = busy.map((r) => `deployment ${r.id} of ${r.sha.slice(0, 7)} (${latestState(r)} since ${r.createdAt}${r.payload.runId ? `, run ${o.serverUrl}/${o.repository}/actions/runs/${r.payload.runId}` : ''})`);
      return {
        status: o.block ? 'fail' : 'warn',
        found: `another release of ${o.environment} is in progress: ${who.join('; ')}`,
        fix: o.block ? 'wait for it to finish; if its run died, mark its deployment failed (or set block-concurrent: false)' : 'block-concurrent is false: releasing alongside it',
        details: who,
        data,
      };
    },
  };
}
