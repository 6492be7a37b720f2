import { describe, expect, it } from 'vitest';
import { checksum, type MigrationFile } from '../../actions/migrate/src/files.js';
import { makePlan, rollbackSteps, type AppliedRow } from '../../actions/migrate/src/plan.js';

const file = (version: string, name: string, sql = `-- ${name}`, down?: string): MigrationFile => ({
  version,
  name,
  path: `migrations/${version}_${name}.sql`,
  sql,
  checksum: checksum(sql),
  down: down === undefined ? undefined : { path: `migrations/${version}_${name}.down.sql`, sql: down, checksum: checksum(down) },
});
const row = (f: MigrationFile, sum = f.checksum): AppliedRow => ({ version: f.version, name: f.name, checksum: sum });

describe('planner', () => {
  const a = file('1', 'a');
  const b = file('2', 'b');
  const c = file('10', 'c');

  it('orders by numeric version and applies up to target', () => {
    const p = makePlan([a, c, b], [row(a)], '2');
    expect(p.current).toBe('1');
    expect(p.pending.map((f) => f.version)).toEqual(['2', '10']);
    expect(p.toApply.map((f) => f.version)).toEqual(['2']);
    expect(p.drift).toEqual([]);
    expect(p.outOfOrder).toEqual([]);
  });

  it('detects drift (changed or missing files) and out-of-order pending files', () => {
    const p = makePlan([a, b, c], [row(a, checksum('-- edited')), row(c), { version: '7', name: 'gone', checksum: 'x' }]);
    expect(p.drift).toEqual([
      { version: '1', path: 'migrations/1_a.sql', kind: 'changed' },
      { version: '7', path: '7_gone.sql', kind: 'missing' },
    ]);
    expect(p.current).toBe('10');
    expect(p.outOfOrder.map((f) => f.version)).toEqual(['2']);
  });

  it('treats CRLF checkouts as the same file', () => {
    expect(checksum('SELECT 1;\r\nSELECT 2;\r\n')).toBe(checksum('SELECT 1;\nSELECT 2;\n'));
  });

  it('rolls back newest first to the target; the newest only without one', () => {
    const files = [file('1', 'a', 'x', 'y'), file('2', 'b', 'x', 'y'), file('3', 'c', 'x')];
    const p = makePlan(files, files.map((f) => row(f)));
    expect(rollbackSteps(p, files, '1').map((s) => [s.row.version, !!s.file?.down])).toEqual([
      ['3', false],
      ['2', true],
    ]);
    expect(rollbackSteps(p, files).map((s) => s.row.version)).toEqual(['3']);
    expect(rollbackSteps(p, files, '0').map((s) => s.row.version)).toEqual(['3', '2', '1']);
  });
});
