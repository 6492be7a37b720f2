/**
 * PagerDuty Events API v2. One alert per repository and environment (`dedup_key`
 * `gantry:<repository>:<environment>`): a failure or a rollback triggers it (PagerDuty folds a
 * repeated trigger into the open incident), the next success resolves it. A success or a
 * rollback also sends a change event (they notify nobody; the Events API has no dedup for them).
 * `started` and `cancelled` send nothing. 202 is success; 400 is final; 429, 5xx and network
 * faults are retried.
 */
import { request, withRetries, type Channel, type Outcome, type SendContext } from './channel.js';
import type { Release } from './release.js';

export function pagerdutyDedupKey(r: Release): string {
  return `gantry:${r.repository || 'local'}:${r.environment}`.slice(0, 255);
}

const links = (r: Release) => [r.runUrl && { href: r.runUrl, text: 'Run log' }, r.url && { href: r.url, text: r.environment }, r.commitUrl && { href: r.commitUrl, text: 'Commit' }].filter(Boolean);

const details = (r: Release) => ({ environment: r.environment, version: r.version, status: r.status, repository: r.repository, sha: r.sha, actor: r.actor, message: r.text, run_url: r.runUrl ?? null });

export function pagerduty(o: { routingKey: string; url: string }): Channel {
  const base = o.url.replace(/\/+$/, '');
  const post = (ctx: SendContext, path: string, event: Record<string, unknown>) =>
    withRetries(ctx, `PagerDuty ${path}`, () => request(ctx, { url: `${base}${path}`, json: { routing_key: o.routingKey, ...event }, accept: (s) => s === 202 || s === 200 }));
  return {
    name: 'pagerduty',
    async send(r, ctx): Promise<Outcome> {
      const dedup = pagerdutyDedupKey(r);
      const done: string[] = [];
      if (r.status === 'failure' || r.status === 'rolled-back') {
        await post(ctx, '/v2/enqueue', {
          event_action: 'trigger',
          dedup_key: dedup,
          payload: {
            summary: `${r.title}: ${r.text}`.slice(0, 1024),
            source: r.url ?? r.repository ?? 'gantry',
            severity: r.status === 'failure' ? 'error' : 'warning',
            component: r.environment,
            group: r.repository,
            class: 'deployment',
            custom_details: details(r),
          },
          links: links(r),
        });
        done.push(`triggered ${dedup}`);
      }
      if (r.status === 'success') {
        await post(ctx, '/v2/enqueue', { event_action: 'resolve', dedup_key: dedup });
        done.push(`resolved ${dedup}`);
      }
      if (r.status === 'success' || r.status === 'rolled-back') {
        await post(ctx, '/v2/change/enqueue', {
          payload: { summary: `${r.title}: ${r.text}`.slice(0, 1024), timestamp: new Date().toISOString(), source: r.repository || 'gantry', custom_details: details(r) },
          links: links(r),
        });
        done.push('change event');
      }
      for (const d of done) ctx.note(`PagerDuty: ${d}.`);
      if (!done.length) return { result: 'skipped', detail: `nothing to send for "${r.status}"` };
      return { result: 'delivered', detail: done.join(', ') };
    },
  };
}
