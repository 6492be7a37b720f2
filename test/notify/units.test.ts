/** notify's pure parts, in-process: the release as data, templates, signatures (checked by the reference library), delivery bounds. */
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { context } from '../../shared/core/context.js';
import { CancelledError } from '../../shared/core/errors.js';
import { deliver, type Channel } from '../../shared/notify/channel.js';
import { describeRelease, unknownPlaceholders } from '../../shared/notify/release.js';
import { slackEscape, slackMessage } from '../../shared/notify/slack.js';
import { signatureHeaders, standardKey, webhookId, webhookPayload } from '../../shared/notify/webhook.js';

const ctx = context({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abcdef0123456789abcdef0123456789abcdef01', GITHUB_RUN_ID: '77', GITHUB_ACTOR: 'mona' });
const release = (over: Partial<Parameters<typeof describeRelease>[0]> = {}) => describeRelease({ status: 'success', environment: 'production', ...over }, ctx);

describe('the release as data', () => {
  it('renders a default sentence per status, with the short SHA as version', () => {
    expect(release().text).toBe('Deployed abcdef0 to production.');
    expect(release({ durationMs: 95_000 }).text).toBe('Deployed abcdef0 to production in 1m35s.');
    expect(release({ status: 'rolled-back', version: 'v3' }).text).toBe('production was rolled back from v3.');
    expect(release({ status: 'started' }).title).toBe('🚀 acme/shop abcdef0 → production: deploying');
  });

  it('fills every placeholder and knows the unknown ones', () => {
    const r = release({ message: '{environment}|{version}|{status}|{url}|{run_url}|{actor}|{duration}|{repository}|{sha}', url: 'https://x.example', version: 'v1' });
    expect(r.text).toBe('production|v1|success|https://x.example|https://github.com/acme/shop/actions/runs/77|mona|an unknown time|acme/shop|abcdef0123456789abcdef0123456789abcdef01');
    expect(unknownPlaceholders('{env} {version} {Run_Url}')).toEqual(['env']);
  });

  it('keys a release by repository, environment and version', () => {
    expect(release({ version: 'v1' }).key).toBe('acme/shop:production:v1');
    expect(release({ version: 'v1', status: 'failure' }).key).toBe('acme/shop:production:v1');
  });

  it('escapes only what Slack mrkdwn needs', () => {
    expect(slackEscape(`<a href="x">&'"`)).toBe(`&lt;a href="x"&gt;&amp;'"`);
    const m = slackMessage(release({ message: 'a\n"b"' }));
    expect(JSON.parse(JSON.stringify(m)).blocks[1].text.text).toBe('a\n"b"');
  });
});

describe('webhook signatures', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

  it('verifies with the standardwebhooks reference library', () => {
    const body = JSON.stringify(webhookPayload(release({ message: 'quote " newline \n emoji 🚀 <script>' })));
    const id = webhookId(release());
    const ts = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders(body, id, ts, secret, 'standard');
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'release.success', data: { message: 'quote " newline \n emoji 🚀 <script>' } });
    expect(() => new Webhook(secret).verify(body.replace('success', 'failure'), headers)).toThrow();
  });

  it('keeps the id for a retry or a re-run and changes it with the status', () => {
    expect(webhookId(release())).toBe(webhookId(release()));
    expect(webhookId(release())).not.toBe(webhookId(release({ status: 'failure' })));
  });

  it('accepts only base64 secrets of at least 16 bytes for the standard style', () => {
    expect(standardKey(secret)?.length).toBe(32);
    expect(standardKey(secret.slice(6))?.length).toBe(32);
    expect(standardKey('whsec_dGVzdA==')).toBeUndefined();
    expect(standardKey('not base64!')).toBeUndefined();
  });
});

describe('delivery bounds', () => {
  const ok = (name: string, ms: number): Channel => ({ name, send: () => new Promise((resolve) => setTimeout(() => resolve({ result: 'delivered', detail: 'ok' }), ms)) });
  const deaf: Channel = { name: 'deaf', send: () => new Promise(() => {}) }; // ignores its signal

  it('runs channels in parallel and ends one that ignores its signal at the timeout', async () => {
    const started = Date.now();
    const reports = await deliver([ok('a', 150), ok('b', 150), deaf, ok('c', 150)], release(), { timeoutMs: 400 });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(700);
    expect(reports.map((r) => [r.channel, r.result])).toEqual([['a', 'delivered'], ['b', 'delivered'], ['deaf', 'failed'], ['c', 'delivered']]);
    expect(reports[2]!.detail).toBe("no answer within the channel's timeout (400ms)");
  });

  it('ends every channel when the job is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError()), 100);
    const reports = await deliver([deaf, ok('slow', 5000)], release(), { timeoutMs: 10_000, signal: controller.signal });
    expect(reports.map((r) => r.detail)).toEqual(['cancelled', 'cancelled']);
  });
});
