/**
 * Reports the action's own failures to Sentry when a DSN is given. `@sentry/node` is imported
 * lazily (its import alone costs ~0.45 s), without default integrations (we only send one
 * event), and flushed before the process exits.
 */
import { context } from './context.js';
import { redact } from './secrets.js';

export async function reportToSentry(dsn: string, error: unknown, about: { action: string; kind: string }): Promise<boolean> {
  const Sentry = await import('@sentry/node');
  const run = context();
  Sentry.init({
    dsn,
    defaultIntegrations: false,
    tracesSampleRate: 0,
    release: run.sha || undefined,
    environment: process.env.INPUT_ENVIRONMENT || undefined,
    beforeSend(event) {
      // Scrub every string the event carries of registered secrets.
      return JSON.parse(redact(JSON.stringify(event)));
    },
  });
  Sentry.setTags({
    action: about.action,
    kind: about.kind,
    repository: run.repository,
    workflow: run.workflowRef,
    run_id: run.runId,
  });
  Sentry.captureException(error);
  return Sentry.close(5000);
}
