/** migrate's inputs, read once and checked together: a wrong combination is refused before connecting. */
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { parseArgv } from '../../../shared/argv.js';
import { context } from '../../../shared/core/context.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { input, InvalidValue, readInputs, type Inputs } from '../../../shared/core/inputs.js';
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { log } from '../../../shared/core/log.js';
import { compareVersions, readMigrations, type MigrationFile } from './files.js';
import { databaseUrlInput } from '../../../shared/postgres/url.js';

export const inputs = {
  operation: input.choice(['apply', 'plan', 'status', 'rollback'] as const, { default: 'apply' }),
  'database-url': databaseUrlInput({ required: true }),
  engine: input.choice(['sql', 'prisma', 'command'] as const, { default: 'sql' }),
  'migrations-dir': input.string(),
  command: {
    parse: (raw: string) => {
      if (raw === '') return undefined;
      try {
        const argv = parseArgv(raw);
        if (argv.length === 0) throw new InvalidValue('is empty: give a program and its arguments, e.g. npx knex migrate:latest');
        return argv;
      } catch (error) {
        if (error instanceof InvalidValue) throw error;
        throw new InvalidValue(`${(error as Error).message}: it is split into arguments like a shell would (quotes group words) but never run by a shell`);
      }
    },
  },
  target: input.string({ pattern: /^\d+$/, hint: 'give a migration version (the digits before the first _ in its file name), or 0 with rollback for "before the first"' }),
  lint: input.choice(['warn', 'error', 'off'] as const, { default: 'warn' }),
  'lock-timeout': input.duration({ default: '5s', min: 0, max: 3_600_000 }),
  'statement-timeout': input.duration({ default: '0', min: 0 }),
  'wait-for-lock': input.duration({ default: '2m', min: 0, max: 6 * 3_600_000 }),
  timeout: input.duration({ default: '30m', min: 1000, max: 6 * 3_600_000 }),
  'backup-id': input.string({ pattern: /^[^\r\n]+$/, hint: 'give the backup action\'s backup-id output on one line' }),
  'require-backup': input.boolean(false),
  'allow-drift': input.boolean(false),
  'working-directory': input.string({ default: '.' }),
  'sentry-dsn': commonInputs.sentryDsn(),
};

export type MigrateInputs = Inputs<typeof inputs> & {
  /** The project folder and the migrations folder (absolute). */
  cwd: string;
  dir: string;
  /** The sql engine's migration files, in order. */
  files: MigrationFile[];
};

export function readMigrateInputs(): MigrateInputs {
  const i = readInputs(inputs);
  const workspace = context().workspace;
  const cwd = resolve(workspace, i.workingDirectory);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new ConfigurationError(`Input 'working-directory' is ${JSON.stringify(i.workingDirectory)}: no such directory in the workspace; check out the repository first or fix the path.`, { input: 'working-directory' });
  }
  if (i.engine === 'command' && !i.command) throw new ConfigurationError(`Input 'command' is required with engine: command: give the program and its arguments, e.g. npx knex migrate:latest.`, { input: 'command' });
  if (i.engine !== 'command' && i.command) throw new ConfigurationError(`Input 'command' is only used with engine: command (engine is ${i.engine}): remove it or set engine: command.`, { input: 'command' });
  if (i.engine === 'command' && i.operation !== 'apply') throw new ConfigurationError(`Input 'operation' is "${i.operation}": engine: command only runs the command (operation: apply); plan, status and rollback need engine: sql or prisma.`, { input: 'operation' });
  if (i.engine === 'prisma' && i.operation === 'rollback') throw new ConfigurationError(`Input 'operation' is "rollback": Prisma has no down migrations; restore the backup taken before the migration (the backup action's restore) or use engine: sql.`, { input: 'operation' });
  if (i.engine !== 'sql' && i.target !== undefined) throw new ConfigurationError(`Input 'target' is only supported with engine: sql.`, { input: 'target' });
  if (i.requireBackup && (i.operation === 'apply' || i.operation === 'rollback') && !i.backupId) {
    throw new ConfigurationError(`Input 'backup-id' is required because require-backup is true: run the backup action first and pass its output, e.g. backup-id: \${{ steps.backup.outputs.backup-id }}.`, { input: 'backup-id' });
  }
  const dirInput = i.migrationsDir ?? (i.engine === 'prisma' ? 'prisma/migrations' : 'migrations');
  const dir = resolve(cwd, dirInput);
  const files = i.engine === 'sql' ? readMigrations(dir, workspace) : [];
  if (i.engine === 'sql' && files.length === 0) log.warning(`No migrations (<version>_<name>.sql) in ${dirInput}.`);
  if (i.engine === 'sql' && i.target !== undefined && i.operation !== 'rollback' && !files.some((f) => compareVersions(f.version, i.target!) === 0)) {
    throw new ConfigurationError(`Input 'target' is "${i.target}", which is not the version of any file in ${dirInput}${files.length ? ` (${files[0]!.version} … ${files.at(-1)!.version})` : ''}: give the digits before the first _ of a migration's file name.`, { input: 'target' });
  }
  return { ...i, cwd, dir, files };
}
