/** notify's inputs (bundle): each bad value refused by name with the fix, secrets never echoed, nothing contacted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction } from '../harness/action.js';
import { startTestServer, type TestServer } from '../harness/https.js';

let sink: TestServer;
beforeAll(async () => {
  sink = await startTestServer({ handler: (_q, res) => res.end('ok') });
});
afterAll(async () => {
  await sink.close();
});

const base = () => ({ status: 'success', environment: 'production', 'webhook-url': `${sink.url}/hook` });

const cases: Array<[string, Record<string, string>, RegExp]> = [
  ['status', { status: 'deployed' }, /^Input 'status' is "deployed": use one of started, success, failure, cancelled, rolled-back$/],
  ['environment', { environment: '' }, /^Input 'environment' is required: name the environment/],
  ['version', { version: 'feature/x', 'sentry-auth-token': 'sntrys_value_1', 'sentry-org': 'acme', 'sentry-project': 'web' }, /^Input 'version' is "feature\/x", which Sentry refuses as a release version \(it contains a slash/],
  ['url', { url: 'shop.example.com' }, /^Input 'url' is "shop.example.com": use an absolute http or https URL$/],
  ['message', { message: 'Deployed {verison}' }, /^Input 'message' uses \{verison\}, which is not a placeholder: use \{environment\} \{version\}/],
  ['slack-webhook-url', { 'slack-webhook-url': 'hooks.slack.com/services/T/B/secretpart' }, /^Input 'slack-webhook-url' is \(a secret value, not shown\): use an absolute http or https URL$/],
  ['slack-token', { 'slack-token': 'not-a-token-value', 'slack-channel': '#deploys' }, /^Input 'slack-token' \(a secret of 17 characters, not shown\) is malformed: use a Slack bot token \(xoxb-…\)/],
  ['slack-channel', { 'slack-token': 'xoxb-1-2', 'slack-channel': 'Deploys Channel' }, /^Input 'slack-channel' is "Deploys Channel": use a channel id \(C0123ABCDEF\) or name \(#deploys\)$/],
  ['slack-api-url', { 'slack-api-url': 'slack' }, /^Input 'slack-api-url' is "slack": use an absolute http or https URL$/],
  ['webhook-url', { 'webhook-url': 'ftp://example.com/x' }, /^Input 'webhook-url' is \(a secret value, not shown\): use an absolute http or https URL$/],
  ['webhook-secret', { 'webhook-secret': 'hunter2-plain-secret' }, /^Input 'webhook-secret' \(a secret of 20 characters, not shown\) is not a Standard Webhooks secret: use whsec_/],
  ['webhook-signature-style', { 'webhook-signature-style': 'hmac' }, /^Input 'webhook-signature-style' is "hmac": use one of standard, github$/],
  ['pagerduty-routing-key', { 'pagerduty-routing-key': 'short-key-123' }, /^Input 'pagerduty-routing-key' \(a secret of 13 characters, not shown\) is malformed: use the 32-character integration key/],
  ['pagerduty-url', { 'pagerduty-url': 'events' }, /^Input 'pagerduty-url' is "events"/],
  ['sentry-auth-token', { 'sentry-auth-token': 'has a space', 'sentry-org': 'acme', 'sentry-project': 'web' }, /^Input 'sentry-auth-token' \(a secret of 11 characters, not shown\) is malformed/],
  ['sentry-org', { 'sentry-auth-token': 'sntrys_value_1', 'sentry-org': 'Acme Inc', 'sentry-project': 'web' }, /^Input 'sentry-org' is "Acme Inc": use the organization's slug/],
  ['sentry-project', { 'sentry-auth-token': 'sntrys_value_1', 'sentry-project': 'web' }, /^Input 'sentry-org' is required when 'sentry-auth-token' is given/],
  ['sentry-url', { 'sentry-url': 'sentry.io' }, /^Input 'sentry-url' is "sentry.io"/],
  ['smtp-url', { 'smtp-url': 'https://mail.example.com', 'email-from': 'a@example.com', 'email-to': 'b@example.com' }, /^Input 'smtp-url' is \(a secret value, not shown\): use an absolute smtp or smtps URL$/],
  ['email-from', { 'smtp-url': 'smtps://mailer:pw-secret-1@mail.example.com', 'email-to': 'b@example.com' }, /^Input 'email-from' is required when 'smtp-url' is given: 'email-from' — the sender and recipients$/],
  ['email-to', { 'smtp-url': 'smtps://mailer:pw-secret-1@mail.example.com', 'email-from': 'a@example.com', 'email-to': 'ops@example.com\nnot an address' }, /^Input 'email-to' has "not an address": is not an email address/],
  ['teams-webhook-url', { 'teams-webhook-url': 'teams-hook-path' }, /^Input 'teams-webhook-url' is \(a secret value, not shown\)/],
  ['discord-webhook-url', { 'discord-webhook-url': 'discord-hook-path' }, /^Input 'discord-webhook-url' is \(a secret value, not shown\)/],
  ['github-deployment-id', { 'github-deployment-id': 'abc', 'github-token': 'ghs_x' }, /^Input 'github-deployment-id' is "abc": use a whole number from 1$/],
  ['environment-url', { 'environment-url': '/prod' }, /^Input 'environment-url' is "\/prod"/],
  ['github-token', { 'github-deployment-id': '12' }, /^Input 'github-token' is required when 'github-deployment-id' is given/],
  ['timeout', { timeout: '10m' }, /^Input 'timeout' is "10m": use at most 120s$/],
  ['fail-on-error', { 'fail-on-error': 'maybe' }, /^Input 'fail-on-error' is "maybe": use true or false$/],
  ['sentry-dsn', { 'sentry-dsn': 'https://sentry.example.com/42' }, /^Input 'sentry-dsn' \(a secret of \d+ characters, not shown\) is malformed: pass a Sentry DSN/],
];

describe('notify inputs (bundle)', () => {
  it.each(cases)('refuses a bad %s by name, contacting nothing', async (_name, bad, message) => {
    const r = await runAction('notify', { inputs: { ...base(), ...bad } });
    expect(r.code).toBe(1);
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors.some((e) => message.test(e)), errors.join('\n')).toBe(true);
    expect(sink.requests).toEqual([]);
    expect(r.outputs).toEqual({});
    expect(r.summary).toContain('Nothing was changed: the inputs were refused before anything was contacted.');
    const secrets = Object.entries(bad).filter(([k]) => /token|secret|url|key|dsn/.test(k) && !/api-url|sentry-url|pagerduty-url|environment-url|^url$/.test(k)).map(([, v]) => v);
    expect(findSecretLeaks(r, secrets.filter((s) => s.length >= 6))).toEqual([]);
  });

  it('lists every problem in one go', async () => {
    const r = await runAction('notify', { inputs: { status: 'ok', environment: 'production', 'slack-token': 'xoxb-1-2', 'webhook-secret': 'whsec_dGVzdA==', timeout: 'soon' } });
    expect(r.code).toBe(1);
    expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message.split(':')[0])).toEqual([
      "Input 'status' is \"ok\"",
      "Input 'webhook-secret' (a secret of 14 characters, not shown) is not a Standard Webhooks secret",
      "Input 'timeout' is \"soon\"",
      "Input 'slack-channel' is required when 'slack-token' is given",
      "Input 'webhook-url' is required when 'webhook-secret' is given",
    ]);
  });

  it('refuses both Slack modes at once', async () => {
    const r = await runAction('notify', { inputs: { ...base(), 'slack-webhook-url': `${sink.url}/slack`, 'slack-token': 'xoxb-1-2', 'slack-channel': 'C0DEPLOYS1' } });
    expect(r.code).toBe(1);
    expect(r.annotations.map((a) => a.message)).toContain("Input 'slack-token' cannot be combined with 'slack-webhook-url': give a webhook URL, or a bot token and channel (which updates one message per release)");
    expect(sink.requests).toEqual([]);
  });

  it('warns, and passes, when no channel is configured', async () => {
    const r = await runAction('notify', { inputs: { status: 'success', environment: 'production' } });
    expect(r.code).toBe(0);
    expect(r.annotations).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^No channel is configured/) })]);
    expect(r.outputs).toMatchObject({ delivered: '', failed: '' });
    expect(r.summary).toContain('No channel was configured, so nothing was sent.');
  });
});
