/**
 * The HTTP smoke-check engine: parse checks (YAML), run them against a base URL, report.
 *
 *   const checks = parseChecks(yamlText);                // throws YamlProblem (.line) on mistakes
 *   const report = await runSmokeChecks(checks, { baseUrl, headers, timeoutMs, attempts,
 *     retryDelayMs, deadlineMs, concurrency, tlsMinDays, securityHeaders, signal });
 *   renderSmokeSummary(report, new Summary()).write();  // or reportJson(report) for an output
 */
export { parseChecks, defaultCheck, parseStatus, statusMatches, parseTextMatcher, textMatches, parseJsonPath, valueAt, matchJson, type Check, type StatusMatcher, type TextMatcher } from './checks.js';
export { readHealth, healthLevel, type HealthReading, type HealthLevel } from './health.js';
export { inspectCertificate, type CertificateInfo } from './tls.js';
export { runSmokeChecks, checkUrl, percentile, securityHeaderFindings, describeNetworkError, formatMs, SMOKE_DEFAULTS, type SmokeOptions, type SmokeReport, type CheckResult, type CheckStatus, type TlsResult, type SecurityHeadersMode } from './engine.js';
export { renderSmokeSummary, reportJson, requestLabel, headline } from './report.js';
export { parseHeaderLines } from './headers.js';
