/**
 * The Vercel stand-in: Vercel Labs' `emulate` (0.12) Vercel API, fronted by the routes it lacks.
 *
 * emulate answers teams, projects, deployment creation and lookup, but it marks every deployment
 * READY at once, moves production on every `target: production` deployment, discards uploaded
 * files (and expects `x-vercel-digest` where @vercel/client sends `x-now-digest`), and has no
 * promote, rollback or alias-job routes. This front:
 *
 * - stores uploaded files by digest (`POST /v2/files`) and answers `missing_files` like Vercel, so
 *   @vercel/client's real two-pass upload runs (a small static site comes inline, base64, instead);
 * - walks each deployment QUEUED → BUILDING → READY (or ERROR / CANCELED / BLOCKED) over time,
 *   honours `autoAssignCustomDomains: false` (staged production: no traffic until promoted);
 * - serves every deployment over HTTPS on its own loopback port (its `url`), behind deployment
 *   protection that the `x-vercel-protection-bypass` header opens, and production on another port;
 * - `POST /v10/projects/{id}/promote/{dpl}` and `POST /v1/projects/{id}/rollback/{dpl}` start an
 *   asynchronous alias job, visible as `lastAliasRequest.jobStatus` on `GET /v9/projects/{id}`;
 * - `GET /v6/deployments?projectId=&target=&state=A,B` lists the stand-in's own deployments with
 *   their current states (emulate would call every one READY);
 * - rolling releases: the project's config (`GET`/`PATCH /v1/projects/{id}/rolling-release/config`,
 *   `{rollingRelease: null}` until enabled, as Vercel answers for a project without them), `POST …/start`
 *   `{canaryDeploymentId}` (idempotent for the same canary), `…/approve-stage` `{nextStageIndex,
 *   canaryDeploymentId}` (only the next stage), `…/complete`, and the state (`GET
 *   /v1/projects/{id}/rolling-release`: `state`, `substate: PAUSED` while a stage waits for approval,
 *   `activeStage`, `nextStage`, `stages` with durations in seconds, `canaryDeployment`,
 *   `currentDeployment`); a rollback while one is active aborts it. Production splits its answers
 *   between canary and current by the active stage's weight; every weight is recorded;
 * - injects 429 / 5xx / connection resets, and logs every request (for "no API call" tests).
 *
 * How a deployment behaves comes from the files the client uploaded: an optional `standin.json`
 * `{ "buildMs": 300, "outcome": "READY"|"ERROR"|"CANCELED"|"BLOCKED", "errorMessage": "…",
 *    "failAfterPromotionMs": 500, "answers": 503 }` (`answers`: every request to the app gets this
 *    status) — so the real upload carries the test's intent.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createEmulator } from 'emulate';
import { tlsIdentity } from './tls.js';

export type Outcome = 'READY' | 'ERROR' | 'CANCELED' | 'BLOCKED';

interface Plan {
  buildMs: number;
  outcome: Outcome;
  errorMessage?: string;
  failAfterPromotionMs?: number;
  /** The app answers every request with this status (an app that crashes, or never comes up). */
  answers?: number;
}

export interface StandinDeployment {
  id: string;
  target: string;
  autoAssign: boolean;
  url: string;
  files: Map<string, string>;
  createdAt: number;
  /** When the stand-in starts answering READY (or the failure outcome). */
  doneAt: number;
  plan: Plan;
  promotedAt?: number;
  /** First request to this deployment's own URL (the action moving on to verification). */
  firstHitAt?: number;
  server: Server;
}

export interface AliasJob {
  type: 'promote' | 'rollback';
  fromDeploymentId?: string;
  toDeploymentId: string;
  jobStatus: 'pending' | 'in-progress' | 'succeeded' | 'failed';
  requestedAt: number;
  doneAt: number;
}

export interface Fault {
  method?: string;
  path: RegExp;
  /** An HTTP status to answer with, or `reset` to drop the connection. */
  status: number | 'reset';
  /** `after`: handle the request, then drop the connection (the client cannot know it worked). */
  when?: 'before' | 'after';
  times: number;
  retryAfter?: string;
}

export interface VercelStandinOptions {
  token?: string;
  bypassSecret?: string;
  /** Default build time when a deployment has no standin.json. */
  buildMs?: number;
  /** How long an alias job (promote / rollback) takes. */
  aliasMs?: number;
}

export interface RollingConfig {
  target?: string;
  advancementType?: 'automatic' | 'manual-approval';
  /** `duration` in minutes, as the config route takes it. */
  stages: Array<{ targetPercentage: number; requireApproval?: boolean; duration?: number; linearShift?: boolean }>;
}

export interface RollingDoc {
  state: 'ACTIVE' | 'COMPLETE' | 'ABORTED';
  canaryId: string;
  currentId?: string;
  advancementType: 'automatic' | 'manual-approval';
  stages: RollingConfig['stages'];
  activeIndex: number;
  startedAt: number;
  updatedAt: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  at: number;
  status?: number;
}

export interface VercelStandin {
  /** Give this as `vercel-api-url`. */
  url: string;
  token: string;
  teamId: string;
  projectId: string;
  projectName: string;
  bypassSecret: string;
  /** https://127.0.0.1:<port>: whatever is in production. */
  productionUrl: string;
  /** Every answer production gave: when, which deployment, which status. */
  productionHits: Array<{ at: number; id?: string; status: number }>;
  requests: RequestRecord[];
  deployments: Map<string, StandinDeployment>;
  aliasJobs: AliasJob[];
  /** Overrides what `GET /v1/projects/{id}/rolling-release` answers (`{rollingRelease: …}`); undefined: the stand-in's own. */
  setRollingRelease(rollingRelease: Record<string, unknown> | undefined): void;
  /** The project's rolling-release config (as `PATCH …/rolling-release/config` would set it); undefined disables them. */
  setRollingConfig(config: RollingConfig | undefined): void;
  rollingConfig(): RollingConfig | undefined;
  /** The rolling release (the newest one started), as the stand-in holds it. */
  rollingRelease(): RollingDoc | undefined;
  /** Every canary weight production took, in order (start, each approved stage, complete 100, abort 0). */
  rollingWeights: Array<{ at: number; canary: string; weight: number }>;
  production(): string | undefined;
  count(method: string, path: RegExp): number;
  inject(fault: Fault): void;
  /** Puts a deployment in production directly (seeding a previous release). */
  setProduction(id: string): void;
  /** A stale edge: production keeps serving this deployment whatever the alias says (undefined ends it). */
  pinProduction(id: string | undefined): void;
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const vercelError = (res: ServerResponse, status: number, code: string, message: string, extra: object = {}) =>
  json(res, status, { error: { code, message, ...extra } });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

const CONTENT_TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', json: 'application/json', txt: 'text/plain', js: 'text/javascript', css: 'text/css' };

export async function startVercelStandin(options: VercelStandinOptions = {}): Promise<VercelStandin> {
  const token = options.token ?? `vcp_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const bypassSecret = options.bypassSecret ?? `byp${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const projectName = 'shop';
  const emulator = await createEmulator({
    service: 'vercel',
    port: 0,
    seed: { tokens: { [token]: { login: 'admin' } }, vercel: { teams: [{ slug: 'acme' }], projects: [{ name: projectName, team: 'acme' }] } },
  });
  const auth = { authorization: `Bearer ${token}` };
  const teams = (await (await fetch(`${emulator.url}/v2/teams`, { headers: auth })).json()) as { teams: Array<{ id: string }> };
  const teamId = teams.teams[0]!.id;
  const project = (await (await fetch(`${emulator.url}/v9/projects/${projectName}?teamId=${teamId}`, { headers: auth })).json()) as { id: string };
  const projectId = project.id;

  const tls = tlsIdentity();
  const blobs = new Map<string, Buffer>();
  const deployments = new Map<string, StandinDeployment>();
  const aliasJobs: AliasJob[] = [];
  const requests: RequestRecord[] = [];
  const faults: Fault[] = [];
  let productionId: string | undefined;
  let rollingOverride: Record<string, unknown> | undefined;
  let rollingConfig: RollingConfig | undefined;
  let rolling: RollingDoc | undefined;
  const rollingWeights: VercelStandin['rollingWeights'] = [];
  const weightOf = (r: RollingDoc) => (r.state === 'ACTIVE' ? r.stages[r.activeIndex]!.targetPercentage : r.state === 'COMPLETE' ? 100 : 0);
  const recordWeight = (r: RollingDoc) => rollingWeights.push({ at: Date.now(), canary: r.canaryId, weight: weightOf(r) });
  let splitCredit = 0;
  let pinnedId: string | undefined;

  /** Applies what time has done: builds finishing, auto-assigned production, alias jobs. */
  const tick = () => {
    const now = Date.now();
    for (const d of deployments.values()) {
      if (d.target === 'production' && d.autoAssign && d.plan.outcome === 'READY' && now >= d.doneAt && d.promotedAt === undefined) {
        productionId = d.id;
        d.promotedAt = d.doneAt;
      }
    }
    for (const job of aliasJobs) {
      if (job.jobStatus !== 'succeeded' && job.jobStatus !== 'failed') {
        if (now >= job.doneAt) {
          job.jobStatus = 'succeeded';
          productionId = job.toDeploymentId;
          const d = deployments.get(job.toDeploymentId);
          if (d) d.promotedAt = job.doneAt;
        } else job.jobStatus = now >= job.requestedAt + (job.doneAt - job.requestedAt) / 3 ? 'in-progress' : 'pending';
      }
    }
  };

  const stateOf = (d: StandinDeployment): string => {
    const now = Date.now();
    if (now >= d.doneAt) return d.plan.outcome;
    return now < d.createdAt + (d.doneAt - d.createdAt) / 3 ? 'QUEUED' : 'BUILDING';
  };

  const serveFiles = (d: StandinDeployment, path: string, res: ServerResponse) => {
    if (d.plan.answers) {
      res.writeHead(d.plan.answers, { 'content-type': 'text/plain', 'x-vercel-id': d.id });
      return res.end(`answering ${d.plan.answers} (stand-in plan)`);
    }
    const clean = decodeURIComponent(path.split('?')[0]!).replace(/^\/+/, '').replace(/\/+$/, '');
    const candidates = clean === '' ? ['index.html'] : [clean, `${clean}.html`, `${clean}.json`, `${clean}/index.html`];
    for (const name of candidates) {
      const sha = d.files.get(name);
      if (sha && blobs.has(sha)) {
        const ext = name.split('.').pop() ?? '';
        res.writeHead(200, {
          'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
          'x-vercel-id': d.id,
          'strict-transport-security': 'max-age=63072000',
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          'content-security-policy': "default-src 'self'",
        });
        return res.end(blobs.get(sha));
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain', 'x-vercel-id': d.id });
    res.end('The page could not be found. NOT_FOUND');
  };

  const broken = (d: StandinDeployment) =>
    d.plan.failAfterPromotionMs !== undefined && d.promotedAt !== undefined && Date.now() - d.promotedAt >= d.plan.failAfterPromotionMs;

  const https = (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
    createHttpsServer({ key: tls.key, cert: tls.cert }, handler) as unknown as Server;

  const productionHits: VercelStandin['productionHits'] = [];
  const productionServer = https((req, res) => {
    tick();
    let served = pinnedId ?? productionId;
    if (!pinnedId && rolling?.state === 'ACTIVE') {
      // The active stage's share of requests goes to the canary, spread evenly (a deterministic split).
      splitCredit += weightOf(rolling);
      if (splitCredit >= 100) {
        splitCredit -= 100;
        served = rolling.canaryId;
      } else served = rolling.currentId;
    }
    const d = served ? deployments.get(served) : undefined;
    res.on('finish', () => productionHits.push({ at: Date.now(), id: d?.id, status: res.statusCode }));
    if (!d) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('DEPLOYMENT_NOT_FOUND');
    }
    if (broken(d)) {
      res.writeHead(503, { 'content-type': 'application/json', 'x-vercel-id': d.id });
      return res.end(JSON.stringify({ status: 'unhealthy', error: 'FUNCTION_INVOCATION_FAILED' }));
    }
    serveFiles(d, req.url ?? '/', res);
  });
  const productionPort = await listen(productionServer);
  const productionHost = `127.0.0.1:${productionPort}`;

  const findFault = (method: string, path: string) => {
    const f = faults.find((x) => x.times > 0 && (!x.method || x.method === method) && x.path.test(path));
    if (f) f.times--;
    return f;
  };

  const proxy = async (req: IncomingMessage, body: Buffer | undefined): Promise<{ status: number; data: any }> => {
    const headers: Record<string, string> = {};
    for (const h of ['authorization', 'content-type', 'accept', 'user-agent']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    const r = await fetch(`${emulator.url}${req.url}`, { method: req.method, headers, body: body && body.length ? new Uint8Array(body) : undefined });
    const text = await r.text();
    let data: any = text;
    try {
      data = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: r.status, data };
  };

  const formatOverride = (d: StandinDeployment, data: any) => {
    const state = stateOf(d);
    data.readyState = state;
    data.state = state;
    data.url = d.url;
    data.readySubstate = state === 'READY' ? (productionId === d.id ? 'PROMOTED' : d.target === 'production' ? 'STAGED' : null) : null;
    data.aliasAssigned = state === 'READY' && d.promotedAt !== undefined ? d.promotedAt : null;
    data.errorCode = state === 'ERROR' ? 'BUILD_FAILED' : null;
    data.errorMessage = state === 'ERROR' ? (d.plan.errorMessage ?? 'Command "npm run build" exited with 1') : null;
    data.ready = state === 'READY' ? d.doneAt : undefined;
    return data;
  };

  const isProject = (idOrName: string) => idOrName === projectId || idOrName === projectName;

  const startAliasJob = (type: AliasJob['type'], to: string) => {
    const job: AliasJob = { type, fromDeploymentId: productionId, toDeploymentId: to, jobStatus: 'pending', requestedAt: Date.now(), doneAt: Date.now() + (options.aliasMs ?? 400) };
    aliasJobs.push(job);
    return job;
  };

  const deploymentView = (id: string | undefined) => {
    const d = id ? deployments.get(id) : undefined;
    return d ? { id: d.id, name: projectName, url: d.url, target: d.target, createdAt: d.createdAt, readyState: stateOf(d), source: 'cli' } : null;
  };
  /** The rolling release as `GET …/rolling-release` answers it (stage durations in seconds there, minutes in the config). */
  const rollingView = (r: RollingDoc) => {
    const stages = r.stages.map((x, index) => ({
      index,
      isFinalStage: index === r.stages.length - 1,
      targetPercentage: x.targetPercentage,
      requireApproval: r.advancementType === 'manual-approval' ? index < r.stages.length - 1 : !!x.requireApproval,
      duration: index < r.stages.length - 1 && x.duration !== undefined ? x.duration * 60 : null,
      linearShift: !!x.linearShift,
    }));
    const active = r.state === 'ABORTED' ? null : stages[r.activeIndex]!;
    return {
      state: r.state,
      substate: r.state === 'ACTIVE' && active?.requireApproval ? 'PAUSED' : null,
      currentDeployment: deploymentView(r.currentId),
      canaryDeployment: deploymentView(r.canaryId),
      queuedDeploymentId: null,
      advancementType: r.advancementType,
      stages,
      activeStage: active,
      nextStage: r.state === 'ACTIVE' ? (stages[r.activeIndex + 1] ?? null) : null,
      startedAt: r.startedAt,
      updatedAt: r.updatedAt,
    };
  };
  const stagesProblem = (stages: RollingConfig['stages'] | undefined): string | undefined => {
    if (!Array.isArray(stages) || stages.length < 2) return 'stages: give at least two stages, the last at 100';
    let last = 0;
    for (const x of stages) {
      const p = x?.targetPercentage;
      if (typeof p !== 'number' || !(p > last && p <= 100)) return 'stages: targetPercentage must go up, from 1 to 100';
      last = p;
    }
    return last === 100 ? undefined : 'stages: the final stage must have targetPercentage: 100';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const record: RequestRecord = { method, path, at: Date.now() };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    tick();
    const fault = findFault(method, path);
    if (fault && fault.when !== 'after') {
      if (fault.status === 'reset') return req.socket.destroy();
      res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) });
      return res.end(JSON.stringify({ error: { code: fault.status === 429 ? 'rate_limited' : 'internal_server_error', message: 'injected by the stand-in' } }));
    }
    if (fault?.when === 'after') {
      // Let the handler run, then cut the connection before the answer reaches the client.
      const end = res.end.bind(res);
      res.end = ((..._args: unknown[]) => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
      void end;
    }
    if (req.headers.authorization !== `Bearer ${token}`) return vercelError(res, 403, 'forbidden', 'Not authorized: the token is missing or invalid');
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
    let m: RegExpExecArray | null;

    if (method === 'POST' && path === '/v2/files') {
      const digest = String(req.headers['x-now-digest'] ?? req.headers['x-vercel-digest'] ?? '');
      if (!digest) return vercelError(res, 400, 'bad_request', 'Missing x-now-digest header');
      blobs.set(digest, body ?? Buffer.alloc(0));
      return json(res, 200, {});
    }

    if (method === 'POST' && path === '/v13/deployments') {
      const input = JSON.parse(body!.toString('utf8')) as { files?: Array<{ file: string; sha: string; data?: string; encoding?: string }>; target?: string; autoAssignCustomDomains?: boolean; project?: string };
      // @vercel/client sends a small static site (≤ 10 .html/.htm/.md files) inline, base64, without digests.
      for (const f of input.files ?? []) {
        if (f.data === undefined) continue;
        const content = Buffer.from(f.data, f.encoding === 'base64' ? 'base64' : 'utf8');
        f.sha = createHash('sha1').update(content).digest('hex');
        blobs.set(f.sha, content);
      }
      const missing = (input.files ?? []).filter((f) => !blobs.has(f.sha)).map((f) => f.sha);
      if (missing.length) return vercelError(res, 400, 'missing_files', 'Missing files', { missing });
      if (input.project && !isProject(input.project)) return vercelError(res, 404, 'not_found', `Project ${input.project} not found`);
      const created = await proxy(req, body);
      if (created.status !== 200) return json(res, created.status, created.data);
      const files = new Map((input.files ?? []).map((f) => [f.file.replace(/^\/+/, ''), f.sha]));
      const control = files.get('standin.json');
      const extra = control && blobs.has(control) ? (JSON.parse(blobs.get(control)!.toString('utf8')) as Partial<Plan>) : {};
      const plan: Plan = { buildMs: options.buildMs ?? 300, outcome: 'READY', ...extra };
      const createdAt = Date.now();
      const d: StandinDeployment = {
        id: created.data.id,
        target: input.target ?? 'preview',
        autoAssign: input.autoAssignCustomDomains !== false,
        url: '',
        files,
        createdAt,
        doneAt: createdAt + plan.buildMs,
        plan,
        server: undefined as unknown as Server,
      };
      d.server = https((q, s) => {
        d.firstHitAt ??= Date.now();
        if (stateOf(d) !== 'READY') {
          s.writeHead(404, { 'content-type': 'text/plain' });
          return s.end('DEPLOYMENT_NOT_READY');
        }
        if (q.headers['x-vercel-protection-bypass'] !== bypassSecret) {
          s.writeHead(401, { 'content-type': 'text/html' });
          return s.end('<title>Authentication Required</title> Vercel Deployment Protection');
        }
        serveFiles(d, q.url ?? '/', s);
      });
      d.url = `127.0.0.1:${await listen(d.server)}`;
      deployments.set(d.id, d);
      return json(res, 200, formatOverride(d, created.data));
    }

    if (method === 'GET' && (m = /^\/v13\/deployments\/([^/]+)$/.exec(path))) {
      const d = deployments.get(m[1]!);
      const got = await proxy(req, undefined);
      if (got.status !== 200 || !d) return json(res, got.status, got.data);
      return json(res, 200, formatOverride(d, got.data));
    }

    if (method === 'PATCH' && (m = /^\/v12\/deployments\/([^/]+)\/cancel$/.exec(path))) {
      const d = deployments.get(m[1]!);
      if (!d) return vercelError(res, 404, 'not_found', 'Deployment not found');
      const state = stateOf(d);
      if (state !== 'QUEUED' && state !== 'BUILDING') return vercelError(res, 400, 'bad_request', 'Deployment cannot be canceled in its current state');
      d.plan = { ...d.plan, outcome: 'CANCELED' };
      d.doneAt = Date.now();
      return json(res, 200, formatOverride(d, { id: d.id, uid: d.id, target: d.target, createdAt: d.createdAt }));
    }

    if (method === 'GET' && (m = /^\/v9\/projects\/([^/]+)$/.exec(path))) {
      const got = await proxy(req, undefined);
      if (got.status !== 200) return json(res, got.status, got.data);
      const prod = productionId ? deployments.get(productionId) : undefined;
      got.data.targets = { ...(got.data.targets ?? {}) };
      if (prod) got.data.targets.production = { id: prod.id, url: prod.url, alias: [productionHost], readyState: 'READY', createdAt: prod.createdAt };
      else delete got.data.targets.production;
      got.data.alias = [{ domain: productionHost, target: 'PRODUCTION' }];
      const job = aliasJobs.at(-1);
      got.data.lastAliasRequest = job ? { fromDeploymentId: job.fromDeploymentId ?? null, toDeploymentId: job.toDeploymentId, jobStatus: job.jobStatus, requestedAt: job.requestedAt, type: job.type } : null;
      return json(res, 200, got.data);
    }

    if (method === 'POST' && (m = /^\/v10\/projects\/([^/]+)\/promote\/([^/]+)$/.exec(path)) || method === 'POST' && (m = /^\/v1\/projects\/([^/]+)\/rollback\/([^/]+)$/.exec(path))) {
      const type = path.includes('/promote/') ? 'promote' : 'rollback';
      if (!isProject(m[1]!)) return vercelError(res, 404, 'not_found', 'Project not found');
      const d = deployments.get(m[2]!);
      if (!d) return vercelError(res, 404, 'not_found', 'Deployment not found');
      if (stateOf(d) !== 'READY') return vercelError(res, 400, 'deployment_not_ready', `Deployment ${d.id} is not READY`);
      if (d.target !== 'production') return vercelError(res, 400, 'invalid_target', 'Only production deployments can be promoted or rolled back to');
      const pending = aliasJobs.find((j) => j.jobStatus === 'pending' || j.jobStatus === 'in-progress');
      if (pending) return vercelError(res, 409, 'alias_job_in_progress', 'Another promote or rollback is in progress');
      if (rolling?.state === 'ACTIVE') {
        // A rollback (or a promote) during a rolling release ends it: all traffic to what the job aliases.
        rolling.state = 'ABORTED';
        rolling.updatedAt = Date.now();
        recordWeight(rolling);
      }
      startAliasJob(type, d.id);
      res.writeHead(type === 'promote' ? 202 : 201, { 'content-type': 'application/json' });
      return res.end('{}');
    }

    if (method === 'GET' && path === '/v6/deployments') {
      const q = new URL(req.url ?? '/', 'http://x').searchParams;
      const states = q.get('state')?.split(',');
      const list = [...deployments.values()]
        .filter((d) => (!q.get('projectId') || isProject(q.get('projectId')!)) && (!q.get('target') || d.target === q.get('target')) && (!states || states.includes(stateOf(d))))
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, Number(q.get('limit') ?? 20))
        .map((d) => ({ uid: d.id, name: projectName, url: d.url, state: stateOf(d), readyState: stateOf(d), target: d.target, created: d.createdAt, createdAt: d.createdAt }));
      return json(res, 200, { deployments: list, pagination: { count: list.length, next: null, prev: null } });
    }

    if ((m = /^\/v1\/projects\/([^/]+)\/rolling-release(\/[a-z-]+)?$/.exec(path))) {
      if (!isProject(m[1]!)) return vercelError(res, 404, 'not_found', 'Project not found');
      const action = `${method} ${m[2] ?? ''}`;
      const input = (body && body.length ? JSON.parse(body.toString('utf8')) : {}) as Record<string, any>;
      if (action === 'GET ') return json(res, 200, { rollingRelease: rollingOverride ?? (rolling ? rollingView(rolling) : null) });
      if (action === 'GET /config') return json(res, 200, { rollingRelease: rollingConfig ? { target: 'production', ...rollingConfig } : null });
      if (action === 'PATCH /config') {
        if (input.enabled === false) {
          rollingConfig = undefined;
          return json(res, 200, { rollingRelease: null });
        }
        const stages = (input.stages ?? rollingConfig?.stages) as RollingConfig['stages'] | undefined;
        const problem = stagesProblem(stages);
        if (problem) return vercelError(res, 400, 'invalid_rolling_release_config', problem);
        if (!rollingConfig && input.enabled !== true) return vercelError(res, 400, 'rolling_releases_disabled', 'Rolling Releases are not enabled for this project: send enabled: true');
        rollingConfig = { target: 'production', advancementType: input.advancementType ?? rollingConfig?.advancementType ?? 'manual-approval', stages: stages! };
        return json(res, 200, { rollingRelease: rollingConfig });
      }
      if (method !== 'POST') return vercelError(res, 405, 'method_not_allowed', 'Method not allowed');
      const canaryId = String(input.canaryDeploymentId ?? '');
      if (action === 'POST /start') {
        if (!rollingConfig) return vercelError(res, 400, 'rolling_releases_disabled', 'Rolling Releases are not enabled for this project');
        const d = deployments.get(canaryId);
        if (!d) return vercelError(res, 404, 'not_found', 'Deployment not found');
        if (rolling?.state === 'ACTIVE') {
          if (rolling.canaryId === canaryId) return json(res, 200, { rollingRelease: rollingView(rolling) }); // documented: no side effects
          return vercelError(res, 409, 'rolling_release_in_progress', `A rolling release of ${rolling.canaryId} is already active`);
        }
        if (stateOf(d) !== 'READY' || d.target !== 'production') return vercelError(res, 400, 'invalid_deployment', `Deployment ${d.id} is not a READY production deployment`);
        if (!productionId || productionId === d.id) return vercelError(res, 400, 'no_current_deployment', 'A rolling release needs a current production deployment to roll from');
        const now = Date.now();
        rolling = { state: 'ACTIVE', canaryId, currentId: productionId, advancementType: rollingConfig.advancementType ?? 'manual-approval', stages: rollingConfig.stages.map((x) => ({ ...x })), activeIndex: 0, startedAt: now, updatedAt: now };
        recordWeight(rolling);
        return json(res, 200, { rollingRelease: rollingView(rolling) });
      }
      if (action === 'POST /approve-stage' || action === 'POST /complete') {
        if (!rolling || rolling.state !== 'ACTIVE') return vercelError(res, 400, 'no_active_rolling_release', 'There is no active rolling release for this project');
        if (rolling.canaryId !== canaryId) return vercelError(res, 400, 'canary_mismatch', `The active rolling release is for ${rolling.canaryId}, not ${canaryId || 'no deployment'}`);
        const next = action === 'POST /complete' ? rolling.stages.length - 1 : Number(input.nextStageIndex);
        if (action === 'POST /approve-stage' && next !== rolling.activeIndex + 1) {
          return vercelError(res, 400, 'invalid_stage', `nextStageIndex must be ${rolling.activeIndex + 1} (the stage after the active one), got ${input.nextStageIndex}`);
        }
        rolling.activeIndex = next;
        rolling.updatedAt = Date.now();
        if (next === rolling.stages.length - 1) {
          rolling.state = 'COMPLETE';
          productionId = rolling.canaryId;
          const d = deployments.get(rolling.canaryId);
          if (d) d.promotedAt = Date.now();
        }
        recordWeight(rolling);
        return json(res, 200, { rollingRelease: rollingView(rolling) });
      }
      return vercelError(res, 404, 'not_found', 'Not found');
    }

    const got = await proxy(req, body);
    return json(res, got.status, got.data);
  };

  const api = createHttpServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) vercelError(res, 500, 'internal', String(error));
    });
  });
  const sockets = new Set<Socket>();
  api.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const apiPort = await listen(api);

  return {
    url: `http://127.0.0.1:${apiPort}`,
    token,
    teamId,
    projectId,
    projectName,
    bypassSecret,
    productionUrl: `https://${productionHost}`,
    productionHits,
    requests,
    deployments,
    aliasJobs,
    setRollingRelease: (r) => {
      rollingOverride = r;
    },
    setRollingConfig: (c) => {
      rollingConfig = c && { target: 'production', advancementType: 'manual-approval', ...c };
    },
    rollingConfig: () => rollingConfig,
    rollingRelease: () => rolling,
    rollingWeights,
    production: () => {
      tick();
      return productionId;
    },
    count: (method, path) => requests.filter((r) => r.method === method && path.test(r.path)).length,
    inject: (fault) => faults.push({ ...fault }),
    pinProduction: (id) => {
      pinnedId = id;
    },
    setProduction: (id) => {
      productionId = id;
      const d = deployments.get(id);
      if (d) d.promotedAt = Date.now();
    },
    close: async () => {
      await Promise.all([closeServer(api), closeServer(productionServer), ...[...deployments.values()].map((d) => closeServer(d.server))]);
      await emulator.close();
    },
  };
}
