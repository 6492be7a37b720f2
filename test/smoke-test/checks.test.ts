import { describe, expect, it, vi } from 'vitest';
import { YamlProblem } from '../../shared/core/inputs.js';
import { redact } from '../../shared/core/secrets.js';
import {
  defaultCheck,
  matchJson,
  parseChecks,
  parseJsonPath,
  parseStatus,
  parseTextMatcher,
  statusMatches,
  textMatches,
  valueAt,
  type StatusMatcher,
} from '../../shared/smoke/checks.js';
import { parseHeaderLines } from '../../shared/smoke/headers.js';

// registerSecret writes ::add-mask:: to stdout; keep the test output clean.
vi.spyOn(process.stdout, 'write').mockImplementation(() => true);

function problem(fn: () => unknown): YamlProblem {
  try {
    fn();
  } catch (error) {
    if (error instanceof YamlProblem) return error;
    throw error;
  }
  throw new Error('expected a YamlProblem');
}

describe('expect-status', () => {
  const m = (v: unknown) => parseStatus(v) as StatusMatcher;
  it('accepts a code, a class, a range and a list', () => {
    expect(statusMatches(m(200), 200)).toBe(true);
    expect(statusMatches(m(200), 201)).toBe(false);
    expect(statusMatches(m('2xx'), 204)).toBe(true);
    expect(statusMatches(m('2XX'), 301)).toBe(false);
    expect(statusMatches(m('200-299'), 299)).toBe(true);
    expect(statusMatches(m('200 - 204'), 205)).toBe(false);
    const list = m([200, '3xx', '401-403']);
    expect([200, 302, 402, 404].map((s) => statusMatches(list, s))).toEqual([true, true, true, false]);
    expect(list.text).toBe('200, 3xx, 401-403');
  });
  it('rejects what is not a status', () => {
    for (const bad of ['7xx', 'ok', 99, 600, '299-200', [], '20']) expect(typeof parseStatus(bad)).toBe('string');
  });
});

describe('expect-body', () => {
  it('is a substring, or a /regex/ with flags', () => {
    const sub = parseTextMatcher('Welcome') as ReturnType<typeof parseTextMatcher> & object;
    expect(textMatches(sub as never, '<h1>Welcome back</h1>')).toBe(true);
    expect(textMatches(sub as never, 'welcome')).toBe(false);
    const re = parseTextMatcher('/welcome\\s+back/i');
    expect(textMatches(re as never, '<h1>WELCOME  back</h1>')).toBe(true);
    expect(textMatches(re as never, 'welcome')).toBe(false);
    // The global flag would make test() stateful: dropped.
    const g = parseTextMatcher('/a/g') as { regex: RegExp };
    expect(g.regex.flags).toBe('');
  });
  it('reports an invalid regex', () => {
    expect(parseTextMatcher('/(unclosed/')).toMatch(/not a valid regular expression/);
  });
});

describe('JSON paths', () => {
  const doc = { status: 'ok', data: { items: [{ id: 7, sku: 'A1' }, { id: 8 }], 'odd key': true }, version: '42', count: 3 };
  it('parses dotted, bracketed and $-rooted paths', () => {
    expect(parseJsonPath('$.data.items[0].id')).toEqual(['data', 'items', 0, 'id']);
    expect(parseJsonPath('data.items[1]')).toEqual(['data', 'items', 1]);
    expect(parseJsonPath("$['data']['odd key']")).toEqual(['data', 'odd key']);
    expect(parseJsonPath('status')).toEqual(['status']);
    expect(typeof parseJsonPath('a..b')).toBe('string');
    expect(typeof parseJsonPath('a[x]')).toBe('string');
  });
  it('reads values, including length', () => {
    expect(valueAt(doc, ['data', 'items', 'length'])).toBe(2);
    expect(valueAt(doc, ['data', 'items', 1, 'id'])).toBe(8);
  });
  it('matches expectations and says what differs', () => {
    expect(matchJson(doc, { '$.status': 'ok', 'data.items[0].sku': 'A1', 'data.items.length': 2, "$['data']['odd key']": true })).toEqual([]);
    expect(matchJson(doc, { version: 42, count: '3' })).toEqual([]); // numbers and numeric strings are equal
    expect(matchJson(doc, { status: '/^o/' })).toEqual([]);
    expect(matchJson(doc, { 'data.items[0]': { id: 7, sku: 'A1' } })).toEqual([]);
    const problems = matchJson(doc, { status: 'healthy', 'data.missing': 1, 'data.items[0].id': '/^9/' });
    expect(problems).toEqual([
      'JSON status is "ok", expected "healthy"',
      'JSON data.missing is missing',
      'JSON data.items[0].id is 7, which does not match /^9/',
    ]);
  });
});

describe('parseChecks', () => {
  it('reads the full syntax', () => {
    const [check] = parseChecks(`
- name: create order
  path: /api/orders
  method: post
  headers: { x-trace: abc }
  body: { sku: A1, qty: 1 }
  expect-status: [201, 202]
  expect-body: /created/
  expect-json: { "$.status": created }
  max-latency: 800ms
  timeout: 3s
`);
    expect(check).toMatchObject({
      name: 'create order',
      path: '/api/orders',
      method: 'POST',
      headers: { 'x-trace': 'abc', 'content-type': 'application/json' },
      body: '{"sku":"A1","qty":1}',
      maxLatencyMs: 800,
      timeoutMs: 3000,
      health: false,
      line: 2,
    });
    expect(check!.expectStatus.text).toBe('201, 202');
    expect(check!.expectBody!.regex).toBeInstanceOf(RegExp);
  });

  it('takes bare strings as paths or URLs, and a {checks: [...]} document', () => {
    const checks = parseChecks('checks:\n  - /\n  - health\n  - https://api.example.com/ping\n');
    expect(checks.map((c) => [c.name, c.path, c.url, c.line])).toEqual([
      ['GET /', '/', undefined, 2],
      ['GET health', '/health', undefined, 3],
      ['GET https://api.example.com/ping', undefined, 'https://api.example.com/ping', 4],
    ]);
    expect(checks[0]!.expectStatus.text).toBe('2xx');
  });

  it('names the check, the field and the line of a mistake', () => {
    const text = '- /\n- name: home\n  path: /\n  expect-status: 7xx\n';
    const p = problem(() => parseChecks(text));
    expect(p.message).toMatch(/\[1\]\.expect-status/);
    expect(p.message).toMatch(/7xx/);
    expect(p.line).toBe(4);
  });

  it('rejects unknown fields (typos), both path and url, a body on GET, bad methods and durations', () => {
    expect(problem(() => parseChecks('- path: /\n  expect_status: 200\n')).message).toMatch(/expect_status/);
    expect(problem(() => parseChecks('- path: /\n  url: https://x.example\n')).message).toMatch(/either path or url/);
    expect(problem(() => parseChecks('- path: /\n  body: hi\n')).message).toMatch(/method/);
    expect(problem(() => parseChecks('- path: /\n  method: FETCH\n')).message).toMatch(/GET, HEAD/);
    expect(problem(() => parseChecks('- path: /\n  max-latency: fast\n')).message).toMatch(/latency budget/);
    expect(problem(() => parseChecks('- path: /\n  expect-body: /(x/\n')).message).toMatch(/regular expression/);
    expect(problem(() => parseChecks('- url: /relative\n')).message).toMatch(/absolute/);
    expect(problem(() => parseChecks('- path: /\n  expect-json: { "a..b": 1 }\n')).message).toMatch(/JSON path/);
    expect(problem(() => parseChecks('[]')).message).toMatch(/at least one/);
    const syntax = problem(() => parseChecks('- name: a\n  path: [\n'));
    expect(syntax.message).toMatch(/not valid YAML/);
  });

  it('masks credential-like header values of a check', () => {
    parseChecks('- path: /\n  headers:\n    Authorization: Bearer tok-123456789\n    x-trace: visible-value\n');
    expect(redact('Bearer tok-123456789')).toBe('***');
    expect(redact('visible-value')).toBe('visible-value');
  });

  it('has a default check: GET / expecting 2xx', () => {
    expect(defaultCheck()).toMatchObject({ path: '/', method: 'GET', expectStatus: { text: '2xx' } });
  });
});

describe('headers input', () => {
  it('reads Name: value lines and JSON, and masks values', () => {
    expect(parseHeaderLines('x-vercel-protection-bypass: s3cr3t-bypass-value\n# comment\nX-Other: a:b:c\n')).toEqual({
      'x-vercel-protection-bypass': 's3cr3t-bypass-value',
      'x-other': 'a:b:c',
    });
    expect(redact('s3cr3t-bypass-value')).toBe('***');
    expect(parseHeaderLines('{"x-token": "json-secret-999"}')).toEqual({ 'x-token': 'json-secret-999' });
  });
  it('rejects malformed lines without showing the value', () => {
    for (const bad of ['just-a-value-hunter2', 'bad name: v', 'x-empty:', '{"x": 1', '[1]']) {
      let message = '';
      try {
        parseHeaderLines(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('hunter2');
    }
  });
});
