import type { z } from 'zod';
import {
  type GenRelayError,
  InvalidRequestError,
  UpstreamError,
} from '../../core/errors.js';
import { errorFromResponse } from '../../http/error-from-response.js';
import type { HttpClient, HttpResponse } from '../../http/http-client.js';
import { namedUpstreamError } from '../named-upstream-error.js';
import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';

interface UpstreamCall {
  /** Undefined only for calls that must go out after the caller gave up (the interrupt). */
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

/**
 * Failures AUTOMATIC1111 reports with a status that hides whose fault they are (a bad
 * sampler is a 404, a bad image a 500), by their `detail`, with the field at fault.
 */
const callerMistakes: { detail: string; param: string }[] = [
  { detail: 'Sampler not found', param: 'sampler_name' },
  { detail: 'Init image not found', param: 'init_images' },
  { detail: 'Invalid encoded image', param: 'init_images' },
  { detail: 'Requests not allowed', param: 'init_images' },
  { detail: 'Request to local resource not allowed', param: 'init_images' },
];

/** The HTTP side of one AUTOMATIC1111 instance: its address, basic auth and errors. */
export class Automatic1111Upstream {
  private readonly root: string;
  private readonly headers: Record<string, string>;

  constructor(
    readonly id: string,
    baseUrl: string,
    credentials: string | undefined,
    private readonly http: HttpClient,
  ) {
    this.root = baseUrl.replace(/\/+$/, '');
    this.headers = {
      accept: 'application/json',
      ...(credentials === undefined
        ? {}
        : { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }),
    };
  }

  /** How error messages name this upstream. */
  describe(): string {
    return `automatic1111 "${this.id}"`;
  }

  /** POSTs JSON to an `/sdapi/v1` path; a non-2xx answer is thrown as its typed error. */
  async post(path: string, body: unknown, call: UpstreamCall): Promise<HttpResponse> {
    return this.send(path, call, JSON.stringify(body));
  }

  async get(path: string, call: UpstreamCall): Promise<HttpResponse> {
    return this.send(path, call);
  }

  /** The body as JSON of the expected shape; anything else is a ResponseParseError. */
  async read<T>(response: HttpResponse, schema: z.ZodType<T>, what: string): Promise<T> {
    const text = await response.text().catch((error: unknown) => {
      throw this.named(error);
    });
    return validateUpstream(this, schema, parseUpstreamJson(this, text, what), what);
  }

  private named(error: unknown): unknown {
    return namedUpstreamError(error, this.id, this.describe());
  }

  private async send(path: string, call: UpstreamCall, body?: string) {
    const response = await this.requestOnce(path, call, body).catch((error: unknown) => {
      throw this.named(error);
    });
    if (response.status >= 200 && response.status < 300) return response;
    const error = await errorFromResponse(response, {
      provider: this.id,
      upstream: 'automatic1111',
    });
    throw this.refine(error, response.status);
  }

  private requestOnce(path: string, call: UpstreamCall, body: string | undefined) {
    return this.http.request({
      url: `${this.root}/sdapi/v1${path}`,
      method: body === undefined ? 'GET' : 'POST',
      headers:
        body === undefined
          ? this.headers
          : { ...this.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
      signal: call.signal,
      timeoutMs: call.timeoutMs,
      // The web UI sends nothing until a job is done: the job's bound is the only one.
      idleTimeoutMs: call.timeoutMs,
    });
  }

  private refine(error: GenRelayError, status: number): GenRelayError {
    const mistake = callerMistakes.find(({ detail }) =>
      error.message.endsWith(`: ${detail}`),
    );
    if (mistake !== undefined) {
      return new InvalidRequestError(error.message, {
        param: mistake.param,
        provider: this.id,
        cause: error,
      });
    }
    // FastAPI's bare 404 means the route is missing: the server runs without `--api`.
    if (status === 404 && error.message.endsWith(': Not Found')) {
      return new UpstreamError(
        `${this.describe()} has no API at this address; start it with --api (${error.message})`,
        { provider: this.id, cause: error },
      );
    }
    return error;
  }
}
