import { describe, expect, it } from 'vitest';
import { derivedForms, redact, registerSecret } from '../../shared/core/secrets.js';

describe('secrets', () => {
  it('masks a secret embedded in longer base64 at every alignment', () => {
    const secret = 'hunter2-very-secret';
    registerSecret(secret);
    for (const prefix of ['', 'a', 'ab', 'abc', 'user:']) {
      for (const suffix of ['', 'x', 'xy', '!tail']) {
        const encoded = Buffer.from(prefix + secret + suffix).toString('base64');
        expect(redact(`Authorization: Basic ${encoded}`)).not.toContain(encoded);
        const url = Buffer.from(prefix + secret + suffix).toString('base64url');
        expect(redact(url)).not.toBe(url);
      }
    }
  });

  it('masks URL-encoded, hex and the password of a connection URL', () => {
    const password = 'p@ss w/rd:42';
    registerSecret(`postgres://app:${encodeURIComponent(password)}@db:5432/shop`);
    for (const form of derivedForms(password).filter((f) => f.length >= 6)) expect(redact(`x ${form} y`)).toContain('***');
    expect(redact(`Basic ${Buffer.from(`app:${password}`).toString('base64')}`)).toContain('***');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('deploying release 42 to production')).toBe('deploying release 42 to production');
  });
});
