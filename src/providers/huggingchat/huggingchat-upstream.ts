import type { z } from 'zod';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient, HttpResponse } from '../../http/http-client.js';
import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';
import { applySetCookie } from './apply-set-cookie.js';
import { type Cookies, formatCookieHeader } from './cookie-header.js';

/** The cookies one generation logs in with; the upstream's Set-Cookie updates them. */
export interface ChatUiSession {
  cookies: Cookies;
}

export interface ChatUiRequest {
  /** Under the chat-ui root, e.g. `/conversation`; or an absolute URL of the upstream. */
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  session?: ChatUiSession | undefined;
  signal: AbortSignal;
  timeoutMs?: number;
}

/** The HTTP side of one chat-ui instance: its address, the session cookies, its errors. */
export class HuggingChatUpstream {
  /** The chat-ui root without a trailing slash, e.g. `https://huggingface.co/chat`. */
  readonly root: string;
  /** Scheme and host, as chat-ui wants it in the Origin header of form posts. */
  readonly origin: string;

  constructor(
    readonly id: string,
    baseUrl: string,
    private readonly http: HttpClient,
  ) {
    this.root = baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.root).origin;
  }

  /** Names this upstream in errors made from its HTTP responses. */
  get errorContext() {
    return { provider: this.id, upstream: 'huggingchat' };
  }

  describe(): string {
    return `huggingchat "${this.id}"`;
  }

  url(path: string): string {
    return path.startsWith('http') ? path : `${this.root}${path}`;
  }

  /** Sends a request with the session's cookies and keeps what the upstream sets. */
  async request(request: ChatUiRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...request.headers,
    };
    if (request.session !== undefined) {
      headers.cookie = formatCookieHeader(request.session.cookies);
    }
    const response = await this.http.request({
      url: this.url(request.path),
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: request.signal,
      ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
    });
    if (request.session !== undefined) {
      applySetCookie(request.session.cookies, response.header('set-cookie'));
    }
    return response;
  }

  /** The response when it is 2xx; otherwise its typed error, thrown. */
  ensureOk(response: HttpResponse): Promise<HttpResponse> {
    return ensureOk(response, this.errorContext);
  }

  /** `text` as JSON; anything else is a ResponseParseError saying what was expected. */
  parseJson(text: string, what: string): unknown {
    return parseUpstreamJson(this, text, what);
  }

  /** `value` checked against the minimal wire schema of `what`. */
  validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    return validateUpstream(this, schema, value, what);
  }
}
