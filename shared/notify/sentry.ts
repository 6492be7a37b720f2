/**
 * Sentry releases over the REST API (`@sentry/node` cannot create releases or deploys).
 * `started`: create the release (201 new, 208 already there). `success`: create it, finalize it
 * (`dateReleased`), then record a deploy for the environment — unless the release already has a
 * deploy for this environment named after this run (deploys are not idempotent in Sentry:
 * every POST adds one, so a re-run checks first). Other statuses send nothing.
 */
import { HttpError } from '../core/net.js';
import { request, retrying, withRetries, type Channel, type Outcome, type SendContext } from './channel.js';
import type { Release } from './release.js';

export interface SentryOptions {
  token: string;
  org: string;
  project: string;
  url: string;
}

/** Sentry refuses these release versions. */
export function badSentryVersion(version: string): string | undefined {
  if (/[/\n\t\\]/.test(version)) return 'contains a slash, backslash, newline or tab';
  if (version === '.' || version === '..' || version.toLowerCase() === 'latest') return `is "${version}"`;
  if (version.length > 200) return 'is longer than 200 characters';
  return undefined;
}

export function sentry(o: SentryOptions): Channel {
  const base = `${o.url.replace(/\/+$/, '')}/api/0/organizations/${encodeURIComponent(o.org)}/releases/`;
  const call = (ctx: SendContext, what: string, method: string, url: string, json?: unknown, accept?: (s: number) => boolean, once = false) =>
    withRetries(ctx, `Sentry ${what}`, () => request(ctx, { method, url, json, headers: { authorization: `Bearer ${o.token}` }, accept }), { once });
  return {
    name: 'sentry',
    async send(r, ctx): Promise<Outcome> {
      if (r.status !== 'started' && r.status !== 'success') return { result: 'skipped', detail: `nothing to record for "${r.status}"` };
      const releaseUrl = `${base}${encodeURIComponent(r.version)}/`;
      const created = await call(ctx, 'create release', 'POST', base, {
        version: r.version,
        projects: [o.project],
        ...(r.repository && r.sha && { refs: [{ repository: r.repository, commit: r.sha }] }),
        ...(r.runUrl && { url: r.runUrl }),
      }, (s) => s === 201 || s === 208 || s === 409);
      const existed = created.status !== 201;
      ctx.note(`Release ${r.version}: ${existed ? `already there (HTTP ${created.status})` : 'created'}.`);
      if (created.status === 409) {
        // A conflict means the version is taken in a way Sentry will not merge; it must be readable to go on.
        await call(ctx, 'read release', 'GET', releaseUrl).catch((error) => {
          throw new HttpError(`Sentry refused release ${r.version} (HTTP 409) and it cannot be read: ${error instanceof Error ? error.message : error}`, 409);
        });
      }
      if (r.status === 'started') return { result: 'delivered', detail: `release ${r.version} ${existed ? 'exists' : 'created'}` };

      await call(ctx, 'finalize release', 'PUT', releaseUrl, { dateReleased: new Date().toISOString() });
      const name = `${r.environment} run ${r.runId || 'local'}`;
      const recorded = async () => {
        const deploys = await call(ctx, 'list deploys', 'GET', `${releaseUrl}deploys/`);
        return Array.isArray(deploys.json) && deploys.json.some((d: { environment?: string; name?: string }) => d.environment === r.environment && d.name === name);
      };
      if (await recorded()) {
        ctx.note(`Deploy "${name}" is already recorded: not recording it twice.`);
        return { result: 'delivered', detail: `release ${r.version} finalized; deploy to ${r.environment} already recorded` };
      }
      const deploy = {
        environment: r.environment,
        name,
        ...((r.url ?? r.runUrl) && { url: r.url ?? r.runUrl }),
        ...(r.durationMs !== undefined && { dateStarted: new Date(Date.now() - r.durationMs).toISOString() }),
        dateFinished: new Date().toISOString(),
      };
      // Every POST adds a deploy: before another try, look whether the last one landed after all.
      await retrying(ctx, 'Sentry record deploy', async (attempt) => {
        if (attempt > 1 && (await recorded())) return;
        await call(ctx, 'record deploy', 'POST', `${releaseUrl}deploys/`, deploy, undefined, true);
      });
      ctx.note(`Finalized release ${r.version} and recorded deploy "${name}".`);
      return { result: 'delivered', detail: `release ${r.version} finalized, deploy to ${r.environment} recorded` };
    },
  };
}
