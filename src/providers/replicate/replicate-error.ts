import {
  type GenRelayError,
  InvalidRequestError,
  ModelNotFoundError,
} from '../../core/errors.js';
import {
  errorFromResponse,
  type UpstreamContext,
} from '../../http/error-from-response.js';
import type { HttpResponse } from '../../http/http-client.js';
import { invalidInputSchema } from './replicate-api.js';

/**
 * The typed error for a create that was refused. A 422 names the rejected input field
 * (`input.width`), or the model when the version is what Replicate refused; a 404 means
 * the model does not exist (or is not an official model, for a name without a version).
 * Other statuses map as everywhere (401, 402 and 429 with Retry-After, 5xx).
 */
export async function errorFromCreate(
  response: HttpResponse,
  context: UpstreamContext & { provider: string },
  model: string,
): Promise<GenRelayError> {
  if (response.status === 404) {
    await response.dispose();
    return new ModelNotFoundError(model, [], { provider: context.provider });
  }
  if (response.status !== 422) return errorFromResponse(response, context);
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = {};
  }
  const parsed = invalidInputSchema.safeParse(body);
  const problem = parsed.success ? parsed.data : {};
  const field = problem.invalid_fields?.[0];
  const said = field
    ? `${field.field}: ${field.description ?? 'invalid'}`
    : (problem.detail ?? problem.title ?? 'invalid request');
  const param =
    field?.field ?? (/version/i.test(problem.title ?? '') ? 'model' : undefined);
  const speaker = `upstream replicate "${context.provider}"`;
  return new InvalidRequestError(`${speaker} answered 422: ${said.trim()}`, {
    provider: context.provider,
    ...(param === undefined ? {} : { param }),
  });
}
