/**
 * A real Prometheus (Debian's `prometheus`, installed by scripts/ensure-system.sh) on a free port
 * with a temporary config and data directory, scraping instrumented test apps every second; and
 * those apps: local HTTP servers whose error rate and latency the test sets, exporting a request
 * counter by status and a latency histogram in the text exposition format (written by hand here,
 * as a Prometheus client library would).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Histogram bucket bounds in seconds (the client libraries' defaults). */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsApp {
  url: string;
  /** host:port, for the scrape config. */
  target: string;
  server: Server;
  /** Every n-th request answers 500 (10 = 10 % errors); 0: none. */
  errorEvery: number;
  delayMs: number;
  hits: number;
  close(): Promise<void>;
}

/** An app that serves any path (`/metrics` is the exposition) and counts what it answered. */
export async function startMetricsApp(settings: { errorEvery?: number; delayMs?: number } = {}): Promise<MetricsApp> {
  // Both statuses exist from the start, so a 5xx rate is 0, not "no series", before the first error.
  const requests = new Map<string, number>([['200', 0], ['500', 0]]);
  const buckets = BUCKETS.map(() => 0);
  let count = 0;
  let sum = 0;
  const app: MetricsApp = { url: '', target: '', server: undefined as unknown as Server, errorEvery: settings.errorEvery ?? 0, delayMs: settings.delayMs ?? 0, hits: 0, close: async () => {} };
  app.server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return res.end(exposition(requests, buckets, count, sum));
    }
    const started = process.hrtime.bigint();
    app.hits++;
    const status = app.errorEvery > 0 && app.hits % app.errorEvery === 0 ? 500 : 200;
    setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'boom');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.set(String(status), (requests.get(String(status)) ?? 0) + 1);
      BUCKETS.forEach((le, i) => {
        if (seconds <= le) buckets[i]!++;
      });
      count++;
      sum += seconds;
    }, app.delayMs);
  });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', r));
  const port = (app.server.address() as AddressInfo).port;
  app.target = `127.0.0.1:${port}`;
  app.url = `http://${app.target}`;
  app.close = () => new Promise<void>((r) => {
    app.server.closeAllConnections();
    app.server.close(() => r());
  });
  return app;
}

function exposition(requests: Map<string, number>, buckets: number[], count: number, sum: number): string {
  const lines = ['# HELP http_requests_total Requests answered, by status.', '# TYPE http_requests_total counter'];
  for (const [status, n] of requests) lines.push(`http_requests_total{status="${status}"} ${n}`);
  lines.push('# HELP http_request_duration_seconds Time to answer a request.', '# TYPE http_request_duration_seconds histogram');
  BUCKETS.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${buckets[i]}`));
  lines.push(`http_request_duration_seconds_bucket{le="+Inf"} ${count}`, `http_request_duration_seconds_sum ${sum}`, `http_request_duration_seconds_count ${count}`);
  return `${lines.join('\n')}\n`;
}

/** A scrape job: its apps, with labels Prometheus adds to every series (e.g. `track: canary`). */
export interface ScrapeJob {
  job: string;
  targets: string[];
  labels?: Record<string, string>;
}

export interface Prometheus {
  url: string;
  /** Milliseconds from spawn to /-/ready. */
  readyMs: number;
  /** An instant query's `data` (throws on an error answer). */
  query(promql: string): Promise<{ resultType: string; result: unknown }>;
  /** Waits until every target was scraped at least `scrapes` times (so rate() over a window has points). */
  waitForScrapes(scrapes: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `prometheus` scraping `jobs` every `scrapeIntervalS` seconds; ready when it says so. */
export async function startPrometheus(jobs: ScrapeJob[], options: { scrapeIntervalS?: number; timeoutMs?: number } = {}): Promise<Prometheus> {
  const interval = `${options.scrapeIntervalS ?? 1}s`;
  const dir = mkdtempSync(join(tmpdir(), 'gantry-prometheus-'));
  // JSON is YAML: the config without a YAML writer.
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    scrape_configs: jobs.map((j) => ({ job_name: j.job, static_configs: [{ targets: j.targets, labels: j.labels ?? {} }] })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  let output = '';
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`prometheus exited (${child.exitCode}) before it was ready: ${output.slice(-2000)}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`prometheus was not ready within ${options.timeoutMs ?? 15_000} ms: ${output.slice(-2000)}`);
    }
    await sleep(50);
  }
  const readyMs = Date.now() - started;

  const query = async (promql: string) => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const doc = (await res.json()) as { status: string; error?: string; data: { resultType: string; result: unknown } };
    if (doc.status !== 'success') throw new Error(`prometheus: ${doc.error}`);
    return doc.data;
  };
  const targets = jobs.reduce((n, j) => n + j.targets.length, 0);
  const waitForScrapes = async (scrapes: number, timeoutMs = 20_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      // count_over_time(up[…]) per target: how many scrapes each has had (and all of them up).
      const data = await query(`min(count_over_time(up[5m])) >= ${scrapes} and count(up == 1) == ${targets}`);
      if ((data.result as unknown[]).length > 0) return;
      if (Date.now() > until) throw new Error(`prometheus: the targets were not scraped ${scrapes} times within ${timeoutMs} ms (up: ${JSON.stringify((await query('up')).result)})`);
      await sleep(200);
    }
  };
  return { url, readyMs, query, waitForScrapes, close };
}

/**
 * Traffic to the apps, as production would send it: `ratePerSecond` requests a second to each,
 * until stopped. Answers are not awaited in order (a slow app does not slow the others).
 */
export function sendTraffic(apps: MetricsApp[], ratePerSecond: number): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    for (const a of apps) {
      const p = fetch(`${a.url}/`).then((r) => r.arrayBuffer(), () => undefined);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }, Math.max(1, Math.round(1000 / ratePerSecond)));
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
