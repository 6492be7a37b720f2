/**
 * The smoke-check language, shared by smoke-test, deploy-blue-green (`verify-checks`),
 * canary-shift (`probe-checks`) and preflight: a YAML list of checks, validated once.
 *
 *   - /                                   # shorthand: GET /, expect 2xx
 *   - name: health
 *     path: /api/health
 *     health: true
 *   - name: login page
 *     path: /login
 *     expect-status: [200, 304]
 *     expect-body: /<form[^>]+login/i
 *     max-latency: 800ms
 *   - name: create order
 *     url: https://api.example.com/orders
 *     method: POST
 *     body: { sku: "A1", qty: 1 }
 *     expect-status: 201
 *     expect-json: { "$.status": created, "items[0].sku": A1 }
 */
import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { lineOfPath, showPath, syntaxProblem, yaml, YamlProblem } from '../core/yaml.js';
import { registerSecret } from '../core/secrets.js';

/** Matches a status code: `200`, `2xx`, `200-299`, or a list of those. */
export interface StatusMatcher {
  text: string;
  ranges: Array<[number, number]>;
}

/** A substring, or a regular expression written `/…/flags`. */
export interface TextMatcher {
  text: string;
  regex?: RegExp;
}

export interface Check {
  name: string;
  /** Joined to the base URL. */
  path?: string;
  /** An absolute URL, used as is. */
  url?: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  expectStatus: StatusMatcher;
  expectBody?: TextMatcher;
  /** JSON path → expected value (deep equality; a `/regex/` string matches string values). */
  expectJson?: Record<string, unknown>;
  maxLatencyMs?: number;
  /** Overrides the run's per-request timeout. */
  timeoutMs?: number;
  /** Read the answer as a health document (application/health+json or {status: healthy|…}). */
  health: boolean;
  /** Where the check is written (checks-file), for annotations. */
  file?: string;
  line?: number;
}

export const DEFAULT_STATUS: StatusMatcher = { text: '2xx', ranges: [[200, 299]] };

/** Parses one status expectation; returns an error message when malformed. */
export function parseStatus(value: unknown): StatusMatcher | string {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0) return 'give at least one status, e.g. 200, 2xx or 200-299';
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    const s = String(item).trim().toLowerCase();
    let m: RegExpExecArray | null;
    if ((m = /^([1-5])xx$/.exec(s))) ranges.push([Number(m[1]) * 100, Number(m[1]) * 100 + 99]);
    else if ((m = /^(\d{3})\s*-\s*(\d{3})$/.exec(s)) && Number(m[1]) <= Number(m[2])) ranges.push([Number(m[1]), Number(m[2])]);
    else if (/^\d{3}$/.test(s) && Number(s) >= 100 && Number(s) <= 599) ranges.push([Number(s), Number(s)]);
    else return `${JSON.stringify(item)} is not a status: use a code (200), a class (2xx), a range (200-299) or a list of those`;
  }
  return { text: items.map((i) => String(i).trim()).join(', '), ranges };
}

export function statusMatches(matcher: StatusMatcher, status: number): boolean {
  return matcher.ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** `/regex/flags` → a RegExp; anything else is a substring. Returns an error message for a bad regex. */
export function parseTextMatcher(text: string): TextMatcher | string {
  const m = /^\/(.+)\/([dgimsuyv]*)$/s.exec(text);
  if (!m) return { text };
  try {
    return { text, regex: new RegExp(m[1]!, m[2]!.replace(/[gy]/g, '')) };
  } catch (error) {
    return `${JSON.stringify(text)} is not a valid regular expression: ${(error as Error).message}`;
  }
}

export function textMatches(matcher: TextMatcher, text: string): boolean {
  return matcher.regex ? matcher.regex.test(text) : text.includes(matcher.text);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header names whose values are credentials: masked like secret inputs. */
const SENSITIVE_HEADER = /authorization|cookie|token|secret|key|bypass|password|session|signature/i;

const FIELDS = ['name', 'path', 'url', 'method', 'headers', 'body', 'expect-status', 'expect-body', 'expect-json', 'max-latency', 'timeout', 'health'];

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

// Schemas are built on first use: building them costs a few ms of every cold start.
const duration = (what: string) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = parseDuration(String(v));
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a ${what}: use e.g. 500ms, 2s or 1m` });
      return z.NEVER;
    }
    return ms;
  });

const buildSchema = () => {
  const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

  const checkObject = z
    .looseObject({
      name: z.string().min(1).optional(),
      path: z.string().min(1).optional(),
      url: z.string().min(1).optional(),
      method: z
        .string()
        .transform((m) => m.toUpperCase())
        .refine((m) => METHODS.includes(m), { message: `use one of ${METHODS.join(', ')}` })
        .optional(),
      headers: z
        .record(z.string().regex(HEADER_NAME, 'is not a valid header name'), scalar)
        .optional(),
      body: z.unknown().optional(),
      'expect-status': z
        .unknown()
        .transform((v, ctx) => {
          const m = parseStatus(v);
          if (typeof m === 'string') {
            ctx.addIssue({ code: 'custom', message: m });
            return z.NEVER;
          }
          return m;
        })
        .optional(),
      'expect-body': z
        .string()
        .min(1)
        .transform((v, ctx) => {
          const m = parseTextMatcher(v);
          if (typeof m === 'string') {
            ctx.addIssue({ code: 'custom', message: m });
            return z.NEVER;
          }
          return m;
        })
        .optional(),
      'expect-json': z.record(z.string().min(1), z.unknown()).optional(),
      'max-latency': duration('latency budget').optional(),
      timeout: duration('timeout').optional(),
      health: z.boolean().optional(),
    })
    .superRefine((c, ctx) => {
      for (const key of Object.keys(c)) {
        if (FIELDS.includes(key)) continue;
        const near = FIELDS.find((f) => editDistance(f, key.toLowerCase().replace(/_/g, '-')) <= 2);
        ctx.addIssue({ code: 'custom', message: `unknown field "${key}"${near ? ` (did you mean ${near}?)` : ''}; the fields are ${FIELDS.join(', ')}`, path: [key] });
      }
      if (c.path && c.url) ctx.addIssue({ code: 'custom', message: 'give either path or url, not both', path: ['url'] });
      if (c.url && !/^https?:\/\//i.test(c.url)) ctx.addIssue({ code: 'custom', message: 'url must be absolute (http:// or https://); use path for a path', path: ['url'] });
      if (c.path !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(c.path)) ctx.addIssue({ code: 'custom', message: 'path is a path such as /health; use url for a full URL', path: ['path'] });
      for (const p of Object.keys(c['expect-json'] ?? {})) {
        const parsed = parseJsonPath(p);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed, path: ['expect-json', p] });
      }
      if (c.body !== undefined && (c.method === 'GET' || c.method === 'HEAD' || c.method === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'a body needs a method that takes one, e.g. method: POST', path: ['body'] });
      }
    });

  // A bare string is a path (or a full URL) to GET; preprocessing keeps zod's messages precise.
  const checkItem = z.preprocess((v) => (typeof v === 'string' && v.trim() ? (/^https?:\/\//i.test(v) ? { url: v } : { path: v }) : v), checkObject);
  return z.preprocess(
    (doc) => (doc && typeof doc === 'object' && !Array.isArray(doc) && 'checks' in doc && Object.keys(doc).length === 1 ? (doc as { checks: unknown }).checks : doc),
    z.array(checkItem, { error: 'give a YAML list of checks (or a map with a checks: list)' }).min(1, 'give at least one check'),
  );
};

let schema: ReturnType<typeof buildSchema> | undefined;
/** The zod schema of a checks document (a list, or `{checks: [...]}`). */
export function checksSchema(): ReturnType<typeof buildSchema> {
  return (schema ??= buildSchema());
}

/** The check every run falls back to when none are given: GET / expecting 2xx. */
export function defaultCheck(): Check {
  return { name: 'GET /', path: '/', method: 'GET', headers: {}, expectStatus: DEFAULT_STATUS, health: false };
}

type CheckObject = z.output<ReturnType<typeof buildSchema>>[number];

function normalise(c: CheckObject, line: number | undefined, file: string | undefined): Check {
  const method = c.method ?? 'GET';
  const headers: Record<string, string> = { ...c.headers };
  for (const [k, v] of Object.entries(headers)) if (SENSITIVE_HEADER.test(k)) registerSecret(v);
  let body: string | undefined;
  if (c.body !== undefined) {
    if (typeof c.body === 'string') body = c.body;
    else {
      body = JSON.stringify(c.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
  }
  const target = c.path ?? c.url ?? '/';
  const full = c;
  return {
    name: full.name ?? `${method} ${target}`,
    path: c.url ? undefined : c.path?.startsWith('/') ? c.path : `/${c.path ?? ''}`,
    url: c.url,
    method,
    headers,
    body,
    expectStatus: full['expect-status'] ?? DEFAULT_STATUS,
    expectBody: full['expect-body'],
    expectJson: full['expect-json'],
    maxLatencyMs: full['max-latency'],
    timeoutMs: full.timeout,
    health: full.health ?? false,
    file,
    line,
  };
}

/**
 * Parses checks from YAML text. Throws YamlProblem (an InvalidValue with `.line`) naming the
 * check and field at fault. `file` is recorded on each check for annotations.
 * The text is parsed once (YAML is the slow part: ~0.1 ms per line) and lines come from the
 * parsed nodes, so a mistake deep in a check is located exactly.
 */
export function parseChecks(text: string, file?: string): Check[] {
  const { LineCounter, parseDocument, isSeq, isMap } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const lineAt = (node: unknown) => {
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    return offset === undefined ? undefined : lines.linePos(offset).line;
  };
  if (doc.errors.length) throw syntaxProblem(doc.errors, lines);
  let root: unknown = doc.contents;
  let prefix: Array<string | number> = [];
  if (isMap(root) && root.has('checks') && root.items.length === 1) {
    root = root.get('checks', true);
    prefix = ['checks'];
  }
  const result = checksSchema().safeParse(doc.toJS());
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = showPath(issue.path);
    throw new YamlProblem(`${at ? `at ${at} ` : ''}is invalid: ${issue.message}`, lineOfPath(doc, lines, [...prefix, ...issue.path]));
  }
  const items = isSeq(root) ? root.items : [];
  return result.data.map((raw, i) => normalise(raw, lineAt(items[i]), file));
}

export { YamlProblem };

// ---- JSON paths ------------------------------------------------------------------------------

export type PathSegment = string | number;

/**
 * `$.a.b[0].c`, `a.b[0]`, `items.length`, `$['odd key']` → segments. Returns an error message
 * when malformed.
 */
export function parseJsonPath(path: string): PathSegment[] | string {
  let s = path.trim();
  if (s.startsWith('$')) s = s.slice(1);
  const segments: PathSegment[] = [];
  let i = 0;
  if (s && !s.startsWith('.') && !s.startsWith('[')) s = `.${s}`;
  while (i < s.length) {
    if (s[i] === '.') {
      const m = /^\.([^.[\]]+)/.exec(s.slice(i));
      if (!m) return `${JSON.stringify(path)} is not a JSON path: a name must follow "."`;
      segments.push(m[1]!);
      i += m[0].length;
    } else if (s[i] === '[') {
      const m = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(s.slice(i));
      if (!m) return `${JSON.stringify(path)} is not a JSON path: use [0] or ['name'] in brackets`;
      segments.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
      i += m[0].length;
    } else return `${JSON.stringify(path)} is not a JSON path: use e.g. $.data.items[0].id`;
  }
  return segments;
}

const MISSING = Symbol('missing');

/** The value at a path, or MISSING. `length` of arrays and strings works as a name. */
export function valueAt(doc: unknown, segments: PathSegment[]): unknown {
  let v: unknown = doc;
  for (const seg of segments) {
    if (v === null || v === undefined) return MISSING;
    if (typeof seg === 'number') {
      if (!Array.isArray(v) || seg >= v.length) return MISSING;
      v = v[seg];
    } else if (seg === 'length' && (Array.isArray(v) || typeof v === 'string')) {
      v = v.length;
    } else if (typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, seg)) {
      v = (v as Record<string, unknown>)[seg];
    } else if (Array.isArray(v) && /^\d+$/.test(seg)) {
      v = v[Number(seg)];
      if (v === undefined) return MISSING;
    } else return MISSING;
  }
  return v;
}

export function isMissing(v: unknown): boolean {
  return v === MISSING;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Compares a JSON document against `expect-json`; returns the problems (empty when all match).
 * An expected `/regex/` string matches string (and number) values; other values compare deeply,
 * with numbers and numeric strings equal (`"42"` matches 42) since YAML authors rarely care.
 */
export function matchJson(doc: unknown, expected: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [path, want] of Object.entries(expected)) {
    const segments = parseJsonPath(path) as PathSegment[];
    const got = valueAt(doc, segments);
    if (isMissing(got)) {
      problems.push(`JSON ${path} is missing`);
      continue;
    }
    if (typeof want === 'string') {
      const m = parseTextMatcher(want);
      if (typeof m !== 'string' && m.regex && (typeof got === 'string' || typeof got === 'number')) {
        if (!m.regex.test(String(got))) problems.push(`JSON ${path} is ${preview(got)}, which does not match ${want}`);
        continue;
      }
    }
    const loose = (typeof want === 'number' && typeof got === 'string' && got === String(want)) || (typeof want === 'string' && typeof got === 'number' && want === String(got));
    if (!loose && !deepEqual(got, want)) problems.push(`JSON ${path} is ${preview(got)}, expected ${preview(want)}`);
  }
  return problems;
}

export function preview(v: unknown, max = 80): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
