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

/**
 * The typed error for a create that was refused. A 404 means the model does not exist
 * (or is not an official model, for a name without a version); a 422 that refuses the
 * version blames the model. The rest map as everywhere: a 422 names its first invalid
 * field (`input.width`), 401, 402 and 429 with Retry-After, 5xx.
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
  const error = await errorFromResponse(response, context);
  const refusesVersion =
    response.status === 422 &&
    error.param === undefined &&
    /version/i.test(error.message);
  return refusesVersion
    ? new InvalidRequestError(error.message, {
        provider: context.provider,
        param: 'model',
      })
    : error;
}
