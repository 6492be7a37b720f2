/** Measurement sources against real local HTTP servers: Prometheus' query API, a JSON metric, probes. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsSchema, Prober, readMetric } from '../../shared/analysis/index.js';
import { defaultCheck } from '../../shared/smoke/index.js';

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
      const q = url.searchParams.get('query');
      if (q === 'flaky' && flaky > 0 && flaky--) return json(503, { status: 'error' }, { 'retry-after': '0' });
      if (q === 'scalar(1)') return json(200, { status: 'success', data: { resultType: 'scalar', result: [1700000000, '1'] } });
      if (q === 'empty') return json(200, { status: 'success', data: { resultType: 'vector', result: [] } });
      if (q === 'two') return json(200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '1'] }, { metric: {}, value: [1, '2'] }] } });
      if (q === 'bad(') return json(400, { status: 'error', errorType: 'bad_data', error: 'parse error' });
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

describe('metric sources', () => {
  it('Prometheus: one series of an instant vector, or a scalar', async () => {
    const spec = metricsSchema.parse([{ name: 'err', prometheus: base, query: 'sum(rate(x[1m]))', max: 0.05 }])[0]!;
    expect(await readMetric(spec, opts())).toEqual({ name: 'err', value: 0.0125, max: 0.05, min: undefined });
    expect(seen).toContain('/api/v1/query?sum(rate(x[1m]))');
    const scalar = metricsSchema.parse([{ name: 's', prometheus: `${base}/`, query: 'scalar(1)', min: 1 }])[0]!;
    expect((await readMetric(scalar, opts())).value).toBe(1);
  });

  it('Prometheus: no series is no data; several series or a bad query say why', async () => {
    const read = (query: string) => readMetric(metricsSchema.parse([{ name: 'q', prometheus: base, query, max: 1 }])[0]!, opts());
    expect(await read('empty')).toEqual({ name: 'q', max: 1, min: undefined });
    expect((await read('two')).error).toMatch(/2 series: aggregate/);
    expect((await read('bad(')).error).toMatch(/answer 400/);
  });

  it('Prometheus: a 503 is retried', async () => {
    flaky = 2;
    const r = await readMetric(metricsSchema.parse([{ name: 'f', prometheus: base, query: 'flaky', max: 1 }])[0]!, opts());
    expect(r.value).toBe(0.0125);
    expect(flaky).toBe(0);
  });

  it('JSON metric: a value at a JSON path', async () => {
    const spec = metricsSchema.parse([{ name: 'dd', url: `${base}/metric`, 'json-path': '$.series[0].points[0][1]', max: 50 }])[0]!;
    expect((await readMetric(spec, opts())).value).toBe(42.5);
    const notNumber = metricsSchema.parse([{ name: 'dd', url: `${base}/metric`, 'json-path': '$.label', max: 50 }])[0]!;
    expect((await readMetric(notNumber, opts())).error).toMatch(/"x", not a number/);
    const missing = metricsSchema.parse([{ name: 'dd', url: `${base}/metric`, 'json-path': '$.nope', max: 50 }])[0]!;
    expect(await readMetric(missing, opts())).toEqual({ name: 'dd', max: 50, min: undefined });
  });

  it('the schema refuses a metric without bounds, twice the same name, or two kinds at once', () => {
    expect(metricsSchema.safeParse([{ name: 'a', prometheus: base, query: 'x' }]).error?.issues[0]!.message).toMatch(/give max or min/);
    expect(metricsSchema.safeParse([{ name: 'a', prometheus: base, query: 'x', max: 1 }, { name: 'a', prometheus: base, query: 'y', max: 1 }]).success).toBe(false);
    expect(metricsSchema.safeParse([{ name: 'a', prometheus: base, query: 'x', url: base, 'json-path': '$.a', max: 1 }]).success).toBe(false);
    expect(metricsSchema.safeParse([{ name: 'a', url: 'ftp://x', 'json-path': '$.a', max: 1 }]).success).toBe(false);
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
