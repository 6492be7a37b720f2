/**
 * CloudWatch as an analysis source for ECS behind an ALB: per target group (canary and stable,
 * over the same window) the 5xx count over the request count and the TargetResponseTime p95, in
 * one GetMetricData call; and alarms by name (DescribeAlarms): an alarm in ALARM fails the
 * measurement. @aws-sdk/client-cloudwatch is loaded only when this source is used, and one
 * client serves the whole run.
 *
 * ALB publishes these metrics once a minute: with `analysis-interval` under 1m a window may hold
 * no datapoint yet, which is "no data" (decided by on-no-data), never a pass.
 */
import type { CloudWatchClient as Client, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { ConfigurationError, errorMessage } from '../core/errors.js';
import { abortReason } from '../core/net.js';
import type { AlarmReading, CloudWatchReading, SideStats } from './judge.js';

export interface CloudWatchOptions {
  region: string;
  /** Measure the two target groups (needs the three ARNs below). */
  metrics: boolean;
  /** Alarm names whose state is read every measurement. */
  alarms: string[];
  listenerRuleArn?: string;
  canaryTargetGroupArn?: string;
  stableTargetGroupArn?: string;
  maxAttempts?: number;
}

/** `…:listener-rule/app/shop/50dc…/f2f7…/9683…` → `app/shop/50dc…`: CloudWatch's LoadBalancer dimension. */
export function loadBalancerDimension(listenerRuleArn: string): string | undefined {
  return /:listener(?:-rule)?\/(app\/[^/]+\/[^/]+)\//.exec(listenerRuleArn)?.[1];
}

/** `…:targetgroup/shop-canary/73e2…` → `targetgroup/shop-canary/73e2…`: CloudWatch's TargetGroup dimension. */
export function targetGroupDimension(targetGroupArn: string): string | undefined {
  return /:(targetgroup\/[^/]+\/[^/]+)$/.exec(targetGroupArn)?.[1];
}

/** The smallest period GetMetricData takes (1, 5, 10, 30 s or a multiple of 60) that covers `windowMs`. */
export function periodFor(windowMs: number): number {
  const seconds = Math.max(1, Math.ceil(windowMs / 1000));
  return [1, 5, 10, 30, 60].find((p) => p >= seconds) ?? Math.ceil(seconds / 60) * 60;
}

const METRICS = [
  ['requests', 'RequestCount', 'Sum'],
  ['errors', 'HTTPCode_Target_5XX_Count', 'Sum'],
  ['p95', 'TargetResponseTime', 'p95'],
] as const;

export class CloudWatchSource {
  private client?: Promise<{ client: Client; sdk: typeof import('@aws-sdk/client-cloudwatch') }>;
  private readonly dims?: { loadBalancer: string; canary: string; stable: string };
  /** API calls made, by operation (for the benchmark and the summary). */
  readonly calls = { GetMetricData: 0, DescribeAlarms: 0 };

  constructor(private readonly o: CloudWatchOptions) {
    if (o.metrics) {
      const loadBalancer = loadBalancerDimension(o.listenerRuleArn ?? '');
      const canary = targetGroupDimension(o.canaryTargetGroupArn ?? '');
      const stable = targetGroupDimension(o.stableTargetGroupArn ?? '');
      if (!loadBalancer || !canary || !stable) throw new ConfigurationError('cloudwatch-metrics needs listener-rule-arn of an Application Load Balancer and both target group ARNs', { input: 'cloudwatch-metrics' });
      this.dims = { loadBalancer, canary, stable };
    }
  }

  private sdk() {
    this.client ??= import('@aws-sdk/client-cloudwatch').then((sdk) => ({
      sdk,
      client: new sdk.CloudWatchClient({
        region: this.o.region,
        maxAttempts: this.o.maxAttempts ?? 5,
        retryMode: 'standard',
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
      }),
    }));
    return this.client;
  }

  /** Before any traffic moves: every alarm named exists (a typo would otherwise pass silently). */
  async verify(signal: AbortSignal): Promise<void> {
    if (this.o.alarms.length === 0) return;
    const found = await this.describeAlarms(signal);
    const missing = this.o.alarms.filter((name) => !found.some((a) => a.name === name));
    if (missing.length) throw new ConfigurationError(`cloudwatch-alarms: CloudWatch in ${this.o.region} has no alarm named ${missing.map((m) => JSON.stringify(m)).join(', ')}`, { input: 'cloudwatch-alarms' });
  }

  /** One reading over the last `windowMs`. Never throws for CloudWatch's faults (they are "no data" with the reason), only for cancellation and credentials. */
  async read(windowMs: number, signal: AbortSignal): Promise<CloudWatchReading> {
    const reading: CloudWatchReading = {};
    const [metrics, alarms] = await Promise.allSettled([
      this.dims ? this.targetGroups(windowMs, signal) : Promise.resolve(undefined),
      this.o.alarms.length ? this.describeAlarms(signal) : Promise.resolve(undefined),
    ]);
    for (const r of [metrics, alarms]) if (r.status === 'rejected') this.rethrowFatal(r.reason, signal);
    if (metrics.status === 'fulfilled' && metrics.value) Object.assign(reading, metrics.value);
    if (metrics.status === 'rejected') reading.error = `GetMetricData: ${errorMessage(metrics.reason)}`;
    if (alarms.status === 'fulfilled' && alarms.value) reading.alarms = alarms.value;
    if (alarms.status === 'rejected') reading.alarmError = `DescribeAlarms: ${errorMessage(alarms.reason)}`;
    return reading;
  }

  private rethrowFatal(error: unknown, signal: AbortSignal): void {
    if (signal.aborted) throw abortReason(signal);
    const name = (error as { name?: string })?.name ?? '';
    if (name === 'CredentialsProviderError') throw new ConfigurationError('no AWS credentials for CloudWatch: run aws-actions/configure-aws-credentials before this step (or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)');
    if (/AccessDenied|UnrecognizedClient|InvalidClientTokenId|SignatureDoesNotMatch/.test(name)) throw new Error(`CloudWatch refused the credentials (${name}): the role needs cloudwatch:GetMetricData and cloudwatch:DescribeAlarms`, { cause: error });
  }

  private async targetGroups(windowMs: number, signal: AbortSignal): Promise<Pick<CloudWatchReading, 'canary' | 'baseline'>> {
    const { client, sdk } = await this.sdk();
    const dims = this.dims!;
    const period = periodFor(windowMs);
    const end = Math.floor(Date.now() / 1000);
    const queries: MetricDataQuery[] = (['canary', 'stable'] as const).flatMap((side) =>
      METRICS.map(([id, metric, stat]) => ({
        Id: `${side}_${id}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metric, Dimensions: [{ Name: 'TargetGroup', Value: dims[side] }, { Name: 'LoadBalancer', Value: dims.loadBalancer }] },
          Period: period,
          Stat: stat,
        },
        ReturnData: true,
      })),
    );
    this.calls.GetMetricData++;
    const out = await client.send(new sdk.GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date((end - period) * 1000), EndTime: new Date(end * 1000), ScanBy: 'TimestampDescending' }), { abortSignal: signal });
    const values = (id: string) => out.MetricDataResults?.find((r) => r.Id === id)?.Values ?? [];
    const side = (name: 'canary' | 'stable'): SideStats | undefined => {
      const requests = values(`${name}_requests`);
      if (requests.length === 0) return undefined; // no request in the window: no data
      const total = requests.reduce((a, b) => a + b, 0);
      // ALB publishes no 5xx datapoint when there were none.
      const errors = values(`${name}_errors`).reduce((a, b) => a + b, 0);
      const p95s = values(`${name}_p95`);
      return {
        requests: Math.round(total),
        errors: Math.round(errors),
        errorRate: total > 0 ? errors / total : undefined,
        // Several buckets: the slowest one's p95 (percentiles do not add up).
        p95Ms: p95s.length ? Math.max(...p95s) * 1000 : undefined,
      };
    };
    return { canary: side('canary'), baseline: side('stable') };
  }

  private async describeAlarms(signal: AbortSignal): Promise<AlarmReading[]> {
    const { client, sdk } = await this.sdk();
    this.calls.DescribeAlarms++;
    const out = await client.send(new sdk.DescribeAlarmsCommand({ AlarmNames: this.o.alarms, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }), { abortSignal: signal });
    return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => ({ name: a.AlarmName ?? '', state: a.StateValue ?? 'INSUFFICIENT_DATA', reason: a.StateReason }));
  }

  close(): void {
    void this.client?.then(({ client }) => client.destroy()).catch(() => {});
  }
}
