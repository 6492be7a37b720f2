/**
 * Where measurements come from: probes (synthetic requests through the smoke engine, at a set
 * rate, to the canary-only URL and to stable), a Prometheus instant query, a generic JSON metric
 * (any HTTP API: Datadog, New Relic, Grafana…: URL + JSON path). Each reading is a plain value for
 * the pure judge (judge.ts); a source that cannot answer gives "no data" with the reason.
 */
import { z } from 'zod';
import { errorMessage } from '../core/errors.js';
import { fetchWithTimeout, HttpError, parseRetryAfter, retry } from '../core/net.js';
// Not the smoke barrel: it loads node:tls for certificate checks, which probes never make.
import { parseJsonPath, valueAt, type Check } from '../smoke/checks.js';
import { runSmokeChecks } from '../smoke/engine.js';
import type { MetricReading, Probe } from './judge.js';

export interface ProberOptions {
  baseUrl: string;
  checks: Check[];
  /** Rounds per second; each round sends every check once. */
  ratePerSecond: number;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  /** Rounds in flight at most; a round that would exceed it is skipped (and counted). */
  maxInFlight?: number;
}

/** Sends probes at a steady rate until stopped; `take()` hands over what came back since the last take. */
export class Prober {
  private buffer: Probe[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<Promise<void>>();
  skipped = 0;
  sent = 0;

  constructor(private readonly options: ProberOptions) {}

  start(): this {
    const every = Math.max(1, Math.round(1000 / this.options.ratePerSecond));
    this.round();
    this.timer = setInterval(() => this.round(), every);
    return this;
  }

  private round(): void {
    if (this.options.signal.aborted) return;
    if (this.inFlight.size >= (this.options.maxInFlight ?? 32)) {
      this.skipped++;
      return;
    }
    this.sent += this.options.checks.length;
    // Each round gets its own signal, linked to the job's only while it runs: the smoke engine's
    // AbortSignal.any() on a signal that lives the whole job would keep a reference per request.
    const job = this.options.signal;
    const round = new AbortController();
    const cancel = () => round.abort(job.reason);
    job.addEventListener('abort', cancel, { once: true });
    const p: Promise<void> = runSmokeChecks(this.options.checks, {
      baseUrl: this.options.baseUrl,
      headers: this.options.headers,
      timeoutMs: this.options.timeoutMs,
      attempts: 1,
      deadlineMs: 0,
      concurrency: this.options.checks.length,
      tlsMinDays: 0,
      securityHeaders: 'off',
      signal: round.signal,
    })
      .then((report) => {
        for (const c of report.checks) if (c.status !== 'cancelled') this.buffer.push({ ok: c.status !== 'fail', latencyMs: c.latencyMs });
      })
      .catch(() => {})
      .finally(() => {
        job.removeEventListener('abort', cancel);
        this.inFlight.delete(p);
      });
    this.inFlight.add(p);
  }

  /** The probes answered since the last call. */
  take(): Probe[] {
    const taken = this.buffer;
    this.buffer = [];
    return taken;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
  }
}

// Built on first use (a few ms of every cold start otherwise): only a run with `metrics` needs it.
const buildMetricsSchema = () => {
  const bound = z.number().finite();
  const common = {
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,63}$/, 'use letters, digits and . _ : / - (at most 64)'),
    max: bound.optional(),
    min: bound.optional(),
    headers: z.record(z.string(), z.string()).optional(),
  };
  const httpUrl = z.string().refine((u) => /^https?:\/\/[^\s]+$/.test(u), 'use an absolute http or https URL');
  return z
    .array(
      z.union([
        z.strictObject({ ...common, prometheus: httpUrl, query: z.string().min(1) }),
        z.strictObject({ ...common, url: httpUrl, 'json-path': z.string().refine((p) => typeof parseJsonPath(p) !== 'string', 'use a JSON path such as $.data.value') }),
      ]),
    )
    .superRefine((items, ctx) => {
      items.forEach((m, i) => {
        if (m.max === undefined && m.min === undefined) ctx.addIssue({ code: 'custom', path: [i, 'max'], message: 'give max or min (or both)' });
      });
      const names = items.map((m) => m.name);
      names.forEach((n, i) => {
        if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name ${n} is used twice` });
      });
    });
};
let metrics: ReturnType<typeof buildMetricsSchema> | undefined;
/** The zod schema of the `metrics` input (a YAML list of Prometheus and JSON metrics). */
export function metricsSchema(): ReturnType<typeof buildMetricsSchema> {
  return (metrics ??= buildMetricsSchema());
}
export type MetricSpec = z.output<ReturnType<typeof buildMetricsSchema>>[number];

export interface ReadOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Tries for transient faults (429, 5xx, resets). */
  attempts?: number;
  retryBaseMs?: number;
}

async function getJson(url: string, headers: Record<string, string> | undefined, options: ReadOptions): Promise<unknown> {
  return retry(
    async () => {
      const res = await fetchWithTimeout(url, { timeoutMs: options.timeoutMs, signal: options.signal, headers: { accept: 'application/json', ...headers } });
      const text = await res.text();
      if (!res.ok) throw new HttpError(`answer ${res.status}`, res.status, parseRetryAfter(res.headers.get('retry-after')), text.slice(0, 1000));
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error('the answer is not JSON');
      }
    },
    { attempts: options.attempts ?? 3, baseDelayMs: options.retryBaseMs ?? 200, maxDelayMs: 2_000, signal: options.signal },
  );
}

/** Reads one metric now. Never throws for the source's faults: they are "no data" with the reason. */
export async function readMetric(spec: MetricSpec, options: ReadOptions): Promise<MetricReading> {
  const reading: MetricReading = { name: spec.name, max: spec.max, min: spec.min };
  try {
    reading.value = 'prometheus' in spec ? await prometheusValue(spec.prometheus, spec.query, spec.headers, options) : await jsonValue(spec.url, spec['json-path'], spec.headers, options);
  } catch (error) {
    if (options.signal.aborted) throw error;
    reading.error = errorMessage(error);
  }
  return reading;
}

/** Prometheus HTTP API instant query: a scalar, or a vector with exactly one series. */
export async function prometheusValue(base: string, query: string, headers: Record<string, string> | undefined, options: ReadOptions): Promise<number | undefined> {
  const url = new URL('api/v1/query', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('query', query);
  const doc = (await getJson(url.toString(), headers, options).catch((error: unknown) => {
    throw withPrometheusError(error);
  })) as { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  if (doc.status !== 'success') throw new Error(`Prometheus answered ${doc.status ?? 'without a status'}${doc.error ? `: ${doc.error}` : ''}`);
  const { resultType, result } = doc.data ?? {};
  if (resultType === 'scalar') return toNumber((result as [number, string])[1]);
  if (resultType === 'vector') {
    const series = result as Array<{ value: [number, string] }>;
    if (series.length === 0) return undefined;
    if (series.length > 1) throw new Error(`the query returned ${series.length} series: aggregate it to one (e.g. sum(...))`);
    return toNumber(series[0]!.value[1]);
  }
  throw new Error(`unsupported result type ${resultType}: use an instant vector or scalar query`);
}

/** Prometheus explains a refused query in its error envelope (400 bad_data: "parse error at char 9: …"): say it. */
function withPrometheusError(error: unknown): unknown {
  if (!(error instanceof HttpError) || !error.body) return error;
  try {
    const envelope = JSON.parse(error.body) as { errorType?: unknown; error?: unknown };
    if (typeof envelope.error === 'string') return new Error(`${error.message} (${typeof envelope.errorType === 'string' ? `${envelope.errorType}: ` : ''}${envelope.error.slice(0, 300)})`);
  } catch {
    // not Prometheus' envelope: the status says enough
  }
  return error;
}

export async function jsonValue(url: string, path: string, headers: Record<string, string> | undefined, options: ReadOptions): Promise<number | undefined> {
  const segments = parseJsonPath(path);
  if (typeof segments === 'string') throw new Error(segments);
  const value = valueAt(await getJson(url, headers, options), segments);
  if (value === null || typeof value === 'symbol' || value === undefined) return undefined;
  const n = toNumber(value);
  if (n === undefined) throw new Error(`${path} is ${JSON.stringify(value)}, not a number`);
  return n;
}

function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
