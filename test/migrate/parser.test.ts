import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { parseArgv } from '../../shared/argv.js';
import { cannotRunInTransaction, transactionControl } from '../../actions/migrate/src/transaction.js';
import { LocatedSyntaxError, splitStatements, topLevelSemicolons } from '../../actions/migrate/src/parser.js';
import { WASM_BROTLI_BASE64, WASM_SHA256 } from '../../actions/migrate/src/pg-query-wasm.js';

describe('parser (libpg_query WASM)', () => {
  it('embeds exactly the installed libpg-query WASM (re-run embed-parser.mjs after an upgrade)', () => {
    const installed = readFileSync(join(ROOT, 'node_modules/libpg-query/wasm/libpg-query.wasm'));
    expect(createHash('sha256').update(installed).digest('hex')).toBe(WASM_SHA256);
    expect(brotliDecompressSync(Buffer.from(WASM_BROTLI_BASE64, 'base64')).equals(installed)).toBe(true);
  });

  it('splits statements with their lines, past comments, strings, dollar quotes and multi-byte text', async () => {
    const sql = [
      '-- héader ; comment',
      "CREATE TYPE status AS ENUM ('OK', 'ERROR');",
      '/* block ; */ CREATE TABLE ü (id int, note text DEFAULT \'a;b\');',
      'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$',
      'BEGIN RETURN 1; END $body$;',
      '',
      'SELECT 1',
    ].join('\n');
    const s = await splitStatements(sql);
    expect(s.map((x) => [x.kind, x.line])).toEqual([
      ['CreateEnumStmt', 2],
      ['CreateStmt', 3],
      ['CreateFunctionStmt', 4],
      ['SelectStmt', 7],
    ]);
    expect(s[1]!.text).toBe("CREATE TABLE ü (id int, note text DEFAULT 'a;b')");
    expect(s[2]!.text).toContain('RETURN 1; END $body$');
    expect(s[0]!.leading).toContain('héader');
  });

  it('reports a syntax error with the line of the statement it is in', async () => {
    const sql = "SELECT 'a;b';\n-- fine\nSELECT $$;$$;\n\nCREAT TABLE t (id int);\nSELECT 2;";
    await expect(splitStatements(sql)).rejects.toBeInstanceOf(LocatedSyntaxError);
    await expect(splitStatements(sql)).rejects.toMatchObject({ line: 5, message: expect.stringMatching(/syntax error at or near "CREAT"/) });
    expect(topLevelSemicolons("a';';b$x$;$x$;--;\n;")).toEqual([4, 13, 18]);
  });

  it('knows which statements cannot run in a transaction', async () => {
    const kinds = async (sql: string, version?: number) => (await splitStatements(sql)).map((s) => cannotRunInTransaction(s, version) ?? null);
    expect(await kinds('CREATE INDEX CONCURRENTLY i ON t (a); CREATE INDEX j ON t (a); DROP INDEX CONCURRENTLY i; REINDEX TABLE CONCURRENTLY t; VACUUM t; ANALYZE t;')).toEqual([
      'CREATE INDEX CONCURRENTLY',
      null,
      'DROP INDEX CONCURRENTLY',
      'REINDEX CONCURRENTLY',
      'VACUUM',
      null,
    ]);
    expect(await kinds("ALTER TYPE mood ADD VALUE 'meh'", 110000)).toEqual(['ALTER TYPE … ADD VALUE (PostgreSQL < 12)']);
    expect(await kinds("ALTER TYPE mood ADD VALUE 'meh'", 150000)).toEqual([null]);
    expect(await kinds('ALTER TABLE p DETACH PARTITION c CONCURRENTLY; ALTER TABLE p DETACH PARTITION d')).toEqual(['DETACH PARTITION CONCURRENTLY', null]);
  });

  it('finds every form of transaction control, and nothing else', async () => {
    const sql = [
      'BEGIN;',
      'begin work;',
      'START TRANSACTION ISOLATION LEVEL SERIALIZABLE;',
      'SAVEPOINT before_backfill;',
      'RELEASE SAVEPOINT before_backfill;',
      'ROLLBACK TO before_backfill;',
      'COMMIT;',
      'END;',
      'ROLLBACK;',
      'ABORT;',
      'COMMIT AND CHAIN;',
      "PREPARE TRANSACTION 'm1';",
      "COMMIT PREPARED 'm1';",
      'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;',
      "SET TRANSACTION SNAPSHOT '00000003-0000001B-1';",
      // Not transaction control:
      'SET LOCAL lock_timeout = 1000;',
      'SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE;',
      "DO $$ BEGIN PERFORM 1; END $$;",
      "CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;",
    ].join('\n');
    expect((await splitStatements(sql)).map((s) => transactionControl(s) ?? null)).toEqual([
      'BEGIN',
      'BEGIN',
      'START TRANSACTION',
      'SAVEPOINT',
      'RELEASE SAVEPOINT',
      'ROLLBACK TO SAVEPOINT',
      'COMMIT',
      'END',
      'ROLLBACK',
      'ABORT',
      'COMMIT',
      'PREPARE TRANSACTION',
      'COMMIT PREPARED',
      'SET TRANSACTION',
      'SET TRANSACTION SNAPSHOT',
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('command → argv (no shell)', () => {
  it('splits like a shell without expanding anything', () => {
    expect(parseArgv(`npx knex migrate:latest --knexfile "config/knex file.js"`)).toEqual(['npx', 'knex', 'migrate:latest', '--knexfile', 'config/knex file.js']);
    expect(parseArgv(`echo '$HOME' "a \\"q\\" \\$x" b\\ c ''`)).toEqual(['echo', '$HOME', 'a "q" $x', 'b c', '']);
    expect(parseArgv('a | b; rm -rf / && `x`')).toEqual(['a', '|', 'b;', 'rm', '-rf', '/', '&&', '`x`']);
    expect(() => parseArgv(`node -e "x`)).toThrow(/unterminated double quote/);
    expect(() => parseArgv(`node -e 'x`)).toThrow(/unterminated single quote/);
  });
});
