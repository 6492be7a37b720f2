/**
 * Stand-ins for the services notify talks to, speaking their wire protocols as documented and
 * recording what they received. Each can be told to misbehave a number of times on a path
 * (`inject`): an HTTP status (with Retry-After and a body in the service's own error shape),
 * a hang, or a reset connection.
 *
 * - Slack: incoming webhooks (`200 ok`, `400 invalid_payload`, `404 no_service`) and the Web API
 *   (`chat.postMessage`, `chat.update`, `conversations.history` with message metadata,
 *   `conversations.list`), which answers 200 with `ok: false` on errors and 429 with Retry-After.
 * - PagerDuty Events v2: `/v2/enqueue` (202; 400 with `errors`) keeping alerts by dedup_key,
 *   `/v2/change/enqueue`.
 * - Sentry: releases (201 new, 208 exists), finalize, deploys (every POST adds one).
 * - Teams Workflows (202), Discord (`?wait=true` → the message; 429 with `retry_after`).
 * - A webhook receiver that verifies Standard Webhooks signatures with the reference library
 *   (`standardwebhooks`) and GitHub's X-Hub-Signature-256, refusing what does not verify.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { fault as faults, startTestServer, type RecordedRequest, type TestServer } from './https.js';

export interface Fault {
  path?: RegExp;
  method?: string;
  /** 'lost': the request is processed, then the connection drops before the answer (a retry must not repeat it). */
  status: number | 'hang' | 'reset' | 'lost';
  times: number;
  retryAfter?: string;
  body?: unknown;
}

export interface Standin extends TestServer {
  inject(fault: Fault): void;
  /** Requests whose path matches. */
  hits(path: RegExp): RecordedRequest[];
}

type Req = Parameters<Parameters<typeof startTestServer>[0]['handler']>[0];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function standin(route: (req: Req, res: ServerResponse, url: URL) => unknown, errorBody: (status: number) => unknown = () => ({ message: 'error' })): Promise<Standin> {
  const injected: Fault[] = [];
  const server = await startTestServer({
    handler: (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const f = injected.find((x) => x.times > 0 && (!x.path || x.path.test(url.pathname)) && (!x.method || x.method === req.method));
      if (f) {
        f.times--;
        if (f.status === 'hang') return faults.hang();
        if (f.status === 'reset') return faults.reset(req);
        if (f.status === 'lost') {
          const discard = { writeHead: () => discard, setHeader: () => discard, end: () => discard } as unknown as ServerResponse;
          route(req, discard, url);
          return faults.reset(req);
        }
        const body = f.body ?? errorBody(f.status);
        res.writeHead(f.status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}) });
        return res.end(typeof body === 'string' ? body : JSON.stringify(body));
      }
      return route(req, res, url);
    },
  });
  return Object.assign(server, {
    inject: (f: Fault) => void injected.push({ ...f }),
    hits: (path: RegExp) => server.requests.filter((r) => path.test(r.path.split('?')[0]!)),
  });
}

// ─── Slack ──────────────────────────────────────────────────────────────────────────────────

export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edits: number;
}

export interface SlackStandin extends Standin {
  token: string;
  /** Path of the incoming webhook (append to url). */
  webhookPath: string;
  webhookUrl: string;
  channels: Array<{ id: string; name: string }>;
  messages: SlackMessage[];
  /** Bodies received by the incoming webhook. */
  webhookPosts: Array<{ text: string; blocks: unknown[] }>;
}

/** Slack renders mrkdwn after un-escaping exactly these three. */
export const slackUnescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export async function startSlack(): Promise<SlackStandin> {
  const token = `xoxb-${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;
  const webhookPath = `/services/T0GANTRY/B0NOTIFY/${Math.random().toString(36).slice(2, 14)}`;
  const channels = [{ id: 'C0DEPLOYS1', name: 'deploys' }, { id: 'C0RANDOM01', name: 'random' }];
  const messages: SlackMessage[] = [];
  const webhookPosts: SlackStandin['webhookPosts'] = [];
  let clock = 1_780_000_000;
  const s = await standin((req, res, url) => {
    if (url.pathname.startsWith('/services/')) {
      if (url.pathname !== webhookPath) return void (res.writeHead(404, { 'content-type': 'text/plain' }), res.end('no_service'));
      let body: any;
      try {
        body = JSON.parse(req.body);
      } catch {
        return void (res.writeHead(400), res.end('invalid_payload'));
      }
      if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return void (res.writeHead(400), res.end('no_text'));
      webhookPosts.push(body);
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('ok');
    }
    const method = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname)?.[1];
    if (!method) return json(res, 404, { ok: false, error: 'unknown_method' });
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    const args: Record<string, any> = req.method === 'POST' && req.body ? JSON.parse(req.body) : Object.fromEntries(url.searchParams);
    const channel = (c: string) => channels.find((x) => x.id === c || x.name === String(c).replace(/^#/, ''));
    switch (method) {
      case 'chat.postMessage': {
        const ch = channel(args.channel);
        if (!ch) return json(res, 200, { ok: false, error: 'channel_not_found' });
        if (typeof args.text !== 'string' && !args.blocks) return json(res, 200, { ok: false, error: 'no_text' });
        const ts = `${clock++}.000100`;
        messages.push({ channel: ch.id, ts, text: args.text, blocks: args.blocks ?? [], metadata: args.metadata, edits: 0 });
        return json(res, 200, { ok: true, channel: ch.id, ts, message: { type: 'message', text: args.text, ts } });
      }
      case 'chat.update': {
        if (!/^C[A-Z0-9]+$/.test(args.channel)) return json(res, 200, { ok: false, error: 'channel_not_found' }); // needs the id, not the name
        const m = messages.find((x) => x.channel === args.channel && x.ts === args.ts);
        if (!m) return json(res, 200, { ok: false, error: 'message_not_found' });
        Object.assign(m, { text: args.text, blocks: args.blocks ?? m.blocks, metadata: args.metadata ?? m.metadata, edits: m.edits + 1 });
        return json(res, 200, { ok: true, channel: m.channel, ts: m.ts, text: m.text });
      }
      case 'conversations.history': {
        const ch = channels.find((x) => x.id === args.channel);
        if (!ch) return json(res, 200, { ok: false, error: 'channel_not_found' });
        const withMeta = args.include_all_metadata === 'true' || args.include_all_metadata === true;
        const list = messages
          .filter((m) => m.channel === ch.id && Number(m.ts) >= Number(args.oldest ?? 0))
          .slice()
          .reverse()
          .slice(0, Number(args.limit ?? 100))
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMeta && m.metadata ? { metadata: m.metadata } : {}) }));
        return json(res, 200, { ok: true, messages: list, has_more: false, response_metadata: { next_cursor: '' } });
      }
      case 'conversations.list':
        return json(res, 200, { ok: true, channels: channels.map((c) => ({ ...c, is_channel: true })), response_metadata: { next_cursor: '' } });
      default:
        return json(res, 200, { ok: false, error: 'unknown_method' });
    }
  }, (status) => (status === 429 ? { ok: false, error: 'ratelimited' } : 'internal_error'));
  // Timestamps are "now" so the history window finds them.
  clock = Math.floor(Date.now() / 1000);
  return Object.assign(s, { token, webhookPath, webhookUrl: `${s.url}${webhookPath}`, channels, messages, webhookPosts });
}

// ─── PagerDuty ──────────────────────────────────────────────────────────────────────────────

export interface PagerDutyStandin extends Standin {
  routingKey: string;
  events: any[];
  changes: any[];
  /** Open/resolved alerts by dedup_key. */
  alerts: Map<string, { status: 'triggered' | 'resolved'; triggers: number }>;
}

export async function startPagerDuty(): Promise<PagerDutyStandin> {
  const routingKey = Array.from({ length: 32 }, () => 'abcdef0123456789'[Math.floor(Math.random() * 16)]).join('');
  const events: any[] = [];
  const changes: any[] = [];
  const alerts = new Map<string, { status: 'triggered' | 'resolved'; triggers: number }>();
  const invalid = (res: ServerResponse, ...errors: string[]) => json(res, 400, { status: 'invalid event', message: 'Event object is invalid', errors });
  const s = await standin((req, res, url) => {
    let body: any;
    try {
      body = JSON.parse(req.body);
    } catch {
      return invalid(res, 'Could not parse JSON');
    }
    if (body.routing_key !== routingKey) return invalid(res, "'routing_key' is invalid");
    if (url.pathname === '/v2/change/enqueue') {
      if (!body.payload?.summary || !body.payload?.source) return invalid(res, "'payload.summary' and 'payload.source' are required");
      changes.push(body);
      return json(res, 202, { status: 'success', message: 'Change event processed' });
    }
    if (url.pathname !== '/v2/enqueue') return json(res, 404, { status: 'not found' });
    if (!['trigger', 'acknowledge', 'resolve'].includes(body.event_action)) return invalid(res, "'event_action' is invalid");
    if (body.dedup_key && String(body.dedup_key).length > 255) return invalid(res, "'dedup_key' must be at most 255 characters");
    if (body.event_action === 'trigger') {
      const p = body.payload ?? {};
      if (!p.summary || !p.source || !['critical', 'error', 'warning', 'info'].includes(p.severity)) return invalid(res, "'payload' needs summary, source and a valid severity");
      if (String(p.summary).length > 1024) return invalid(res, "'payload.summary' must be at most 1024 characters");
    } else if (!body.dedup_key) return invalid(res, "'dedup_key' is required for resolve and acknowledge");
    events.push(body);
    const key = body.dedup_key ?? `gen-${events.length}`;
    const alert = alerts.get(key);
    if (body.event_action === 'trigger') alerts.set(key, { status: 'triggered', triggers: (alert?.status === 'triggered' ? alert.triggers : 0) + 1 });
    if (body.event_action === 'resolve' && alert) alert.status = 'resolved';
    return json(res, 202, { status: 'success', message: 'Event processed', dedup_key: key });
  }, (status) => (status === 429 ? { status: 'throttle event', message: 'Requests for this service are arriving too quickly' } : { status: 'error', message: 'internal error' }));
  return Object.assign(s, { routingKey, events, changes, alerts });
}

// ─── Sentry ─────────────────────────────────────────────────────────────────────────────────

export interface SentryStandin extends Standin {
  token: string;
  releases: Map<string, { version: string; projects: string[]; dateReleased: string | null; refs?: unknown; deploys: Array<{ id: string; environment: string; name: string; url?: string }> }>;
}

export async function startSentry(options: { org?: string } = {}): Promise<SentryStandin> {
  const org = options.org ?? 'acme';
  const token = `sntrys_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const releases: SentryStandin['releases'] = new Map();
  let deployId = 1;
  const s = await standin((req, res, url) => {
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { detail: 'Invalid token' });
    const m = /^\/api\/0\/organizations\/([^/]+)\/releases\/(?:([^/]+)\/(deploys\/)?)?$/.exec(url.pathname);
    if (!m || decodeURIComponent(m[1]!) !== org) return json(res, 404, { detail: 'The requested resource does not exist' });
    const version = m[2] ? decodeURIComponent(m[2]) : undefined;
    const body = req.body ? JSON.parse(req.body) : {};
    if (!version && req.method === 'POST') {
      if (!body.version || !Array.isArray(body.projects) || !body.projects.length) return json(res, 400, { version: ['This field is required.'] });
      const existing = releases.get(body.version);
      if (existing) return json(res, 208, { version: existing.version, dateReleased: existing.dateReleased });
      const r = { version: body.version, projects: body.projects, dateReleased: null, refs: body.refs, deploys: [] };
      releases.set(body.version, r);
      return json(res, 201, { version: r.version, dateReleased: null, projects: body.projects.map((slug: string) => ({ slug })) });
    }
    const r = version ? releases.get(version) : undefined;
    if (!r) return json(res, 404, { detail: 'The requested resource does not exist' });
    if (!m[3]) {
      if (req.method === 'PUT') {
        if (body.dateReleased) r.dateReleased = body.dateReleased;
        return json(res, 200, { version: r.version, dateReleased: r.dateReleased });
      }
      return json(res, 200, { version: r.version, dateReleased: r.dateReleased });
    }
    if (req.method === 'POST') {
      if (!body.environment) return json(res, 400, { environment: ['This field is required.'] });
      const d = { id: String(deployId++), environment: body.environment, name: body.name, url: body.url };
      r.deploys.push(d);
      return json(res, 201, d);
    }
    return json(res, 200, r.deploys);
  }, (status) => ({ detail: status === 429 ? 'You are attempting to use this endpoint too frequently.' : status === 409 ? 'Release with this version already exists.' : 'Internal Error' }));
  return Object.assign(s, { token, releases });
}

// ─── Teams, Discord ─────────────────────────────────────────────────────────────────────────

export interface CardStandin extends Standin {
  path: string;
  hookUrl: string;
  posts: any[];
}

export async function startTeams(): Promise<CardStandin> {
  const path = `/workflows/${Math.random().toString(36).slice(2, 12)}/triggers/manual/paths/invoke`;
  const posts: any[] = [];
  const s = await standin((req, res, url) => {
    if (url.pathname !== path) return json(res, 404, { error: { code: 'WorkflowNotFound' } });
    const body = JSON.parse(req.body);
    const card = body.attachments?.[0];
    if (body.type !== 'message' || card?.contentType !== 'application/vnd.microsoft.card.adaptive' || card.content?.type !== 'AdaptiveCard') {
      return json(res, 400, { error: { code: 'InvalidRequestContent', message: 'The request must be a message with an Adaptive Card attachment.' } });
    }
    posts.push(body);
    res.writeHead(202);
    res.end();
  });
  return Object.assign(s, { path, hookUrl: `${s.url}${path}`, posts });
}

export async function startDiscord(): Promise<CardStandin> {
  const path = `/api/webhooks/1234567890/${Math.random().toString(36).slice(2, 14)}`;
  const posts: any[] = [];
  let id = 1_100_000_000_000_000_000n;
  const s = await standin((req, res, url) => {
    if (url.pathname !== path) return json(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
    const body = JSON.parse(req.body);
    if (!body.content && !body.embeds?.length) return json(res, 400, { message: 'Cannot send an empty message', code: 50006 });
    posts.push(body);
    if (url.searchParams.get('wait') !== 'true') return void (res.writeHead(204), res.end());
    return json(res, 200, { id: String(id++), type: 0, content: body.content ?? '', embeds: body.embeds, webhook_id: '1234567890' });
  }, (status) => (status === 429 ? { message: 'You are being rate limited.', retry_after: 0.5, global: false } : { message: '500: Internal Server Error', code: 0 }));
  return Object.assign(s, { path, hookUrl: `${s.url}${path}`, posts });
}

// ─── A signed-webhook receiver ──────────────────────────────────────────────────────────────

export interface WebhookReceiver extends Standin {
  hookUrl: string;
  secret: string;
  /** Verified deliveries, by webhook-id (a repeated id is counted, not stored twice). */
  deliveries: Map<string, { body: any; headers: Record<string, unknown>; times: number }>;
  /** Why deliveries were refused (signature failures). */
  rejected: string[];
}

/** `style: standard` verifies with the standardwebhooks reference library; `github` checks X-Hub-Signature-256. */
export async function startWebhookReceiver(options: { style?: 'standard' | 'github'; secret?: string } = {}): Promise<WebhookReceiver> {
  const style = options.style ?? 'standard';
  const secret = options.secret ?? (style === 'standard' ? `whsec_${Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64')}` : `gh-${Math.random().toString(36).slice(2)}`);
  const deliveries: WebhookReceiver['deliveries'] = new Map();
  const path = `/hooks/${Math.random().toString(36).slice(2, 10)}`;
  const rejected: string[] = [];
  const s = await standin((req, res, url) => {
    if (url.pathname !== path) return json(res, 404, { error: 'not found' });
    let body: any;
    try {
      if (style === 'standard') body = new Webhook(secret).verify(req.body, req.headers as Record<string, string>);
      else {
        const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`);
        const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? ''));
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
        body = JSON.parse(req.body);
      }
    } catch (error) {
      rejected.push((error as Error).message);
      return json(res, 401, { error: `signature did not verify: ${(error as Error).message}` });
    }
    const id = String(req.headers['webhook-id']);
    const seen = deliveries.get(id);
    if (seen) seen.times++;
    else deliveries.set(id, { body, headers: req.headers, times: 1 });
    res.writeHead(204);
    res.end();
  });
  return Object.assign(s, { hookUrl: `${s.url}${path}`, secret, deliveries, rejected });
}
