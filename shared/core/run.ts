/**
 * The one entry wrapper every action uses: cancellation → AbortSignal, a clean failure message
 * (the user's mistakes vs. our bugs), an annotation where the user's input is at fault, and a
 * Sentry report when `sentry-dsn` is given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SENTRY_DSN } from './common-inputs.js';
import { CancelledError, ConfigurationError, errorMessage } from './errors.js';
import { log } from './log.js';
import { context } from './context.js';
import { getInput, hasSummary } from './runner.js';
import { redact, registerSecret } from './secrets.js';
import { Summary } from './summary.js';

export interface ActionContext {
  /** Aborted when the job is cancelled (the runner sends SIGINT, then SIGTERM). */
  signal: AbortSignal;
}

export async function run(action: string, main: (context: ActionContext) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      log.info(`Received ${name}: cancelling and leaving things in a safe state…`);
      controller.abort(new CancelledError(name));
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const dsn = getInput('sentry-dsn');
  registerSecret(dsn);
  try {
    await main({ signal: controller.signal });
  } catch (error) {
    process.exitCode = 1;
    await report(action, error, dsn);
    if (!hasSummary()) await failureSummary(action, error);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

async function report(action: string, error: unknown, dsn: string): Promise<void> {
  if (error instanceof ConfigurationError) {
    const at = locate(error);
    for (const line of error.message.split('\n')) log.error(line, { title: `${action}: configuration`, ...at });
  } else if (error instanceof CancelledError) {
    log.error(`${action} was cancelled.`);
  } else {
    // A failure that knows where it happened in the user's files (a migration's line) is annotated there.
    const at = (error as { location?: { file?: string; line?: number } }).location;
    log.error(`${action} failed: ${errorMessage(error)}`, at?.file ? { file: at.file, line: at.line } : {});
    if (error instanceof Error && error.stack) log.debug(redact(error.stack));
  }
  // A DSN that is not a URL with a key (e.g. the bad value being reported) cannot be reported to.
  if (SENTRY_DSN.test(dsn) && !(error instanceof CancelledError)) {
    try {
      const kind = error instanceof ConfigurationError ? 'configuration' : 'failure';
      const { reportToSentry } = await import('./telemetry.js');
      const sent = await reportToSentry(dsn, error, { action, kind });
      log.info(sent ? 'Reported to Sentry.' : 'Could not deliver the report to Sentry in time.');
    } catch (sentryError) {
      log.warning(`Could not report to Sentry: ${errorMessage(sentryError)}`);
    }
  }
}

/** Where to annotate a configuration error: the file and line it names, or else where the input is given. */
function locate(error: ConfigurationError): { file?: string; line?: number; col?: number } {
  const at = error.location;
  if (at?.file) return { file: at.file, line: at.line, col: at.column };
  return at?.input ? whereInput(at.input, at.inputLine) : {};
}

/**
 * The line of the workflow file where an input is given (when the workflow's repository is
 * checked out), or nothing — never a line without its file. `lineInValue` is a line inside a
 * block value (`checks: |`), which sits that many lines below the key.
 */
export function whereInput(input: string, lineInValue?: number): { file?: string; line?: number } {
  const { workflowRef: ref, repository: repo, workspace } = context();
  const path = ref.startsWith(`${repo}/`) ? ref.slice(repo.length + 1).split('@')[0] : undefined;
  if (!path || !existsSync(join(workspace, path))) return {};
  const lines = readFileSync(join(workspace, path), 'utf8').split(/\r?\n/);
  const index = lines.findIndex((l) => new RegExp(`^\\s*["']?${input}["']?\\s*:`).test(l));
  if (index < 0) return { file: path };
  const block = /:\s*[|>][-+0-9]*\s*(#.*)?$/.test(lines[index]!);
  return { file: path, line: index + 1 + (block && lineInValue ? lineInValue : 0) };
}

/** Every failure leaves a job summary, also one that came before the action wrote its own (bad inputs). */
async function failureSummary(action: string, error: unknown): Promise<void> {
  const s = new Summary().heading(`${action} failed`);
  if (error instanceof ConfigurationError) s.text('Nothing was changed: the inputs were refused before anything was contacted.').list(error.message.split('\n'));
  else if (error instanceof CancelledError) s.text('The job was cancelled.');
  else s.text(errorMessage(error));
  await s.write();
}
