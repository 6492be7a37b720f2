/** The migrations folder: `<version>_<name>.sql` and optional `<version>_<name>.down.sql`. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigurationError } from '../../../shared/core/errors.js';

export interface SqlFile {
  /** Path for annotations (relative to the workspace). */
  path: string;
  sql: string;
  checksum: string;
}

export interface MigrationFile extends SqlFile {
  version: string;
  name: string;
  down?: SqlFile;
}

const PATTERN = /^(\d+)_([A-Za-z0-9][\w.\-]*?)(\.down)?\.sql$/;

/** SHA-256 of the file with line endings normalised (a checkout with CRLF is not drift). */
export function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isVersion(text: string): boolean {
  return /^\d+$/.test(text);
}

/** Reads and orders the migrations; a malformed folder is the user's mistake, named precisely. */
export function readMigrations(dir: string, workspace: string): MigrationFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigurationError(`Input 'migrations-dir' is ${JSON.stringify(relative(workspace, dir) || '.')}: no such directory; give the folder that holds <version>_<name>.sql files (relative to working-directory).`, { input: 'migrations-dir' });
  }
  const ups = new Map<string, MigrationFile>();
  const downs = new Map<string, { name: string; file: SqlFile }>();
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.endsWith('.sql')) continue;
    const full = join(dir, entry);
    if (!statSync(full).isFile()) continue;
    const path = relative(workspace, full);
    const m = PATTERN.exec(entry);
    if (!m) {
      throw new ConfigurationError(`Migration file ${path} is not named <version>_<name>.sql (version: digits, e.g. 20260101120000_add_orders.sql).`, { file: path });
    }
    const [, version, name, down] = m as unknown as [string, string, string, string | undefined];
    const sql = readFileSync(full, 'utf8');
    const file: SqlFile = { path, sql, checksum: checksum(sql) };
    const key = BigInt(version).toString();
    if (down) {
      if (downs.has(key)) throw new ConfigurationError(`Two down migrations have version ${version}: ${downs.get(key)!.file.path} and ${path}.`, { file: path });
      downs.set(key, { name, file });
    } else {
      const other = ups.get(key);
      if (other) throw new ConfigurationError(`Two migrations have version ${version}: ${other.path} and ${path}; versions must be unique.`, { file: path });
      ups.set(key, { ...file, version, name });
    }
  }
  for (const [key, { name, file }] of downs) {
    const up = ups.get(key);
    if (!up) throw new ConfigurationError(`Down migration ${file.path} has no matching up migration (${name}.sql with the same version).`, { file: file.path });
    if (up.name !== name) throw new ConfigurationError(`Down migration ${file.path} does not match ${up.path}: use the same <version>_<name>.`, { file: file.path });
    up.down = file;
  }
  return [...ups.values()].sort((a, b) => compareVersions(a.version, b.version));
}
