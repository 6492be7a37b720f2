/**
 * Channels and their delivery: every channel runs at the same time, each inside its own time
 * budget (requests, retries and waits included), so one hanging service costs at most its
 * timeout and never delays the others. Retries honour 429 / Retry-After only while the wait
 * fits the budget; other 4xx answers are final.
 */
import { CancelledError, TimeoutError, errorMessage } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { HttpError, abortReason, errorCode, fetchWithTimeout, isTransient, parseRetryAfter, retry } from '../core/net.js';
import type { Release } from './release.js';

export interface Outcome {
  result: 'delivered' | 'skipped';
  /** What was done, e.g. "updated message 1712.0001 in C123". */
  detail: string;
}

export interface Channel {
  name: string;
  send(release: Release, ctx: SendContext): Promise<Outcome>;
}

export interface SendContext {
  /** Aborted when the channel's time is up or the job is cancelled. */
  signal: AbortSignal;
  /** Milliseconds left in this channel's budget. */
  remaining(): number;
  /** A line for this channel's log group. */
  note(line: string): void;
  /** Counts a request (for the report). */
  requested(): void;
  timeoutMs: number;
}

export interface ChannelReport {
  channel: string;
  result: 'delivered' | 'skipped' | 'failed';
  detail: string;
  requests: number;
  durationMs: number;
  log: string[];
}

export interface DeliverOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called as each channel finishes (in finishing order). */
  onDone?: (report: ChannelReport) => void;
}

export async function deliver(channels: Channel[], release: Release, options: DeliverOptions): Promise<ChannelReport[]> {
  return Promise.all(channels.map((c) => deliverOne(c, release, options).then((r) => (options.onDone?.(r), r))));
}

async function deliverOne(channel: Channel, release: Release, { timeoutMs, signal }: DeliverOptions): Promise<ChannelReport> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  const budget = new AbortController();
  const timer = setTimeout(() => budget.abort(new TimeoutError(`no answer within the channel's timeout (${formatDuration(timeoutMs)})`)), timeoutMs);
  const channelSignal = signal ? AbortSignal.any([signal, budget.signal]) : budget.signal;
  const log: string[] = [];
  let requests = 0;
  const ctx: SendContext = {
    signal: channelSignal,
    remaining: () => Math.max(0, deadline - Date.now()),
    note: (line) => log.push(line),
    requested: () => void requests++,
    timeoutMs,
  };
  // The race bounds even a library that ignores the signal (an SMTP socket, Octokit's throttle queue).
  const ended = new Promise<never>((_, reject) => {
    if (channelSignal.aborted) reject(abortReason(channelSignal));
    channelSignal.addEventListener('abort', () => reject(abortReason(channelSignal)), { once: true });
  });
  try {
    const outcome = await Promise.race([channel.send(release, ctx), ended]);
    return { channel: channel.name, ...outcome, requests, durationMs: Date.now() - started, log };
  } catch (error) {
    const detail = error instanceof CancelledError ? 'cancelled' : errorMessage(error);
    return { channel: channel.name, result: 'failed', detail, requests, durationMs: Date.now() - started, log };
  } finally {
    clearTimeout(timer);
    ended.catch(() => {});
  }
}

/** Runs one request with retries of transient faults while the channel has time; a Retry-After beyond the budget ends it at once. */
export function withRetries<T>(ctx: SendContext, what: string, fn: () => Promise<T>, options: { once?: boolean } = {}): Promise<T> {
  return retrying(ctx, what, () => (ctx.requested(), fn()), options);
}

/**
 * The retry loop itself, for steps that are not idempotent: `fn` gets the attempt number, so a
 * retry can first check whether the earlier attempt landed after all (a post whose answer was lost).
 */
export async function retrying<T>(ctx: SendContext, what: string, fn: (attempt: number) => Promise<T>, options: { once?: boolean } = {}): Promise<T> {
  try {
    return await retry(fn, {
      attempts: options.once ? 1 : 4,
      baseDelayMs: 250,
      maxDelayMs: 4000,
      signal: ctx.signal,
      retryable: (error) => isTransient(error) && !(error instanceof HttpError && (error.retryAfterMs ?? 0) > ctx.remaining()),
      onRetry: ({ attempt, delayMs, error }) => ctx.note(`${what}: ${describeError(error)} (attempt ${attempt}); retrying in ${formatDuration(delayMs)}`),
    });
  } catch (error) {
    if (error instanceof HttpError && error.retryAfterMs !== undefined && error.retryAfterMs > ctx.remaining() && !/beyond the channel's timeout/.test(error.message)) {
      throw new HttpError(`${describeError(error)}; the server asked to wait ${formatDuration(error.retryAfterMs)}, beyond the channel's timeout (${formatDuration(ctx.timeoutMs)})`, error.status, error.retryAfterMs);
    }
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    if (error instanceof HttpError || error instanceof TimeoutError || error instanceof CancelledError) throw error;
    // A reason without URLs; the code stays so an outer loop still knows a transient fault.
    throw Object.assign(new Error(describeError(error)), { code: errorCode(error) });
  }
}

/** A short reason without URLs (a webhook URL is a secret): "HTTP 500 (Server Error)", "DNS lookup failed (ENOTFOUND)". */
export function describeError(error: unknown): string {
  if (error instanceof HttpError) return error.message;
  const code = errorCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS lookup failed (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (code && /CERT|SSL|TLS/i.test(code)) return `TLS failed (${code})`;
  if (code) return `${errorMessage(error).replace(/https?:\/\/\S+/g, '<url>')} (${code})`;
  return errorMessage(error).replace(/https?:\/\/\S+/g, '<url>');
}

export interface HttpAnswer {
  status: number;
  text: string;
  headers: Headers;
  /** The body as JSON, when it is JSON. */
  json?: any;
}

export interface HttpCall {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** Serialised once, here. */
  json?: unknown;
  /** A raw body (already serialised, e.g. signed bytes). */
  body?: string;
  /** Accept this answer (default: 2xx). */
  accept?: (status: number) => boolean;
}

/** One HTTP request inside the channel's budget; an answer that is not accepted is an HttpError with Retry-After. */
export async function request(ctx: SendContext, call: HttpCall): Promise<HttpAnswer> {
  const body = call.body ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
  const headers: Record<string, string> = { 'user-agent': 'gantry-notify', ...(body !== undefined && { 'content-type': 'application/json; charset=utf-8' }), ...call.headers };
  const response = await fetchWithTimeout(call.url, { method: call.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, timeoutMs: Math.max(1, ctx.remaining()), signal: ctx.signal });
  const text = await response.text();
  let json: unknown;
  if (/json/i.test(response.headers.get('content-type') ?? '') || /^\s*[{[]/.test(text)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const accept = call.accept ?? ((s: number) => s >= 200 && s < 300);
  if (!accept(response.status)) {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after')) ?? discordRetryAfter(json);
    throw new HttpError(`HTTP ${response.status}${shortBody(text, json)}`, response.status, retryAfter, text);
  }
  return { status: response.status, text, headers: response.headers, json };
}

/** Discord also says `retry_after` (seconds) in the 429 body. */
function discordRetryAfter(json: unknown): number | undefined {
  const s = (json as { retry_after?: unknown } | undefined)?.retry_after;
  return typeof s === 'number' ? Math.round(s * 1000) : undefined;
}

function shortBody(text: string, json: any): string {
  const said = json?.message ?? json?.detail ?? json?.error ?? json?.errors?.[0] ?? text;
  const line = (typeof said === 'string' ? said : JSON.stringify(said)).replace(/\s+/g, ' ').trim().slice(0, 160);
  return line ? ` (${line})` : '';
}
