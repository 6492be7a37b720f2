import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigurationError } from '../../shared/core/errors.js';
import { input, readInputs } from '../../shared/core/inputs.js';
import { parseDuration, formatDuration } from '../../shared/core/duration.js';
import { redact } from '../../shared/core/secrets.js';

const set = (values: Record<string, string>) => {
  for (const [k, v] of Object.entries(values)) process.env[`INPUT_${k.toUpperCase()}`] = v;
};
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
});

function configError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('durations', () => {
  it.each([
    ['250ms', 250], ['90s', 90_000], ['5m', 300_000], ['1h', 3_600_000], ['30', 30_000], ['1m30s', 90_000], ['1.5s', 1500],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'abc', '5 minutes', '-1s', '1d'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
  it('formats', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(90_000)).toBe('1m30s');
  });
});

describe('readInputs', () => {
  const defs = {
    'max-latency': input.duration({ default: '2s' }),
    'fail-on-warning': input.boolean(false),
    attempts: input.integer({ default: 3, min: 1, max: 20 }),
    mode: input.choice(['off', 'warn', 'error'] as const, { default: 'warn' }),
    'error-rate': input.percent({ default: 0.05 }),
    steps: input.list({ default: ['5', '100'] }),
    url: input.url({ required: true }),
    token: input.secret(),
  };

  it('parses typed values with defaults, camelCased', () => {
    set({ url: 'https://example.test', steps: '5\n25, 50\n# comment\n100' });
    const v = readInputs(defs);
    expect(v).toEqual({
      maxLatency: 2000, failOnWarning: false, attempts: 3, mode: 'warn', errorRate: 0.05,
      steps: ['5', '25', '50', '100'], url: 'https://example.test', token: undefined,
    });
  });

  it('names every bad input, with the fix, in one error', () => {
    set({ url: 'example.test', 'max-latency': 'soon', attempts: '0', mode: 'loud', 'fail-on-warning': 'maybe', 'error-rate': '150%' });
    const error = configError(() => readInputs(defs));
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(error.message).toContain(`Input 'max-latency' is "soon": use a duration such as 250ms, 90s, 5m or 1h`);
    expect(error.message).toContain(`Input 'attempts' is "0": use a whole number from 1 to 20`);
    expect(error.message).toContain(`Input 'mode' is "loud": use one of off, warn, error`);
    expect(error.message).toContain(`Input 'fail-on-warning' is "maybe": use true or false`);
    expect(error.message).toContain(`Input 'error-rate' is "150%"`);
    expect(error.message).toContain(`Input 'url' is "example.test": use an absolute http or https URL`);
    expect(error.location?.input).toBe('max-latency');
  });

  it('requires what is required', () => {
    expect(configError(() => readInputs(defs)).message).toMatch(/^Input 'url' is required/);
  });

});

describe('secret inputs', () => {
  it('reports the shape of a malformed secret, not its value', () => {
    set({ token: 'ghp_abcdefghijklmnop' });
    const error = configError(() => readInputs({ token: input.secret({ pattern: /^vercel_/, hint: 'use a Vercel token' }) }));
    expect(error.message).toBe(`Input 'token' (a secret of 20 characters, not shown) is malformed: use a Vercel token`);
    expect(redact('token=ghp_abcdefghijklmnop')).toBe('token=***');
  });
});

describe('yaml inputs', () => {
  const schema = z.array(z.object({ name: z.string(), status: z.number().int() }));
  it('parses and validates', () => {
    set({ checks: '- name: home\n  status: 200\n' });
    expect(readInputs({ checks: input.yaml(schema) }).checks).toEqual([{ name: 'home', status: 200 }]);
  });
  it('says where the YAML is wrong', () => {
    set({ checks: '- name: home\n  status: 200\n- name: api\n  status: ok\n' });
    expect(configError(() => readInputs({ checks: input.yaml(schema) })).message).toMatch(/^Input 'checks' at \[1\]\.status is invalid/);
    set({ checks: '- name: [unclosed\n' });
    expect(configError(() => readInputs({ checks: input.yaml(schema) })).message).toMatch(/^Input 'checks' is not valid YAML/);
  });
});

describe('booleans, as the toolkit reads them', () => {
  const defs = { 'fail-on-warning': input.boolean(false) };
  it.each([['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false], ['', false]])('%j is %s', (raw, value) => {
    set({ 'fail-on-warning': raw });
    expect(readInputs(defs).failOnWarning).toBe(value);
  });
  it.each(['yes', 'no', 'on', 'off', '1', '0', 'tRuE'])('refuses %j with a clear error', (raw) => {
    set({ 'fail-on-warning': raw });
    expect(configError(() => readInputs(defs)).message).toMatch(new RegExp(`^Input 'fail-on-warning' is "${raw}": use true or false`));
  });
});

describe('yaml input problems: the right line, in plain words', () => {
  const schema = z.array(z.object({ name: z.string(), tags: z.array(z.string()).optional(), status: z.number().int() }));
  const problem = (text: string) => {
    set({ checks: text });
    const error = configError(() => readInputs({ checks: input.yaml(schema) }));
    return { message: error.message, line: error.location?.inputLine };
  };

  it('a schema mistake after a nested list is on its own line', () => {
    const text = ['- name: a', '  tags:', '    - x', '    - y', '  status: 200', '- name: b', '  status: nope'].join('\n');
    expect(problem(text)).toEqual({ message: expect.stringMatching(/^Input 'checks' at \[1\]\.status is invalid: .* \(line 7 of the value\)$/), line: 7 });
  });

  it.each([
    ['- name: a path: /x\n  status: 200', 1, "is not valid YAML (line 1): two 'key: value' pairs on one line"],
    ['- name: a\n  status: 200\n  name: b', 3, 'is not valid YAML (line 3): the same key is given twice in one item'],
    ['- name: a\n  status 200\n  tags: []', 2, "is not valid YAML (lines 2–3): a key runs over more than one line: is a ':' missing after a key"],
    ['- name: @home\n  status: 200', 1, 'is not valid YAML (line 1): a value starts with a character YAML reserves (such as @ or `): put the value in quotes'],
  ])('%j', (text, line, message) => {
    const p = problem(text);
    expect(p.message.startsWith(`Input 'checks' ${message}`), p.message).toBe(true);
    expect(p.line).toBe(line);
    expect(p.message).not.toMatch(/Nested mappings|Implicit keys|Map keys must be unique|reserved character|line \d+ of the value/);
  });
});
