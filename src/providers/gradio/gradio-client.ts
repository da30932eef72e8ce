import { UpstreamError } from '../../core/errors.js';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient, HttpResponse } from '../../http/http-client.js';
import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';
import { configSchema } from './gradio-api.js';
import {
  describeEndpoint,
  type EndpointReference,
  findEndpoint,
  type GradioAppConfig,
  type GradioEndpoint,
  readAppConfig,
} from './gradio-app-config.js';
import { type GradioErrorContext, upstreamName } from './gradio-error.js';

export interface GradioClientOptions {
  /** The app's root, where `/config` is: `https://owner-name.hf.space`. */
  baseUrl: string;
  http: HttpClient;
  /** The provider instance, named in errors. */
  provider: string;
  /** Sent on every request to the app (a private Space's `authorization`). */
  headers?: Record<string, string>;
  /** How long a discovered `/config` is trusted. Default 10 minutes. */
  configCacheMs?: number;
  /** Appended to quota errors. */
  quotaHint?: string;
}

/** Per request: the caller's signal (a job's deadline) and its time bound. */
export interface GradioRequestOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  /** Added to the app's headers (ZeroGPU credentials on join and call). */
  headers?: Record<string, string>;
}

/**
 * One Gradio app (a Hugging Face Space or a self-hosted app), 4.9 or later: discovers its
 * `/config` (API prefix, protocol, functions), and makes the requests the queue and call
 * protocols and file downloads need (uploads: `uploadFile`). Non-2xx answers become
 * typed errors through the HTTP layer.
 */
export class GradioClient {
  readonly baseUrl: string;
  readonly errorContext: GradioErrorContext;
  /** The last config read, until it expires; a failed or aborted read keeps nothing. */
  private cachedConfig: { value: GradioAppConfig; expiresAt: number } | undefined;

  constructor(private readonly options: GradioClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.errorContext = {
      provider: options.provider,
      speaker: `gradio "${options.provider}"`,
      quotaHint: options.quotaHint,
    };
  }

  /** The app's configuration, from `GET /config` (never prefixed), cached. */
  async config(options: GradioRequestOptions): Promise<GradioAppConfig> {
    const cached = this.cachedConfig;
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.value;
    const response = await this.request(`${this.baseUrl}/config`, options);
    const upstream = upstreamName(this.errorContext);
    const body = parseUpstreamJson(upstream, await response.text(), 'an app config');
    const raw = validateUpstream(upstream, configSchema, body, 'app config');
    const config = readAppConfig(raw);
    if (typeof config === 'string') {
      throw new UpstreamError(`${this.errorContext.speaker} ${config}`, {
        provider: this.options.provider,
      });
    }
    const ttlMs = this.options.configCacheMs ?? 600_000;
    this.cachedConfig = { value: config, expiresAt: Date.now() + ttlMs };
    return config;
  }

  /** The function `reference` names, with the config it came from. */
  async endpoint(
    reference: EndpointReference,
    options: GradioRequestOptions,
  ): Promise<{ config: GradioAppConfig; endpoint: GradioEndpoint }> {
    const config = await this.config(options);
    const endpoint = findEndpoint(config, reference);
    if (endpoint === undefined) {
      // The app may have changed since its config was read.
      this.cachedConfig = undefined;
      const named = config.endpoints.flatMap(({ apiName }) =>
        apiName ? [`/${apiName}`] : [],
      );
      throw new UpstreamError(
        `${this.errorContext.speaker} has no function ${describeEndpoint(reference)} (it has ${named.join(', ') || 'no named functions'})`,
        { provider: this.options.provider },
      );
    }
    return { config, endpoint };
  }

  /** `{base}{prefix}{path}`: where the app's API routes are. */
  async url(path: string, options: GradioRequestOptions): Promise<string> {
    const { apiPrefix } = await this.config(options);
    return `${this.baseUrl}${apiPrefix}${path}`;
  }

  /** POSTs JSON to an API route; a non-2xx answer is thrown as its typed error. */
  async post(
    path: string,
    body: unknown,
    options: GradioRequestOptions,
  ): Promise<HttpResponse> {
    return this.request(await this.url(path, options), {
      ...options,
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...options.headers },
    });
  }

  /** Opens an API route's event stream; a non-2xx answer is thrown as its typed error. */
  async stream(path: string, options: GradioRequestOptions): Promise<HttpResponse> {
    return this.request(await this.url(path, options), {
      ...options,
      headers: { accept: 'text/event-stream', ...options.headers },
    });
  }

  /** A file of the app's (an output), with the app's credentials. */
  async download(url: string, options: GradioRequestOptions): Promise<Uint8Array> {
    const response = await this.request(url, {
      ...options,
      headers: { accept: 'image/*,*/*', ...options.headers },
    });
    return response.bytes();
  }

  /** Any request to the app, with its headers; a non-2xx answer is thrown as its typed error. */
  async request(
    url: string,
    options: GradioRequestOptions & { method?: string; body?: string | FormData },
  ): Promise<HttpResponse> {
    const response = await this.options.http.request({
      url,
      method: options.method ?? 'GET',
      headers: { ...this.options.headers, ...options.headers },
      signal: options.signal,
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    return ensureOk(response, { provider: this.options.provider, upstream: 'gradio' });
  }
}
