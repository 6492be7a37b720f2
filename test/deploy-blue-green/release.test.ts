/**
 * The release carrying out its plan, with an in-memory platform and ledger: which statuses the
 * record writes, what the platform is asked, and what production answers (small local servers).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerApi, Release, ReleasePayload, ReleaseState } from '../../shared/ledger.js';
import type { CanaryRef, ProductionState, ReleaseRef as DeploymentRef, TrafficPlatform, TrafficProgress } from '../../shared/platforms/traffic.js';
import { parseChecks } from '../../shared/smoke/index.js';
import { release, type ReleaseConfig } from '../../actions/deploy-blue-green/src/release.js';

/** Each deployment's app answers /health with this status. */
const health = new Map<string, number>();
let servers: Server[] = [];
const serve = async (answer: () => number): Promise<string> => {
  const server = createServer((_, res) => {
    res.writeHead(answer(), { 'content-type': 'text/plain' });
    res.end('ok');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A blue-green traffic platform in memory: every call logged in v1's words ('create', 'shift', 'rollback … from …'). */
class FakePlatform implements TrafficPlatform {
  readonly name = 'vercel' as const;
  readonly driver = 'gantry' as const;
  calls: string[] = [];
  /** What the platform says is live. */
  current?: DeploymentRef;
  /** What production really serves (a stale edge may differ from `live`). */
  served?: string;
  stale = false;
  /** Called once green takes production traffic (a release that breaks only under real load). */
  onPromoted?: () => void;
  private blue?: DeploymentRef;
  private green?: DeploymentRef;
  constructor(live: string | undefined, private readonly greenUrl: string, readonly productionUrl: string) {
    this.current = live ? { id: live } : undefined;
    this.served = live;
  }
  private progressNow(): TrafficProgress {
    return { at: Date.now(), stage: 'settled', canaryWeight: this.green && this.current?.id === this.green.id ? 100 : 0 };
  }
  plan(steps: number[]) {
    return steps;
  }
  async progress() {
    return this.progressNow();
  }
  async prepare(options: { created?(canary: CanaryRef): Promise<void> }) {
    this.calls.push('create');
    this.green = { id: 'dpl_green' };
    await options.created?.({ id: 'dpl_green', details: {} });
    return { id: 'dpl_green', url: this.greenUrl, details: {} };
  }
  async resume(details: Record<string, unknown>) {
    this.green = { id: String(details.deploymentId) };
    return { id: this.green.id, url: this.greenUrl, details: {} };
  }
  async setWeight() {
    return this.complete();
  }
  async waitForWeight() {
    return this.progressNow();
  }
  async complete() {
    this.calls.push(`shift ${this.green!.id}`);
    this.current = this.green;
    this.served = this.green!.id;
    this.onPromoted?.();
    return this.progressNow();
  }
  async abort() {
    this.calls.push(`rollback ${this.blue?.id} from ${this.green?.id}`);
    this.current = this.blue;
    if (!this.stale) this.served = this.blue?.id;
    return this.progressNow();
  }
  async rollback(toId: string) {
    this.calls.push(`rollback ${toId} from undefined`);
    this.current = { id: toId };
    if (!this.stale) this.served = toId;
  }
  async live(): Promise<ProductionState> {
    this.blue = this.current;
    return { live: this.current, candidateWeight: 0, productionUrl: this.productionUrl };
  }
}

class FakeLedger implements LedgerApi {
  releases: Release[] = [];
  private next = 1;
  seed(deploymentId: string, states: ReleaseState[], payload: Partial<ReleasePayload> = {}): Release {
    const r: Release = { id: this.next++, sha: 's', ref: 's', environment: 'production', createdAt: '', payload: { gantry: 1, platform: 'vercel', deploymentId, ...payload }, statuses: [] };
    for (const state of states) r.statuses!.unshift({ state, description: '', environmentUrl: '' });
    this.releases.unshift(r);
    return r;
  }
  async create(input: Parameters<LedgerApi['create']>[0]) {
    return this.seed(input.payload.deploymentId, [], input.payload);
  }
  async setStatus(id: number, state: ReleaseState, details: { description?: string } = {}) {
    this.releases.find((r) => r.id === id)!.statuses!.unshift({ state, description: details.description ?? '', environmentUrl: '' });
  }
  async list() {
    return this.releases.map((r) => ({ ...r, statuses: [...r.statuses!] }));
  }
  states(deploymentId: string, index = 0) {
    const r = this.releases.filter((x) => x.payload.deploymentId === deploymentId)[index]!;
    return r.statuses!.map((s) => `${s.state}${s.description ? `:${s.description}` : ''}`).reverse();
  }
}

let platform: FakePlatform;
let greenUrl: string;
let productionUrl: string;
beforeAll(async () => {
  greenUrl = await serve(() => health.get('dpl_green') ?? 200);
  productionUrl = await serve(() => health.get(platform.served ?? '') ?? 404);
});
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

function config(ledger: FakeLedger, extra: Partial<ReleaseConfig> = {}): ReleaseConfig {
  return {
    operation: 'deploy',
    environment: 'production',
    platform,
    ledger,
    checks: parseChecks('- name: health\n  path: /health\n'),
    greenHeaders: {},
    promote: true,
    watchMs: 0,
    autoRollback: true,
    timeoutMs: 20_000,
    sha: 's',
    ref: 's',
    verify: { timeoutMs: 2_000, attempts: 2, retryDelayMs: 50, deadlineMs: 2_000 },
    confirmMs: 1_500,
    signal: new AbortController().signal,
    log: () => {},
    warn: () => {},
    ...extra,
  };
}

describe('release (in-memory platform and ledger)', () => {
  it('a healthy release goes live; its record reads in_progress → success and the earlier release turns inactive', async () => {
    health.clear();
    health.set('dpl_blue', 200);
    platform = new FakePlatform('dpl_blue', greenUrl, productionUrl);
    const ledger = new FakeLedger();
    ledger.seed('dpl_blue', ['in_progress', 'success']);
    const outcome = await release(config(ledger));
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toBe('promoted');
    expect(platform.calls).toEqual(['create', 'shift dpl_green']);
    expect(ledger.states('dpl_green')).toEqual(['in_progress:Staging dpl_green', 'success:Live: dpl_green']);
    expect(ledger.states('dpl_blue')).toEqual(['in_progress', 'success', 'inactive:Superseded by dpl_green']);
    expect(outcome.phases.every((p) => p.ok)).toBe(true);
  });

  it('a green that fails verification never gets traffic; the phase is marked failed; the release is failure', async () => {
    health.set('dpl_green', 500);
    platform = new FakePlatform('dpl_blue', greenUrl, productionUrl);
    const ledger = new FakeLedger();
    ledger.seed('dpl_blue', ['in_progress', 'success']);
    const outcome = await release(config(ledger));
    expect(outcome.error?.message).toMatch(/failed verification/);
    expect(platform.calls).toEqual(['create', 'rollback dpl_blue from dpl_green']);
    expect(outcome.phases.find((p) => p.name === 'Verify green')).toMatchObject({ ok: false });
    expect(ledger.states('dpl_green').at(-1)).toMatch(/^failure:Failed: Green \(dpl_green\) failed verification/);
    // The live release stays live in the ledger.
    expect(ledger.states('dpl_blue')).toEqual(['in_progress', 'success']);
    health.delete('dpl_green');
  });

  it('a switch back that production does not follow is not reported rolled-back', async () => {
    health.set('dpl_blue', 200);
    health.set('dpl_green', 200);
    platform = new FakePlatform('dpl_blue', greenUrl, productionUrl);
    platform.stale = true;
    const ledger = new FakeLedger();
    ledger.seed('dpl_blue', ['in_progress', 'success']);
    // Green passes verification, then breaks once it takes production traffic.
    platform.onPromoted = () => health.set('dpl_green', 500);
    const outcome = await release(config(ledger, { watchMs: 3_000, watchIntervalMs: 100 }));
    expect(platform.calls).toEqual(['create', 'shift dpl_green', 'rollback dpl_blue from dpl_green']);
    expect(outcome.result).toBeUndefined();
    expect(outcome.error?.message).toMatch(/production still fails its checks .* after switching back to dpl_blue .* may still be serving dpl_green/);
    expect(ledger.states('dpl_green').at(-1)).toMatch(/^failure:/);
    health.delete('dpl_green');
  });

  it('a manual rollback leaves the healthy release inactive ("Rolled back to …"), not failed', async () => {
    health.set('dpl_a', 200);
    health.set('dpl_b', 200);
    platform = new FakePlatform('dpl_b', greenUrl, productionUrl);
    const ledger = new FakeLedger();
    ledger.seed('dpl_a', ['in_progress', 'success', 'inactive']);
    ledger.seed('dpl_b', ['in_progress', 'success']);
    const outcome = await release(config(ledger, { operation: 'rollback' }));
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toBe('rolled-back');
    expect(platform.calls).toEqual(['rollback dpl_a from undefined']);
    expect(ledger.states('dpl_b')).toEqual(['in_progress', 'success', 'inactive:Rolled back to dpl_a']);
    expect(ledger.releases[0]!.payload).toMatchObject({ deploymentId: 'dpl_a', rollbackOf: 'dpl_b' });
    expect(ledger.states('dpl_a', 0)).toEqual(['in_progress:Rolling back to dpl_a', 'success:Rolled back to dpl_a']);
  });
});
