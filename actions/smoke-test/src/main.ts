/** smoke-test: typed inputs in → the shared smoke engine → outputs, job summary, annotations. */
import { CancelledError } from '../../../shared/core/errors.js';
import { group, log } from '../../../shared/core/log.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { redact } from '../../../shared/core/secrets.js';
import { formatMs, runSmokeChecks } from '../../../shared/smoke/engine.js';
import { reportJson } from '../../../shared/smoke/report.js';
import { readSmokeInputs } from './inputs.js';
import { annotate, logLine, verdict, writeSummary } from './summary.js';

export async function main({ signal }: ActionContext): Promise<void> {
  const i = readSmokeInputs();
  const base = i.url ? ` against ${new URL(i.url).origin}${new URL(i.url).pathname.replace(/\/$/, '')}` : '';
  const headers = Object.keys(i.headers);
  log.info(
    `Smoke-testing ${i.checks.length} check${i.checks.length === 1 ? '' : 's'}${base}` +
      `${headers.length ? ` with header${headers.length === 1 ? '' : 's'} ${headers.join(', ')} (values masked)` : ''}` +
      ` — timeout ${formatMs(i.timeout)}, attempts ${i.attempts}, deadline ${formatMs(i.deadline)}, concurrency ${i.concurrency}`,
  );

  const report = await group('Checks', () =>
    runSmokeChecks(i.checks, {
      baseUrl: i.url,
      headers: i.headers,
      timeoutMs: i.timeout,
      attempts: i.attempts,
      retryDelayMs: i.retryDelay,
      deadlineMs: i.deadline,
      concurrency: i.concurrency,
      tlsMinDays: i.tlsMinDays,
      securityHeaders: i.securityHeaders,
      failOnWarning: i.failOnWarning,
      signal,
      onRetry: ({ check, attempt, delayMs, reason }) => log.info(`… ${check.name}: ${reason} (attempt ${attempt}); retrying in ${formatMs(delayMs)}`),
      onResult: (r) => log.info(logLine(r, i.url)),
    }),
  );
  annotate(report, i.url);

  writeOutput('passed', String(report.passed));
  writeOutput('failed-count', String(report.failedCount));
  writeOutput('p95-ms', report.p95Ms === undefined ? '' : String(report.p95Ms));
  writeOutput('report', redact(reportJson(report)));
  await writeSummary(report);

  if (report.cancelled) throw new CancelledError();
  const { passed, line } = verdict(report);
  if (passed) log.info(line);
  else {
    process.exitCode = 1;
    log.error(line, { title: 'smoke-test' });
  }
}
