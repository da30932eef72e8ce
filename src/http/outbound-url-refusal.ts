import { isIP } from 'node:net';
import { isPrivateAddress } from './private-address.js';

/** Why the server must not fetch a URL, for the caller to say in its own words. */
export type OutboundUrlRefusal =
  | {
      reason: 'scheme';
      scheme: string;
      /** The schemes that would do, as a phrase: `https`, or `http or https`. */
      allowed: string;
    }
  | { reason: 'private'; hostname: string };

/**
 * Checks a URL the server is about to reach on someone else's word (an image to fetch, a
 * model's output file, a webhook): https only, plain http too when private addresses are
 * allowed, and no private IP literal. Names are judged when connecting, by
 * `publicAddressLookup`, as only then is the answer final; IP literals never reach that
 * lookup, so they are judged here. Undefined when the URL may be reached.
 */
export function outboundUrlRefusal(
  url: URL,
  allowPrivate: boolean,
): OutboundUrlRefusal | undefined {
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'https' && !(allowPrivate && scheme === 'http'))
    return {
      reason: 'scheme',
      scheme,
      allowed: allowPrivate ? 'http or https' : 'https',
    };
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && isIP(hostname) !== 0 && isPrivateAddress(hostname))
    return { reason: 'private', hostname };
  return undefined;
}
