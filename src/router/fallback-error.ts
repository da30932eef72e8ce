import { GenRelayError, UpstreamError } from '../core/errors.js';

export interface AttemptFailure {
  provider: string;
  error: GenRelayError;
}

/**
 * The one error for a request whose every attempt failed. An auth failure wins, so the
 * operator learns that credentials are missing; a single failure is passed on unchanged;
 * several are listed provider by provider, keeping their code when they all share one.
 */
export function fallbackError(
  model: string,
  failures: readonly AttemptFailure[],
): GenRelayError {
  const auth = failures.find(({ error }) => error.code === 'authentication_failed');
  if (auth !== undefined) return auth.error;
  const first = failures[0];
  if (first === undefined)
    return new UpstreamError(`No provider answered for model "${model}"`);
  if (failures.length === 1) return first.error;
  const lines = failures.map(
    ({ provider, error }) => `- ${provider}: ${error.code}: ${error.message}`,
  );
  const sameCode = failures.every(({ error }) => error.code === first.error.code);
  const waits = failures
    .map(({ error }) => error.retryAfterMs)
    .filter((wait): wait is number => wait !== undefined);
  return new GenRelayError({
    message: `All ${failures.length} providers failed for model "${model}":\n${lines.join('\n')}`,
    code: sameCode ? first.error.code : 'upstream_error',
    retryable: failures.some(({ error }) => error.retryable),
    ...(waits.length > 0 ? { retryAfterMs: Math.min(...waits) } : {}),
  });
}
