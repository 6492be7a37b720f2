import { describe, expect, it } from 'vitest';
import { connect, DatabaseUnreachable } from '../../shared/postgres/connect.js';
import { databaseUrlProblem } from '../../shared/postgres/url.js';
import { freePort } from '../harness/postgres.js';

const SECRET = 'hunter2-S3cret';

describe('database-url: what is wrong, never the value', () => {
  it.each([
    [`mysql://app:${SECRET}@db.internal/shop`, /uses the scheme mysql:\/\/ — use postgres:\/\/ or postgresql:\/\//],
    [`db.internal:5432/shop`, /is not a URL \(no scheme such as postgres:\/\/\)/],
    [`host=db.internal password=${SECRET} dbname=shop`, /is a key=value connection string: use the URL form/],
    [`postgres://app:${SECRET}@/shop`, /has no host/],
    [`postgres://:5432/shop`, /has no host/],
    [`postgres://app:${SECRET}@db.internal:65536/shop`, /the port is not a number from 1 to 65535/],
    [`postgres://app:${SECRET}#1@db.internal/shop`, /must be percent-encoded \(e\.g\. # as %23/],
  ])('%s', (url, expected) => {
    const problem = databaseUrlProblem(url);
    expect(problem).toMatch(expected);
    expect(problem).toMatch(/^\(a secret, not shown\)/);
    for (const part of [SECRET, 'db.internal', 'app:', 'shop']) expect(problem).not.toContain(part);
  });

  it('needs a database name only where asked', () => {
    expect(databaseUrlProblem(`postgres://app:${SECRET}@db.internal:5432`)).toBeUndefined();
    expect(databaseUrlProblem(`postgres://app:${SECRET}@db.internal:5432`, { requireDatabase: true })).toMatch(/names no database/);
  });

  it.each([`postgres://app:${SECRET}@db.internal:5432/shop`, 'postgresql://db.internal/shop?sslmode=require', 'postgres:///shop?host=/var/run/postgresql'])(
    'accepts %s',
    (url) => expect(databaseUrlProblem(url, { requireDatabase: true })).toBeUndefined(),
  );
});

describe('an unreachable database', () => {
  it('says which host and port were tried, that the database could not be reached, and what to check', async () => {
    const port = await freePort();
    const error = await connect(`postgres://app:${SECRET}@127.0.0.1:${port}/shop`, { attempts: 2, connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnreachable);
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^The database could not be reached at 127\\.0\\.0\\.1:${port} \\(connection refused: nothing is listening on that port; tried 2 times\\)\\. Check the host and port in database-url`));
    expect(message).not.toContain(SECRET);
  });

  it('names a host that does not resolve, without retrying it', async () => {
    const started = Date.now();
    const error = await connect(`postgres://app:${SECRET}@no-such-host.invalid/shop`, { attempts: 3 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^The database could not be reached at no-such-host\.invalid:5432 \(the host name does not resolve\)\./);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
