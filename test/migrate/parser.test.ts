import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { parseArgv } from '../../shared/argv.js';
import { cannotRunInTransaction } from '../../actions/migrate/src/lint.js';
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
    expect(await kinds('ALTER TABLE p DETACH PARTITION c CONCURRENTLY; BEGIN; COMMIT')).toEqual(['DETACH PARTITION CONCURRENTLY', 'BEGIN/COMMIT in the file', 'BEGIN/COMMIT in the file']);
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
