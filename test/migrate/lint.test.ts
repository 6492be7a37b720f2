import { describe, expect, it } from 'vitest';
import { lintStatements } from '../../actions/migrate/src/lint.js';
import { byteLineMapper, splitStatements } from '../../actions/migrate/src/parser.js';

async function lint(sql: string, created: string[] = []) {
  const statements = await splitStatements(sql);
  return lintStatements(statements, { createdTables: new Set(created), lineOf: byteLineMapper(sql) }).map((f) => `${f.line}:${f.rule}`);
}

describe('lint on the parse tree', () => {
  it('finds destructive and locking changes on the right line', async () => {
    const sql = [
      'DROP TABLE legacy;', // 1
      'ALTER TABLE users DROP COLUMN nickname;', // 2
      'ALTER TABLE users ALTER COLUMN age TYPE bigint;', // 3
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;', // 4
      'ALTER TABLE users ADD COLUMN plan text NOT NULL;', // 5
      "ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free';", // 6 (fine)
      'CREATE INDEX users_email ON users (email);', // 7
      'CREATE INDEX CONCURRENTLY users_age ON users (age);', // 8 (fine)
      'ALTER TABLE users RENAME COLUMN name TO full_name;', // 9
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);', // 10
      'ALTER TABLE orders ADD CONSTRAINT fk2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;', // 11 (fine)
      'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0);', // 12
      'TRUNCATE orders;', // 13
      'DELETE FROM sessions;', // 14
      'DELETE FROM sessions WHERE expires < now();', // 15 (fine)
      'ALTER TABLE users ADD PRIMARY KEY (id);', // 16
      'DROP INDEX users_email;', // 17
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();', // 18
      'VACUUM FULL users;', // 19
    ].join('\n');
    expect(await lint(sql)).toEqual([
      '1:drop-table',
      '2:drop-column',
      '3:column-type-change',
      '4:set-not-null',
      '5:add-column-not-null',
      '7:index-not-concurrent',
      '9:rename',
      '10:foreign-key-not-valid',
      '12:check-not-valid',
      '13:truncate',
      '14:delete-without-where',
      '16:constraint-builds-index',
      '17:drop-index-not-concurrent',
      '18:add-column-volatile-default',
      '19:vacuum-full',
    ]);
  });

  it('points at the clause inside a multi-line statement, counting lines by bytes correctly', async () => {
    const sql = "-- ünïcödé ✓\nALTER TABLE users\n  ADD COLUMN a int,\n  ADD COLUMN b int NOT NULL,\n  ALTER COLUMN c TYPE text;\n";
    expect(await lint(sql)).toEqual(['4:add-column-not-null', '5:column-type-change']);
  });

  it('leaves tables created in the same pending set alone, and honours ignore comments', async () => {
    const sql = [
      'CREATE TABLE fresh (id int, name text);',
      'CREATE INDEX fresh_name ON fresh (name);',
      'ALTER TABLE fresh ALTER COLUMN name SET NOT NULL;',
      '-- gantry-lint: ignore index-not-concurrent',
      'CREATE INDEX old_name ON old (name);',
      '-- gantry-lint: ignore all',
      'DROP TABLE old;',
      'DROP TABLE other;',
    ].join('\n');
    expect(await lint(sql)).toEqual(['8:drop-table']);
    expect(await lint('CREATE INDEX i ON existing (a);', ['existing'])).toEqual([]);
  });
});
