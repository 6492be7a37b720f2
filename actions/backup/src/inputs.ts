/** The backup action's inputs: parsed and cross-checked before anything is touched. */
import { isAbsolute } from 'node:path';
import { checkRecipient, parseIdentities, type EncryptionKey } from '../../../shared/crypto/age.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { input, InvalidValue, readInputs, shown, tryParseUrl, type InputDef } from '../../../shared/core/inputs.js';
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { parseArgv } from '../../../shared/argv.js';
import { dumpCompressionArg, forbiddenDumpArg } from '../../../shared/postgres/dump.js';
import { parseS3Uri } from '../../../shared/storage/types.js';
import { databaseUrlInput } from '../../../shared/postgres/url.js';
import { COMPRESSIONS, LEVELS, type Compression } from './compression.js';

export const OPERATIONS = ['backup', 'restore', 'verify', 'prune', 'list'] as const;
export type Operation = (typeof OPERATIONS)[number];

const STORAGE_CLASSES = [
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'OUTPOSTS', 'EXPRESS_ONEZONE',
] as const;
const CHECKSUMS = ['auto', 'off', 'CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const;

const dbUrl = () => databaseUrlInput({ requireDatabase: true });

const args = (forbidden: (a: string[]) => string | undefined, what: string): InputDef<string[]> => ({
  parse: (raw) => {
    let list: string[];
    try {
      list = parseArgv(raw);
    } catch (error) {
      throw new InvalidValue(`${(error as Error).message}: quote arguments like a shell would`);
    }
    const bad = forbidden(list);
    if (bad) throw new InvalidValue(`has ${shown(bad)}: ${what}`);
    return list;
  },
});

const destination = (): InputDef<{ kind: 's3'; bucket: string; prefix: string } | { kind: 'local'; directory: string }> => ({
  parse: (raw) => {
    if (raw === '') throw new InvalidValue('is required: give s3://bucket/prefix or a local directory');
    if (/^s3:/i.test(raw)) {
      const s3 = parseS3Uri(raw);
      if (!s3) throw new InvalidValue(`is ${shown(raw)}: use s3://bucket/optional/prefix (a valid lowercase bucket name)`);
      return { kind: 's3', ...s3 };
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw new InvalidValue(`is ${shown(raw)}: use s3://bucket/prefix or a local directory path`);
    return { kind: 'local', directory: raw };
  },
});

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const FORBIDDEN_RESTORE_ARGS = (list: string[]) =>
  list.find((a) => /^(-f|--file|-d|--dbname|-h|--host|-p|--port|-U|--username|-W|--password|-w|--no-password|-l|--list|-j|--jobs)(=|$)|^-[fdhpUj].+/.test(a));

export function definitions() {
  return {
    operation: input.choice(OPERATIONS, { default: 'backup' }),
    'database-url': dbUrl(),
    destination: destination(),
    name: input.string({ pattern: NAME, hint: 'use letters, digits, ., _ and - (up to 100 characters), e.g. shop' }),
    label: input.string({ pattern: /^[^\n\r]{1,200}$/, hint: 'use one line of up to 200 characters' }),
    environment: input.string({ pattern: /^[^\n\r]{1,100}$/, hint: 'use an environment name such as production' }),
    'encryption-recipients': input.list({ default: [] }), // each checked in readBackupInputs (age loads on demand)
    'encryption-passphrase': input.secret({}),
    'decryption-identity': input.secret({}),
    'backup-id': input.string({ default: 'latest', pattern: /^(latest|[A-Za-z0-9][A-Za-z0-9._:/-]{0,300})$/, hint: 'use latest or a backup-id output of an earlier run' }),
    'restore-database-url': dbUrl(),
    'retention-days': input.integer({ default: 30, min: 0, max: 36500 }),
    'keep-last': input.integer({ default: 5, min: 1, max: 100000 }),
    verify: input.boolean(true),
    compression: input.choice(COMPRESSIONS, { default: 'zstd' }),
    'compression-level': input.integer({}),
    'pg-dump-args': args(forbiddenDumpArg, 'the format (custom), output, connection and parallelism are set by the action; pass selection options such as --schema=app or --exclude-table-data=audit_log'),
    'pg-restore-args': args(FORBIDDEN_RESTORE_ARGS, 'the input, target database and connection are set by the action; pass options such as --no-owner or --no-privileges'),
    's3-region': input.string({ pattern: /^[a-z]{2}(-[a-z0-9]+)+-\d+$|^[a-z0-9-]{2,40}$/, hint: 'use an AWS region such as eu-central-1' }),
    's3-endpoint': input.url({}),
    's3-force-path-style': input.boolean(false),
    's3-sse': input.choice(['AES256', 'aws:kms'] as const),
    's3-kms-key-id': input.string({ pattern: /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/, hint: 'use a KMS key id, key ARN, alias/name or alias ARN' }),
    's3-storage-class': input.choice(STORAGE_CLASSES),
    's3-checksum': input.choice(CHECKSUMS, { default: 'auto' }),
    's3-part-size-mb': input.integer({ min: 5, max: 5120 }),
    's3-queue-size': input.integer({ min: 1, max: 64 }),
    'sentry-dsn': commonInputs.sentryDsn(),
  };
}

export type BackupInputs = Awaited<ReturnType<typeof readBackupInputs>>;

/** Reads, parses and cross-checks every input; throws one ConfigurationError naming the input. */
export async function readBackupInputs() {
  const i = readInputs(definitions());
  const env = process.env;
  const problems: Array<[string, string]> = [];
  const op = i.operation;
  const s3 = i.destination.kind === 's3';

  if (op === 'backup' && !i.databaseUrl) problems.push(['database-url', "Input 'database-url' is required for operation backup: pass ${{ secrets.DATABASE_URL }}"]);
  if (op === 'restore' && !i.restoreDatabaseUrl && !i.databaseUrl) {
    problems.push(['restore-database-url', "Input 'restore-database-url' (or 'database-url') is required for operation restore: the database to restore into"]);
  }
  if (i.encryptionRecipients.length && i.encryptionPassphrase) {
    problems.push(['encryption-passphrase', "Input 'encryption-passphrase' cannot be combined with 'encryption-recipients': choose public keys (recommended) or a passphrase"]);
  }
  if (i.encryptionPassphrase !== undefined && i.encryptionPassphrase.length < 12) {
    problems.push(['encryption-passphrase', `Input 'encryption-passphrase' (a secret of ${i.encryptionPassphrase.length} characters, not shown) is too short: use at least 12 random characters`]);
  }
  for (const recipient of i.encryptionRecipients) {
    try {
      await checkRecipient(recipient);
    } catch (error) {
      problems.push(['encryption-recipients', `Input 'encryption-recipients' has ${shown(recipient)}: ${(error as Error).message}`]);
    }
  }
  let identities: string[] | undefined;
  if (i.decryptionIdentity) {
    try {
      identities = await parseIdentities(i.decryptionIdentity);
    } catch (error) {
      problems.push(['decryption-identity', `Input 'decryption-identity' (a secret, not shown) ${(error as Error).message}`]);
    }
  }
  if (!s3) {
    for (const name of ['s3-region', 's3-endpoint', 's3-sse', 's3-kms-key-id', 's3-storage-class', 's3-part-size-mb'] as const) {
      const key = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as keyof typeof i;
      if (i[key] !== undefined) problems.push([name, `Input '${name}' applies only to an s3:// destination, and 'destination' is a local directory: remove it or use s3://bucket/prefix`]);
    }
  }
  const level = i.compressionLevel;
  if (i.compression === 'none') {
    if (level !== undefined) problems.push(['compression-level', "Input 'compression-level' needs 'compression: zstd' or 'gzip' (compression is none): remove it"]);
  } else {
    const range = LEVELS[i.compression];
    if (level !== undefined && (level < range.min || level > range.max)) {
      problems.push(['compression-level', `Input 'compression-level' is ${level}: ${i.compression} takes ${range.min} (fastest) to ${range.max} (smallest); the default is ${range.default}`]);
    }
    const own = dumpCompressionArg(i.pgDumpArgs);
    if (own) problems.push(['pg-dump-args', `Input 'pg-dump-args' has ${shown(own)}, but the action compresses with ${i.compression} and turns pg_dump's own compression off: remove it, or set 'compression: none' to let pg_dump compress`]);
  }
  if (i.s3KmsKeyId && i.s3Sse !== 'aws:kms') problems.push(['s3-kms-key-id', "Input 's3-kms-key-id' needs 's3-sse: aws:kms': set it, or remove the key id"]);
  if (op === 'backup' && i.destination.kind === 'local' && !isAbsolute(i.destination.directory) && !env.GITHUB_WORKSPACE) {
    problems.push(['destination', "Input 'destination' is a relative path and GITHUB_WORKSPACE is not set: use an absolute directory"]);
  }
  if (problems.length) throw new ConfigurationError(problems.map((p) => p[1]).join('\n'), { input: problems[0]![0] });

  const compression: Compression = i.compression === 'none' ? { type: 'none' } : { type: i.compression, level: level ?? LEVELS[i.compression].default };
  const encryption: EncryptionKey | undefined = i.encryptionRecipients.length
    ? { recipients: i.encryptionRecipients }
    : i.encryptionPassphrase
      ? { passphrase: i.encryptionPassphrase }
      : undefined;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const sha = env.GITHUB_SHA ?? '';
  const name = i.name ?? (repository.split('/')[1] || 'database');
  if (!NAME.test(name)) throw new ConfigurationError(`The repository name ${shown(name)} is not usable as a backup name: set input 'name'`, { input: 'name' });
  const environment = i.environment ?? '';
  const label = i.label ?? ([environment, sha.slice(0, 7)].filter(Boolean).join('-') || 'manual');
  return {
    ...i,
    name,
    label,
    environment,
    compression,
    encryption,
    decryption: { identities, passphrase: i.encryptionPassphrase },
    repository,
    sha,
  };
}
