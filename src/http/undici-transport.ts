import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, EnvHttpProxyAgent, ProxyAgent } from 'undici';
import type { Transport } from './transport.js';

export interface UndiciTransportOptions {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** A proxy URL; `false` connects directly; unset follows the proxy environment. */
  proxy: string | false | undefined;
  connect: { lookup?: LookupFunction } | undefined;
}

/** Bodies up to this size are read to the end on discard, so the connection is reused. */
const discardLimitBytes = 64 * 1024;

function hasProxyEnvironment(): boolean {
  const { env } = process;
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

function createDispatcher(options: UndiciTransportOptions): Dispatcher {
  const agentOptions: Agent.Options = {
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.idleTimeoutMs,
    bodyTimeout: options.idleTimeoutMs,
    ...(options.connect ? { connect: options.connect } : {}),
  };
  if (options.proxy) return new ProxyAgent({ ...agentOptions, uri: options.proxy });
  // A plain Agent when no proxy is configured: it skips the NO_PROXY check per request.
  if (options.proxy === undefined && hasProxyEnvironment()) {
    return new EnvHttpProxyAgent(agentOptions);
  }
  return new Agent(agentOptions);
}

/**
 * Requests through undici's `request` on one keep-alive dispatcher: about four times the
 * throughput of `fetch` on the upstream hop. Redirects are not followed.
 */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const dispatcher = createDispatcher(options);
  return {
    async send(request) {
      const { url } = request;
      const response = await dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
        ...(request.idleTimeoutMs === undefined
          ? {}
          : {
              headersTimeout: request.idleTimeoutMs,
              bodyTimeout: request.idleTimeoutMs,
            }),
      });
      const { body } = response;
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body,
        discard: () => body.dump({ limit: discardLimitBytes }).catch(() => undefined),
      };
    },
    close: () => dispatcher.close(),
  };
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
