/**
 * GitHub Deployments REST stand-in (reached through GITHUB_API_URL). Speaks the real routes and
 * semantics the ledger relies on:
 *
 * - `POST /repos/{o}/{r}/deployments`: `auto_merge` defaults to true → 202 "Auto-merged …" with no
 *   deployment when the ref is behind the default branch (here: always, like a topic branch), and
 *   `required_contexts` defaults to every context → 409 when a commit status is not success; with
 *   `auto_merge: false, required_contexts: []` → 201 with the deployment.
 * - `GET /repos/{o}/{r}/deployments?environment=&sha=&ref=&task=&per_page=&page=` newest first.
 * - `GET /repos/{o}/{r}/deployments/{id}`.
 * - `POST|GET /repos/{o}/{r}/deployments/{id}/statuses`: a `success` status marks the older
 *   non-transient, non-production deployments of the same environment `inactive` (auto_inactive,
 *   default true) — as GitHub does: production deployments are never retired automatically.
 * - fault injection (429 secondary rate limits, 5xx, resets) and a request log.
 *
 * For preflight (commit checks and branch rules), with `Link` pagination like GitHub's:
 * - `GET /repos/{o}/{r}/commits/{ref}/check-runs?per_page=&page=` → `{total_count, check_runs}`;
 *   a run given `completeAt` is `in_progress` until then and `completed` with its conclusion after;
 * - `GET /repos/{o}/{r}/commits/{ref}/statuses` newest first (every status ever posted);
 * - `GET /repos/{o}/{r}/rules/branches/{branch}` → the active rules for the branch;
 * - `GET /repos/{o}/{r}/actions/runs/{id}` → the run with its `check_suite_id`.
 *
 * And what GitHub does itself when a workflow runs (no REST route does it): `runs` files the run,
 * its check suite on the commit, and a check run per job (in progress, then completed) — the
 * workflow runner calls it, so an action inside a run finds the run and its own checks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GhDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: Record<string, unknown>;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  updated_at: string;
  statuses: GhStatus[];
}

export interface GhStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

export interface GhCheckRun {
  id?: number;
  name: string;
  head_sha: string;
  /** queued | in_progress | completed (until `completeAt`, when given). */
  status: string;
  conclusion: string | null;
  check_suite_id: number;
  /** ms since epoch: from then on the run is `completed` with `conclusion`. */
  completeAt?: number;
}

export interface GhCommitStatus {
  id?: number;
  sha: string;
  context: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description?: string;
}

export interface GhRule {
  type: string;
  parameters?: Record<string, unknown>;
}

export interface GhWorkflowRun {
  check_suite_id: number;
  name?: string;
  path?: string;
  head_sha?: string;
  head_branch?: string;
  event?: string;
  status?: 'in_progress' | 'completed';
  conclusion?: string | null;
}

export interface GithubFault {
  method?: string;
  path: RegExp;
  /** An HTTP status, a reset connection, or 'hang': never answer. */
  status: number | 'reset' | 'hang';
  times: number;
  retryAfter?: string;
}

export interface GithubStandin {
  url: string;
  token: string;
  deployments: GhDeployment[];
  checkRuns: GhCheckRun[];
  /** Oldest first, as posted. */
  statuses: GhCommitStatus[];
  /** Active rules per branch name. */
  rules: Record<string, GhRule[]>;
  /** Workflow runs by id (their `check_suite_id`). */
  workflowRuns: Record<string, GhWorkflowRun>;
  /** GitHub's side of a workflow run: the runner files its runs and jobs here (WorkflowRunner's `github.runs`). */
  runs: {
    startRun(run: { id: string; name: string; path: string; headSha: string; headBranch: string; event: string }): void;
    startJob(runId: string, name: string): number;
    endJob(checkRunId: number, conclusion: string): void;
    endRun(runId: string, conclusion: string): void;
  };
  requests: Array<{ method: string; path: string; at: number }>;
  /** Environment approvals by workflow run id, as `GET /repos/{o}/{r}/actions/runs/{id}/approvals` returns them. */
  approvals: Map<string, Array<{ state: 'approved' | 'rejected'; comment: string; user: { login: string }; environments: Array<{ name: string }> }>>;
  inject(fault: GithubFault): void;
  count(method: string, path: RegExp): number;
  close(): Promise<void>;
}

export async function startGithubStandin(options: { token?: string } = {}): Promise<GithubStandin> {
  const token = options.token ?? `ghs_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const deployments: GhDeployment[] = [];
  const checkRuns: GhCheckRun[] = [];
  const statuses: GhCommitStatus[] = [];
  const rules: Record<string, GhRule[]> = {};
  const workflowRuns: Record<string, GhWorkflowRun> = {};
  let nextRunId = 9_000_000;
  let nextSuiteId = 70_000;
  const requests: GithubStandin['requests'] = [];
  const faults: GithubFault[] = [];
  const approvals: GithubStandin['approvals'] = new Map();
  let nextId = 1000;
  let nextStatusId = 5000;
  let clock = Date.now();
  // Distinct, ordered timestamps even within one millisecond.
  const now = () => new Date((clock = Math.max(clock + 1, Date.now()))).toISOString();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28' });
    res.end(JSON.stringify(body));
  };
  const base = (owner: string, repo: string) => `http://127.0.0.1:${port}/repos/${owner}/${repo}`;
  const view = (d: GhDeployment, owner: string, repo: string) => {
    const { statuses: _s, ...rest } = d;
    return { ...rest, url: `${base(owner, repo)}/deployments/${d.id}`, statuses_url: `${base(owner, repo)}/deployments/${d.id}/statuses`, creator: { login: 'github-actions[bot]' } };
  };
  const statusView = (s: GhStatus, d: GhDeployment, owner: string, repo: string) => ({
    ...s,
    target_url: s.log_url,
    deployment_url: `${base(owner, repo)}/deployments/${d.id}`,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, at: Date.now() });
    const fault = faults.find((f) => f.times > 0 && (!f.method || f.method === method) && f.path.test(url.pathname));
    if (fault) {
      fault.times--;
      if (fault.status === 'reset') return req.socket.destroy();
      if (fault.status === 'hang') return;
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      return res.end(JSON.stringify({ message: fault.status === 429 ? 'You have exceeded a secondary rate limit.' : 'Server Error' }));
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${token}` && auth !== `token ${token}`) return send(res, 401, { message: 'Bad credentials', status: '401' });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>) : {};
    let m: RegExpExecArray | null;

    if ((m = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/approvals$/.exec(url.pathname))) {
      return send(res, 200, approvals.get(m[1]!) ?? []);
    }

    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/deployments$/.exec(url.pathname))) {
      const [, owner, repo] = m as unknown as [string, string, string];
      if (method === 'POST') {
        if (typeof body.ref !== 'string' || !body.ref) return send(res, 422, { message: 'Invalid request.\n\n"ref" wasn\'t supplied.' });
        if (body.auto_merge !== false) return send(res, 202, { message: `Auto-merged main into ${body.ref} on deployment.` });
        if (!Array.isArray(body.required_contexts) || body.required_contexts.length > 0) {
          return send(res, 409, { message: `Conflict: Commit status checks failed for ${body.ref}.` });
        }
        const at = now();
        const d: GhDeployment = {
          id: nextId++,
          sha: /^[0-9a-f]{40}$/.test(body.ref) ? body.ref : '0123456789abcdef0123456789abcdef01234567',
          ref: body.ref,
          task: body.task ?? 'deploy',
          environment: body.environment ?? 'production',
          description: body.description ?? null,
          payload: typeof body.payload === 'string' ? JSON.parse(body.payload) : (body.payload ?? {}),
          transient_environment: body.transient_environment ?? false,
          production_environment: body.production_environment ?? (body.environment ?? 'production') === 'production',
          created_at: at,
          updated_at: at,
          statuses: [],
        };
        deployments.push(d);
        return send(res, 201, view(d, owner, repo));
      }
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const filters = ['environment', 'sha', 'ref', 'task'] as const;
      const list = deployments
        .filter((d) => filters.every((f) => !url.searchParams.get(f) || d[f] === url.searchParams.get(f)))
        .slice()
        .reverse();
      return send(res, 200, list.slice((page - 1) * perPage, page * perPage).map((d) => view(d, owner, repo)));
    }

    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/deployments\/(\d+)(\/statuses)?$/.exec(url.pathname))) {
      const [, owner, repo, id, statuses] = m as unknown as [string, string, string, string, string | undefined];
      const d = deployments.find((x) => x.id === Number(id));
      if (!d) return send(res, 404, { message: 'Not Found' });
      if (!statuses) return send(res, 200, view(d, owner, repo));
      if (method === 'POST') {
        const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
        if (!states.includes(body.state)) return send(res, 422, { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
        const s: GhStatus = {
          id: nextStatusId++,
          state: body.state,
          description: String(body.description ?? '').slice(0, 140),
          environment: body.environment ?? d.environment,
          environment_url: body.environment_url ?? '',
          log_url: body.log_url ?? '',
          created_at: now(),
        };
        d.statuses.push(s);
        d.updated_at = s.created_at;
        if (s.state === 'success' && body.auto_inactive !== false) {
          for (const other of deployments) {
            if (other !== d && other.environment === d.environment && !other.transient_environment && !other.production_environment && other.statuses.at(-1)?.state === 'success') {
              other.statuses.push({ ...s, id: nextStatusId++, state: 'inactive', description: '', created_at: now() });
            }
          }
        }
        return send(res, 201, statusView(s, d, owner, repo));
      }
      return send(res, 200, d.statuses.slice().reverse().map((s) => statusView(s, d, owner, repo)));
    }
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/(check-runs|statuses)$/.exec(url.pathname))) {
      const [, , , ref, kind] = m as unknown as [string, string, string, string, string];
      if (kind === 'check-runs') {
        const runs = checkRuns.filter((r) => r.head_sha === ref).map((r) => {
          r.id ??= nextRunId++;
          const done = r.completeAt === undefined || Date.now() >= r.completeAt;
          return {
            id: r.id,
            name: r.name,
            head_sha: r.head_sha,
            status: done ? r.status : 'in_progress',
            conclusion: done ? r.conclusion : null,
            check_suite: { id: r.check_suite_id },
            app: { slug: 'github-actions' },
          };
        });
        return page(res, url, runs, (items) => ({ total_count: runs.length, check_runs: items }));
      }
      const list = statuses.filter((s) => s.sha === ref).map((s) => {
        s.id ??= nextRunId++;
        return { id: s.id, context: s.context, state: s.state, description: s.description ?? null, target_url: null };
      });
      return page(res, url, list.reverse(), (items) => items);
    }

    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/rules\/branches\/(.+)$/.exec(url.pathname))) {
      const branch = decodeURIComponent(m[3]!);
      return page(res, url, (rules[branch] ?? []).map((r) => ({ ...r, ruleset_source_type: 'Repository', ruleset_source: 'acme/shop', ruleset_id: 7 })), (items) => items);
    }

    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)$/.exec(url.pathname))) {
      const run = workflowRuns[m[3]!];
      if (!run) return send(res, 404, { message: 'Not Found' });
      const { check_suite_id, name = null, path = null, head_sha = null, head_branch = null, event = null, status = 'in_progress', conclusion = null } = run;
      return send(res, 200, { id: Number(m[3]), name, path, head_sha, head_branch, event, status, conclusion, check_suite_id, check_suite_url: `${base(m[1]!, m[2]!)}/check-suites/${check_suite_id}` });
    }
    return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  /** One page of a list, with GitHub's `Link` header pointing at the next and last pages. */
  const page = <T>(res: ServerResponse, url: URL, all: T[], wrap: (items: T[]) => unknown) => {
    const perPage = Math.max(1, Math.min(100, Number(url.searchParams.get('per_page') ?? 30)));
    const current = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number) => {
      const u = new URL(url.toString().replace(/^http:\/\/x/, `http://127.0.0.1:${port}`));
      u.searchParams.set('page', String(n));
      u.searchParams.set('per_page', String(perPage));
      return u.toString();
    };
    const links = [current < last ? `<${link(current + 1)}>; rel="next"` : '', current < last ? `<${link(last)}>; rel="last"` : ''].filter(Boolean);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...(links.length ? { link: links.join(', ') } : {}) });
    res.end(JSON.stringify(wrap(all.slice((current - 1) * perPage, current * perPage))));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    deployments,
    checkRuns,
    statuses,
    rules,
    workflowRuns,
    runs: {
      startRun: (run) => {
        workflowRuns[run.id] = { check_suite_id: nextSuiteId++, name: run.name, path: run.path, head_sha: run.headSha, head_branch: run.headBranch, event: run.event, status: 'in_progress', conclusion: null };
      },
      startJob: (runId, name) => {
        const run = workflowRuns[runId];
        if (!run?.head_sha) throw new Error(`run ${runId} was not started`);
        const id = nextRunId++;
        checkRuns.push({ id, name, head_sha: run.head_sha, status: 'in_progress', conclusion: null, check_suite_id: run.check_suite_id });
        return id;
      },
      endJob: (checkRunId, conclusion) => {
        const run = checkRuns.find((r) => r.id === checkRunId);
        if (run) Object.assign(run, { status: 'completed', conclusion });
      },
      endRun: (runId, conclusion) => {
        const run = workflowRuns[runId];
        if (run) Object.assign(run, { status: 'completed', conclusion });
      },
    },
    requests,
    approvals,
    inject: (fault) => faults.push({ ...fault }),
    count: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
