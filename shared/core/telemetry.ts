/**
 * Reports the action's own failures to Sentry when a DSN is given. `@sentry/node` is imported
 * lazily (its import alone costs ~0.45 s), without default integrations (we only send one
 * event), and flushed before the process exits.
 */
import { redact } from './secrets.js';

export async function reportToSentry(dsn: string, error: unknown, context: { action: string; kind: string }): Promise<boolean> {
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn,
    defaultIntegrations: false,
    tracesSampleRate: 0,
    release: process.env.GITHUB_SHA,
    environment: process.env.INPUT_ENVIRONMENT || undefined,
    beforeSend(event) {
      // Scrub every string the event carries of registered secrets.
      return JSON.parse(redact(JSON.stringify(event)));
    },
  });
  Sentry.setTags({
    action: context.action,
    kind: context.kind,
    repository: process.env.GITHUB_REPOSITORY ?? '',
    workflow: process.env.GITHUB_WORKFLOW ?? '',
    run_id: process.env.GITHUB_RUN_ID ?? '',
  });
  Sentry.captureException(error);
  return Sentry.close(5000);
}
