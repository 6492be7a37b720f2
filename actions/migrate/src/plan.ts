/** What to do, decided from the files and the history table alone (pure, unit-tested). */
import { compareVersions, type MigrationFile } from './files.js';

export interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
  appliedAt?: Date;
  executionMs?: number;
  appliedBy?: string;
  commitSha?: string;
}

export interface Drift {
  version: string;
  path: string;
  kind: 'changed' | 'missing';
}

export interface Plan {
  /** Highest applied version ('' when none). */
  current: string;
  applied: AppliedRow[];
  /** All files not yet applied, in order. */
  pending: MigrationFile[];
  /** The pending files this run applies (up to `target`). */
  toApply: MigrationFile[];
  /** Applied files whose checksum changed, or that were deleted. */
  drift: Drift[];
  /** Pending files with a version lower than the highest applied. */
  outOfOrder: MigrationFile[];
}

const same = (a: string, b: string) => compareVersions(a, b) === 0;

export function makePlan(unsorted: MigrationFile[], rows: AppliedRow[], target?: string): Plan {
  const files = [...unsorted].sort((a, b) => compareVersions(a.version, b.version));
  const applied = [...rows].sort((a, b) => compareVersions(a.version, b.version));
  const current = applied.at(-1)?.version ?? '';
  const drift: Drift[] = [];
  for (const row of applied) {
    const file = files.find((f) => same(f.version, row.version));
    if (!file) drift.push({ version: row.version, path: `${row.version}_${row.name}.sql`, kind: 'missing' });
    else if (file.checksum !== row.checksum) drift.push({ version: row.version, path: file.path, kind: 'changed' });
  }
  const pending = files.filter((f) => !applied.some((r) => same(r.version, f.version)));
  const outOfOrder = current ? pending.filter((f) => compareVersions(f.version, current) < 0) : [];
  const toApply = target === undefined ? pending : pending.filter((f) => compareVersions(f.version, target) <= 0);
  return { current, applied, pending, toApply, drift, outOfOrder };
}

export interface RollbackStep {
  row: AppliedRow;
  file?: MigrationFile;
}

/** Applied migrations above `target`, newest first; with no target, the newest one. */
export function rollbackSteps(plan: Plan, files: MigrationFile[], target?: string): RollbackStep[] {
  const newestFirst = [...plan.applied].reverse();
  const rows = target === undefined ? newestFirst.slice(0, 1) : newestFirst.filter((r) => compareVersions(r.version, target) > 0);
  return rows.map((row) => ({ row, file: files.find((f) => same(f.version, row.version)) }));
}
