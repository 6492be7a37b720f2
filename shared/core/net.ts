/** Network waits that end: per-request timeouts, retry with backoff, poll until a deadline. All honour cancellation. */
import { formatDuration } from './duration.js';
import { CancelledError, TimeoutError } from './errors.js';

/** An HTTP answer that was not what we needed. `retryAfterMs` comes from the server's Retry-After. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
    readonly body?: string,
  ) {
    super(message);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new CancelledError();
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface FetchOptions extends RequestInit {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** fetch with a per-request timeout (covering headers and body) that also ends on cancellation. */
export async function fetchWithTimeout(url: string | URL, options: FetchOptions): Promise<Response> {
  const { timeoutMs, signal, ...init } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    return await fetch(url, { ...init, signal: combined });
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal);
    if (timeout.aborted) throw new TimeoutError(`no answer within ${timeoutMs}ms`);
    throw error;
  }
}

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

export function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Faults worth another try: connection-level failures, timeouts, 408/425/429 and 5xx. */
export function isTransient(error: unknown): boolean {
  if (error instanceof CancelledError) return false;
  if (error instanceof TimeoutError) return true;
  if (error instanceof HttpError) return error.status === 408 || error.status === 425 || error.status === 429 || error.status >= 500;
  const code = errorCode(error);
  if (code && RETRYABLE_CODES.has(code)) return true;
  return error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message);
}

export interface RetryOptions {
  attempts: number;
  /** First delay; doubles each time, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  retryable?: (error: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Exponential backoff with full jitter; a server's Retry-After wins when it is longer. */
export function backoffDelay(attempt: number, base: number, max: number, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseDelayMs = 500, maxDelayMs = 20_000, signal, retryable = isTransient, onRetry } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error) || signal?.aborted) throw error;
      const serverSays = error instanceof HttpError ? error.retryAfterMs : undefined;
      const delayMs = Math.min(Math.max(backoffDelay(attempt, baseDelayMs, maxDelayMs), serverSays ?? 0), 60_000);
      onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, signal);
    }
  }
}

export interface JsonRequestOptions {
  method: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Per attempt. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** 1 = no retry: for requests that must not be repeated blindly. */
  attempts: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: RetryOptions['onRetry'];
  /** The error's message from the status and the body (e.g. the API's own error code and text). */
  describe?: (status: number, body: string) => string;
}

/**
 * The one JSON REST client: a request with a timeout, retried on transient faults (isTransient:
 * network faults, 408/425/429/5xx, honouring Retry-After), a non-2xx answer as an HttpError.
 */
export async function requestJson<T>(url: string, options: JsonRequestOptions): Promise<T> {
  const { method, body, describe = (status, text) => `${status} ${text.slice(0, 300)}` } = options;
  return retry(
    async () => {
      const res = await fetchWithTimeout(url, {
        method,
        signal: options.signal,
        timeoutMs: options.timeoutMs,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new HttpError(describe(res.status, text), res.status, parseRetryAfter(res.headers.get('retry-after')), text);
      return (text ? JSON.parse(text) : {}) as T;
    },
    { attempts: options.attempts, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs, signal: options.signal, onRetry: options.onRetry },
  );
}

export interface PollOptions {
  /** Absolute deadline (ms since epoch) or a budget from now via `timeoutMs`. */
  timeoutMs: number;
  intervalMs?: number;
  /** The interval grows by 1.5× up to this; 0 keeps it fixed. */
  maxIntervalMs?: number;
  signal?: AbortSignal;
  /** What we are waiting for, for the timeout message. */
  what: string;
}

/**
 * Calls `check` until it returns a value other than undefined, the deadline passes (TimeoutError)
 * or the job is cancelled. Errors from `check` end the wait; make `check` swallow the transient ones.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const { timeoutMs, signal, what } = options;
  const deadline = Date.now() + timeoutMs;
  let interval = options.intervalMs ?? 1000;
  const maxInterval = options.maxIntervalMs ?? interval;
  for (;;) {
    if (signal?.aborted) throw abortReason(signal);
    const value = await check();
    if (value !== undefined) return value;
    const left = deadline - Date.now();
    if (left <= 0) throw new TimeoutError(`timed out after ${formatDuration(timeoutMs)} waiting for ${what}`);
    await sleep(Math.min(interval, left), signal);
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}
