/**
 * CI checks on the commit: check runs and commit statuses, paginated past 100, waiting up to
 * `wait-for-checks` for pending ones. The current run's own check suite is left out (or preflight
 * would wait on itself); `skipped` and `neutral` count as passing. Which checks: `all`, names, or
 * by default the branch's required checks from its rules (`GET /repos/{o}/{r}/rules/branches/{b}`:
 * branch protection needs admin, which GITHUB_TOKEN lacks).
 */
import { formatDuration } from '../../../../shared/core/duration.js';
import { sleep } from '../../../../shared/core/net.js';
import type { RequiredChecks } from '../inputs.js';
import type { Check } from './types.js';

type State = 'pass' | 'fail' | 'pending';
interface Seen {
  name: string;
  state: State;
  detail: string;
}

const PASSING = new Set(['success', 'neutral', 'skipped']);

export interface CiOptions {
  token?: string;
  apiUrl: string;
  repository: string;
  sha: string;
  ref: string;
  runId: string;
  required: RequiredChecks;
  waitMs: number;
  timeoutMs: number;
}

export function ciCheck(o: CiOptions): Check {
  return {
    id: 'ci',
    title: 'CI checks',
    skip: !o.token ? 'no github-token given' : !o.sha || !o.repository ? 'not in a GitHub workflow (GITHUB_SHA / GITHUB_REPOSITORY not set)' : undefined,
    timeoutMs: o.waitMs + o.timeoutMs,
    run: async ({ signal, deadline }) => {
      const { github } = await import('../../../../shared/github.js');
      const octokit = github({ token: o.token!, apiUrl: o.apiUrl });
      const [owner = '', repo = ''] = o.repository.split('/');
      const request = { signal };

      let ownSuite: number | undefined;
      if (o.runId) {
        try {
          const { data } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: Number(o.runId), request });
          ownSuite = data.check_suite_id ?? undefined;
        } catch (error) {
          if (signal.aborted) throw error;
          // Without its own check suite, preflight would wait on itself: say so rather than wait.
          return {
            status: 'fail',
            found: `cannot read this workflow run (${o.runId}) to leave its own checks out: ${(error as Error).message}`,
            fix: 'give the job permissions: actions: read (with checks: read and statuses: read)',
          };
        }
      }
      let names: string[] | undefined;
      let which: string;
      if (o.required.mode === 'names') {
        names = o.required.names;
        which = `required: ${names.join(', ')}`;
      } else if (o.required.mode === 'all') which = 'all checks on the commit';
      else {
        const branch = o.ref.startsWith('refs/heads/') ? o.ref.slice('refs/heads/'.length) : undefined;
        const rules = branch ? (await octokit.request('GET /repos/{owner}/{repo}/rules/branches/{branch}', { owner, repo, branch, per_page: 100, request })).data : [];
        const required = (rules as Array<{ type: string; parameters?: { required_status_checks?: Array<{ context: string }> } }>)
          .filter((r) => r.type === 'required_status_checks')
          .flatMap((r) => r.parameters?.required_status_checks?.map((c) => c.context) ?? []);
        if (required.length) {
          names = [...new Set(required)];
          which = `required by ${branch}'s rules: ${names.join(', ')}`;
        } else which = `all checks on the commit (${branch ? `${branch}'s rules require none` : `${o.ref || 'the ref'} is not a branch`})`;
      }

      const look = async (): Promise<Seen[]> => {
        const [runs, statuses] = await Promise.all([
          octokit.paginate(octokit.rest.checks.listForRef, { owner, repo, ref: o.sha, per_page: 100, filter: 'latest', request }),
          octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { owner, repo, ref: o.sha, per_page: 100, request }),
        ]);
        const byName = new Map<string, Seen & { id: number }>();
        for (const run of runs) {
          if (ownSuite !== undefined && run.check_suite?.id === ownSuite) continue;
          const state: State = run.status !== 'completed' ? 'pending' : PASSING.has(run.conclusion ?? '') ? 'pass' : 'fail';
          const seen = { name: run.name, state, detail: run.status === 'completed' ? (run.conclusion ?? 'completed') : run.status, id: run.id };
          const before = byName.get(run.name);
          if (!before || before.id < run.id) byName.set(run.name, seen);
        }
        // Statuses come newest first: the first one per context is its state.
        for (const s of statuses) {
          if (byName.has(s.context)) continue;
          const state: State = s.state === 'success' ? 'pass' : s.state === 'pending' ? 'pending' : 'fail';
          byName.set(s.context, { name: s.context, state, detail: s.state, id: Number.MAX_SAFE_INTEGER });
        }
        const seen = [...byName.values()].map(({ id: _id, ...rest }) => rest);
        if (!names) return seen;
        return names.map((n) => seen.find((s) => s.name === n) ?? { name: n, state: 'pending' as const, detail: 'not reported yet' });
      };

      const waitUntil = Math.min(Date.now() + o.waitMs, deadline - 250);
      let interval = 1000;
      let seen = await look();
      while (seen.some((s) => s.state === 'pending') && !seen.some((s) => s.state === 'fail') && Date.now() < waitUntil) {
        await sleep(Math.max(0, Math.min(interval, waitUntil - Date.now())), signal);
        interval = Math.min(10_000, Math.round(interval * 1.5));
        seen = await look();
      }
      const failed = seen.filter((s) => s.state === 'fail');
      const pending = seen.filter((s) => s.state === 'pending');
      const passed = seen.filter((s) => s.state === 'pass');
      const details = seen.map((s) => `${s.state === 'pass' ? '✅' : s.state === 'fail' ? '❌' : '⏳'} ${s.name}: ${s.detail}`);
      const data = { which, ownCheckSuite: ownSuite ?? null, checks: seen };
      if (failed.length) {
        return { status: 'fail', found: `${failed.length} failed: ${failed.map((s) => `${s.name} (${s.detail})`).join(', ')}`, fix: 'fix the failing checks and re-run them on this commit', details, data };
      }
      if (pending.length) {
        return {
          status: 'fail',
          found: `${pending.length} still pending after ${formatDuration(o.waitMs)}: ${pending.map((s) => `${s.name} (${s.detail})`).join(', ')}`,
          fix: 'wait for them to finish (raise wait-for-checks), or name the checks that matter in required-checks',
          details,
          data,
        };
      }
      if (!seen.length) return { status: 'warn', found: `no checks reported on ${o.sha.slice(0, 7)} (${which})`, fix: 'make sure CI runs on this commit before releasing it', data };
      return { status: 'pass', found: `${passed.length} passed (${which})`, details, data };
    },
  };
}
