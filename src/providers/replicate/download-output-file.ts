import { GenRelayError, UpstreamError } from '../../core/errors.js';
import { concatBytes } from '../../http/concat-bytes.js';
import { ensureOk, type UpstreamContext } from '../../http/error-from-response.js';
import type { HttpClient } from '../../http/http-client.js';
import { outboundUrlRefusal } from '../../http/outbound-url-refusal.js';
import type { UpstreamName } from '../upstream-json.js';

/** Replicate's images are a few MiB; a larger file is not held in memory. */
const maxOutputBytes = 20 * 1024 * 1024;
const downloadTimeoutMs = 30_000;

export interface OutputDownload {
  /** The client for files: one refusing private addresses, unless `allowPrivate`. */
  http: HttpClient;
  /** Plain http and private addresses are fetched too (trusted setups only). */
  allowPrivate: boolean;
  headers: Record<string, string>;
  signal: AbortSignal;
  context: UpstreamContext;
}

/**
 * The bytes of a file a model output, up to 20 MiB. A model may output any URL, so
 * unless private addresses are allowed only https URLs of public hosts are fetched. Each
 * refusal is an UpstreamError naming the provider: the model's output is at fault, not
 * the request.
 */
export async function downloadOutputFile(
  upstream: UpstreamName,
  url: string,
  options: OutputDownload,
): Promise<Uint8Array> {
  const refused = (reason: string, cause?: unknown) =>
    new UpstreamError(`${upstream.describe()} output file ${reason}`, {
      provider: upstream.id,
      cause,
    });
  const address = URL.canParse(url) ? new URL(url) : undefined;
  if (address === undefined) throw refused(`${url.slice(0, 80)} is not a valid URL`);
  const { host } = address;
  const refusal = outboundUrlRefusal(address, options.allowPrivate === true);
  if (refusal?.reason === 'scheme')
    throw refused(`at ${host} must use ${refusal.allowed}, not ${refusal.scheme}`);
  if (refusal?.reason === 'private')
    throw refused(`at ${refusal.hostname} is not on a public address`);
  try {
    const response = await options.http.request({
      url: address,
      headers: options.headers,
      signal: options.signal,
      timeoutMs: downloadTimeoutMs,
    });
    await ensureOk(response, options.context);
    const tooLarge = () => refused(`at ${host} is larger than ${maxOutputBytes} bytes`);
    if (Number(response.header('content-length')) > maxOutputBytes) {
      await response.dispose();
      throw tooLarge();
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      // Leaving the loop ends the body and closes the connection.
      if (size > maxOutputBytes) throw tooLarge();
      parts.push(chunk);
    }
    return concatBytes(parts, size);
  } catch (error) {
    // The address lookup refuses a private host as an invalid request; here it is not.
    if (GenRelayError.isInstance(error) && error.code === 'invalid_request') {
      throw refused(`at ${host} was refused: ${error.message}`, error);
    }
    throw error;
  }
}
