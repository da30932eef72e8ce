import type { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import { createPublicHttpClient } from '../../http/create-public-http-client.js';
import { ensureOk } from '../../http/error-from-response.js';
import type { HttpClient, HttpResponse } from '../../http/http-client.js';
import { validateUpstream } from '../upstream-json.js';
import { downloadOutputFile } from './download-output-file.js';
import type { PredictionTarget } from './prediction-target.js';
import { type Prediction, predictionSchema } from './replicate-api.js';
import { errorFromCreate } from './replicate-error.js';
import { withToken } from './with-token.js';

/** Bound on a poll or a schema lookup; the prediction has its own bound. */
const requestTimeoutMs = 30_000;
/**
 * Silence allowed on a create beyond its `Prefer: wait`: the hold must not outlast the
 * client's idle bound, or the prediction runs on with no id to cancel it by.
 */
const createIdleMarginSeconds = 15;
/** A cancel is sent after the caller left, so it gets its own short bound. */
const cancelTimeoutMs = 5_000;

export interface CreateOptions {
  /** Seconds Replicate may hold the request for a finished result; 0 for none. */
  waitSeconds: number;
  /** Replicate ends the prediction itself after this long, should we lose track of it. */
  cancelAfterSeconds: number;
  signal: AbortSignal;
  timeoutMs: number;
}

export interface ReplicateUpstreamOptions {
  /** The provider instance. */
  id: string;
  baseUrl: string;
  token: string | undefined;
  http: HttpClient;
  logger: Logger;
  /** Output files may come over plain http from private addresses (trusted setups). */
  allowPrivateOutputs: boolean;
}

/** The HTTP side of one Replicate instance: its API root, token and error naming. */
export class ReplicateUpstream {
  readonly id: string;
  readonly logger: Logger;
  private readonly root: string;
  private readonly origin: string;
  private readonly token: string | undefined;
  private readonly http: HttpClient;
  private readonly allowPrivateOutputs: boolean;
  /** For output files unless private addresses are allowed; made once, never closed. */
  private readonly outputs: HttpClient;

  constructor(options: ReplicateUpstreamOptions) {
    this.id = options.id;
    this.logger = options.logger;
    this.root = options.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.root).origin;
    this.token = options.token;
    this.http = options.http;
    this.allowPrivateOutputs = options.allowPrivateOutputs;
    this.outputs = this.allowPrivateOutputs ? this.http : createPublicHttpClient();
  }

  /** How error messages name this upstream. */
  describe(): string {
    return `replicate "${this.id}"`;
  }

  get errorContext() {
    return { provider: this.id, upstream: 'replicate' };
  }

  /** `POST /predictions` with a version, or `POST /models/{owner}/{name}/predictions`. */
  async create(
    target: PredictionTarget,
    input: Record<string, unknown>,
    options: CreateOptions,
  ): Promise<Prediction> {
    const byVersion = target.version !== undefined;
    const url = byVersion
      ? `${this.root}/predictions`
      : `${this.root}/models/${target.owner}/${target.name}/predictions`;
    const response = await this.http.request({
      url,
      method: 'POST',
      headers: this.authorize(url, {
        'content-type': 'application/json',
        'cancel-after': `${Math.max(5, options.cancelAfterSeconds)}s`,
        ...(options.waitSeconds > 0 ? { prefer: `wait=${options.waitSeconds}` } : {}),
      }),
      body: JSON.stringify(byVersion ? { version: target.version, input } : { input }),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      idleTimeoutMs: (options.waitSeconds + createIdleMarginSeconds) * 1000,
    });
    if (response.status < 200 || response.status >= 300) {
      throw await errorFromCreate(response, this.errorContext, target.model);
    }
    return this.prediction(response, 'a created prediction');
  }

  /** `GET /predictions/{id}`. */
  async get(id: string, signal: AbortSignal): Promise<Prediction> {
    const response = await this.getOk(`/predictions/${encodeURIComponent(id)}`, signal);
    return this.prediction(response, 'a prediction');
  }

  /** `POST /predictions/{id}/cancel`; a failure is logged, as the caller has moved on. */
  async cancel(id: string): Promise<void> {
    const url = `${this.root}/predictions/${encodeURIComponent(id)}/cancel`;
    try {
      const response = await this.http.request({
        url,
        method: 'POST',
        headers: this.authorize(url),
        timeoutMs: cancelTimeoutMs,
      });
      await ensureOk(response, this.errorContext);
      await response.dispose();
    } catch (error) {
      this.logger.warn(
        { provider: this.id, prediction: id, error: String(error) },
        'could not cancel the Replicate prediction',
      );
    }
  }

  /** A JSON document under the API root (model and version schemas). */
  async getJson(path: string, signal: AbortSignal, timeoutMs: number): Promise<unknown> {
    const response = await this.getOk(path, signal, timeoutMs);
    return response.json();
  }

  /** `urls.stream` as server-sent events; no token unless it is on the API's origin. */
  async openStream(url: string, signal: AbortSignal, timeoutMs: number) {
    const response = await this.http.request({
      url,
      headers: this.authorize(url, {
        accept: 'text/event-stream',
        'cache-control': 'no-store',
      }),
      signal,
      timeoutMs,
    });
    return ensureOk(response, this.errorContext);
  }

  /** An output file's bytes: see downloadOutputFile for what is fetched. */
  download(url: string, signal: AbortSignal): Promise<Uint8Array> {
    return downloadOutputFile(this, url, {
      http: this.outputs,
      allowPrivate: this.allowPrivateOutputs,
      headers: this.authorize(url),
      signal,
      context: this.errorContext,
    });
  }

  /** `value` checked against the minimal wire schema of `what`. */
  validate<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    return validateUpstream(this, schema, value, what);
  }

  private async getOk(
    path: string,
    signal: AbortSignal,
    timeoutMs = requestTimeoutMs,
  ): Promise<HttpResponse> {
    const url = `${this.root}${path}`;
    const response = await this.http.request({
      url,
      headers: this.authorize(url),
      signal,
      timeoutMs,
    });
    return ensureOk(response, this.errorContext);
  }

  private async prediction(response: HttpResponse, what: string): Promise<Prediction> {
    return this.validate(predictionSchema, await response.json(), what);
  }

  /** The headers for `url`, with the token only when it is on the API's origin. */
  private authorize(url: string, extra: Record<string, string> = {}) {
    return withToken(url, extra, {
      origin: this.origin,
      token: this.token,
      upstream: this,
    });
  }
}
