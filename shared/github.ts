/**
 * Every GitHub API call goes through this Octokit: @actions/github's client (honours
 * GITHUB_API_URL, so GitHub Enterprise Server and the test stand-in work), with pagination,
 * retries of 5xx and network faults, and rate-limit handling that waits as GitHub asks
 * (Retry-After) a bounded number of times. Import it lazily: only paths that talk to GitHub pay
 * for loading it.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { log } from './core/log.js';
import { context } from './core/context.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubOptions {
  token: string;
  /** Defaults to GITHUB_API_URL. */
  apiUrl?: string;
  /** Base for retry waits (tests shorten it). Octokit waits base × (n+1)² between tries. */
  retryBaseMs?: number;
  /** How many times a rate-limited request is repeated after GitHub's Retry-After. */
  rateLimitRetries?: number;
}

/**
 * fetch for Octokit: a request whose signal was aborted (the job cancelled, the call's budget
 * spent) fails as an AbortError, which Octokit's retry plugin does not retry. Any other failed
 * fetch becomes a RequestError that it retries — an aborted one would wait 1 + 4 + 9 s for nothing.
 */
const fetchUntilAborted: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    if (!init?.signal?.aborted) throw error;
    const reason = init.signal.reason as { message?: string } | undefined;
    throw Object.assign(new Error(reason?.message ?? 'aborted'), { name: 'AbortError', cause: error });
  }
};

export function github(options: GitHubOptions): GitHubClient {
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < rateLimitRetries && retryAfter <= 60;
    log.info(`GitHub API: ${kind} on ${request.method} ${request.url}; ${again ? `retrying in ${retryAfter}s` : 'giving up'}`);
    return again;
  };
  return getOctokit(
    options.token,
    {
      baseUrl: options.apiUrl ?? context().apiUrl,
      userAgent: 'gantry',
      request: { fetch: fetchUntilAborted },
      retry: { retryAfterBaseValue: options.retryBaseMs ?? Number(process.env.GANTRY_GITHUB_RETRY_MS || 1000) },
      throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
      log: { debug: () => {}, info: () => {}, warn: (m: string) => log.debug(m), error: (m: string) => log.debug(m) },
    },
    retry,
    throttling,
  );
}
