import type { z } from 'zod';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient, HttpResponse } from '../../http/http-client.js';
import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';
import { applySetCookie } from './apply-set-cookie.js';
import { type Cookies, formatCookieHeader } from './cookie-header.js';

/** The cookies one generation logs in with; the upstream's Set-Cookie updates them. */
export interface ChatUiSession {
  cookies: Cookies;
  /** Set when a Set-Cookie changed `cookies`; whoever keeps them resets it on saving. */
  changed?: boolean;
}

export interface ChatUiRequest {
  /** Under the chat-ui root, e.g. `/conversation`. */
  path: string;
  /** Default GET, or POST when there is a body. */
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  session?: ChatUiSession | undefined;
  /** Without one, only `timeoutMs` (or the client's own bound) ends the request. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The HTTP side of one chat-ui instance: its address, the session cookies, its errors. */
export class HuggingChatUpstream {
  /** The chat-ui root without a trailing slash, e.g. `https://huggingface.co/chat`. */
  readonly root: string;
  /** Scheme and host, as chat-ui wants it in the Origin header of form posts. */
  readonly origin: string;
  /**
   * Set once the conversation page data answered where `/api/v2/conversations/{id}` was
   * missing (an older chat-ui), so later look-ups go there straight away.
   */
  conversationApiMissing = false;

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
    return `${this.root}${path}`;
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
    const { method, body, signal, timeoutMs } = request;
    const response = await this.http.request({
      url: this.url(request.path),
      headers,
      ...(method === undefined ? {} : { method }),
      ...(body === undefined ? {} : { body }),
      ...(signal === undefined ? {} : { signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const { session } = request;
    if (
      session !== undefined &&
      applySetCookie(session.cookies, response.header('set-cookie'))
    ) {
      session.changed = true;
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
