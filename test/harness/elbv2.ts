/**
 * An Elastic Load Balancing v2 stand-in speaking the real AWS Query protocol (form-encoded POST,
 * `Action=…&Version=2015-12-01`, XML answers and `ErrorResponse` errors), reached by the real
 * @aws-sdk/client-elastic-load-balancing-v2 through `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`.
 * Listener rules with a forward action over weighted target groups; target health that the test
 * sets (healthy after a while, or never); faults (throttling, 5xx, hangs). Every request and every
 * weight change is recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsStandInServer } from './aws-server.js';

const XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export interface ElbRequest {
  action: string;
  params: Record<string, string>;
  status: number;
  error?: string;
  at: number;
}

export interface WeightChange {
  at: number;
  ruleArn: string;
  /** Target group ARN → weight. */
  weights: Record<string, number>;
}

export interface ElbFault {
  action?: string;
  times: number;
  kind: 'throttle' | 'server-error' | 'hang';
  /** Apply the request before answering with the fault (a 5xx after the change happened). */
  afterApplying?: boolean;
}

interface Rule {
  ruleArn: string;
  listenerArn: string;
  priority: string;
  targetGroups: Array<{ arn: string; weight: number }>;
}

interface TargetGroup {
  arn: string;
  /** Health of its targets: fixed, or `initial` until `healthyAfterMs` after it was first asked about. */
  state: 'healthy' | 'unhealthy' | 'initial' | 'draining' | 'unused';
  healthyAfterMs?: number;
  firstAskedAt?: number;
  targets: number;
}

class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `A.member.1.B=x` → { A: [{ B: 'x' }] } */
export function nestParams(params: Record<string, string>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const [key, value] of Object.entries(params)) {
    const parts = key.split('.');
    let node: any = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (parts[i + 1] === 'member' && /^\d+$/.test(parts[i + 2] ?? '')) {
        node[part] ??= [];
        const index = Number(parts[i + 2]) - 1;
        if (i + 2 === parts.length - 1) {
          node[part][index] = value;
          break;
        }
        node[part][index] ??= {};
        node = node[part][index];
        i += 2;
        continue;
      }
      if (last) node[part] = value;
      else node = node[part] ??= {};
    }
  }
  return root;
}

export class ElbStandIn extends AwsStandInServer {
  readonly requests: ElbRequest[] = [];
  readonly weightChanges: WeightChange[] = [];
  readonly rules = new Map<string, Rule>();
  readonly targetGroups = new Map<string, TargetGroup>();
  faults: ElbFault[] = [];
  private seq = 0;

  constructor(
    readonly region = 'eu-west-1',
    readonly account = '123456789012',
  ) {
    super();
  }

  /** A listener rule forwarding to a stable and a canary target group (stable at 100). */
  addRule(name: string): { ruleArn: string; listenerArn: string; stable: string; canary: string } {
    const n = ++this.seq;
    const lb = `arn:aws:elasticloadbalancing:${this.region}:${this.account}`;
    const listenerArn = `${lb}:listener/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab${n}`;
    const ruleArn = `${lb}:listener-rule/app/${name}/50dc6c495c0c9188/f2f7dc8efc522ab${n}/9683b2d02a6cabe${n}`;
    const stable = `${lb}:targetgroup/${name}-stable/73e2d6bc24d8a06${n}`;
    const canary = `${lb}:targetgroup/${name}-canary/73e2d6bc24d8a07${n}`;
    this.targetGroups.set(stable, { arn: stable, state: 'healthy', targets: 2 });
    this.targetGroups.set(canary, { arn: canary, state: 'healthy', targets: 2 });
    this.rules.set(ruleArn, { ruleArn, listenerArn, priority: String(10 + n), targetGroups: [{ arn: stable, weight: 100 }, { arn: canary, weight: 0 }] });
    return { ruleArn, listenerArn, stable, canary };
  }

  /** Weights of a rule now, target group ARN → weight. */
  weights(ruleArn: string): Record<string, number> {
    return Object.fromEntries(this.rules.get(ruleArn)!.targetGroups.map((t) => [t.arn, t.weight]));
  }

  /** The canary weight of every change of a rule, in order. */
  canaryHistory(ruleArn: string, canary: string): number[] {
    return this.weightChanges.filter((c) => c.ruleArn === ruleArn).map((c) => c.weights[canary] ?? 0);
  }

  setHealth(tg: string, state: TargetGroup['state'], healthyAfterMs?: number): void {
    const g = this.targetGroups.get(tg)!;
    g.state = state;
    g.healthyAfterMs = healthyAfterMs;
    g.firstAskedAt = undefined;
  }

  calls(action: string): ElbRequest[] {
    return this.requests.filter((r) => r.action === action);
  }

  // ── operations ─────────────────────────────────────────────────────────────

  private rule(arn: string | undefined): Rule {
    const rule = arn ? this.rules.get(arn) : undefined;
    if (!rule) throw new QueryError('RuleNotFound', 'One or more rules not found');
    return rule;
  }

  private describeRules(p: Record<string, any>): string {
    const arns: string[] = p.RuleArns ?? [];
    const rules = arns.length ? arns.map((a) => this.rule(a)) : [...this.rules.values()].filter((r) => r.listenerArn === p.ListenerArn);
    if (!arns.length && !p.ListenerArn) throw new QueryError('ValidationError', 'A listener ARN or a set of rule ARNs must be specified');
    return `<Rules>${rules.map((r) => this.ruleXml(r)).join('')}</Rules>`;
  }

  private ruleXml(r: Rule): string {
    const tgs = r.targetGroups.map((t) => `<member><TargetGroupArn>${esc(t.arn)}</TargetGroupArn><Weight>${t.weight}</Weight></member>`).join('');
    return (
      `<member><RuleArn>${esc(r.ruleArn)}</RuleArn><Priority>${r.priority}</Priority><IsDefault>false</IsDefault>` +
      `<Conditions><member><Field>path-pattern</Field><Values><member>/*</member></Values></member></Conditions>` +
      `<Actions><member><Type>forward</Type><Order>1</Order><ForwardConfig><TargetGroups>${tgs}</TargetGroups>` +
      `<TargetGroupStickinessConfig><Enabled>false</Enabled></TargetGroupStickinessConfig></ForwardConfig></member></Actions></member>`
    );
  }

  private modifyRule(p: Record<string, any>, apply = true): string {
    const rule = this.rule(p.RuleArn);
    const actions: any[] = p.Actions ?? [];
    if (actions.length !== 1 || actions[0]?.Type !== 'forward') throw new QueryError('ValidationError', 'This stand-in takes one forward action');
    const groups: any[] = actions[0].ForwardConfig?.TargetGroups ?? [];
    if (groups.length === 0) throw new QueryError('ValidationError', 'A forward action needs at least one target group');
    const next = groups.map((g) => {
      const weight = g.Weight === undefined ? 1 : Number(g.Weight);
      if (!this.targetGroups.has(g.TargetGroupArn)) throw new QueryError('TargetGroupNotFound', `Target group '${g.TargetGroupArn}' not found`);
      if (!Number.isInteger(weight) || weight < 0 || weight > 999) throw new QueryError('ValidationError', `Weight ${g.Weight} must be between 0 and 999`);
      return { arn: String(g.TargetGroupArn), weight };
    });
    if (apply) {
      rule.targetGroups = next;
      this.weightChanges.push({ at: Date.now(), ruleArn: rule.ruleArn, weights: Object.fromEntries(next.map((t) => [t.arn, t.weight])) });
    }
    return `<Rules>${this.ruleXml(rule)}</Rules>`;
  }

  private describeTargetHealth(p: Record<string, any>): string {
    const g = this.targetGroups.get(p.TargetGroupArn);
    if (!g) throw new QueryError('TargetGroupNotFound', `Target groups '${p.TargetGroupArn}' not found`);
    let state = g.state;
    if (state === 'initial' && g.healthyAfterMs !== undefined) {
      g.firstAskedAt ??= Date.now();
      if (Date.now() - g.firstAskedAt >= g.healthyAfterMs) state = 'healthy';
    }
    const reason = state === 'initial' ? 'Elb.RegistrationInProgress' : state === 'unhealthy' ? 'Target.FailedHealthChecks' : undefined;
    const members = Array.from({ length: g.targets }, (_, i) =>
      `<member><Target><Id>10.0.${this.seq}.${i + 10}</Id><Port>8080</Port></Target><HealthCheckPort>8080</HealthCheckPort>` +
      `<TargetHealth><State>${state}</State>${reason ? `<Reason>${reason}</Reason><Description>${reason === 'Elb.RegistrationInProgress' ? 'Target registration is in progress' : 'Health checks failed'}</Description>` : ''}</TargetHealth></member>`,
    ).join('');
    return `<TargetHealthDescriptions>${members}</TargetHealthDescriptions>`;
  }

  private describeTargetGroups(p: Record<string, any>): string {
    const arns: string[] = p.TargetGroupArns ?? [];
    const groups = arns.map((a) => {
      if (!this.targetGroups.has(a)) throw new QueryError('TargetGroupNotFound', `One or more target groups not found`);
      return a;
    });
    return `<TargetGroups>${groups.map((a) => `<member><TargetGroupArn>${esc(a)}</TargetGroupArn><TargetGroupName>${esc(a.split('/')[1]!)}</TargetGroupName><Protocol>HTTP</Protocol><Port>8080</Port><TargetType>ip</TargetType></member>`).join('')}</TargetGroups>`;
  }

  // ── HTTP ───────────────────────────────────────────────────────────────────

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const params = Object.fromEntries(new URLSearchParams(raw));
    const action = params.Action ?? '';
    const record: ElbRequest = { action, params, status: 200, at: Date.now() };
    this.requests.push(record);
    const requestId = `c9a6f5a4-0000-4000-8000-${String(this.requests.length).padStart(12, '0')}`;
    const send = (status: number, xml: string, error?: string) => {
      record.status = status;
      record.error = error;
      res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml), 'x-amzn-requestid': requestId });
      res.end(xml);
    };
    const fail = (e: QueryError) =>
      send(e.status, `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${e.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`, e.code);
    try {
      if (req.method !== 'POST') throw new QueryError('InvalidAction', `${req.method} is not supported`);
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) throw new QueryError('MalformedQueryString', 'expected a form-encoded body');
      if (params.Version !== '2015-12-01') throw new QueryError('InvalidAction', `version ${params.Version}`);
      const p = nestParams(params);
      const fault = this.faults.find((f) => f.times > 0 && (!f.action || f.action === action));
      if (fault) {
        fault.times--;
        if (fault.kind === 'hang') return this.hang(res);
        if (fault.afterApplying && action === 'ModifyRule') this.modifyRule(p);
        throw fault.kind === 'throttle' ? new QueryError('Throttling', 'Rate exceeded') : new QueryError('InternalFailure', 'We encountered an internal error. Please try again.', 500);
      }
      let result: string;
      switch (action) {
        case 'DescribeRules':
          result = this.describeRules(p);
          break;
        case 'ModifyRule':
          result = this.modifyRule(p);
          break;
        case 'DescribeTargetHealth':
          result = this.describeTargetHealth(p);
          break;
        case 'DescribeTargetGroups':
          result = this.describeTargetGroups(p);
          break;
        default:
          throw new QueryError('InvalidAction', `The action ${action} is not valid for this web service.`);
      }
      send(200, `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
    } catch (error) {
      if (error instanceof QueryError) fail(error);
      else fail(new QueryError('InternalFailure', String(error), 500));
    }
  }
}

export async function startElbStandIn(): Promise<ElbStandIn> {
  return new ElbStandIn().start();
}
