/**
 * The real PostgreSQL parser (libpg_query, compiled to WASM) used to split migration files into
 * statements and to lint them.
 *
 * We call the Emscripten module directly instead of libpg-query's JS wrapper because that
 * wrapper (17.3.2) treats any result containing the text `ERROR` as a failure: a migration with
 * `CREATE TYPE status AS ENUM ('OK', 'ERROR')` would be reported as a syntax error, and it
 * loads protobufjs for deparsing, which we never use. We hand the module its `.wasm` bytes
 * ourselves (embedded, see scripts/embed-parser.mjs for why ncc cannot ship it as a file).
 */
import { dirname } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
// @ts-expect-error -- the Emscripten factory ships without types (its shape is WasmModule below)
import createModule from 'libpg-query/wasm/libpg-query.js';
import { WASM_BROTLI_BASE64, WASM_LICENSE } from './pg-query-wasm.js';
import { log } from '../../../shared/core/log.js';

interface WasmModule {
  _malloc(n: number): number;
  _free(p: number): void;
  _wasm_parse_query(p: number): number;
  _wasm_free_string(p: number): void;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, p: number, n: number): void;
  UTF8ToString(p: number): string;
}

let loading: Promise<WasmModule> | undefined;

function wasmBytes(): Buffer {
  return brotliDecompressSync(Buffer.from(WASM_BROTLI_BASE64, 'base64'));
}

export function loadParser(): Promise<WasmModule> {
  loading ??= (async () => {
    // The Emscripten glue is CommonJS and reads `__dirname`, which an ESM bundle does not define
    // (Node then throws ERR_AMBIGUOUS_MODULE_SYNTAX). It only uses it to find files we supply.
    const g = globalThis as { __dirname?: string };
    g.__dirname ??= dirname(fileURLToPath(import.meta.url));
    // Referencing the notice keeps it (whole) in the minified bundle, next to the code it covers.
    log.debug(`SQL parser: ${WASM_LICENSE.slice(0, WASM_LICENSE.indexOf('\n'))}`);
    // Left to itself, V8 soon hands the parser's huge hot functions to its optimizing compiler:
    // ~600 MiB and up to 2 s in the background that the process must wait out before it can
    // exit, for parses that take milliseconds on the baseline tier.
    setFlagsFromString('--wasm-tiering-budget=2000000000');
    const factory = createModule as (arg: { wasmBinary: Uint8Array }) => Promise<WasmModule>;
    return factory({ wasmBinary: wasmBytes() });
  })();
  return loading;
}

/** A node of the parse tree: `{ NodeType: { ...fields } }`. */
export type PgNode = Record<string, unknown>;

export interface RawStatement {
  /** `{ IndexStmt: {...} }` */
  stmt: PgNode;
  /** Byte offsets into the UTF-8 text. */
  stmt_location?: number;
  stmt_len?: number;
}

export class SqlSyntaxError extends Error {
  override name = 'SqlSyntaxError';
}

/** Parses SQL text; throws SqlSyntaxError with PostgreSQL's own message. */
export async function parseSql(sql: string): Promise<{ version: number; stmts: RawStatement[] }> {
  const m = await loadParser();
  const len = m.lengthBytesUTF8(sql) + 1;
  const ptr = m._malloc(len);
  let result = 0;
  try {
    m.stringToUTF8(sql, ptr, len);
    result = m._wasm_parse_query(ptr);
    const text = m.UTF8ToString(result);
    if (!text.startsWith('{')) throw new SqlSyntaxError(text);
    const parsed = JSON.parse(text) as { version: number; stmts?: RawStatement[] };
    return { version: parsed.version, stmts: parsed.stmts ?? [] };
  } finally {
    m._free(ptr);
    if (result) m._wasm_free_string(result);
  }
}

/** One statement of a file, with where it is (for annotations and error messages). */
export interface Statement {
  /** `IndexStmt`, `AlterTableStmt`, … */
  kind: string;
  /** The node's fields. */
  node: Record<string, unknown>;
  /** The statement's text without leading comments/whitespace and without the trailing `;`. */
  text: string;
  /** 1-based line of the statement's first token. */
  line: number;
  /** Comments and whitespace just before the statement (where `gantry-lint: ignore` lives). */
  leading: string;
  /** Character offset of `text` in the file. */
  offset: number;
}

/** Character offset (JS string index) of a UTF-8 byte offset. */
export function byteToCharOffset(buffer: Buffer, byteOffset: number): number {
  return buffer.subarray(0, byteOffset).toString('utf8').length;
}

export function lineAt(text: string, charOffset: number): number {
  let line = 1;
  for (let i = 0; i < charOffset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Skips whitespace, `-- …` and (nested) `/* … *\/` comments from `i`. */
function skipTrivia(sql: string, i: number): number {
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i++;
    if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      let depth = 0;
      while (i < sql.length) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else return i;
  }
}

/** Splits SQL into statements with the real parser; throws SqlSyntaxError (with `.line`) on bad SQL. */
export async function splitStatements(sql: string): Promise<Statement[]> {
  let parsed: Awaited<ReturnType<typeof parseSql>>;
  try {
    parsed = await parseSql(sql);
  } catch (error) {
    if (error instanceof SqlSyntaxError) throw await locateSyntaxError(sql, error);
    throw error;
  }
  // Offsets are UTF-8 bytes; walk them in order, converting incrementally (linear in the file).
  const buffer = Buffer.from(sql, 'utf8');
  let byte = 0;
  let char = 0;
  let line = 1;
  let lineChar = 0;
  const toChar = (target: number) => {
    if (target < byte) throw new Error('statement offsets out of order');
    char += buffer.subarray(byte, target).toString('utf8').length;
    byte = target;
    return char;
  };
  const lineOf = (charOffset: number) => {
    for (; lineChar < charOffset; lineChar++) if (sql.charCodeAt(lineChar) === 10) line++;
    return line;
  };
  return parsed.stmts.map((raw) => {
    const startByte = raw.stmt_location ?? 0;
    const endByte = raw.stmt_len ? startByte + raw.stmt_len : buffer.length;
    const start = toChar(startByte);
    const end = toChar(endByte);
    const chunk = sql.slice(start, end);
    const skip = skipTrivia(chunk, 0);
    const [kind, node] = Object.entries(raw.stmt)[0] as [string, Record<string, unknown>];
    return {
      kind,
      node: node ?? {},
      text: chunk.slice(skip).replace(/;\s*$/, ''),
      leading: chunk.slice(0, skip),
      line: lineOf(start + skip),
      offset: start + skip,
    };
  });
}

export class LocatedSyntaxError extends SqlSyntaxError {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * libpg_query's JSON entry point reports no position for a syntax error. Find the statement it is
 * in: parse growing prefixes cut at each `;` until one fails (PostgreSQL's lexer keeps `;` in
 * strings, dollar quotes and comments out of the way, so we cut only at `;` outside them).
 */
async function locateSyntaxError(sql: string, error: SqlSyntaxError): Promise<LocatedSyntaxError> {
  const cuts = topLevelSemicolons(sql);
  let from = 0;
  for (const cut of [...cuts, sql.length]) {
    try {
      await parseSql(sql.slice(0, cut + 1));
      from = cut + 1;
    } catch {
      const at = skipTrivia(sql, from);
      return new LocatedSyntaxError(error.message, lineAt(sql, at));
    }
  }
  return new LocatedSyntaxError(error.message, lineAt(sql, skipTrivia(sql, from)));
}

/** Offsets of `;` outside quotes, dollar quotes and comments (only used to bisect a syntax error). */
export function topLevelSemicolons(sql: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const close = sql.indexOf(c, i + 1);
      i = close < 0 ? sql.length : close;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 1;
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? sql.length : close + m[0].length - 1;
      }
    } else if (c === ';') out.push(i);
  }
  return out;
}

/** Maps a parser `location` (a UTF-8 byte offset into the file) to a 1-based line. */
export function byteLineMapper(sql: string): (location: unknown) => number | undefined {
  const buffer = Buffer.from(sql, 'utf8');
  const newlines: number[] = [];
  for (let i = 0; i < buffer.length; i++) if (buffer[i] === 10) newlines.push(i);
  return (location) => {
    if (typeof location !== 'number' || location < 0) return undefined;
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < location) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
