/**
 * Inputs every action that has them declares the same way: one definition each, so `environment`
 * means the same name rules, `github-token` the same masking and hint, and `sentry-dsn` the same
 * shape in every action.
 */
import { input } from './inputs.js';

/** What a Sentry DSN looks like: https://<key>@<host>/<project>. run() reports only to such a value. */
export const SENTRY_DSN = /^https?:\/\/[^@/\s]+@[^/\s]+\/\S+$/i;

export const commonInputs = {
  /**
   * A GitHub environment name (letters, digits, space, `.`, `_`, `/`, `-`; up to 255). Whether it is
   * a production environment is decided in one place: isProductionEnvironment (shared/ledger.ts).
   */
  environment: (defaultValue?: string) =>
    input.string({ default: defaultValue, pattern: /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,254}$/, hint: 'use an environment name such as production or staging' }),
  githubToken: (permissions: string) => input.secret({ required: true, hint: `pass \${{ github.token }} (needs permissions: ${permissions})` }),
  sentryDsn: () => input.secret({ pattern: SENTRY_DSN, hint: 'pass a Sentry DSN, https://<key>@<host>/<project>, from a secret' }),
};
