/** preflight's inputs: every value parsed and every cross-field rule checked before any check runs. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { input, InvalidValue, readInputs, shown, tryParseUrl, type InputDef } from '../../../shared/core/inputs.js';
import { parseS3Uri } from '../../../shared/storage/types.js';
import { FreezeSyntaxError, parseFreeze, type FreezeWindow } from './freeze.js';
import { platformInputs, platformProblems, platformTarget } from './platform-inputs.js';
import { databaseUrlInput } from '../../../shared/postgres/url.js';

/** One value per line (names of checks may hold commas); blank lines and `#` comments skipped. */
const lines = (raw: string) => raw.split(/\r?\n/).map((l) => l.replace(/(^|\s)#.*$/, '').trim()).filter(Boolean);

const freezeInput: InputDef<FreezeWindow[]> = {
  parse: (raw) => {
    try {
      return raw ? parseFreeze(raw) : [];
    } catch (error) {
      if (error instanceof FreezeSyntaxError) throw new InvalidValue(error.message);
      throw error;
    }
  },
};

export type RequiredChecks = { mode: 'branch' } | { mode: 'all' } | { mode: 'names'; names: string[] };

const requiredChecksInput: InputDef<RequiredChecks> = {
  parse: (raw) => {
    const names = lines(raw);
    if (names.length === 0) return { mode: 'branch' };
    if (names.length === 1 && names[0]!.toLowerCase() === 'all') return { mode: 'all' };
    if (names.some((n) => n.toLowerCase() === 'all')) throw new InvalidValue(`mixes "all" with check names: give either all or the names, one per line`);
    return { mode: 'names', names };
  },
};

const destinationInput: InputDef<{ kind: 's3'; bucket: string; prefix: string; uri: string } | { kind: 'local'; directory: string } | undefined> = {
  parse: (raw) => {
    if (!raw) return undefined;
    if (raw.startsWith('s3://')) {
      const s3 = parseS3Uri(raw);
      if (!s3) throw new InvalidValue(`is ${shown(raw)}: use s3://bucket/prefix (a valid bucket name: 3–63 lower-case letters, digits, dots or hyphens)`);
      return { kind: 's3', ...s3, uri: raw };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new InvalidValue(`is ${shown(raw)}: use s3://bucket/prefix or a local directory`);
    return { kind: 'local', directory: raw };
  },
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GLOB = /^[^\s]+$/;

export const inputs = {
  environment: commonInputs.environment(),
  'required-env': input.list({
    default: [],
    item: (s) => {
      if (!ENV_NAME.test(s)) throw new InvalidValue('is not an environment variable name: use letters, digits and _ (e.g. DATABASE_URL), one per line');
      return s;
    },
  }),
  'database-url': databaseUrlInput(),
  'migrations-dir': input.string(),
  ...platformInputs,
  urls: input.list({
    default: [],
    item: (s) => {
      const url = tryParseUrl(s);
      if (!url || !['http:', 'https:'].includes(url.protocol)) throw new InvalidValue('is not an absolute http(s) URL: give one URL per line, e.g. https://shop.example.com/health');
      return s;
    },
  }),
  'tls-min-days': input.integer({ default: 14, min: 0, max: 3650 }),
  'backup-destination': destinationInput,
  's3-endpoint': input.url(),
  's3-region': input.string({ pattern: /^[a-z]{2}(-[a-z0-9]+)+-\d+$|^[a-z0-9-]{2,40}$/, hint: 'use an AWS region such as eu-central-1' }),
  's3-force-path-style': input.boolean(false),
  freeze: freezeInput,
  'freeze-override': input.string({
    pattern: /^(?!(true|yes|on|1)$)[^\r\n]{8,500}$/i,
    hint: 'give the reason on one line (8 to 500 characters), e.g. "hotfix for INC-1234, approved by the on-call lead": it is recorded in the report and the summary',
  }),
  'required-checks': requiredChecksInput,
  'wait-for-checks': input.duration({ default: '5m', min: 0, max: 6 * 3_600_000 }),
  'allowed-refs': input.list({
    default: [],
    item: (s) => {
      if (!GLOB.test(s)) throw new InvalidValue('is not a glob: give branch or tag globs such as main, release/*, refs/tags/v*');
      return s;
    },
  }),
  'block-concurrent': input.boolean(true),
  'fail-on-not-ready': input.boolean(true),
  timeout: input.duration({ default: '30s', min: 100, max: 30 * 60_000 }),
  'github-token': input.secret({ hint: 'pass ${{ github.token }} (needs checks: read, statuses: read, deployments: read)' }),
  'sentry-dsn': commonInputs.sentryDsn(),
};

export function readPreflightInputs(env: NodeJS.ProcessEnv = process.env) {
  const i = readInputs(inputs);
  const problems = platformProblems(i, env);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const inWorkspace = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p));
  if (i.migrationsDir !== undefined) {
    const dir = inWorkspace(i.migrationsDir);
    if (!i.databaseUrl) problems.push(['migrations-dir', "Input 'migrations-dir' needs 'database-url': the plan compares the folder with the database's history"]);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(['migrations-dir', `Input 'migrations-dir' is ${shown(i.migrationsDir)}: no such directory in the workspace; check out the repository first or fix the path`]);
    }
  }
  const s3 = i.backupDestination?.kind === 's3';
  for (const name of ['s3-endpoint', 's3-region'] as const) {
    const value = name === 's3-endpoint' ? i.s3Endpoint : i.s3Region;
    if (value !== undefined && !s3) problems.push([name, `Input '${name}' applies only to an s3:// backup-destination: remove it or set backup-destination: s3://bucket/prefix`]);
  }
  if (problems.length) throw new ConfigurationError(problems.map((p) => p[1]).join('\n'), { input: problems[0]![0] });
  return {
    ...i,
    migrationsPath: i.migrationsDir === undefined ? undefined : inWorkspace(i.migrationsDir),
    backup:
      i.backupDestination?.kind === 'local'
        ? { kind: 'local' as const, directory: inWorkspace(i.backupDestination.directory) }
        : i.backupDestination,
    target: platformTarget(i, env),
    workspace,
  };
}

export type PreflightInputs = ReturnType<typeof readPreflightInputs>;
