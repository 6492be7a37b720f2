/**
 * Runs smoke checks against a deployment and returns a structured report. Knows nothing about
 * the GitHub runner: smoke-test, deploy-blue-green, canary-shift and preflight all call it.
 *
 * Retrying: an answer that means "not ready yet" — connection refused or reset, a timeout, 404,
 * 408, 425, 429 or 5xx — is retried until the `deadline`, waiting `retryDelayMs` and then 1.5×
 * longer each time (up to 10 s, or longer when the server's Retry-After says so). Any other
 * wrong answer (a 401, a body or JSON that does not match, a latency over budget, an unhealthy
 * health document) is tried at most `attempts` times. Certificate errors are not retried.
 * No attempt starts after the deadline; one in flight ends within its timeout.
 */
import { formatDuration } from '../core/duration.js';
import { errorCode, parseRetryAfter, sleep } from '../core/net.js';
import { CancelledError } from '../core/errors.js';
import { statusMatches, textMatches, matchJson, type Check } from './checks.js';
import { readHealth, type HealthReading } from './health.js';
import type { CertificateInfo } from './tls.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'cancelled';
export type SecurityHeadersMode = 'off' | 'warn' | 'error';

export interface SmokeOptions {
  /** Base URL the checks' paths are joined to; not needed when every check has a full url. */
  baseUrl?: string;
  /**
   * Sent on every check (often secrets). With a `baseUrl`, only to the base URL's origin: a check
   * on another host (a status page, a CDN) does not receive them. Never across a redirect to another host.
   */
  headers?: Record<string, string>;
  timeoutMs?: number;
  attempts?: number;
  retryDelayMs?: number;
  /** From the start of the run; no attempt starts after it. */
  deadlineMs?: number;
  concurrency?: number;
  /** Warn when an https certificate expires in fewer days; 0 turns the check off. */
  tlsMinDays?: number;
  securityHeaders?: SecurityHeadersMode;
  failOnWarning?: boolean;
  signal?: AbortSignal;
  /**
   * Which HTTP statuses mean "not ready yet" (retried until the deadline) rather than a wrong
   * answer (tried `attempts` times). Default: 404, 408, 425, 429 and every 5xx.
   */
  notReady?: (status: number) => boolean;
  /** Called after each retryable failure, before the wait. */
  onRetry?: (event: { check: Check; attempt: number; delayMs: number; reason: string }) => void;
  /** Called when a check is decided. */
  onResult?: (result: CheckResult) => void;
}

export interface CheckResult {
  name: string;
  method: string;
  /** The URL requested, without credentials. */
  url: string;
  status: CheckStatus;
  httpStatus?: number;
  /** Time to the full answer of the deciding attempt. */
  latencyMs?: number;
  attempts: number;
  /** Why it failed (empty when it passed). */
  problems: string[];
  warnings: string[];
  health?: HealthReading;
  /** Security headers that are missing or weak. */
  securityHeaders?: string[];
  /** The URL after redirects, when it differs. */
  finalUrl?: string;
  file?: string;
  line?: number;
}

export interface TlsResult extends CertificateInfo {
  status: 'pass' | 'warn' | 'fail';
  problem?: string;
}

export interface SmokeReport {
  passed: boolean;
  cancelled: boolean;
  total: number;
  passedCount: number;
  warningCount: number;
  failedCount: number;
  p50Ms?: number;
  p95Ms?: number;
  maxMs?: number;
  durationMs: number;
  baseUrl?: string;
  checks: CheckResult[];
  tls: TlsResult[];
  options: { timeoutMs: number; attempts: number; retryDelayMs: number; deadlineMs: number; concurrency: number; tlsMinDays: number; securityHeaders: SecurityHeadersMode; failOnWarning: boolean };
}

export const SMOKE_DEFAULTS = {
  timeoutMs: 10_000,
  attempts: 3,
  retryDelayMs: 2_000,
  deadlineMs: 120_000,
  concurrency: 8,
  tlsMinDays: 14,
  securityHeaders: 'warn' as SecurityHeadersMode,
  failOnWarning: false,
};

const MAX_DELAY_MS = 10_000;
const MAX_BODY = 2 * 1024 * 1024;
const MAX_REDIRECTS = 10;

/** Resolves a check's URL against the base. Throws when a path has no base to join. */
export function checkUrl(check: Check, baseUrl?: string): URL {
  if (check.url) return new URL(check.url);
  if (!baseUrl) throw new Error(`check '${check.name}' has a path but there is no base url`);
  const base = new URL(baseUrl);
  const [pathPart, ...rest] = (check.path ?? '/').split('?');
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(base.origin);
  url.username = base.username;
  url.password = base.password;
  url.pathname = `${prefix}${pathPart!.startsWith('/') ? '' : '/'}${pathPart}`;
  url.search = rest.length ? `?${rest.join('?')}` : base.search;
  return url;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Outcome {
  httpStatus?: number;
  latencyMs?: number;
  problems: string[];
  warnings: string[];
  /** 'not-ready': retry until the deadline; 'again': retry while attempts remain; 'never'. */
  retry: 'not-ready' | 'again' | 'never';
  retryAfterMs?: number;
  health?: HealthReading;
  securityHeaders?: string[];
  finalUrl?: string;
}

const NOT_READY_STATUS = (s: number) => s === 404 || s === 408 || s === 425 || s === 429 || s >= 500;

/** A network failure in words, and whether it is worth retrying. */
export function describeNetworkError(error: unknown, timeoutMs: number): { message: string; retry: Outcome['retry'] } {
  const code = errorCode(error);
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { message: `no answer within ${formatMs(timeoutMs)}`, retry: 'not-ready' };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { message: 'connection refused', retry: 'not-ready' };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
    case 'UND_ERR_CLOSED':
      return { message: 'connection reset before an answer', retry: 'not-ready' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: 'host not found (DNS)', retry: 'not-ready' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return { message: `host unreachable (${code})`, retry: 'not-ready' };
    case 'CERT_HAS_EXPIRED':
      return { message: 'the TLS certificate has expired', retry: 'never' };
    case 'CERT_NOT_YET_VALID':
      return { message: 'the TLS certificate is not valid yet', retry: 'never' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { message: 'the TLS certificate does not cover this host name', retry: 'never' };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return { message: `the TLS certificate is not trusted (${code}); for a private CA set NODE_EXTRA_CA_CERTS`, retry: 'never' };
  }
  const deepest = (() => {
    let e: unknown = error;
    while ((e as { cause?: unknown })?.cause) e = (e as { cause: unknown }).cause;
    return e instanceof Error ? e.message : String(e);
  })();
  return { message: `request failed: ${deepest}${code ? ` (${code})` : ''}`, retry: 'not-ready' };
}

export function formatMs(ms: number): string {
  return formatDuration(ms);
}

/** Missing or weak security headers of one answer. */
export function securityHeaderFindings(headers: Headers, https: boolean, html: boolean): string[] {
  const found: string[] = [];
  if (https) {
    const hsts = headers.get('strict-transport-security');
    const maxAge = hsts ? /max-age\s*=\s*"?(\d+)/i.exec(hsts)?.[1] : undefined;
    if (!hsts) found.push('no Strict-Transport-Security');
    else if (maxAge === undefined || Number(maxAge) === 0) found.push('Strict-Transport-Security has no max-age');
    else if (Number(maxAge) < 15_552_000) found.push(`Strict-Transport-Security max-age ${maxAge}s is under 180 days`);
  }
  const xcto = headers.get('x-content-type-options');
  if (!xcto) found.push('no X-Content-Type-Options');
  else if (xcto.trim().toLowerCase() !== 'nosniff') found.push(`X-Content-Type-Options is "${xcto}", not nosniff`);
  if (html) {
    const csp = headers.get('content-security-policy');
    if (!csp) found.push('no Content-Security-Policy');
    const xfo = headers.get('x-frame-options');
    const frameAncestors = csp ? /(^|;)\s*frame-ancestors\s/i.test(csp) : false;
    if (!xfo && !frameAncestors) found.push('no X-Frame-Options (nor CSP frame-ancestors)');
    else if (xfo && !/^(deny|sameorigin)$/i.test(xfo.trim())) found.push(`X-Frame-Options is "${xfo}", not DENY or SAMEORIGIN`);
  }
  return found;
}

interface Context {
  options: Required<Omit<SmokeOptions, 'onRetry' | 'onResult' | 'signal' | 'baseUrl' | 'headers' | 'notReady'>> & SmokeOptions;
  deadline: number;
  signal?: AbortSignal;
  /** The only origin the `headers` go to (the base URL's); undefined = every check's. */
  headersOrigin?: string;
}

function splitCredentials(url: URL): { url: URL; authorization?: string } {
  if (!url.username && !url.password) return { url };
  const clean = new URL(url);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  clean.username = '';
  clean.password = '';
  return { url: clean, authorization: auth };
}

async function attempt(check: Check, target: URL, ctx: Context): Promise<Outcome> {
  const { options } = ctx;
  const timeoutMs = check.timeoutMs ?? options.timeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const started = performance.now();
  let url = target;
  let method = check.method;
  let body = check.body;
  let response: Response;
  let text: string;
  let redirects = 0;
  let sendGlobalHeaders = ctx.headersOrigin === undefined || target.origin === ctx.headersOrigin;
  try {
    for (;;) {
      const { url: clean, authorization } = splitCredentials(url);
      const headers = new Headers();
      if (sendGlobalHeaders) for (const [k, v] of Object.entries(options.headers ?? {})) headers.set(k, v);
      if (authorization) headers.set('authorization', authorization);
      for (const [k, v] of Object.entries(check.headers)) headers.set(k, v);
      if (!headers.has('user-agent')) headers.set('user-agent', 'gantry-smoke-test/1');
      response = await fetch(clean, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, redirect: 'manual', signal });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location && redirects < MAX_REDIRECTS) {
        await response.body?.cancel().catch(() => {});
        const next = new URL(location, clean);
        // Secret headers never follow a redirect to another host.
        const upgrade = clean.protocol === 'http:' && next.protocol === 'https:' && next.hostname === clean.hostname;
        if (next.origin !== clean.origin && !upgrade) sendGlobalHeaders = false;
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        url = next;
        redirects++;
        continue;
      }
      text = await readBody(response);
      break;
    }
  } catch (error) {
    if (ctx.signal?.aborted) throw new CancelledError();
    const { message, retry } = describeNetworkError(timeout.aborted ? Object.assign(new Error('timeout'), { name: 'TimeoutError' }) : error, timeoutMs);
    return { problems: [message], warnings: [], retry };
  }
  const latencyMs = Math.round(performance.now() - started);
  const status = response.status;
  const problems: string[] = [];
  const warnings: string[] = [];
  let retry: Outcome['retry'] = 'again';
  const finalUrl = redirects ? splitCredentials(url).url.toString() : undefined;
  const outcome: Outcome = { httpStatus: status, latencyMs, problems, warnings, retry, finalUrl };

  if (!statusMatches(check.expectStatus, status)) {
    // A health document explains itself below; for anything else the start of the body helps.
    const explained = check.health && !readHealth(text).problem;
    problems.push(`HTTP ${status}, expected ${check.expectStatus.text}${explained ? '' : snippet(text)}`);
    if ((options.notReady ?? NOT_READY_STATUS)(status)) retry = 'not-ready';
    outcome.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  }
  if (check.expectBody && !textMatches(check.expectBody, text)) {
    problems.push(`body does not ${check.expectBody.regex ? 'match' : 'contain'} ${JSON.stringify(check.expectBody.text)}${snippet(text)}`);
  }
  if (check.expectJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      doc = undefined;
      problems.push(`body is not JSON${snippet(text)}`);
    }
    if (doc !== undefined) problems.push(...matchJson(doc, check.expectJson));
  }
  if (check.health) {
    const reading = readHealth(text);
    outcome.health = reading;
    if (reading.problem) problems.push(reading.problem);
    else if (reading.status === 'fail') {
      problems.push(`unhealthy${reading.said ? ` (status "${reading.said}")` : ''}${reading.failing.length ? `: failing ${reading.failing.join(', ')}` : ''}`);
    } else if (reading.status === 'warn') {
      const parts = [...reading.failing.map((f) => `${f} failing`), ...reading.warning];
      warnings.push(`degraded${reading.said ? ` (status "${reading.said}")` : ''}${parts.length ? `: ${parts.join(', ')}` : ''}`);
    }
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    problems.push(`took ${formatMs(latencyMs)}, over the ${formatMs(check.maxLatencyMs)} budget`);
  }
  if (options.securityHeaders !== 'off' && !check.health && status >= 200 && status < 300 && check.method !== 'HEAD' && check.method !== 'OPTIONS') {
    const html = /text\/html|application\/xhtml/i.test(response.headers.get('content-type') ?? '');
    const findings = securityHeaderFindings(response.headers, url.protocol === 'https:', html);
    if (findings.length) {
      outcome.securityHeaders = findings;
      if (options.securityHeaders === 'error') {
        problems.push(`security headers: ${findings.join(', ')}`);
        // Retrying will not add a header; say so once rather than three times.
        if (problems.length === 1) retry = 'never';
      } else warnings.push(`security headers: ${findings.join(', ')}`);
    }
  }
  outcome.retry = retry;
  return outcome;
}

async function readBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size <= MAX_BODY) chunks.push(value);
    else {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return '';
  return ` — body: ${t.length > 100 ? `${t.slice(0, 99)}…` : t}`;
}

async function runCheck(check: Check, ctx: Context, onRetry: SmokeOptions['onRetry']): Promise<CheckResult> {
  const { options } = ctx;
  let target: URL;
  target = checkUrl(check, options.baseUrl);
  const shownUrl = splitCredentials(target).url.toString();
  const base: Omit<CheckResult, 'status' | 'attempts' | 'problems' | 'warnings'> = { name: check.name, method: check.method, url: shownUrl, file: check.file, line: check.line };
  let attempts = 0;
  let wrongAnswers = 0;
  let delay = options.retryDelayMs;
  let last: Outcome | undefined;
  for (;;) {
    if (ctx.signal?.aborted) return { ...base, status: 'cancelled', attempts, problems: ['cancelled'], warnings: [], httpStatus: last?.httpStatus };
    attempts++;
    let outcome: Outcome;
    try {
      outcome = await attempt(check, target, ctx);
    } catch (error) {
      if (error instanceof CancelledError || ctx.signal?.aborted) {
        return { ...base, status: 'cancelled', attempts, problems: ['cancelled'], warnings: [], httpStatus: last?.httpStatus };
      }
      throw error;
    }
    last = outcome;
    const result = (status: CheckStatus, extra: string[] = []): CheckResult => ({
      ...base,
      status,
      httpStatus: outcome.httpStatus,
      latencyMs: outcome.latencyMs,
      attempts,
      problems: [...outcome.problems, ...extra],
      warnings: outcome.warnings,
      health: outcome.health,
      securityHeaders: outcome.securityHeaders,
      finalUrl: outcome.finalUrl,
    });
    if (outcome.problems.length === 0) return result(outcome.warnings.length ? 'warn' : 'pass');
    if (outcome.retry === 'again') wrongAnswers++;
    const left = ctx.deadline - Date.now();
    if (outcome.retry === 'never') return result('fail');
    if (outcome.retry === 'again' && wrongAnswers >= options.attempts) return result('fail');
    if (left <= 0) {
      return result('fail', outcome.retry === 'not-ready' ? [`still not ready at the deadline (${formatMs(options.deadlineMs)})`] : []);
    }
    const jittered = Math.round(delay * (0.9 + Math.random() * 0.2));
    const wait = Math.min(Math.max(jittered, outcome.retryAfterMs ?? 0), left);
    onRetry?.({ check, attempt: attempts, delayMs: wait, reason: outcome.problems[0]! });
    try {
      await sleep(wait, ctx.signal);
    } catch {
      return { ...result('cancelled'), problems: [...outcome.problems, 'cancelled while waiting to retry'] };
    }
    delay = Math.min(Math.round(delay * 1.5), Math.max(MAX_DELAY_MS, options.retryDelayMs));
  }
}

/** Runs the checks (at most `concurrency` at a time) and reports. Throws nothing for failing checks. */
export async function runSmokeChecks(checks: Check[], smokeOptions: SmokeOptions = {}): Promise<SmokeReport> {
  const started = Date.now();
  const options = { ...SMOKE_DEFAULTS, ...stripUndefined(smokeOptions) };
  for (const check of checks) checkUrl(check, options.baseUrl); // fail fast on a path without a base
  const ctx: Context = {
    options,
    deadline: started + options.deadlineMs,
    signal: options.signal,
    headersOrigin: options.baseUrl ? new URL(options.baseUrl).origin : undefined,
  };
  const results: CheckResult[] = new Array(checks.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, checks.length)) }, async () => {
    while (next < checks.length) {
      const i = next++;
      results[i] = await runCheck(checks[i]!, ctx, options.onRetry);
      options.onResult?.(results[i]!);
    }
  });
  await Promise.all(workers);

  const cancelled = Boolean(options.signal?.aborted) || results.some((r) => r.status === 'cancelled');
  const tls: TlsResult[] = [];
  if (!cancelled && options.tlsMinDays > 0) {
    const origins = [...new Set(results.filter((r) => r.httpStatus !== undefined && r.url.startsWith('https:')).map((r) => new URL(r.url).origin))];
    // node:tls costs ~8 ms to load: only when there is an https origin to inspect.
    const { inspectCertificate } = origins.length ? await import('./tls.js') : { inspectCertificate: undefined };
    const infos = await Promise.all(origins.map((origin) => inspectCertificate!(origin, { timeoutMs: options.timeoutMs, signal: options.signal })));
    for (const info of infos) {
      if (info.error) tls.push({ ...info, status: 'warn', problem: `could not read the certificate: ${info.error}` });
      else if (info.untrusted) tls.push({ ...info, status: 'fail', problem: `not trusted: ${info.untrusted}` });
      else if (info.daysLeft !== undefined && info.daysLeft < options.tlsMinDays) {
        tls.push({ ...info, status: 'warn', problem: `expires in ${info.daysLeft} day${info.daysLeft === 1 ? '' : 's'} (${info.validTo!.slice(0, 10)}), under the ${options.tlsMinDays}-day minimum` });
      } else tls.push({ ...info, status: 'pass' });
    }
  }

  const latencies = results.filter((r) => r.latencyMs !== undefined).map((r) => r.latencyMs!);
  const failedCount = results.filter((r) => r.status === 'fail' || r.status === 'cancelled').length;
  const warningCount = results.filter((r) => r.status === 'warn').length + tls.filter((t) => t.status === 'warn').length;
  const tlsFailed = tls.some((t) => t.status === 'fail');
  return {
    passed: !cancelled && failedCount === 0 && !tlsFailed && !(options.failOnWarning && warningCount > 0),
    cancelled,
    total: results.length,
    passedCount: results.filter((r) => r.status === 'pass' || r.status === 'warn').length,
    warningCount,
    failedCount,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    maxMs: latencies.length ? Math.max(...latencies) : undefined,
    durationMs: Date.now() - started,
    baseUrl: options.baseUrl ? splitCredentials(new URL(options.baseUrl)).url.toString() : undefined,
    checks: results,
    tls,
    options: {
      timeoutMs: options.timeoutMs,
      attempts: options.attempts,
      retryDelayMs: options.retryDelayMs,
      deadlineMs: options.deadlineMs,
      concurrency: options.concurrency,
      tlsMinDays: options.tlsMinDays,
      securityHeaders: options.securityHeaders,
      failOnWarning: options.failOnWarning,
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
