/** notify end to end: the bundle, run as the runner runs it, against every channel's stand-in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { slackUnescape } from '../harness/notify-standins.js';
import { PREVIOUS_SHA, startWorld, type World } from './world.js';

const TRICKY = `Fix "checkout" for O'Brien's cart\nsecond line: {"json": true} \\ back\\slash 🚀🔥 <script>alert('x')</script> & @everyone`;
const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as { delivered: string[]; failed: string[]; channels: Array<{ channel: string; result: string; detail: string; requests: number }> };
const ALL = ['slack', 'webhook', 'pagerduty', 'sentry', 'email', 'teams', 'discord', 'github'];

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w.close();
});

describe('notify (bundle) — every channel', () => {
  let started: ActionResult;
  let success: ActionResult;
  let rerun: ActionResult;

  beforeAll(async () => {
    started = await runAction('notify', { inputs: { ...w.inputs, status: 'started', message: TRICKY }, env: w.env });
    success = await runAction('notify', { inputs: { ...w.inputs, status: 'success', message: TRICKY }, env: w.env });
    rerun = await runAction('notify', { inputs: { ...w.inputs, status: 'success', message: TRICKY }, env: w.env });
  });

  it('delivers to every channel and says so in outputs and the summary', () => {
    for (const r of [started, success, rerun]) {
      expect(r.code, r.log).toBe(0);
      expect(r.annotations.filter((a) => a.level !== 'notice')).toEqual([]);
    }
    expect(success.outputs.failed).toBe('');
    expect(success.outputs.delivered!.split(',').sort()).toEqual([...ALL].sort());
    expect(report(success).channels.every((c) => c.result === 'delivered')).toBe(true);
    // started: PagerDuty and Sentry-deploy have nothing to do for "started" except the Sentry release
    expect(report(started).channels.find((c) => c.channel === 'pagerduty')).toMatchObject({ result: 'skipped' });
    expect(success.summary).toMatch(/\| ✅ \| slack \| delivered \| updated message [\d.]+ in C0DEPLOYS1 \| \d+ \| \d+m?s \|/);
    expect(success.summary).toMatch(/\| ✅ \| email \| delivered \| sent to ops@acme.example, dev@acme.example \|/);
    expect(success.log).toMatch(/▸ slack: delivered — updated message/);
  });

  it('Slack: one message per release, posted on start and updated after (also on a re-run)', () => {
    expect(w.slack.hits(/chat\.postMessage/)).toHaveLength(1);
    expect(w.slack.hits(/chat\.update/)).toHaveLength(2);
    expect(w.slack.messages).toHaveLength(1);
    const m = w.slack.messages[0]!;
    expect(m).toMatchObject({ channel: 'C0DEPLOYS1', edits: 2, metadata: { event_type: 'gantry_release', event_payload: { release_key: 'acme/shop:production:v1.4.2', status: 'success' } } });
    const blocks = JSON.stringify(m.blocks);
    expect(blocks).toContain('Environment');
    expect(blocks).toContain('octocat');
    expect(blocks).toMatch(/\*Duration\*\\n4m\d+s/); // from the GitHub deployment's creation time, 4m12s before the first run
    expect(blocks).toContain('To roll back');
    expect(blocks).toContain(`<https://github.com/acme/shop/compare/${PREVIOUS_SHA}...0123456789abcdef0123456789abcdef01234567|since the last release>`);
    expect(blocks).toContain('*Approved by*\\nhubot');
    const section = (m.blocks[1] as { text: { text: string } }).text.text;
    expect(slackUnescape(section)).toBe(TRICKY);
  });

  it('webhook: verified by the Standard Webhooks reference library, one id per release status (a re-run repeats it)', () => {
    expect(w.webhook.rejected).toEqual([]);
    expect(w.webhook.deliveries.size).toBe(2); // started, success
    const ids = [...w.webhook.deliveries.keys()];
    expect(ids.every((id) => /^msg_[0-9a-f]{32}$/.test(id))).toBe(true);
    const successDelivery = [...w.webhook.deliveries.values()].find((d) => d.body.type === 'release.success')!;
    expect(successDelivery.times).toBe(2); // first run + re-run, same webhook-id
    expect(successDelivery.body.data).toMatchObject({ status: 'success', environment: 'production', version: 'v1.4.2', message: TRICKY, repository: 'acme/shop', actor: 'octocat' });
  });

  it('PagerDuty: the success resolves the release alert and records a change event', () => {
    expect(w.pagerduty.events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['resolve', 'gantry:acme/shop:production'],
      ['resolve', 'gantry:acme/shop:production'],
    ]);
    expect(w.pagerduty.changes).toHaveLength(2);
    expect(w.pagerduty.changes[0].payload.custom_details.message).toBe(TRICKY);
  });

  it('Sentry: release created, finalized and one deploy — the re-run does not record it twice', () => {
    const r = w.sentry.releases.get('v1.4.2')!;
    expect(r.projects).toEqual(['shop-web']);
    expect(r.dateReleased).toBeTruthy();
    expect(r.deploys).toEqual([expect.objectContaining({ environment: 'production', name: 'production run 4242', url: 'https://shop.example.com' })]);
    expect(w.sentry.hits(/\/releases\/$/).map((q) => q.method)).toEqual(['POST', 'POST', 'POST']);
  });

  it('email: over STARTTLS with authentication, plain text and HTML, the message intact', () => {
    const mails = w.smtp.mails;
    expect(mails).toHaveLength(3);
    const last = mails.at(-1)!;
    expect(last.secure).toBe(true);
    expect(last.envelope.to).toEqual(['ops@acme.example', 'dev@acme.example']);
    expect(last.subject).toContain('acme/shop v1.4.2 → production: succeeded');
    expect(last.text).toContain(TRICKY);
    expect(last.html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
    expect(last.html).not.toContain('<script>');
  });

  it('Teams and Discord: cards with the message intact; Discord pings nobody', () => {
    const card = w.teams.posts.at(-1).attachments[0].content;
    expect(card.body[1].text).toBe(TRICKY);
    expect(card.body[2].facts).toContainEqual({ title: 'Version', value: 'v1.4.2' });
    const d = w.discord.posts.at(-1);
    expect(d.embeds[0].description.startsWith(TRICKY)).toBe(true);
    expect(d.allowed_mentions).toEqual({ parse: [] });
    expect(w.discord.hits(/webhooks/).every((q) => q.path.includes('wait=true'))).toBe(true);
  });

  it('GitHub: deployment statuses in_progress then success with environment and log URLs, not repeated on the re-run', () => {
    const d = w.github.deployments.find((x) => x.id === w.deploymentId)!;
    expect(d.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(d.statuses[1]).toMatchObject({ environment_url: 'https://shop.example.com', log_url: 'https://github.com/acme/shop/actions/runs/4242' });
  });

  it('never writes a secret anywhere, in any encoding', () => {
    for (const r of [started, success, rerun]) expect(findSecretLeaks(r, w.secrets)).toEqual([]);
  });
});
