/** smoke-test: typed inputs in → the shared smoke engine → outputs, job summary, annotations. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { CancelledError, ConfigurationError } from '../../../shared/core/errors.js';
import { InvalidValue, YamlProblem, input, readInputs, tryParseUrl, type InputDef } from '../../../shared/core/inputs.js';
import { group, log } from '../../../shared/core/log.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { redact, registerSecret } from '../../../shared/core/secrets.js';
import { Summary } from '../../../shared/core/summary.js';
import { defaultCheck, parseChecks, type Check } from '../../../shared/smoke/checks.js';
import { formatMs, runSmokeChecks, type CheckResult } from '../../../shared/smoke/engine.js';
import { parseHeaderLines } from '../../../shared/smoke/headers.js';
import { renderSmokeSummary, reportJson, requestLabel } from '../../../shared/smoke/report.js';
import { context } from '../../../shared/core/context.js';

/** A base URL; a password inside it is masked (and sent as Basic auth). */
const baseUrl: InputDef<string | undefined> = {
  parse(raw) {
    if (raw === '') return undefined;
    const url = tryParseUrl(raw);
    if (url?.password) registerSecret(raw); // masks the URL and its password in every form
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      throw new InvalidValue(`is ${url?.password ? '(a URL with a password, not shown)' : JSON.stringify(raw.slice(0, 80))}: use an absolute http(s) URL such as https://my-app-git-main.vercel.app`);
    }
    return raw;
  },
};

const checksInput: InputDef<Check[] | undefined> = {
  parse(raw) {
    if (raw === '') return undefined;
    try {
      return parseChecks(raw);
    } catch (error) {
      if (error instanceof YamlProblem && error.line && !/line \d+/.test(error.message)) throw new InvalidValue(`${error.message} (line ${error.line})`);
      throw error;
    }
  },
};

const headersInput: InputDef<Record<string, string>> = { secret: true, parse: parseHeaderLines };

function readChecksFile(path: string): Check[] {
  const workspace = context().workspace;
  const full = isAbsolute(path) ? path : join(workspace, path);
  const shown = relative(workspace, full).startsWith('..') ? full : relative(workspace, full);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ConfigurationError(`Input 'checks-file' is "${path}": ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`}; give a path relative to the repository root, e.g. .github/smoke-checks.yml`, { input: 'checks-file' });
  }
  try {
    return parseChecks(text, shown);
  } catch (error) {
    if (error instanceof YamlProblem) {
      throw new ConfigurationError(`Input 'checks-file': ${shown}${error.line ? ` line ${error.line}` : ''} ${error.message}`, { input: 'checks-file', file: shown, line: error.line });
    }
    throw error;
  }
}

export async function main({ signal }: ActionContext): Promise<void> {
  const inputs = readInputs({
    url: baseUrl,
    checks: checksInput,
    'checks-file': input.string(),
    headers: headersInput,
    timeout: input.duration({ default: '10s', min: 1 }),
    attempts: input.integer({ default: 3, min: 1, max: 100 }),
    'retry-delay': input.duration({ default: '2s', max: 600_000 }),
    deadline: input.duration({ default: '2m' }),
    concurrency: input.integer({ default: 8, min: 1, max: 256 }),
    'tls-min-days': input.integer({ default: 14, min: 0, max: 3650 }),
    'security-headers': input.choice(['off', 'warn', 'error'] as const, { default: 'warn' }),
    'fail-on-warning': input.boolean(false),
    'sentry-dsn': input.url({ secret: true }),
  });

  const checks: Check[] = [...(inputs.checksFile ? readChecksFile(inputs.checksFile) : []), ...(inputs.checks ?? [])];
  if (checks.length === 0) checks.push(defaultCheck());
  const relativeChecks = checks.filter((c) => !c.url);
  if (!inputs.url && relativeChecks.length) {
    throw new ConfigurationError(
      `Input 'url' is required: ${relativeChecks.length === checks.length ? 'the checks give paths' : `check '${relativeChecks[0]!.name}' gives a path`}, which are joined to url (e.g. url: \${{ steps.deploy.outputs.deployment-url }}); or give each check a full url`,
      { input: 'url' },
    );
  }

  const headerNames = Object.keys(inputs.headers);
  log.info(
    `Smoke-testing ${checks.length} check${checks.length === 1 ? '' : 's'}${inputs.url ? ` against ${new URL(inputs.url).origin}${new URL(inputs.url).pathname.replace(/\/$/, '')}` : ''}` +
      `${headerNames.length ? ` with header${headerNames.length === 1 ? '' : 's'} ${headerNames.join(', ')} (values masked)` : ''}` +
      ` — timeout ${formatMs(inputs.timeout)}, attempts ${inputs.attempts}, deadline ${formatMs(inputs.deadline)}, concurrency ${inputs.concurrency}`,
  );

  const line = (r: CheckResult) => {
    const icon = r.status === 'pass' ? '✓' : r.status === 'warn' ? '!' : r.status === 'cancelled' ? '-' : '✗';
    const timing = r.latencyMs !== undefined ? ` ${formatMs(r.latencyMs)}` : '';
    const detail = [...r.problems, ...r.warnings].join('; ');
    return `${icon} ${r.name} — ${requestLabel(r, inputs.url)} → ${r.httpStatus ?? 'no answer'}${timing}${r.attempts > 1 ? ` (attempt ${r.attempts})` : ''}${detail ? ` — ${detail}` : ''}`;
  };

  const report = await group('Checks', () =>
    runSmokeChecks(checks, {
      baseUrl: inputs.url,
      headers: inputs.headers,
      timeoutMs: inputs.timeout,
      attempts: inputs.attempts,
      retryDelayMs: inputs.retryDelay,
      deadlineMs: inputs.deadline,
      concurrency: inputs.concurrency,
      tlsMinDays: inputs.tlsMinDays,
      securityHeaders: inputs.securityHeaders,
      failOnWarning: inputs.failOnWarning,
      signal,
      onRetry: ({ check, attempt, delayMs, reason }) => log.info(`… ${check.name}: ${reason} (attempt ${attempt}); retrying in ${formatMs(delayMs)}`),
      onResult: (r) => log.info(line(r)),
    }),
  );

  // One annotation per failing or warning check; security-header findings once per origin.
  const headerFindings = new Map<string, { findings: Set<string>; checks: string[] }>();
  for (const r of report.checks) {
    const at = { title: `smoke-test: ${r.name}`, file: r.file, line: r.line };
    const warnings = r.warnings.filter((w) => !w.startsWith('security headers:'));
    if (r.status === 'fail') log.error(`${requestLabel(r, inputs.url)}: ${r.problems.join('; ')}${r.attempts > 1 ? ` (after ${r.attempts} attempts)` : ''}`, at);
    else if (r.status === 'warn' && warnings.length) log.warning(`${requestLabel(r, inputs.url)}: ${warnings.join('; ')}`, at);
    if (r.securityHeaders?.length && r.status !== 'fail') {
      const origin = new URL(r.url).origin;
      const entry = headerFindings.get(origin) ?? { findings: new Set<string>(), checks: [] };
      r.securityHeaders.forEach((f) => entry.findings.add(f));
      entry.checks.push(r.name);
      headerFindings.set(origin, entry);
    }
  }
  for (const [origin, { findings, checks: names }] of headerFindings) {
    const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
    log.warning(`${origin}: ${[...findings].join(', ')} (on ${names.slice(0, 5).join(', ')}${more})`, { title: 'smoke-test: security headers' });
  }
  for (const t of report.tls) {
    if (t.status === 'warn') log.warning(`TLS certificate of ${t.origin} ${t.problem}`, { title: 'smoke-test: TLS certificate' });
    if (t.status === 'fail') log.error(`TLS certificate of ${t.origin} is ${t.problem}`, { title: 'smoke-test: TLS certificate' });
  }

  writeOutput('passed', String(report.passed));
  writeOutput('failed-count', String(report.failedCount));
  writeOutput('p95-ms', report.p95Ms === undefined ? '' : String(report.p95Ms));
  writeOutput('report', redact(reportJson(report)));
  await renderSmokeSummary(report, new Summary()).write();

  if (report.cancelled) throw new CancelledError();
  const tail = `${report.passedCount}/${report.total} passed, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}, p95 ${report.p95Ms === undefined ? '—' : formatMs(report.p95Ms)}, ${formatMs(report.durationMs)}`;
  if (report.passed) log.info(`Smoke test passed: ${tail}.`);
  else {
    process.exitCode = 1;
    const why = report.failedCount ? `${report.failedCount} of ${report.total} checks failed` : report.tls.some((t) => t.status === 'fail') ? 'a TLS certificate is not trusted' : 'there are warnings and fail-on-warning is true';
    log.error(`Smoke test failed: ${why} (${tail}).`, { title: 'smoke-test' });
  }
}
