/** smoke-test's inputs: parsed and checked once, before any request is sent. */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { context } from '../../../shared/core/context.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { InvalidValue, YamlProblem, input, readInputs, tryParseUrl, type InputDef } from '../../../shared/core/inputs.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { defaultCheck, parseChecks, type Check } from '../../../shared/smoke/checks.js';
import { parseHeaderLines } from '../../../shared/smoke/headers.js';

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

export const definitions = {
  url: baseUrl,
  checks: { parse: (raw: string) => (raw === '' ? undefined : parseChecks(raw)) } as InputDef<Check[] | undefined>,
  'checks-file': input.string(),
  headers: { secret: true, parse: parseHeaderLines } as InputDef<Record<string, string>>,
  timeout: input.duration({ default: '10s', min: 1 }),
  attempts: input.integer({ default: 3, min: 1, max: 100 }),
  'retry-delay': input.duration({ default: '2s', max: 600_000 }),
  deadline: input.duration({ default: '2m' }),
  concurrency: input.integer({ default: 8, min: 1, max: 256 }),
  'tls-min-days': input.integer({ default: 14, min: 0, max: 3650 }),
  'security-headers': input.choice(['off', 'warn', 'error'] as const, { default: 'warn' }),
  'fail-on-warning': input.boolean(false),
  'sentry-dsn': commonInputs.sentryDsn(),
};

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
      const where = error.line && !/\(lines? \d/.test(error.message) ? ` line ${error.line}` : '';
      throw new ConfigurationError(`Input 'checks-file': ${shown}${where} ${error.message}`, { input: 'checks-file', file: shown, line: error.line });
    }
    throw error;
  }
}

/** The inputs, and the checks to run: the file's, then the input's, or `GET /` when none are given. */
export function readSmokeInputs() {
  const inputs = readInputs(definitions);
  const checks: Check[] = [...(inputs.checksFile ? readChecksFile(inputs.checksFile) : []), ...(inputs.checks ?? [])];
  if (checks.length === 0) checks.push(defaultCheck());
  const relativeChecks = checks.filter((c) => !c.url);
  if (!inputs.url && relativeChecks.length) {
    throw new ConfigurationError(
      `Input 'url' is required: ${relativeChecks.length === checks.length ? 'the checks give paths' : `check '${relativeChecks[0]!.name}' gives a path`}, which are joined to url (e.g. url: \${{ steps.deploy.outputs.deployment-url }}); or give each check a full url`,
      { input: 'url' },
    );
  }
  return { ...inputs, checks };
}

export type SmokeInputs = ReturnType<typeof readSmokeInputs>;
