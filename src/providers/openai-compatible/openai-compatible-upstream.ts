import type { z } from 'zod';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient, HttpResponse } from '../../http/http-client.js';
import type { CallOptions } from '../provider.js';
import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';

/** The HTTP side of one OpenAI-compatible instance: its address, key and headers. */
export class OpenAICompatibleUpstream {
  private readonly root: string;
  private readonly headers: Record<string, string>;

  constructor(
    readonly id: string,
    baseUrl: string,
    apiKey: string | undefined,
    extraHeaders: Record<string, string>,
    private readonly http: HttpClient,
    private readonly timeoutMs: number | undefined,
  ) {
    this.root = baseUrl.replace(/\/+$/, '');
    this.headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
      ...extraHeaders,
    };
  }

  /** Names this upstream in errors made from its HTTP responses. */
  get errorContext() {
    return { provider: this.id, upstream: 'openai-compatible' };
  }

  /** How error messages name this upstream. */
  describe(): string {
    return `openai-compatible "${this.id}"`;
  }

  url(path: string): string {
    return `${this.root}${path}`;
  }

  /** `text` as JSON; anything else is a ResponseParseError saying what was expected. */
  parseJson(text: string, what: string): unknown {
    return parseUpstreamJson(this, text, what);
  }

  /** `value` checked against the minimal wire schema of `what`. */
  validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    return validateUpstream(this, schema, value, what);
  }

  /** POSTs JSON; a non-2xx answer is thrown as its typed error. */
  async post(path: string, body: unknown, options: CallOptions): Promise<HttpResponse> {
    const response = await this.http.request({
      url: this.url(path),
      method: 'POST',
      headers: this.headers,
      body: JSON.stringify(body),
      signal: options.signal,
      ...(this.timeoutMs === undefined ? {} : { timeoutMs: this.timeoutMs }),
    });
    return ensureOk(response, this.errorContext);
  }

  /** GETs a path under the API root, or an absolute URL of the upstream's; non-2xx throws. */
  async get(
    path: string,
    options: CallOptions & { timeoutMs?: number },
  ): Promise<HttpResponse> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const response = await this.http.request({
      url: path.startsWith('http') ? path : this.url(path),
      headers: this.headers,
      signal: options.signal,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    return ensureOk(response, this.errorContext);
  }
}
