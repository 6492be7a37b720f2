/** notify, one channel at a time (bundle): the modes and answers each service really has. */
import { afterAll, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startPagerDuty, startSentry, startSlack, startWebhookReceiver, slackUnescape } from '../harness/notify-standins.js';
import { startSmtp } from '../harness/smtp.js';

const channel = (r: ActionResult, name: string) => (JSON.parse(r.outputs.report!) as { channels: Array<Record<string, unknown>> }).channels.find((c) => c.channel === name)!;
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});
const track = <T extends { close(): Promise<void> }>(s: T) => (closers.push(() => s.close()), s);
const MESSAGE = 'Ship "it" — naïve café 🚀\n<b>bold?</b> & done';

describe('email (smtp-server, bundle)', () => {
  it('sends over implicit TLS (smtps) with authentication', async () => {
    const smtp = track(await startSmtp({ mode: 'tls' }));
    const r = await runAction('notify', {
      inputs: { status: 'failure', environment: 'staging', message: MESSAGE, 'smtp-url': smtp.url, 'email-from': 'Releases <releases@acme.example>', 'email-to': 'ops@acme.example' },
      env: { NODE_EXTRA_CA_CERTS: smtp.caFile },
    });
    expect(r.code, r.log).toBe(0);
    expect(channel(r, 'email')).toMatchObject({ result: 'delivered', requests: 1 });
    const mail = smtp.mails[0]!;
    expect(mail.secure).toBe(true);
    expect(mail.from?.value).toEqual([{ name: 'Releases', address: 'releases@acme.example' }]);
    expect(mail.text).toContain(MESSAGE);
    expect(mail.text).toContain('To roll back, run the rollback workflow for staging');
    expect(mail.html).toContain('Ship &quot;it&quot; — naïve café 🚀\n&lt;b&gt;bold?&lt;/b&gt; &amp; done');
    expect(findSecretLeaks(r, [smtp.url, smtp.password])).toEqual([]);
  });

  it('refuses a wrong password once (not retried) and never shows it', async () => {
    const smtp = track(await startSmtp({ mode: 'starttls' }));
    const wrong = smtp.url.replace(encodeURIComponent(smtp.password), 'wrong-Passw0rd');
    const r = await runAction('notify', {
      inputs: { status: 'success', environment: 'staging', 'smtp-url': wrong, 'email-from': 'a@acme.example', 'email-to': 'b@acme.example' },
      env: { NODE_EXTRA_CA_CERTS: smtp.caFile },
    });
    expect(r.code).toBe(0);
    expect(channel(r, 'email')).toMatchObject({ result: 'failed', requests: 1 });
    expect(channel(r, 'email').detail).toMatch(/^SMTP authentication failed \(.*535.*\): check the user and password in smtp-url$/);
    expect(smtp.authFailures).toBe(1);
    expect(findSecretLeaks(r, [wrong, 'wrong-Passw0rd'])).toEqual([]);
  });

  it('retries a transient 451 and gives up on a final 550', async () => {
    const smtp = track(await startSmtp({ mode: 'starttls' }));
    const inputs = { status: 'success', environment: 'staging', 'smtp-url': smtp.url, 'email-from': 'a@acme.example', 'email-to': 'b@acme.example', timeout: '10s' };
    smtp.rejectNext(1, 451);
    const transient = await runAction('notify', { inputs, env: { NODE_EXTRA_CA_CERTS: smtp.caFile } });
    expect(channel(transient, 'email')).toMatchObject({ result: 'delivered', requests: 2 });
    smtp.rejectNext(1, 550);
    const final = await runAction('notify', { inputs, env: { NODE_EXTRA_CA_CERTS: smtp.caFile } });
    expect(channel(final, 'email')).toMatchObject({ result: 'failed', requests: 1 });
    expect(channel(final, 'email').detail).toMatch(/^SMTP 550/);
    expect(smtp.mails).toHaveLength(1);
  });
});

describe('Slack (bundle)', () => {
  it('incoming webhook: one message per status, retried after a 429', async () => {
    const slack = track(await startSlack());
    slack.inject({ path: /^\/services\//, status: 429, retryAfter: '1', times: 1 });
    const r = await runAction('notify', { inputs: { status: 'success', environment: 'production', message: MESSAGE, 'slack-webhook-url': slack.webhookUrl } });
    expect(channel(r, 'slack')).toMatchObject({ result: 'delivered', requests: 2, detail: 'posted via incoming webhook' });
    expect(slack.webhookPosts).toHaveLength(1);
    expect(slackUnescape((slack.webhookPosts[0]!.blocks[1] as { text: { text: string } }).text.text)).toBe(MESSAGE);
    expect(findSecretLeaks(r, [slack.webhookUrl])).toEqual([]);
  });

  it('a wrong webhook URL (404 no_service) fails at once', async () => {
    const slack = track(await startSlack());
    const r = await runAction('notify', { inputs: { status: 'success', environment: 'production', 'slack-webhook-url': `${slack.url}/services/T0/B0/wrong` } });
    expect(channel(r, 'slack')).toMatchObject({ result: 'failed', requests: 1, detail: 'HTTP 404 (no_service)' });
  });

  it('posts a new message when the release\'s message was deleted, and needs no channel lookup for an id', async () => {
    const slack = track(await startSlack());
    const inputs = { environment: 'production', version: 'v9', 'slack-token': slack.token, 'slack-channel': 'C0DEPLOYS1', 'slack-api-url': slack.url };
    await runAction('notify', { inputs: { ...inputs, status: 'started' } });
    slack.inject({ path: /chat\.update/, status: 200, body: { ok: false, error: 'message_not_found' }, times: 1 }); // deleted by someone
    const r = await runAction('notify', { inputs: { ...inputs, status: 'success' } });
    expect(channel(r, 'slack')).toMatchObject({ result: 'delivered', detail: expect.stringMatching(/^posted message/) });
    expect(slack.hits(/conversations\.list/)).toHaveLength(0);
    expect(slack.hits(/chat\.update/)).toHaveLength(1);
    expect(slack.hits(/chat\.postMessage/)).toHaveLength(2);
    expect(r.log).toContain('is gone; posting a new one.');
  });

  it('says which channel is unknown', async () => {
    const slack = track(await startSlack());
    const r = await runAction('notify', { inputs: { status: 'started', environment: 'production', 'slack-token': slack.token, 'slack-channel': '#nowhere', 'slack-api-url': slack.url } });
    expect(channel(r, 'slack').detail).toBe('Slack conversations.list answered ok: false (channel_not_found): check slack-channel, and invite the app to the channel');
  });
});

describe('webhook (bundle)', () => {
  it('signs GitHub-style with X-Hub-Signature-256', async () => {
    const hook = track(await startWebhookReceiver({ style: 'github' }));
    const r = await runAction('notify', { inputs: { status: 'rolled-back', environment: 'production', message: MESSAGE, 'webhook-url': hook.hookUrl, 'webhook-secret': hook.secret, 'webhook-signature-style': 'github' } });
    expect(channel(r, 'webhook')).toMatchObject({ result: 'delivered', detail: expect.stringContaining('signed X-Hub-Signature-256') });
    const [d] = [...hook.deliveries.values()];
    expect(d!.body).toMatchObject({ type: 'release.rolled-back', data: { message: MESSAGE, status: 'rolled-back' } });
    expect(findSecretLeaks(r, [hook.secret, hook.hookUrl])).toEqual([]);
  });

  it('a receiver that refuses the signature (401) fails the channel without retrying', async () => {
    const hook = track(await startWebhookReceiver());
    const otherSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const r = await runAction('notify', { inputs: { status: 'success', environment: 'production', 'webhook-url': hook.hookUrl, 'webhook-secret': otherSecret } });
    expect(channel(r, 'webhook')).toMatchObject({ result: 'failed', requests: 1 });
    expect(hook.rejected).toEqual(['No matching signature found']);
    expect(findSecretLeaks(r, [otherSecret, hook.hookUrl])).toEqual([]);
  });
});

describe('PagerDuty (bundle)', () => {
  it('triggers one alert on failure and rollback, resolves it on the next success', async () => {
    const pd = track(await startPagerDuty());
    const run = (status: string) => runAction('notify', { inputs: { status, environment: 'production', 'pagerduty-routing-key': pd.routingKey, 'pagerduty-url': pd.url } });
    await run('failure');
    await run('rolled-back');
    expect(pd.alerts.get('gantry:acme/shop:production')).toEqual({ status: 'triggered', triggers: 2 });
    expect(pd.events.map((e) => e.payload?.severity)).toEqual(['error', 'warning']);
    expect(pd.changes).toHaveLength(1); // the rollback changed production
    const r = await run('success');
    expect(channel(r, 'pagerduty').detail).toBe('resolved gantry:acme/shop:production, change event');
    expect(pd.alerts.get('gantry:acme/shop:production')!.status).toBe('resolved');
    expect(findSecretLeaks(r, [pd.routingKey])).toEqual([]);
  });
});

describe('Sentry (bundle)', () => {
  it('goes on after a 409 when the release can be read, and fails when it cannot', async () => {
    const sentry = track(await startSentry());
    const inputs = { environment: 'production', version: 'v2.0.0', 'sentry-auth-token': sentry.token, 'sentry-org': 'acme', 'sentry-project': 'web', 'sentry-url': sentry.url };
    sentry.inject({ path: /\/releases\/$/, status: 409, times: 1 });
    const missing = await runAction('notify', { inputs: { ...inputs, status: 'success' } });
    expect(channel(missing, 'sentry')).toMatchObject({ result: 'failed' });
    expect(channel(missing, 'sentry').detail).toMatch(/^Sentry refused release v2.0.0 \(HTTP 409\) and it cannot be read/);
    await runAction('notify', { inputs: { ...inputs, status: 'started' } });
    sentry.inject({ path: /\/releases\/$/, status: 409, times: 1 });
    const present = await runAction('notify', { inputs: { ...inputs, status: 'success' } });
    expect(channel(present, 'sentry')).toMatchObject({ result: 'delivered', detail: 'release v2.0.0 finalized, deploy to production recorded' });
    expect(sentry.releases.get('v2.0.0')!.deploys).toHaveLength(1);
  });
});
