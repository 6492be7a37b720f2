/**
 * Measurement sources. Prometheus: a real `prometheus` (Debian's) scraping instrumented canary and
 * stable apps every second, asked real PromQL; a stand-in of its query API only for what a real
 * server will not do on demand (a 503 to retry, an answer that is not JSON). A JSON metric and the
 * probes against local HTTP servers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judge, metricsSchema, Prober, readMetric, type Gates } from '../../shared/analysis/index.js';
import { defaultCheck } from '../../shared/smoke/index.js';
import { sendTraffic, startMetricsApp, startPrometheus, type MetricsApp, type Prometheus } from '../harness/prometheus.js';

let server: Server;
let base = '';
const seen: string[] = [];
let flaky = 0;
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(`${url.pathname}?${url.searchParams.get('query') ?? ''}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/v1/query') {
      // Only the faults a real Prometheus does not produce on demand.
      const q = url.searchParams.get('query');
      if (q === 'flaky' && flaky > 0 && flaky--) return json(503, { status: 'error' }, { 'retry-after': '0' });
      if (q === 'proxy') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>sign in</html>');
      }
      return json(200, { status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'shop' }, value: [1700000000, '0.0125'] }] } });
    }
    if (url.pathname === '/metric') return json(200, { series: [{ points: [[1, 42.5]] }], label: 'x' });
    if (url.pathname === '/probe') {
      hits++;
      res.writeHead(hits % 4 === 0 ? 500 : 200);
      return res.end('ok');
    }
    json(404, {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const opts = () => ({ signal: new AbortController().signal, timeoutMs: 2000, retryBaseMs: 10 });

describe('Prometheus (a real server scraping canary and stable apps every second)', () => {
  let prometheus: Prometheus;
  let apps: Record<'healthy' | 'erroring' | 'slow' | 'stable', MetricsApp>;
  let traffic: { stop(): Promise<void> };
  let startedAt = 0;

  beforeAll(async () => {
    startedAt = Date.now();
    const [healthy, erroring, slow, stable] = await Promise.all([startMetricsApp(), startMetricsApp({ errorEvery: 10 }), startMetricsApp({ delayMs: 400 }), startMetricsApp()]);
    apps = { healthy: healthy!, erroring: erroring!, slow: slow!, stable: stable! };
    // Three canaries side by side (one job each), all `track="canary"`, and stable: one wait for all.
    prometheus = await startPrometheus([
      ...(['healthy', 'erroring', 'slow'] as const).map((job) => ({ job, targets: [apps[job].target], labels: { track: 'canary' } })),
      { job: 'shop', targets: [apps.stable.target], labels: { track: 'stable' } },
    ]);
    traffic = sendTraffic(Object.values(apps), 40);
    await prometheus.waitForScrapes(4);
    console.log(`prometheus ready in ${prometheus.readyMs} ms; 4 scrapes of every app ${Date.now() - startedAt} ms after the start`);
  }, 60_000);
  afterAll(async () => {
    await traffic?.stop();
    await prometheus?.close();
    await Promise.all(Object.values(apps ?? {}).map((a) => a.close()));
  });

  /** The queries a user writes (README): the 5xx share and p95 of one canary over the last 30 s. */
  const errorRate = (job: string) => `sum(rate(http_requests_total{status=~"5..",track="canary",job="${job}"}[30s])) / sum(rate(http_requests_total{track="canary",job="${job}"}[30s]))`;
  const p95 = (job: string) => `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{track="canary",job="${job}"}[30s])))`;
  const gates: Gates = { maxErrorRate: 0.05, maxP95Ms: 2000, minSamples: 20, onNoData: 'fail' };
  const measure = async (job: string) => {
    const specs = metricsSchema().parse([
      { name: 'canary-error-rate', prometheus: prometheus.url, query: errorRate(job), max: 0.05 },
      { name: 'canary-p95-seconds', prometheus: prometheus.url, query: p95(job), max: 0.25 },
    ]);
    return judge({ metrics: await Promise.all(specs.map((s) => readMetric(s, opts()))) }, gates);
  };

  it('a healthy canary passes: no 5xx, p95 far under 250 ms', async () => {
    const j = await measure('healthy');
    expect(j.verdict, j.reasons.join()).toBe('Successful');
    expect(j.metrics[0]).toMatchObject({ name: 'canary-error-rate', value: 0 });
    expect(j.metrics[1]!.value).toBeGreaterThan(0);
    expect(j.metrics[1]!.value).toBeLessThan(0.25);
  });

  it('a canary answering 10 % errors fails on its error rate, measured by Prometheus', async () => {
    const j = await measure('erroring');
    expect(j.metrics[0]!.value).toBeGreaterThan(0.07);
    expect(j.metrics[0]!.value).toBeLessThan(0.13);
    expect(j.verdict).toBe('Failed');
    expect(j.reasons).toEqual([expect.stringMatching(/^metric canary-error-rate is 0\.\d+, above its max 0\.05$/)]);
  });

  it('a slow canary (400 ms) fails on its histogram p95, its error rate clean', async () => {
    const j = await measure('slow');
    expect(j.metrics[0]!.value).toBe(0);
    // histogram_quantile interpolates inside the 0.25–0.5 s bucket
    expect(j.metrics[1]!.value).toBeGreaterThan(0.25);
    expect(j.metrics[1]!.value).toBeLessThanOrEqual(0.5);
    expect(j.reasons).toEqual([expect.stringMatching(/^metric canary-p95-seconds is 0\.\d+, above its max 0\.25$/)]);
  });

  it('a scalar query is a value; a vector with no series is no data; several series or a bad query say why', async () => {
    const read = (query: string) => readMetric(metricsSchema().parse([{ name: 'q', prometheus: `${prometheus.url}/`, query, max: 100 }])[0]!, opts());
    expect((await read('scalar(count(up == 1))')).value).toBe(4);
    expect(await read('sum(rate(http_requests_total{track="nowhere"}[30s]))')).toEqual({ name: 'q', max: 100, min: undefined });
    expect((await read('up')).error).toBe('the query returned 4 series: aggregate it to one (e.g. sum(...))');
    expect((await read('sum(rate(http_requests_total[30s])')).error).toMatch(/^answer 400 \(bad_data: .*parse error/);
    expect((await read('http_request_duration_seconds_bucket[30s]')).error).toMatch(/^unsupported result type matrix: use an instant vector or scalar query$/);
  });
});

describe('metric sources', () => {
  it('Prometheus (stand-in): a 503 is retried', async () => {
    flaky = 2;
    const r = await readMetric(metricsSchema().parse([{ name: 'f', prometheus: base, query: 'flaky', max: 1 }])[0]!, opts());
    expect(r.value).toBe(0.0125);
    expect(flaky).toBe(0);
    expect(seen).toContain('/api/v1/query?flaky');
  });

  it('Prometheus (stand-in): an answer that is not JSON (a proxy’s login page) is no data with the reason', async () => {
    const r = await readMetric(metricsSchema().parse([{ name: 'p', prometheus: base, query: 'proxy', max: 1 }])[0]!, opts());
    expect(r).toMatchObject({ name: 'p', error: 'the answer is not JSON' });
    expect(r.value).toBeUndefined();
  });

  it('JSON metric: a value at a JSON path', async () => {
    const spec = metricsSchema().parse([{ name: 'dd', url: `${base}/metric`, 'json-path': '$.series[0].points[0][1]', max: 50 }])[0]!;
    expect((await readMetric(spec, opts())).value).toBe(42.5);
    const notNumber = metricsSchema().parse([{ name: 'dd', url: `${base}/metric`, 'json-path': '$.label', max: 50 }])[0]!;
    expect((await readMetric(notNumber, opts())).error).toMatch(/"x", not a number/);
    const missing = metricsSchema().parse([{ name: 'dd', url: `${base}/metric`, 'json-path': '$.nope', max: 50 }])[0]!;
    expect(await readMetric(missing, opts())).toEqual({ name: 'dd', max: 50, min: undefined });
  });

  it('the schema refuses a metric without bounds, twice the same name, or two kinds at once', () => {
    expect(metricsSchema().safeParse([{ name: 'a', prometheus: base, query: 'x' }]).error?.issues[0]!.message).toMatch(/give max or min/);
    expect(metricsSchema().safeParse([{ name: 'a', prometheus: base, query: 'x', max: 1 }, { name: 'a', prometheus: base, query: 'y', max: 1 }]).success).toBe(false);
    expect(metricsSchema().safeParse([{ name: 'a', prometheus: base, query: 'x', url: base, 'json-path': '$.a', max: 1 }]).success).toBe(false);
    expect(metricsSchema().safeParse([{ name: 'a', url: 'ftp://x', 'json-path': '$.a', max: 1 }]).success).toBe(false);
  });
});

describe('Prober', () => {
  it('sends probes at the set rate and hands over what came back', async () => {
    hits = 0;
    const controller = new AbortController();
    const prober = new Prober({ baseUrl: base, checks: [{ ...defaultCheck(), path: '/probe', name: 'probe' }], ratePerSecond: 50, timeoutMs: 1000, signal: controller.signal }).start();
    await new Promise((r) => setTimeout(r, 400));
    await prober.stop();
    const probes = prober.take();
    // 50/s for 0.4 s ≈ 20 (timer jitter on a busy machine: be generous, but not unbounded)
    expect(probes.length).toBeGreaterThanOrEqual(8);
    expect(probes.length).toBeLessThanOrEqual(25);
    expect(probes.filter((p) => !p.ok).length).toBe(Math.floor(hits / 4));
    expect(probes.every((p) => typeof p.latencyMs === 'number')).toBe(true);
    expect(prober.take()).toEqual([]);
  });
});
