import {
  createHttpClient,
  type HttpClientOptions,
  type PooledHttpClient,
} from './http-client.js';
import { publicAddressLookup } from './public-address-lookup.js';

/**
 * A client that refuses private addresses when it connects, for URLs the server reaches on
 * someone else's word (images, model output files, webhooks). No proxy: a proxy would
 * resolve the host itself, past the address check.
 */
export function createPublicHttpClient(
  options: Omit<HttpClientOptions, 'proxy' | 'connect'> = {},
): PooledHttpClient {
  return createHttpClient({
    ...options,
    proxy: false,
    connect: { lookup: publicAddressLookup },
  });
}
