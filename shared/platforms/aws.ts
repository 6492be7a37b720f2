/**
 * What every AWS client (ECS, ELB, S3) sets up the same way: credentials kept out of logs,
 * bounded requests, and one answer to "is this AWS error worth another try". No SDK client is
 * imported here, so that a bundle pulls in only the clients it uses.
 */
import { isTransient } from '../core/net.js';
import { registerSecret } from '../core/secrets.js';

export interface AwsClientOptions {
  region: string;
  /** SDK attempts per request, throttling included; 1 for writes we retry ourselves after re-reading. */
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

/** Client settings shared by every SDK client: standard retries, a request that hangs is cut off (and retried). */
export function awsClientConfig({ region, maxAttempts = 8, requestTimeoutMs = 15_000 }: AwsClientOptions) {
  // Credentials come from the environment (configure-aws-credentials); never let them reach a log.
  registerSecret(process.env.AWS_SECRET_ACCESS_KEY);
  registerSecret(process.env.AWS_SESSION_TOKEN);
  return {
    region,
    maxAttempts,
    retryMode: 'standard' as const,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
  };
}

/** The AWS error name (ThrottlingException, ServiceNotFoundException, …), or ''. */
export const awsErrorName = (error: unknown): string => (error as { name?: string })?.name ?? '';

/** AWS's own transient faults (throttling, 5xx, the SDK's retryable marker) on top of the network ones. */
export function retryableAws(error: unknown): boolean {
  const e = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string };
  if (e?.$retryable) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  if (/Throttl|TooManyRequests|RequestLimitExceeded|InternalFailure|ServerException|ServiceUnavailable|TimeoutError/.test(e?.name ?? '')) return true;
  return isTransient(error);
}
