/**
 * Discord webhooks: one embed per status, posted with `?wait=true` so Discord answers with the
 * message (its id is in the report). Mentions are disabled (`allowed_mentions: {parse: []}`), so
 * an `@everyone` in a commit message pings nobody. A 429 says when to retry in `Retry-After` and
 * in the body's `retry_after` (seconds). Discord has no idempotency key: a re-run posts again.
 */
import { request, withRetries, type Channel } from './channel.js';
import { STATUS_WORDS, releaseFacts, rollbackHint, type Release } from './release.js';

export function discordMessage(r: Release) {
  const hint = rollbackHint(r);
  return {
    username: 'Gantry',
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: r.title.slice(0, 256),
        description: `${r.text}${hint ? `\n\n${hint}` : ''}`.slice(0, 4096),
        ...(r.runUrl && { url: r.runUrl }),
        color: Number.parseInt(STATUS_WORDS[r.status].colour.slice(1), 16),
        fields: releaseFacts(r).map((f) => ({ name: f.name, value: (f.url ? `[${f.value}](${f.url})` : f.value).slice(0, 1024), inline: true })),
        timestamp: new Date().toISOString(),
      },
    ],
  };
}

export function discord(webhookUrl: string): Channel {
  return {
    name: 'discord',
    async send(r, ctx) {
      const url = new URL(webhookUrl);
      url.searchParams.set('wait', 'true');
      const answer = await withRetries(ctx, 'Discord', () => request(ctx, { url: url.toString(), json: discordMessage(r) }));
      const id = (answer.json as { id?: string } | undefined)?.id;
      ctx.note(`Posted message ${id ?? '(no id)'}.`);
      return { result: 'delivered', detail: id ? `message ${id}` : `HTTP ${answer.status}` };
    },
  };
}
