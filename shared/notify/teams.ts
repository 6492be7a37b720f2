/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
 * received"; Office 365 connectors were retired on 2026-03-31): a message with one Adaptive Card.
 * Workflows answer 202 Accepted. Teams has no idempotency key: a re-run posts again.
 */
import { request, withRetries, type Channel } from './channel.js';
import { releaseFacts, rollbackHint, type Release } from './release.js';

export function teamsCard(r: Release) {
  const hint = rollbackHint(r);
  const actions = [r.runUrl && { type: 'Action.OpenUrl', title: 'Run log', url: r.runUrl }, r.url && { type: 'Action.OpenUrl', title: `Open ${r.environment}`, url: r.url }].filter(Boolean);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            { type: 'TextBlock', text: r.title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' },
            { type: 'TextBlock', text: r.text, wrap: true },
            { type: 'FactSet', facts: releaseFacts(r).map((f) => ({ title: f.name, value: f.value })) },
            ...(hint ? [{ type: 'TextBlock', text: hint, wrap: true, isSubtle: true, size: 'Small' }] : []),
          ],
          actions,
        },
      },
    ],
  };
}

export function teams(url: string): Channel {
  return {
    name: 'teams',
    async send(r, ctx) {
      const answer = await withRetries(ctx, 'Teams', () => request(ctx, { url, json: teamsCard(r) }));
      ctx.note(`Posted the Adaptive Card: HTTP ${answer.status}.`);
      return { result: 'delivered', detail: `Adaptive Card posted, HTTP ${answer.status}` };
    },
  };
}
