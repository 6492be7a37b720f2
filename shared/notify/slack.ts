/**
 * Slack: an incoming webhook (one message per call), or a bot token + channel, where a release
 * has one message that is posted once and then updated as the release moves on.
 *
 * Finding the message again (also on a re-run of the job): each message carries Slack message
 * metadata `{event_type: "gantry_release", event_payload: {release_key}}`; before posting we read
 * the channel's recent history (`conversations.history` with `include_all_metadata`, the last
 * 14 days, up to 200 messages) for that key and `chat.update` the message found. Nothing is stored
 * anywhere else, so any job or re-run that announces the same release finds the same message.
 * Scopes: `chat:write`, `channels:history` (`groups:history` for private channels), and
 * `channels:read` / `groups:read` only when `slack-channel` is a name rather than an id.
 *
 * The Web API answers 200 with `ok: false` on errors: `ok` is checked on every answer.
 */
import { HttpError } from '../core/net.js';
import { request, retrying, withRetries, type Channel, type SendContext } from './channel.js';
import { releaseFacts, rollbackHint, type Release } from './release.js';

export const SLACK_EVENT_TYPE = 'gantry_release';

/** Slack's mrkdwn needs exactly &, < and > escaped; everything else arrives as written. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const link = (url: string | undefined, text: string) => (url ? `<${url.replace(/[|>]/g, encodeURIComponent)}|${slackEscape(text)}>` : slackEscape(text));
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The Block Kit message for a release (an object; serialised once by the request). */
export function slackMessage(r: Release): { text: string; blocks: unknown[] } {
  const facts = releaseFacts(r).map((f) => `*${f.name}*\n${link(f.url, f.value)}`);
  const context = [r.runUrl && link(r.runUrl, 'Run log'), r.url && link(r.url, 'Open the app'), rollbackHint(r) && slackEscape(rollbackHint(r)!)].filter(Boolean) as string[];
  return {
    text: cut(`${r.title}: ${slackEscape(r.text)}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: cut(r.title, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: cut(slackEscape(r.text), 3000) } },
      { type: 'section', fields: facts.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: cut(text, 2000) })) },
      ...(context.length ? [{ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text: cut(text, 2000) })) }] : []),
    ],
  };
}

export function slackWebhook(url: string): Channel {
  return {
    name: 'slack',
    async send(r, ctx) {
      await withRetries(ctx, 'Slack webhook', () => request(ctx, { url, json: slackMessage(r) }));
      ctx.note('Posted to the incoming webhook (webhooks cannot update a message: each status is a new message).');
      return { result: 'delivered', detail: 'posted via incoming webhook' };
    },
  };
}

export interface SlackApiOptions {
  token: string;
  channel: string;
  apiUrl: string;
}

export function slackApi(o: SlackApiOptions): Channel {
  return {
    name: 'slack',
    async send(r, ctx) {
      const call = (method: string, args: Record<string, unknown>, post = true, once = false) => slackCall(ctx, o, method, args, post, once);
      const channelId = await resolveChannel(o, call);
      const existing = await findReleaseMessage(channelId, r.key, call, ctx);
      const message = { ...slackMessage(r), metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { release_key: r.key, status: r.status } }, unfurl_links: false, unfurl_media: false };
      if (existing) {
        try {
          await call('chat.update', { channel: channelId, ts: existing, ...message });
          ctx.note(`Updated the release's message ${existing} in ${channelId} to "${r.status}".`);
          return { result: 'delivered', detail: `updated message ${existing} in ${channelId}` };
        } catch (error) {
          if (!(error instanceof SlackError && error.code === 'message_not_found')) throw error;
          ctx.note(`The release's message ${existing} is gone; posting a new one.`);
        }
      }
      // Posting is not idempotent: before another try, look whether the last one landed after all.
      const posted = await retrying(ctx, 'Slack chat.postMessage', async (attempt) => {
        const landed = attempt > 1 ? await findReleaseMessage(channelId, r.key, call, ctx) : undefined;
        if (landed) return { ts: landed, channel: channelId };
        return call('chat.postMessage', { channel: channelId, ...message }, true, true);
      });
      ctx.note(`Posted the release's message ${posted.ts} in ${posted.channel}.`);
      return { result: 'delivered', detail: `posted message ${posted.ts} in ${posted.channel}` };
    },
  };
}

export class SlackError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack ${method} answered ok: false (${code})${HINTS[code] ? `: ${HINTS[code]}` : ''}`);
  }
}

const HINTS: Record<string, string> = {
  invalid_auth: 'check slack-token (a bot token, xoxb-…)',
  not_authed: 'check slack-token (a bot token, xoxb-…)',
  channel_not_found: 'check slack-channel, and invite the app to the channel',
  not_in_channel: 'invite the app to the channel (/invite @app)',
  missing_scope: 'the app needs chat:write and channels:history (groups:history for a private channel)',
};

async function slackCall(ctx: SendContext, o: SlackApiOptions, method: string, args: Record<string, unknown>, post: boolean, once: boolean): Promise<any> {
  const url = new URL(`${o.apiUrl.replace(/\/+$/, '')}/api/${method}`);
  if (!post) for (const [k, v] of Object.entries(args)) if (v !== undefined) url.searchParams.set(k, String(v));
  const answer = await withRetries(ctx, `Slack ${method}`, () =>
    request(ctx, { url: url.toString(), headers: { authorization: `Bearer ${o.token}` }, ...(post ? { json: args } : {}) }),
    { once },
  );
  const body = answer.json as { ok?: boolean; error?: string } | undefined;
  if (!body || typeof body.ok !== 'boolean') throw new HttpError(`Slack ${method} answered HTTP ${answer.status} without a JSON body`, answer.status);
  if (!body.ok) throw new SlackError(method, body.error ?? 'unknown_error');
  return body;
}

type Call = (method: string, args: Record<string, unknown>, post?: boolean, once?: boolean) => Promise<any>;

/** A channel id as given (C…, G…, D…), or a name (with or without #) looked up in conversations.list. */
async function resolveChannel(o: SlackApiOptions, call: Call): Promise<string> {
  if (/^[CGD][A-Z0-9]{6,}$/.test(o.channel)) return o.channel;
  const name = o.channel.replace(/^#/, '');
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const answer = await call('conversations.list', { types: 'public_channel,private_channel', exclude_archived: true, limit: 200, cursor }, false);
    const found = (answer.channels as Array<{ id: string; name: string }>).find((c) => c.name === name);
    if (found) return found.id;
    cursor = answer.response_metadata?.next_cursor;
    if (!cursor) break;
  }
  throw new SlackError('conversations.list', 'channel_not_found');
}

async function findReleaseMessage(channel: string, key: string, call: Call, ctx: SendContext): Promise<string | undefined> {
  const oldest = String(Math.floor(Date.now() / 1000) - 14 * 86_400);
  let cursor: string | undefined;
  for (let page = 0; page < 2; page++) {
    const answer = await call('conversations.history', { channel, oldest, limit: 100, include_all_metadata: true, cursor }, false);
    const found = (answer.messages as Array<{ ts: string; metadata?: { event_type?: string; event_payload?: { release_key?: string } } }>).find(
      (m) => m.metadata?.event_type === SLACK_EVENT_TYPE && m.metadata.event_payload?.release_key === key,
    );
    if (found) return found.ts;
    cursor = answer.response_metadata?.next_cursor;
    if (!answer.has_more || !cursor) break;
  }
  ctx.note(`No message for release ${key} in the channel's recent history.`);
  return undefined;
}

