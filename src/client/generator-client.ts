import { ClientHandlers, type HandlerSignatures } from './client-handlers.js';
import type {
  ChatParams,
  GenerationParams,
  Img2ImgParams,
  Mix2ImgParams,
  Text2ImgParams,
} from './generation-params.js';
import { finalUpdateError, GeneratorError } from './generator-error.js';
import { isFinalUpdate } from './job-update.js';
import { newRequestId } from './new-request-id.js';
import type { ReconnectSettings } from './reconnect-delay.js';
import { ReconnectingSocket } from './reconnecting-socket.js';
import { SendLine } from './send-line.js';
import { TextSoFar } from './text-so-far.js';
import { toJobUpdate } from './to-job-update.js';
import { toWireRequest } from './to-wire-request.js';
import { type GenerationJob, TrackedJob } from './tracked-job.js';
import { WaiterSet } from './waiter-set.js';
import type { WebSocketConstructor } from './websocket-like.js';
import { websocketUrl } from './websocket-url.js';
import type { GenType, WireError, WireResponse } from './wire-messages.js';

export interface GeneratorClientOptions {
  /** The server (`http://host:8787`, `wss://…`); `/v1/ws` is added to a bare address. */
  endpoint: string;
  /** The service the token belongs to (checked by the server when given). */
  service?: string;
  /** The service's token; none for an open server. */
  token?: string;
  /** The websocket class: default the global one; on Node 20 pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Waits between reconnect attempts: doubling, with jitter. Default 500 ms to 30 s. */
  reconnect?: Partial<ReconnectSettings>;
  /**
   * The longest a request or cancel waits for a connection before failing, and one
   * connection attempt waits to be ready before it is dropped and tried again. Default 30 s.
   */
  requestTimeoutMs?: number;
  /**
   * Requests sent on the connection and not yet answered, at most (the server admits
   * `websocket.maxPendingRequests` at once, default 64); the rest wait their turn, within
   * `requestTimeoutMs`. Default 32.
   */
  maxPendingRequests?: number;
}

/**
 * Finished jobs remembered by object and request id, so a replayed final response is not
 * reported twice and a cancel of a finished job needs no answer.
 */
const rememberedFinals = 1000;

/** The wait before a request the server turned away is sent again, when none is pending. */
const rateLimitedRetryMs = 100;

/**
 * The genrelay websocket API for a service: Devoid's GeneratorClient, with request ids,
 * cancel, progress, previews and chat text as it is written, and a connection that comes
 * back by itself. Jobs survive a dropped connection: after reconnecting the client follows
 * each unfinished job again and receives what it missed (earlier updates may come again;
 * the final one comes once).
 */
export class GeneratorClient {
  private readonly url: string;
  private readonly requestTimeoutMs: number;
  private readonly maxPendingRequests: number;
  private readonly handlers = new ClientHandlers();
  private readonly connection: ReconnectingSocket;
  /** Unfinished jobs by request id, and by object id once known. */
  private readonly jobs = new Map<string, TrackedJob>();
  private readonly objectIds = new Map<string, TrackedJob>();
  private readonly finished = new Set<string>();
  private readonly texts = new TextSoFar();
  private readonly readyWaiters = new WaiterSet();
  /** Cancels waiting for their job's final response, by object id. */
  private readonly cancels = new Map<string, WaiterSet>();
  /** Requests waiting to be sent: for the connection, or for answers to those sent. */
  private readonly line = new SendLine<TrackedJob>();
  /**
   * Requests sent on this connection and not answered yet, each with how many were
   * unanswered when it was sent.
   */
  private readonly unanswered = new Map<TrackedJob, number>();
  /** The most unanswered requests on this connection: lowered when the server says so. */
  private window: number;
  /** Holds the line after a request was turned away while no other was pending. */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped: GeneratorError | undefined;

  constructor(options: GeneratorClientOptions) {
    const fallback = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const WebSocketClass = options.WebSocket ?? fallback;
    if (WebSocketClass === undefined) {
      throw new GeneratorError(
        'invalid_request',
        'No WebSocket here: pass one as options.WebSocket (on Node 20, the `ws` package)',
        { param: 'WebSocket' },
      );
    }
    this.url = websocketUrl(options.endpoint);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.maxPendingRequests = options.maxPendingRequests ?? 32;
    if (!Number.isInteger(this.maxPendingRequests) || this.maxPendingRequests < 1) {
      throw new GeneratorError(
        'invalid_request',
        `maxPendingRequests must be a positive integer, not ${this.maxPendingRequests}`,
        { param: 'maxPendingRequests' },
      );
    }
    this.window = this.maxPendingRequests;
    this.connection = new ReconnectingSocket({
      url: this.url,
      WebSocket: WebSocketClass,
      token: options.token,
      service: options.service,
      reconnect: {
        initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
        maxDelayMs: options.reconnect?.maxDelayMs ?? 30_000,
      },
      openTimeoutMs: this.requestTimeoutMs,
      onReady: () => this.onReady(),
      onMessage: (message) => {
        if (message.message_type === 'response') this.onResponse(message);
        else if (message.message_type === 'error') this.onErrorReply(message);
      },
      onLost: (error) => this.onLost(error),
      onRefused: (error) => {
        this.handlers.emit('connectionError', error);
        this.stop(error);
      },
      onProtocolError: (error) => this.handlers.emit('connectionError', error),
    });
  }

  /** Whether the connection is up and authenticated now. */
  get connected(): boolean {
    return this.connection.ready;
  }

  /**
   * Connects and authenticates. Rejects when the server refuses the credentials, or when
   * not connected within `requestTimeoutMs` (the client goes on trying until `close()`).
   */
  connect(): Promise<void> {
    return this.whenReady();
  }

  /** Stops for good: unfinished jobs fail with `client_closed` (they go on on the server). */
  async close(): Promise<void> {
    this.stop(new GeneratorError('client_closed', 'The client was closed.'));
    await this.connection.close();
  }

  text2img(params: Text2ImgParams): GenerationJob {
    return this.submit('text2img', params);
  }

  img2img(params: Img2ImgParams): GenerationJob {
    return this.submit('img2img', params);
  }

  mix2img(params: Mix2ImgParams): GenerationJob {
    return this.submit('mix2img', params);
  }

  chat(params: ChatParams): GenerationJob {
    return this.submit('chat', params);
  }

  /**
   * Cancels a job by its request id or object id; resolves once the server tells its final
   * state (`canceled`, or the result when it was too late), rejects when it knows no such job.
   */
  async cancel(id: string): Promise<void> {
    if (this.finished.has(id)) return;
    const job = this.jobs.get(id) ?? this.objectIds.get(id);
    if (job !== undefined && !job.everSent) {
      // Never sent: nothing runs on the server, so it ends here.
      this.fail(job, new GeneratorError('canceled', 'The job was canceled.'));
      return;
    }
    // A job the server refused has nothing to cancel.
    const objectId = job === undefined ? id : await this.acceptedOf(job);
    if (objectId === undefined) return;
    await this.whenReady();
    // It may have ended meanwhile: its final response would not come again.
    if (job?.final === true || this.finished.has(objectId)) return;
    const ended = this.finalOf(objectId);
    this.connection.send({ message_type: 'cancel', object_id: objectId });
    await ended;
  }

  onConnectionError(handler: HandlerSignatures['connectionError']): () => void {
    return this.handlers.add('connectionError', handler);
  }

  onQueued(handler: HandlerSignatures['queued']): () => void {
    return this.handlers.add('queued', handler);
  }

  onGenerating(handler: HandlerSignatures['generating']): () => void {
    return this.handlers.add('generating', handler);
  }

  onProgress(handler: HandlerSignatures['progress']): () => void {
    return this.handlers.add('progress', handler);
  }

  onPreview(handler: HandlerSignatures['preview']): () => void {
    return this.handlers.add('preview', handler);
  }

  /** Each piece of a chat job's answer (and reasoning) as it is written. */
  onText(handler: HandlerSignatures['text']): () => void {
    return this.handlers.add('text', handler);
  }

  onDone(handler: HandlerSignatures['done']): () => void {
    return this.handlers.add('done', handler);
  }

  onError(handler: HandlerSignatures['error']): () => void {
    return this.handlers.add('error', handler);
  }

  onCanceled(handler: HandlerSignatures['canceled']): () => void {
    return this.handlers.add('canceled', handler);
  }

  private submit(genType: GenType, params: GenerationParams): GenerationJob {
    const requestId = params.requestId ?? newRequestId();
    const known = this.jobs.get(requestId);
    if (known !== undefined) return known;
    const job = new TrackedJob(requestId, toWireRequest(genType, params, requestId));
    if (this.stopped !== undefined) {
      job.fail(this.stopped);
      return job;
    }
    this.jobs.set(requestId, job);
    this.connection.start();
    this.dispatch(job);
    return job;
  }

  /**
   * Sends a job's request (or, once accepted, a subscribe) now, or puts it in line for the
   * connection or for answers to the requests before it, within `requestTimeoutMs`.
   */
  private dispatch(job: TrackedJob): void {
    if (job.final || job.sent) return;
    if (job.objectId !== undefined && this.connection.ready) {
      this.send(job);
      return;
    }
    // A subscribe waits only for the connection: the server bounds requests, not these.
    if (job.objectId === undefined) this.line.add(job);
    this.waitToSend(job);
    this.sendWaiting();
  }

  private waitToSend(job: TrackedJob): void {
    if (job.waitTimer !== undefined) return;
    job.waitingSince ??= Date.now();
    const left = job.waitingSince + this.requestTimeoutMs - Date.now();
    job.waitTimer = setTimeout(() => {
      const error = this.connection.ready
        ? new GeneratorError(
            'timeout',
            `Not sent within ${this.requestTimeoutMs} ms: the server took no more requests of this connection (${this.unanswered.size} sent before it are unanswered)`,
            { requestId: job.requestId },
          )
        : this.notConnected('the request was not sent');
      this.fail(job, error);
    }, left);
  }

  /** Sends requests from the line while the server is to admit them. */
  private sendWaiting(): void {
    if (!this.connection.ready || this.retryTimer !== undefined) return;
    while (this.unanswered.size < this.window) {
      const job = this.line.shift();
      if (job === undefined) return;
      this.send(job);
    }
  }

  private send(job: TrackedJob): void {
    clearTimeout(job.waitTimer);
    job.waitTimer = undefined;
    job.sent = true;
    job.everSent = true;
    if (job.objectId === undefined) {
      this.unanswered.set(job, this.unanswered.size);
      this.connection.send(job.request);
      return;
    }
    this.connection.send({
      message_type: 'subscribe',
      object_id: job.objectId,
      response_format: job.request.settings.response_format,
    });
  }

  /** The job's request was answered (or needs none now): the next may go. */
  private answered(job: TrackedJob): void {
    job.waitingSince = undefined;
    if (this.unanswered.delete(job)) this.sendWaiting();
  }

  /**
   * Puts a request the server turned away back in line. It is sent again when another
   * answer comes, or after a short wait when none is pending, never at once: the server
   * would only turn it away again.
   */
  private sendLater(job: TrackedJob): void {
    // The server refused it with at most this many pending: send no more at once.
    const before = this.unanswered.get(job) ?? 0;
    this.window = Math.max(1, Math.min(this.window, before));
    this.unanswered.delete(job);
    job.sent = false;
    this.line.add(job);
    this.waitToSend(job);
    if (this.unanswered.size > 0) return;
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.sendWaiting();
    }, rateLimitedRetryMs);
  }

  private onLost(error: GeneratorError): void {
    this.handlers.emit('connectionError', error);
    this.unanswered.clear();
    this.line.clear();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    // Each unfinished job is sent again (or resubscribed) once connected, within a bound.
    for (const job of this.jobs.values()) {
      job.sent = false;
      job.waitingSince = undefined;
      this.dispatch(job);
    }
  }

  private onReady(): void {
    this.readyWaiters.resolveAll();
    this.window = this.maxPendingRequests;
    for (const job of this.jobs.values())
      if (job.objectId !== undefined) this.dispatch(job);
    this.sendWaiting();
  }

  private onResponse(response: WireResponse): void {
    const update = this.texts.apply(toJobUpdate(response));
    const final = isFinalUpdate(update);
    const job =
      (update.requestId === null ? undefined : this.jobs.get(update.requestId)) ??
      this.objectIds.get(update.objectId);
    // A final response replayed (a cancel or subscribe after the end) is told once; one a
    // job sent again with the same request id waits for is that job's own.
    if (final && job === undefined && this.finished.has(update.objectId)) return;
    if (job !== undefined && job.objectId === undefined)
      this.objectIds.set(update.objectId, job);
    const requestId = job?.requestId ?? update.requestId ?? undefined;
    if (update.status === 'error' || update.status === 'canceled') {
      const error = finalUpdateError(update, requestId);
      job?.updateFailed(update, error);
      if (update.status === 'error') this.handlers.emit('error', error, update);
      else this.handlers.emitUpdate(update);
    } else {
      job?.update(update);
      this.handlers.emitUpdate(update);
    }
    if (job !== undefined) this.answered(job);
    if (!final) return;
    if (job !== undefined) this.forget(job);
    this.remember(update.objectId);
    if (requestId !== undefined) this.remember(requestId);
    this.cancels.get(update.objectId)?.resolveAll();
    this.cancels.delete(update.objectId);
  }

  private onErrorReply(reply: WireError): void {
    const error = new GeneratorError(reply.error.code, reply.error.message, {
      param: reply.error.param,
      requestId: reply.request_id,
      objectId: reply.object_id,
    });
    const job =
      (reply.request_id === undefined ? undefined : this.jobs.get(reply.request_id)) ??
      (reply.object_id === undefined ? undefined : this.objectIds.get(reply.object_id));
    // Turned away for now, not refused: the server admits so many requests at once.
    if (
      job?.objectId === undefined &&
      job?.sent === true &&
      error.code === 'rate_limited'
    ) {
      this.sendLater(job);
      return;
    }
    const cancels =
      reply.object_id === undefined ? undefined : this.cancels.get(reply.object_id);
    if (cancels !== undefined && reply.object_id !== undefined) {
      cancels.rejectAll(error);
      this.cancels.delete(reply.object_id);
    }
    if (job !== undefined) {
      this.fail(job, error);
      this.handlers.emit('error', error, undefined);
    } else if (cancels === undefined) {
      this.handlers.emit('connectionError', error);
    }
  }

  private fail(job: TrackedJob, error: GeneratorError): void {
    job.fail(error);
    this.forget(job);
  }

  private forget(job: TrackedJob): void {
    this.jobs.delete(job.requestId);
    this.line.delete(job);
    this.answered(job);
    if (job.objectId === undefined) return;
    this.objectIds.delete(job.objectId);
    this.texts.forget(job.objectId);
  }

  private remember(objectId: string): void {
    this.finished.add(objectId);
    if (this.finished.size > rememberedFinals) {
      const oldest = this.finished.values().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }

  /** Settles when the job's final response comes; bounded by `requestTimeoutMs`. */
  private finalOf(objectId: string): Promise<void> {
    const waiters = this.cancels.get(objectId) ?? new WaiterSet();
    this.cancels.set(objectId, waiters);
    const ms = this.requestTimeoutMs;
    return waiters.wait(ms, () => {
      // The last cancel of the job gave up: nothing waits for its final response now.
      if (waiters.size === 0 && this.cancels.get(objectId) === waiters)
        this.cancels.delete(objectId);
      return new GeneratorError(
        'timeout',
        `No final state for job ${objectId} within ${ms} ms`,
        { objectId },
      );
    });
  }

  /**
   * The job's object id once the server took it; undefined when it refused it. Bounded by
   * `requestTimeoutMs`: a request the server never answers holds no cancel for good.
   */
  private async acceptedOf(job: TrackedJob): Promise<string | undefined> {
    const ms = this.requestTimeoutMs;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new GeneratorError(
              'timeout',
              `Request ${job.requestId} not answered within ${ms} ms; not canceled`,
              { requestId: job.requestId },
            ),
          ),
        ms,
      );
    });
    try {
      return await Promise.race([job.accepted.catch(() => undefined), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private whenReady(): Promise<void> {
    if (this.stopped !== undefined) return Promise.reject(this.stopped);
    if (this.connection.ready) return Promise.resolve();
    this.connection.start();
    return this.readyWaiters.wait(this.requestTimeoutMs, () =>
      this.notConnected('gave up waiting'),
    );
  }

  private stop(error: GeneratorError): void {
    if (this.stopped !== undefined) return;
    this.stopped = error;
    this.readyWaiters.rejectAll(error);
    for (const waiters of this.cancels.values()) waiters.rejectAll(error);
    this.cancels.clear();
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const job of [...this.jobs.values()]) this.fail(job, error);
    this.texts.clear();
    void this.connection.close();
  }

  private notConnected(what: string): GeneratorError {
    return new GeneratorError(
      'not_connected',
      `Not connected to ${this.url} within ${this.requestTimeoutMs} ms; ${what}`,
    );
  }
}
