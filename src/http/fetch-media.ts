import { GenRelayError, InvalidRequestError } from '../core/errors.js';
import type { GenerationRequest } from '../core/generation-request.js';
import { detectImageType, mergeMedia, parseDataUri } from '../core/media.js';
import type { ImageSource } from '../core/message.js';
import { concatBytes } from './concat-bytes.js';
import { createPublicHttpClient } from './create-public-http-client.js';
import { defaultHttpClient } from './default-http-client.js';
import { describeRefusal } from './describe-refusal.js';
import type { HttpClient } from './http-client.js';
import { outboundUrlRefusal } from './outbound-url-refusal.js';

export interface FetchImageOptions {
  /**
   * The client for `url` images. The default refuses private addresses at connect time;
   * a client given here must do that itself unless `allowPrivateAddresses` is set.
   */
  http?: HttpClient;
  /** Default 20 MiB. */
  maxBytes?: number;
  /** Total time for a download. Default 30 s. */
  timeoutMs?: number;
  /** Allow loopback, private and link-local hosts, and plain http (trusted setups only). */
  allowPrivateAddresses?: boolean;
  signal?: AbortSignal;
  /** The request field named in errors. Default `image`. */
  param?: string;
}

export interface FetchedImage {
  data: Uint8Array;
  /** Detected from the bytes, not taken from the sender's claim. */
  mediaType: string;
}

let publicHttpClient: HttpClient | undefined;

function publicClient(): HttpClient {
  publicHttpClient ??= createPublicHttpClient();
  return publicHttpClient;
}

/**
 * The bytes of an image an end user gave: decoded locally, or downloaded over https from
 * a public host, within a size limit, and checked to be a JPEG, PNG, GIF or WEBP image.
 * Redirects are not followed, since each hop would need the same checks. Every failure is
 * an InvalidRequestError naming `param`, except timeouts and cancellation.
 */
export async function fetchImage(
  source: ImageSource,
  options: FetchImageOptions = {},
): Promise<FetchedImage> {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const param = options.param ?? 'image';
  const invalid = (message: string, cause?: unknown) =>
    new InvalidRequestError(message, { param, cause });
  const data = await sourceBytes(source, options, { maxBytes, invalid });
  if (data.length > maxBytes) throw invalid(`the image is larger than ${maxBytes} bytes`);
  const mediaType = detectImageType(data);
  if (mediaType === undefined)
    throw invalid('the image is not a JPEG, PNG, GIF or WEBP image');
  return { data, mediaType };
}

export interface FetchRequestImagesOptions
  extends Omit<FetchImageOptions, 'signal' | 'param'> {
  signal: AbortSignal;
  /** The most images the upstream takes; more are refused before any download. */
  max?: number;
}

/**
 * The images a provider should use (see mergeMedia) as bytes, fetched in parallel. More
 * than `max` are refused before anything is downloaded. The first failure stops the other
 * downloads and is thrown with the field it came from (`images[1]`,
 * `messages[2].content[0]`).
 */
export async function fetchRequestImages(
  request: Pick<GenerationRequest, 'messages' | 'images'>,
  options: FetchRequestImagesOptions,
): Promise<FetchedImage[]> {
  const { signal, max, ...fetchOptions } = options;
  const sources = mergeMedia(request);
  if (max !== undefined && sources.length > max) {
    throw new InvalidRequestError(
      `At most ${max} images are accepted; the request has ${sources.length}`,
      { param: (request.images ?? []).length > 0 ? 'images' : 'messages' },
    );
  }
  if (sources.length === 0) return [];
  const fields = sourceFields(request);
  const downloads = new AbortController();
  const follow = () => downloads.abort(signal.reason);
  signal.addEventListener('abort', follow, { once: true });
  if (signal.aborted) follow();
  try {
    return await Promise.all(
      sources.map((source) =>
        fetchImage(source, {
          ...fetchOptions,
          signal: downloads.signal,
          param: fields.get(source) ?? 'images',
        }).catch((error: unknown) => {
          downloads.abort(error);
          throw error;
        }),
      ),
    );
  } finally {
    signal.removeEventListener('abort', follow);
  }
}

/** Where each image source sits in the request, as the field named in its errors. */
function sourceFields(
  request: Pick<GenerationRequest, 'messages' | 'images'>,
): Map<ImageSource, string> {
  const fields = new Map<ImageSource, string>();
  request.messages.forEach((message, index) => {
    if (typeof message.content === 'string') return;
    message.content.forEach((part, partIndex) => {
      if (part.type === 'image')
        fields.set(part.image, `messages[${index}].content[${partIndex}]`);
    });
  });
  request.images?.forEach((image, index) => {
    fields.set(image, `images[${index}]`);
  });
  return fields;
}

interface Limits {
  maxBytes: number;
  invalid: (message: string, cause?: unknown) => InvalidRequestError;
}

async function sourceBytes(
  source: ImageSource,
  options: FetchImageOptions,
  limits: Limits,
): Promise<Uint8Array> {
  switch (source.kind) {
    case 'bytes':
      return source.data;
    case 'base64':
      return new Uint8Array(Buffer.from(source.data, 'base64'));
    case 'data-uri': {
      const parsed = parseDataUri(source.uri);
      if (parsed === undefined)
        throw limits.invalid('the image is not a base64 data: URI');
      return parsed.data;
    }
    case 'url':
      return download(source.url, options, limits);
  }
}

async function download(
  address: string,
  options: FetchImageOptions,
  { maxBytes, invalid }: Limits,
): Promise<Uint8Array> {
  const allowPrivate = options.allowPrivateAddresses === true;
  const url = URL.canParse(address) ? new URL(address) : undefined;
  if (url === undefined) throw invalid('the image URL is not a valid URL');
  const refusal = outboundUrlRefusal(url, allowPrivate);
  if (refusal !== undefined) throw invalid(describeRefusal(refusal, 'the image URL'));
  const http = options.http ?? (allowPrivate ? defaultHttpClient() : publicClient());
  try {
    const response = await http.request({
      url,
      headers: { accept: 'image/*', 'accept-encoding': 'identity' },
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    if (response.status < 200 || response.status >= 300) {
      await response.dispose();
      const redirect = response.status >= 300 && response.status < 400;
      throw invalid(
        redirect
          ? `the image URL redirects (HTTP ${response.status}); redirects are not followed`
          : `the image URL answered HTTP ${response.status}`,
      );
    }
    if (Number(response.header('content-length')) > maxBytes) {
      await response.dispose();
      throw invalid(`the image is larger than ${maxBytes} bytes`);
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > maxBytes) throw invalid(`the image is larger than ${maxBytes} bytes`);
      parts.push(chunk);
    }
    return concatBytes(parts, size);
  } catch (error) {
    throw asImageError(error, url.host, invalid);
  }
}

/** Timeouts and cancellation stay as they are; anything else is the caller's bad input. */
function asImageError(
  error: unknown,
  host: string,
  invalid: Limits['invalid'],
): GenRelayError {
  if (GenRelayError.isInstance(error)) {
    if (error.code === 'timeout' || error.code === 'canceled') return error;
    if (error.code === 'invalid_request' && error.param !== undefined) return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return invalid(`could not fetch the image from ${host}: ${reason}`, error);
}
