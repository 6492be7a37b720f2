/** The ref being released matches allowed-refs (branch and tag globs; `refs/…` globs match the full ref). */
import { matchesGlob } from 'node:path';
import type { Check } from './types.js';

export function refMatches(ref: string, globs: string[]): string | undefined {
  const short = ref.replace(/^refs\/(heads|tags)\//, '');
  return globs.find((g) => (g.startsWith('refs/') ? matchesGlob(ref, g) : matchesGlob(short, g)));
}

export function refCheck(ref: string, globs: string[], timeoutMs: number): Check {
  return {
    id: 'ref',
    title: 'Allowed ref',
    skip: !globs.length ? 'no allowed-refs given' : !ref ? 'GITHUB_REF is not set' : undefined,
    timeoutMs,
    run: async () => {
      const match = refMatches(ref, globs);
      if (match) return { status: 'pass', found: `${ref} matches ${match}`, data: { ref, match } };
      return { status: 'fail', found: `${ref} matches none of ${globs.join(', ')}`, fix: 'release from an allowed branch or tag, or add it to allowed-refs', data: { ref } };
    },
  };
}
