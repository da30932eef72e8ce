import type { LookupFunction } from 'node:net';
import { InternalError } from '../core/errors.js';
import { errorFromAbort } from './error-from-abort.js';
import { errorFromNetwork } from './error-from-network.js';
import { createFetchTransport } from './fetch-transport.js';
import { createHttpResponse } from './http-response.js';
import { startDeadline } from './request-deadline.js';
import { createUndiciTransport } from './undici-transport.js';

/** One HTTP request to an upstream. */
export interface HttpRequest {
  url: string | URL;
  /** Default GET, or POST when there is a body. */
  method?: string;
  headers?: Record<string, string>;
  /** A FormData body is sent as multipart/form-data with its boundary. */
  body?: string | Uint8Array | FormData;
  /** The caller's abort: the request fails with the abort's error (a CanceledError). */
  signal?: AbortSignal;
  /** Total time for headers and body; overrides the client's `totalTimeoutMs`. */
  timeoutMs?: number;
  /**
   * Longest silence (before the headers, or between body chunks) for this request, for
   * upstreams that answer only when a long job is done; else the client's bound.
   */
  idleTimeoutMs?: number;
}

/** An upstream's answer, whatever its status; `ensureOk` turns errors into exceptions. */
export interface HttpResponse {
  status: number;
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  header(name: string): string | undefined;
  /** The body as it arrives; read once, by this or by one of the readers below. */
  body: AsyncIterable<Uint8Array>;
  /** The whole body, up to the client's `maxResponseBytes`. */
  text(): Promise<string>;
  json(): Promise<unknown>;
  bytes(): Promise<Uint8Array>;
  /** Release the connection without reading the body. */
  dispose(): Promise<void>;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/** A client that owns a connection pool, to close when done. */
export interface PooledHttpClient extends HttpClient {
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** The longest wait for the headers and between body chunks. Default 60 s. */
  idleTimeoutMs?: number;
  /** Default 300 s. */
  totalTimeoutMs?: number;
  /** A proxy URL; `false` connects directly; unset follows HTTPS_PROXY, HTTP_PROXY, NO_PROXY. */
  proxy?: string | false;
  /**
   * Used instead of undici when given (tests). Only the total timeout, the caller's abort
   * and the limits then apply: not `connectTimeoutMs`, `idleTimeoutMs`, `proxy`, `connect`.
   */
  fetch?: typeof fetch;
  /** The cap for `text()`, `json()` and `bytes()`. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Socket options; a `lookup` can refuse addresses at connect time (see fetchImage). */
  connect?: { lookup?: LookupFunction };
}

/**
 * An HTTP client for upstream calls: undici's `request` on a shared keep-alive agent,
 * connect, idle and total timeouts, and failures as GenRelayErrors (TimeoutError,
 * CanceledError, retryable UpstreamError). Statuses are not judged here.
 */
export function createHttpClient(options: HttpClientOptions = {}): PooledHttpClient {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 300_000;
  const maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const transport = options.fetch
    ? createFetchTransport(options.fetch)
    : createUndiciTransport({
        connectTimeoutMs,
        idleTimeoutMs,
        proxy: options.proxy,
        connect: options.connect,
      });

  return {
    async request(request) {
      const url = parseUrl(request.url);
      const { host } = url;
      if (request.signal?.aborted) throw errorFromAbort(request.signal);
      const timeoutMs = request.timeoutMs ?? totalTimeoutMs;
      const deadline = startDeadline(request.signal, timeoutMs, `request to ${host}`);
      const mapError = (error: unknown) =>
        errorFromNetwork(error, {
          host,
          connectTimeoutMs,
          idleTimeoutMs: request.idleTimeoutMs ?? idleTimeoutMs,
        });
      try {
        const { body, headers } =
          request.body instanceof FormData
            ? await encodeForm(request.body, request.headers)
            : { body: request.body, headers: request.headers };
        const raw = await transport.send({
          url,
          method: request.method ?? (body === undefined ? 'GET' : 'POST'),
          headers,
          body,
          signal: deadline.signal,
          idleTimeoutMs: request.idleTimeoutMs,
        });
        return createHttpResponse(raw, {
          url: url.href,
          host,
          maxResponseBytes,
          settle: deadline.clear,
          mapError,
        });
      } catch (error) {
        deadline.clear();
        throw mapError(error);
      }
    },
    close: () => transport.close(),
  };
}

function parseUrl(url: string | URL): URL {
  try {
    return new URL(url);
  } catch (error) {
    throw new InternalError(`not a valid URL: ${String(url)}`, { cause: error });
  }
}

/**
 * FormData is encoded here, by the global Response: undici's `request` only understands
 * the FormData class of its own copy, not the one Node bundles as the global.
 */
async function encodeForm(
  form: FormData,
  callerHeaders: Record<string, string> | undefined,
): Promise<{ body: Uint8Array; headers: Record<string, string> }> {
  const encoded = new Response(form);
  // The caller's content-type cannot know the boundary, so ours replaces it.
  const headers = Object.fromEntries(
    Object.entries(callerHeaders ?? {}).filter(
      ([name]) => name.toLowerCase() !== 'content-type',
    ),
  );
  headers['content-type'] = encoded.headers.get('content-type') ?? 'multipart/form-data';
  return { body: new Uint8Array(await encoded.arrayBuffer()), headers };
}
