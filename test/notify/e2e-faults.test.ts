/** notify under faults (bundle): 429 + Retry-After, 500, a hang, a DNS failure, final 4xx, ok:false — the others still delivered. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startWorld, type World } from './world.js';

type Report = { delivered: string[]; failed: string[]; channels: Array<{ channel: string; result: string; detail: string; requests: number; duration_ms: number }> };
const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as Report;
const channel = (r: ActionResult, name: string) => report(r).channels.find((c) => c.channel === name)!;

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

describe('notify under faults (bundle)', () => {
  describe('a 429, a 500, a hang and a DNS failure at once', () => {
    const faults = () => {
      w.slack.inject({ path: /chat\.postMessage/, status: 429, retryAfter: '1', times: 1 });
      w.pagerduty.inject({ path: /\/v2\/enqueue/, status: 500, times: 1 });
      w.teams.inject({ status: 'hang', times: 1 });
    };
    const inputs = () => ({ ...w.inputs, status: 'failure', timeout: '2s', 'discord-webhook-url': 'http://discord-hook.invalid/api/webhooks/1/abcdef' });
    let r: ActionResult;
    let strict: ActionResult;
    beforeAll(async () => {
      faults();
      r = await runAction('notify', { inputs: inputs(), env: w.env });
      w.teams.inject({ status: 'hang', times: 1 });
      strict = await runAction('notify', { inputs: { ...inputs(), 'fail-on-error': 'true' }, env: w.env });
    });

    it('retries the 429 after Retry-After and the 500, and delivers them', () => {
      expect(channel(r, 'slack')).toMatchObject({ result: 'delivered', requests: 5 }); // conversations.list, .history, chat.postMessage (429), .history (not there), chat.postMessage
      const posts = w.slack.hits(/chat\.postMessage/);
      expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
      expect(channel(r, 'pagerduty')).toMatchObject({ result: 'delivered', requests: 2, detail: 'triggered gantry:acme/shop:production' });
      expect(r.log).toMatch(/PagerDuty \/v2\/enqueue: HTTP 500 .*\(attempt 1\); retrying in/);
    });

    it('ends the hanging channel at its timeout and the unresolvable one with the reason; the others deliver', () => {
      expect(channel(r, 'teams')).toMatchObject({ result: 'failed', detail: "no answer within the channel's timeout (2s)" });
      expect(channel(r, 'teams').duration_ms).toBeGreaterThanOrEqual(1900);
      expect(channel(r, 'discord')).toMatchObject({ result: 'failed' });
      expect(channel(r, 'discord').detail).toMatch(/DNS lookup failed \((ENOTFOUND|EAI_AGAIN)\)|channel's timeout/);
      expect(report(r).delivered.sort()).toEqual(['email', 'github', 'pagerduty', 'slack', 'webhook']);
      expect(channel(r, 'sentry')).toMatchObject({ result: 'skipped', detail: 'nothing to record for "failure"' });
      expect(r.outputs.failed).toBe('teams,discord');
      expect(r.durationMs).toBeLessThan(6000); // one channel timeout (2s) plus start-up, not the sum
    });

    it('keeps the step green with one warning per failed channel', () => {
      expect(r.code).toBe(0);
      const warnings = r.annotations.filter((a) => a.level === 'warning');
      expect(warnings.map((a) => a.properties.title).sort()).toEqual(['notify: discord failed', 'notify: teams failed']);
      expect(warnings.find((a) => a.properties.title === 'notify: teams failed')!.message).toBe("teams was not notified: no answer within the channel's timeout (2s)");
      expect(r.summary).toMatch(/\| ❌ \| teams \| failed \| no answer within the channel's timeout \(2s\) \|/);
      expect(r.summary).toContain('2 of 8 channels failed; the others were still delivered.');
    });

    it('fails the step with fail-on-error: true, after delivering the others', () => {
      expect(strict.code).toBe(1);
      expect(strict.annotations.filter((a) => a.level === 'error').map((a) => a.properties.title).sort()).toEqual(['notify: discord failed', 'notify: teams failed']);
      expect(report(strict).delivered).toHaveLength(5);
    });

    it('leaks no secret, also not the failing URLs', () => {
      expect(findSecretLeaks(r, [...w.secrets, 'http://discord-hook.invalid/api/webhooks/1/abcdef'])).toEqual([]);
      expect(findSecretLeaks(strict, w.secrets)).toEqual([]);
    });
  });

  it('does not retry a 400 from PagerDuty, an ok:false from Slack or a 401 from Sentry', async () => {
    const before = { pd: w.pagerduty.hits(/enqueue/).length, slack: w.slack.requests.length, sentry: w.sentry.requests.length };
    const r = await runAction('notify', {
      inputs: {
        status: 'success',
        environment: 'production',
        'pagerduty-routing-key': 'x'.repeat(32),
        'pagerduty-url': w.pagerduty.url,
        'slack-token': 'xoxb-revoked-token',
        'slack-channel': 'C0DEPLOYS1',
        'slack-api-url': w.slack.url,
        'sentry-auth-token': 'sntrys_wrong',
        'sentry-org': 'acme',
        'sentry-project': 'shop-web',
        'sentry-url': w.sentry.url,
      },
    });
    expect(r.code).toBe(0);
    expect(channel(r, 'pagerduty')).toMatchObject({ result: 'failed', requests: 1, detail: expect.stringContaining('HTTP 400') });
    expect(channel(r, 'slack')).toMatchObject({ result: 'failed', requests: 1, detail: 'Slack conversations.history answered ok: false (invalid_auth): check slack-token (a bot token, xoxb-…)' });
    expect(channel(r, 'sentry')).toMatchObject({ result: 'failed', requests: 1, detail: 'HTTP 401 (Invalid token)' });
    expect(w.pagerduty.hits(/enqueue/).length - before.pd).toBe(1);
    expect(w.slack.requests.length - before.slack).toBe(1);
    expect(w.sentry.requests.length - before.sentry).toBe(1);
    expect(findSecretLeaks(r, ['x'.repeat(32), 'xoxb-revoked-token', 'sntrys_wrong'])).toEqual([]);
  });

  it('does not post twice when an answer is lost: Slack looks for its message, Sentry for its deploy, before trying again', async () => {
    const inputs = { environment: 'qa', version: 'v7', 'slack-token': w.slack.token, 'slack-channel': 'C0DEPLOYS1', 'slack-api-url': w.slack.url, 'sentry-auth-token': w.sentry.token, 'sentry-org': 'acme', 'sentry-project': 'shop-web', 'sentry-url': w.sentry.url };
    w.slack.inject({ path: /chat\.postMessage/, status: 'lost', times: 1 });
    w.sentry.inject({ method: 'POST', path: /\/deploys\/$/, status: 'lost', times: 1 });
    const postsBefore = w.slack.messages.length;
    const r = await runAction('notify', { inputs: { ...inputs, status: 'success' }, env: w.env });
    expect(channel(r, 'slack')).toMatchObject({ result: 'delivered', requests: 3 }); // history, post (answer lost), history (found it) — no second post
    expect(w.slack.messages.length - postsBefore).toBe(1);
    expect(w.slack.hits(/chat\.postMessage/).length).toBeGreaterThanOrEqual(1);
    expect(channel(r, 'sentry')).toMatchObject({ result: 'delivered' });
    expect(w.sentry.releases.get('v7')!.deploys).toHaveLength(1);
    expect(r.log).toMatch(/Slack chat\.postMessage: connection reset \(attempt 1\); retrying/);
    expect(r.log).toMatch(/Sentry record deploy: connection reset \(attempt 1\); retrying/);
  });

  it('gives up at once when Retry-After is beyond the channel timeout', async () => {
    w.sentry.inject({ status: 429, retryAfter: '30', times: 1 });
    const r = await runAction('notify', { inputs: { status: 'started', environment: 'staging', 'sentry-auth-token': w.sentry.token, 'sentry-org': 'acme', 'sentry-project': 'shop-web', 'sentry-url': w.sentry.url, timeout: '3s' } });
    expect(channel(r, 'sentry')).toMatchObject({ result: 'failed', requests: 1 });
    expect(channel(r, 'sentry').detail).toBe("HTTP 429 (You are attempting to use this endpoint too frequently.); the server asked to wait 30s, beyond the channel's timeout (3s)");
    expect(channel(r, 'sentry').duration_ms).toBeLessThan(1000);
  });

  it('honours Discord\'s retry_after in a 429 body', async () => {
    w.discord.inject({ status: 429, times: 1 });
    const before = w.discord.posts.length;
    const r = await runAction('notify', { inputs: { status: 'success', environment: 'production', 'discord-webhook-url': w.discord.hookUrl, timeout: '3s' } });
    expect(channel(r, 'discord')).toMatchObject({ result: 'delivered', requests: 2, detail: expect.stringMatching(/^message \d+$/) });
    const hits = w.discord.hits(/webhooks/).slice(-2);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(450); // retry_after: 0.5
    expect(w.discord.posts.length - before).toBe(1);
  });

  it('bounds reading the release history from GitHub (half the timeout, at most 3s) and still delivers', async () => {
    w.github.inject({ method: 'GET', path: /\/deployments\/\d+$/, status: 'hang', times: 1 });
    const r = await runAction('notify', {
      inputs: { status: 'success', environment: 'production', 'github-deployment-id': String(w.deploymentId), 'github-token': w.github.token, 'discord-webhook-url': w.discord.hookUrl, timeout: '1s' },
      env: w.env,
    });
    expect(r.code).toBe(0);
    expect(r.log).toContain("Could not read the release's history from GitHub (no answer within 500ms)");
    expect(report(r).delivered.sort()).toEqual(['discord', 'github']);
    expect(w.discord.posts.at(-1).embeds[0].fields.map((f: { name: string }) => f.name)).not.toContain('Duration');
  });

  it('stops promptly when the job is cancelled, reporting what was not delivered', async () => {
    w.teams.inject({ status: 'hang', times: 1 });
    const r = await runAction('notify', { inputs: { status: 'success', environment: 'production', 'teams-webhook-url': w.teams.hookUrl, timeout: '30s' }, cancelWhen: /notifying teams/ });
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(5000);
    expect(channel(r, 'teams')).toMatchObject({ result: 'failed', detail: 'cancelled' });
    expect(r.annotations.map((a) => a.message)).toContain('notify was cancelled.');
  });
});
