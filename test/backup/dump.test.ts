/** pg_dump as a stream: the archive arrives in 1 MiB pieces, and only after pg_dump exited 0. */
import { describe, expect, it } from 'vitest';
import { serverInfo } from '../../shared/postgres/connect.js';
import { dumpStream, findPgTools } from '../../shared/postgres/dump.js';
import { freshDatabase, withClient } from './helpers.js';

async function pieces(url: string, args: string[] = ['--compress=0']): Promise<number[]> {
  const { major } = await withClient(url, serverInfo);
  const { stream } = dumpStream(findPgTools(major), url, args);
  const sizes: number[] = [];
  for await (const chunk of stream) sizes.push((chunk as Buffer).length);
  return sizes;
}

describe('dumpStream', () => {
  it('passes the archive on in pieces of at least 1 MiB (each piece costs every later stage), the last one whatever is left', async () => {
    const url = await freshDatabase('dump_pieces');
    // ~12 MiB of rows as pg_dump writes them: one small block per row, 4 KiB writes without stdbuf.
    await withClient(url, (c) => c.query(`CREATE TABLE t AS SELECT i, md5(i::text) AS a, repeat('x', 60) AS b FROM generate_series(1, 120000) i`));
    const sizes = await pieces(url);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(12 * 2 ** 20);
    expect(sizes.slice(0, -1).every((s) => s >= 2 ** 20)).toBe(true);
  });

  it('ends with the error, not with a short archive, when pg_dump fails', async () => {
    const url = await freshDatabase('dump_fails');
    await expect(pieces(url, ['--compress=0', '--table=does_not_exist'])).rejects.toThrow(/pg_dump exited with code 1.*no matching tables/s);
  });
});
