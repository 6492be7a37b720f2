/** Required configuration: names that must be set and non-blank. Only names are ever shown, never values. */
import type { Check } from './types.js';

export function configCheck(names: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Check {
  return {
    id: 'config',
    title: 'Required configuration',
    skip: names.length ? undefined : 'no required-env given',
    timeoutMs,
    run: async () => {
      const missing = names.filter((n) => env[n] === undefined);
      // A secret that does not exist in the environment arrives as an empty string.
      const blank = names.filter((n) => env[n] !== undefined && env[n]!.trim() === '');
      if (!missing.length && !blank.length) return { status: 'pass', found: `${names.length} set: ${names.join(', ')}`, data: { set: names } };
      const parts = [missing.length ? `not set: ${missing.join(', ')}` : '', blank.length ? `empty: ${blank.join(', ')}` : ''].filter(Boolean);
      return {
        status: 'fail',
        found: parts.join('; '),
        fix: `map each one in the step's env: from the environment's secrets or variables (e.g. ${[...missing, ...blank][0]}: \${{ secrets.${[...missing, ...blank][0]} }}); a secret the environment does not define arrives empty`,
        data: { missing, blank },
      };
    },
  };
}
