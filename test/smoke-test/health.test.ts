import { describe, expect, it } from 'vitest';
import { healthLevel, readHealth } from '../../shared/smoke/health.js';

describe('readHealth', () => {
  it('reads application/health+json with its checks map', () => {
    const r = readHealth(
      JSON.stringify({
        status: 'fail',
        checks: {
          'postgres:connections': [{ componentId: 'db1', status: 'fail', output: 'connection refused' }],
          'redis:responseTime': [{ status: 'pass', observedValue: 2 }],
          'queue:depth': [{ status: 'warn', output: 'backlog 900' }],
        },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.failing).toEqual(['postgres:connections (connection refused)']);
    expect(r.warning).toEqual(['queue:depth (backlog 900)']);
  });

  it('treats pass/ok/up as healthy and warn as a warning', () => {
    expect(readHealth('{"status":"pass"}').status).toBe('pass');
    expect(readHealth('{"status":"UP"}').status).toBe('pass');
    expect(readHealth('{"status":"warn"}').status).toBe('warn');
  });

  it('reads the common {status: healthy|degraded|unhealthy} and ASP.NET / Spring shapes', () => {
    expect(readHealth('{"status":"healthy"}').status).toBe('pass');
    expect(readHealth('{"status":"Degraded"}').status).toBe('warn');
    const asp = readHealth('{"status":"Unhealthy","entries":{"sql":{"status":"Unhealthy","description":"timeout"},"cache":{"status":"Healthy"}}}');
    expect(asp).toMatchObject({ status: 'fail', failing: ['sql (timeout)'] });
    const spring = readHealth('{"status":"DOWN","components":{"db":{"status":"DOWN"},"diskSpace":{"status":"UP"}}}');
    expect(spring).toMatchObject({ status: 'fail', failing: ['db'] });
  });

  it('a failing component under a passing service is a warning; no top-level status means the worst component', () => {
    expect(readHealth('{"status":"pass","checks":{"search":[{"status":"fail"}]}}')).toMatchObject({ status: 'warn', failing: ['search'] });
    expect(readHealth('{"checks":{"a":{"status":"ok"},"b":{"status":"down"}}}')).toMatchObject({ status: 'fail', failing: ['b'] });
  });

  it('says so when the answer is not a health document', () => {
    expect(readHealth('<html>oops</html>').problem).toMatch(/not JSON/);
    expect(readHealth('{"hello":"world"}').problem).toMatch(/no status/);
    expect(readHealth('[1,2]').problem).toMatch(/not a JSON object/);
    expect(readHealth('OK').status).toBe('pass');
  });

  it('maps status words', () => {
    expect(['pass', 'ok', 'Healthy', 'warn', 'degraded', 'fail', 'unhealthy', 'OUT_OF_SERVICE', 'weird'].map(healthLevel)).toEqual([
      'pass', 'pass', 'pass', 'warn', 'warn', 'fail', 'fail', 'fail', undefined,
    ]);
  });
});
