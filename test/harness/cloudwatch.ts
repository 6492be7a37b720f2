/**
 * A CloudWatch stand-in speaking the protocol the pinned @aws-sdk/client-cloudwatch (3.1164)
 * uses: AWS JSON 1.0 (`POST /`, `Content-Type: application/x-amz-json-1.0`,
 * `X-Amz-Target: GraniteServiceVersion20100801.<Operation>`, timestamps as epoch seconds) in
 * query-compatible mode (`x-amzn-query-mode: true` in, `x-amzn-query-error: Code;Sender` on
 * errors). Reached through `AWS_ENDPOINT_URL_CLOUDWATCH`.
 *
 * Every request must carry a valid SigV4 signature (service `monitoring`) made with the secret the
 * test gives; a bad one gets `SignatureDoesNotMatch`. GetMetricData aggregates raw datapoints the
 * test puts (or a simulated ALB target group emits) into buckets of `Period` between StartTime
 * and EndTime with the query's `Stat` (Sum, Average, Minimum, Maximum, SampleCount, pNN);
 * DescribeAlarms answers alarm states the test sets. Throttling and 5xx are injectable. Every
 * request is recorded.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

export interface CloudWatchRequest {
  operation: string;
  body: Record<string, any>;
  status: number;
  error?: string;
  at: number;
}

export interface CloudWatchFault {
  operation?: string;
  times: number;
  kind: 'throttle' | 'server-error';
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

interface Series {
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  points: Array<{ t: number; v: number }>;
}

/** What a simulated ALB target group serves: requests per second, the share answered 5xx, the latency. */
export interface TargetGroupTraffic {
  requestsPerSecond: number;
  errorRate: number;
  latencyMs: number;
}

class CwError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** Checks an AWS Signature Version 4 `Authorization` header against the request and the secret. */
export function verifySigV4(req: IncomingMessage, body: Buffer, secret: string, service: string): string | undefined {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return 'missing or malformed Authorization header';
  const [, , date, region, scopeService, signedHeaders, signature] = m as unknown as string[];
  if (scopeService !== service) return `signed for service ${scopeService}, not ${service}`;
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(date!)) return 'x-amz-date does not match the credential scope';
  const names = signedHeaders!.split(';');
  if (!names.includes('host') || !names.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const url = new URL(req.url ?? '/', 'http://x');
  const query = [...url.searchParams].map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]).sort().map(([k, v]) => `${k}=${v}`).join('&');
  const canonical = [req.method, url.pathname, query, canonicalHeaders, signedHeaders, sha256(body)].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date!), region!), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest('hex');
  return expected === signature ? undefined : 'The request signature we calculated does not match the signature you provided.';
}

const dimKey = (namespace: string, metric: string, dims: Record<string, string>) =>
  `${namespace}|${metric}|${Object.entries(dims).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',')}`;

function statOf(values: number[], stat: string): number | undefined {
  if (values.length === 0) return undefined;
  if (stat === 'Sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Average') return values.reduce((a, b) => a + b, 0) / values.length;
  if (stat === 'Minimum') return Math.min(...values);
  if (stat === 'Maximum') return Math.max(...values);
  const p = /^p(\d{1,2}(?:\.\d+)?)$/.exec(stat);
  if (p) {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil((Number(p[1]) / 100) * sorted.length) - 1)];
  }
  throw new CwError('InvalidParameterValue', `The value ${stat} for parameter MetricDataQueries.member.1.MetricStat.Stat is not valid.`);
}

export class CloudWatchStandIn {
  readonly requests: CloudWatchRequest[] = [];
  readonly authorizations: string[] = [];
  readonly alarms = new Map<string, { state: AlarmState; reason: string }>();
  faults: CloudWatchFault[] = [];
  url = '';
  private readonly series = new Map<string, Series>();
  private readonly simulations = new Map<string, { lb: string; tg: string; traffic: TargetGroupTraffic; carry: number; errorCarry: number }>();
  private server?: Server;
  private ticker?: NodeJS.Timeout;

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.ticker = setInterval(() => this.tick(100), 100);
    return this;
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Adds raw datapoints to a metric (what PutMetricData would). */
  put(namespace: string, metric: string, dimensions: Record<string, string>, points: Array<{ t: number; v: number }>): void {
    const key = dimKey(namespace, metric, dimensions);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { namespace, metric, dimensions, points: [] }));
    s.points.push(...points);
    const old = Date.now() - 3 * 3600_000;
    if (s.points.length > 50_000 && s.points[0]!.t < old) s.points = s.points.filter((p) => p.t >= old);
  }

  /**
   * An ALB target group serving traffic from now on (replacing what it served before): every 100 ms
   * its RequestCount, HTTPCode_Target_5XX_Count (only when non-zero, as ALB does) and one
   * TargetResponseTime sample per request (seconds), dimensions LoadBalancer + TargetGroup.
   * `undefined` stops it.
   */
  simulate(loadBalancer: string, targetGroup: string, traffic: TargetGroupTraffic | undefined): void {
    if (!traffic) this.simulations.delete(targetGroup);
    else this.simulations.set(targetGroup, { lb: loadBalancer, tg: targetGroup, traffic, carry: 0, errorCarry: 0 });
  }

  setAlarm(name: string, state: AlarmState, reason = state === 'ALARM' ? 'Threshold Crossed: 1 datapoint [12.0] was greater than the threshold (5.0).' : 'Threshold Crossed: no datapoints were greater than the threshold.'): void {
    this.alarms.set(name, { state, reason });
  }

  calls(operation: string): CloudWatchRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  private tick(ms: number): void {
    const t = Date.now();
    for (const s of this.simulations.values()) {
      const dims = { LoadBalancer: s.lb, TargetGroup: s.tg };
      s.carry += (s.traffic.requestsPerSecond * ms) / 1000;
      const n = Math.floor(s.carry);
      s.carry -= n;
      if (n === 0) continue;
      s.errorCarry += n * s.traffic.errorRate;
      const errors = Math.floor(s.errorCarry + 1e-9);
      s.errorCarry -= errors;
      this.put('AWS/ApplicationELB', 'RequestCount', dims, [{ t, v: n }]);
      if (errors > 0) this.put('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', dims, [{ t, v: errors }]);
      this.put('AWS/ApplicationELB', 'TargetResponseTime', dims, Array.from({ length: n }, (_, i) => ({ t, v: (s.traffic.latencyMs * (0.9 + (0.2 * i) / n)) / 1000 })));
    }
  }

  // ── operations ─────────────────────────────────────────────────────────────

  private opGetMetricData(b: Record<string, any>): unknown {
    const queries: any[] = b.MetricDataQueries ?? [];
    if (queries.length === 0 || queries.length > 500) throw new CwError('InvalidParameterValue', 'MetricDataQueries must have between 1 and 500 members');
    if (typeof b.StartTime !== 'number' || typeof b.EndTime !== 'number') throw new CwError('MissingParameter', 'StartTime and EndTime are required (epoch seconds)');
    const start = b.StartTime * 1000;
    const end = b.EndTime * 1000;
    if (end <= start) throw new CwError('InvalidParameterValue', 'The parameter EndTime must be greater than StartTime.');
    const results = queries.map((q) => {
      if (!/^[a-z][A-Za-z0-9_]*$/.test(q.Id ?? '')) throw new CwError('InvalidParameterValue', `Invalid metric data query id ${q.Id}`);
      const ms = q.MetricStat;
      if (!ms) throw new CwError('InvalidParameterCombination', 'This stand-in answers MetricStat queries only');
      const period = Number(ms.Period);
      if (!(period === 1 || period === 5 || period === 10 || period === 30 || (period >= 60 && period % 60 === 0))) {
        throw new CwError('InvalidParameterValue', `The parameter MetricDataQueries.member.1.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60 (was ${ms.Period}).`);
      }
      const dims = Object.fromEntries((ms.Metric?.Dimensions ?? []).map((d: any) => [d.Name, d.Value]));
      const series = this.series.get(dimKey(ms.Metric?.Namespace, ms.Metric?.MetricName, dims));
      const buckets = new Map<number, number[]>();
      for (const p of series?.points ?? []) {
        if (p.t < start || p.t >= end) continue;
        const bucket = start + Math.floor((p.t - start) / (period * 1000)) * period * 1000;
        let values = buckets.get(bucket);
        if (!values) buckets.set(bucket, (values = []));
        values.push(p.v);
      }
      const newestFirst = [...buckets.keys()].sort((x, y) => y - x);
      return {
        Id: q.Id,
        Label: q.Label ?? ms.Metric?.MetricName,
        Timestamps: newestFirst.map((t) => t / 1000),
        Values: newestFirst.map((t) => statOf(buckets.get(t)!, ms.Stat)!),
        StatusCode: 'Complete',
      };
    });
    return { MetricDataResults: results, Messages: [] };
  }

  private opDescribeAlarms(b: Record<string, any>): unknown {
    const names: string[] = b.AlarmNames ?? [];
    if (names.length > 100) throw new CwError('InvalidParameterValue', 'AlarmNames has more than 100 members');
    const found = names.filter((n) => this.alarms.has(n));
    return {
      MetricAlarms: found.map((n) => {
        const a = this.alarms.get(n)!;
        return { AlarmName: n, AlarmArn: `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${n}`, StateValue: a.state, StateReason: a.reason, StateUpdatedTimestamp: Date.now() / 1000, ActionsEnabled: true, Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' };
      }),
      CompositeAlarms: [],
    };
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    if (req.headers.authorization) this.authorizations.push(String(req.headers.authorization));
    const record: CloudWatchRequest = { operation, body: {}, status: 200, at: Date.now() };
    this.requests.push(record);
    const send = (status: number, payload: unknown, error?: string) => {
      record.status = status;
      record.error = error;
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': `cw-${this.requests.length}`,
        ...(error ? { 'x-amzn-query-error': `${error};${status >= 500 ? 'Receiver' : 'Sender'}` } : {}),
      });
      res.end(text);
    };
    try {
      if (req.method !== 'POST' || req.url !== '/') throw new CwError('InvalidAction', `${req.method} ${req.url}`, 404);
      if (!target.startsWith(TARGET_PREFIX)) throw new CwError('InvalidAction', `unknown target ${target}`);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.0')) throw new CwError('SerializationException', `content-type ${req.headers['content-type']}`);
      const badSignature = verifySigV4(req, raw, this.secret, 'monitoring');
      if (badSignature) throw new CwError(req.headers.authorization ? 'SignatureDoesNotMatch' : 'MissingAuthenticationToken', badSignature, 403);
      const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, any>) : {};
      record.body = body;
      const fault = this.faults.find((f) => f.times > 0 && (!f.operation || f.operation === operation));
      if (fault) {
        fault.times--;
        throw fault.kind === 'throttle' ? new CwError('Throttling', 'Rate exceeded') : new CwError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      }
      if (operation === 'GetMetricData') send(200, this.opGetMetricData(body));
      else if (operation === 'DescribeAlarms') send(200, this.opDescribeAlarms(body));
      else throw new CwError('InvalidAction', `${operation} is not supported by the stand-in`);
    } catch (error) {
      if (error instanceof CwError) send(error.status, { __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message }, error.code);
      else if (error instanceof SyntaxError) send(400, { __type: 'SerializationException', message: 'Malformed JSON' }, 'SerializationException');
      else send(500, { __type: 'InternalFailure', message: String(error) }, 'InternalFailure');
    }
  }
}

export async function startCloudWatchStandIn(secret: string): Promise<CloudWatchStandIn> {
  return new CloudWatchStandIn(secret).start();
}
