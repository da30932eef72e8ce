import { InvalidRequestError } from '../core/errors.js';
import { describeRefusal } from '../http/describe-refusal.js';
import { outboundUrlRefusal } from '../http/outbound-url-refusal.js';

const maxUrlLength = 2048;

export interface ValidateWebhookUrlOptions {
  /** Allow plain http and private, loopback or link-local addresses. */
  allowPrivateUrls?: boolean;
}

/**
 * A webhook URL a client gave, checked before the job is accepted so a bad one is a 400
 * naming `webhook`: http(s) only, https only unless private URLs are allowed, and no
 * private IP literal. Names that resolve to private addresses are refused later, when
 * the sender connects (see publicAddressLookup), as only then is the answer final.
 */
export function validateWebhookUrl(
  url: string,
  options: ValidateWebhookUrlOptions = {},
): URL {
  const allowPrivate = options.allowPrivateUrls === true;
  const invalid = (message: string) =>
    new InvalidRequestError(message, { param: 'webhook' });
  if (url.length > maxUrlLength) {
    throw invalid(`the webhook URL is longer than ${maxUrlLength} characters`);
  }
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed === undefined) throw invalid('the webhook URL is not a valid URL');
  const refusal = outboundUrlRefusal(parsed, allowPrivate);
  if (refusal !== undefined) throw invalid(describeRefusal(refusal, 'the webhook URL'));
  return parsed;
}
