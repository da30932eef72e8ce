import { randomUUID } from 'node:crypto';
import { type RawData, WebSocket } from 'ws';
import type { Job } from '../../balancer/job.js';
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  toGenRelayError,
} from '../../core/errors.js';
import { admitJob } from '../jobs/admit-job.js';
import type { ServerDependencies } from '../server-dependencies.js';
import type {
  CancelMessage,
  ClientMessage,
  RequestMessage,
  ResponseFormat,
  SubscribeMessage,
} from './client-message-schema.js';
import { closeCodes } from './close-codes.js';
import { parseClientMessage } from './parse-client-message.js';
import { responseMessages } from './response-messages.js';
import { toJobRequest } from './to-job-request.js';
import type { UpgradeCredentials } from './upgrade-credentials.js';
import type { WebsocketSettings } from './websocket-settings.js';

export interface WebsocketConnectionOptions {
  id: string;
  dependencies: ServerDependencies;
  settings: WebsocketSettings;
  /** Where clients reach this server, for result URLs. */
  origin: string;
  credentials: UpgradeCredentials;
}

/** What an error reply names besides the error: the message it answers. */
interface ErrorContext {
  requestId?: string | undefined;
  objectId?: string | undefined;
  serviceInfo?: RequestMessage['service_info'] | undefined;
}

/** Close reasons are limited to 123 bytes by the protocol. */
const maxReasonBytes = 123;

/**
 * One client's websocket: authentication, its messages, and the jobs it follows. A bad
 * message gets an error reply and the connection stays; a closed connection stops
 * following its jobs, which keep running.
 */
export class WebsocketConnection {
  /** Settles when the socket has closed. */
  readonly done: Promise<void>;
  private service: string | undefined;
  private alive = true;
  private authTimer: NodeJS.Timeout | undefined;
  /** The jobs this connection follows, each subscription's abort. */
  private readonly follows = new Map<string, AbortController>();
  /** Request ids of the unfinished jobs here → their job's id, once admitted. */
  private readonly requests = new Map<string, Promise<string | undefined>>();
  private readonly life = new AbortController();

  constructor(
    private readonly socket: WebSocket,
    private readonly options: WebsocketConnectionOptions,
  ) {
    this.done = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.done.then(() => this.closed());
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('error', (error) =>
      options.dependencies.logger.debug(
        { connection: options.id, error: error.message },
        'websocket error',
      ),
    );
    this.start(options.credentials);
  }

  /** Drops a connection that did not answer the last ping, and pings it again. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  close(code: number, reason: string): void {
    const bytes = Buffer.from(reason);
    const fitting =
      bytes.length <= maxReasonBytes
        ? reason
        : bytes
            .subarray(0, maxReasonBytes)
            .toString('utf8')
            .replace(/\uFFFD$/, '');
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(code, fitting);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private start(credentials: UpgradeCredentials): void {
    if (this.options.dependencies.auth.open || credentials.token !== undefined) {
      this.authenticate(credentials.token, credentials.service);
      return;
    }
    // Browsers cannot set headers: they have this long to send an `auth` message.
    this.authTimer = setTimeout(
      () =>
        this.close(
          closeCodes.authenticationTimeout,
          `No credentials within ${this.options.settings.authTimeoutMs} ms: send an Authorization header or an auth message`,
        ),
      this.options.settings.authTimeoutMs,
    );
  }

  private authenticate(token: string | undefined, claimed: string | undefined): void {
    const { auth } = this.options.dependencies;
    let service: string;
    try {
      service = auth.authenticate(token);
    } catch (thrown) {
      this.close(closeCodes.authenticationFailed, toGenRelayError(thrown).message);
      return;
    }
    // An open server is one service for everyone, whatever a client calls itself.
    if (!auth.open && claimed !== undefined && claimed !== service) {
      this.close(
        closeCodes.authenticationFailed,
        `The token does not belong to service "${claimed}"`,
      );
      return;
    }
    clearTimeout(this.authTimer);
    this.service = service;
    this.sendReady(service);
  }

  private sendReady(service: string): void {
    this.send({
      message_type: 'info',
      event: 'ready',
      service,
      connection_id: this.options.id,
    });
  }

  /**
   * A client that always sends its token (the SDK does) may find itself authenticated
   * already (headers, an open server): the same service is told `ready` again.
   */
  private reauthenticate(token: string, service: string): void {
    try {
      if (this.options.dependencies.auth.authenticate(token) === service) {
        this.sendReady(service);
        return;
      }
    } catch {
      // A wrong token on a connection that is in: refused below, the connection stays.
    }
    this.replyError(
      new InvalidRequestError(`Already authenticated as service "${service}"`),
      {},
    );
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.replyError(new InvalidRequestError('Send messages as JSON text frames'), {});
      return;
    }
    const parsed = parseClientMessage(rawText(data));
    if (!parsed.ok) {
      this.replyError(parsed.error, { requestId: parsed.requestId });
      return;
    }
    this.handle(parsed.message);
  }

  private handle(message: ClientMessage): void {
    if (this.service === undefined) {
      if (message.message_type === 'auth')
        this.authenticate(message.token, message.service);
      else {
        this.replyError(
          new AuthenticationError(
            'Authenticate first: send {"message_type":"auth","token":"<token>"}',
          ),
          {},
        );
      }
      return;
    }
    switch (message.message_type) {
      case 'auth':
        this.reauthenticate(message.token, this.service);
        return;
      case 'request':
        this.request(message, this.service);
        return;
      case 'cancel':
        void this.cancel(message, this.service);
        return;
      case 'subscribe':
        void this.subscribe(message, this.service);
        return;
    }
  }

  private request(message: RequestMessage, service: string): void {
    // A request without an id gets one, so it can be canceled by id on this connection.
    const requestId = message.request_id ?? randomUUID();
    const admitted = this.submit(message, requestId, service);
    this.requests.set(requestId, admitted);
    void admitted.then((id) => {
      if (id === undefined && this.requests.get(requestId) === admitted)
        this.requests.delete(requestId);
    });
  }

  private async submit(
    message: RequestMessage,
    requestId: string,
    service: string,
  ): Promise<string | undefined> {
    const { dependencies } = this.options;
    try {
      const submission = await admitJob(toJobRequest(message, requestId), {
        service,
        lanes: dependencies.lanes,
        checkRoute: dependencies.checkRoute,
        moderate: dependencies.moderate,
        checkWebhook: dependencies.checkWebhook,
        allowPrivateMediaUrls: dependencies.allowPrivateMediaUrls,
        signal: this.life.signal,
      });
      const { job } = await dependencies.balancer.submit(submission);
      this.follow(job, message.settings.response_format, service);
      return job.id;
    } catch (thrown) {
      this.replyError(thrown, {
        requestId: message.request_id,
        serviceInfo: message.service_info,
      });
      return undefined;
    }
  }

  private async cancel(message: CancelMessage, service: string): Promise<void> {
    try {
      const job = await this.options.dependencies.balancer.cancel(
        await this.jobId(message),
        service,
      );
      // The canceling connection hears the outcome (or, when too late, the result).
      if (!this.follows.has(job.id)) this.follow(job, 'url', service);
    } catch (thrown) {
      this.replyError(thrown, {
        requestId: message.request_id,
        objectId: message.object_id,
      });
    }
  }

  private async subscribe(message: SubscribeMessage, service: string): Promise<void> {
    try {
      const job = await this.options.dependencies.balancer.get(
        await this.jobId(message),
        service,
      );
      this.follow(job, message.response_format, service);
    } catch (thrown) {
      this.replyError(thrown, {
        requestId: message.request_id,
        objectId: message.object_id,
      });
    }
  }

  /** The job a cancel or subscribe names; request ids are known per connection. */
  private async jobId(reference: {
    object_id?: string | undefined;
    request_id?: string | undefined;
  }): Promise<string> {
    if (reference.object_id !== undefined) return reference.object_id;
    const requestId = reference.request_id as string;
    const id = await this.requests.get(requestId);
    if (id === undefined) {
      throw new NotFoundError(
        `request_id: no job with request_id "${requestId}" on this connection; name it by object_id, or send the request again`,
        { param: 'request_id' },
      );
    }
    return id;
  }

  /**
   * Sends the job's events from what is kept, then live ones until it ends. Following a
   * job again starts it over, so a client that asks gets everything kept once more.
   */
  private follow(job: Job, responseFormat: ResponseFormat, service: string): void {
    if (this.life.signal.aborted) return;
    this.follows.get(job.id)?.abort();
    const controller = new AbortController();
    this.follows.set(job.id, controller);
    if (job.requestId !== undefined)
      this.requests.set(job.requestId, Promise.resolve(job.id));
    void this.relay(job, responseFormat, service, controller);
  }

  private async relay(
    job: Job,
    responseFormat: ResponseFormat,
    service: string,
    controller: AbortController,
  ): Promise<void> {
    const { balancer, storage } = this.options.dependencies;
    try {
      const events = await balancer.subscribe(job.id, service, controller.signal);
      const messages = responseMessages(job, events, {
        storage,
        origin: this.options.origin,
        responseFormat,
        load: () => balancer.get(job.id, service),
      });
      for await (const message of messages) {
        if (controller.signal.aborted || !this.send(message)) break;
      }
    } catch (thrown) {
      if (!controller.signal.aborted)
        this.replyError(thrown, { requestId: job.requestId, objectId: job.id });
    } finally {
      controller.abort();
      // Forgotten once followed to the end, so a long-lived connection holds only its
      // unfinished jobs.
      if (this.follows.get(job.id) === controller) {
        this.follows.delete(job.id);
        if (job.requestId !== undefined) this.requests.delete(job.requestId);
      }
    }
  }

  private replyError(thrown: unknown, context: ErrorContext): void {
    const error = toGenRelayError(thrown);
    if (error.code === 'internal_error') {
      this.options.dependencies.logger.error(
        { connection: this.options.id, error: thrown },
        'websocket message failed unexpectedly',
      );
    }
    this.send({
      message_type: 'error',
      ...(context.requestId === undefined ? {} : { request_id: context.requestId }),
      ...(context.objectId === undefined ? {} : { object_id: context.objectId }),
      ...(context.serviceInfo === undefined ? {} : { service_info: context.serviceInfo }),
      error: {
        code: error.code,
        message: error.message,
        ...(error.param === undefined ? {} : { param: error.param }),
      },
    });
  }

  /**
   * Sends a message unless the client has fallen too far behind: then the connection is
   * closed (its jobs go on) rather than buffering without bound.
   */
  private send(message: object): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    const { maxBufferedBytes } = this.options.settings;
    if (this.socket.bufferedAmount > maxBufferedBytes) {
      this.options.dependencies.logger.warn(
        { connection: this.options.id, buffered: this.socket.bufferedAmount },
        'websocket client too slow; closing it',
      );
      this.stopFollowing();
      this.close(closeCodes.tooSlow, 'client too slow');
      return false;
    }
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private stopFollowing(): void {
    for (const controller of this.follows.values()) controller.abort();
    this.follows.clear();
  }

  private closed(): void {
    clearTimeout(this.authTimer);
    this.life.abort();
    this.stopFollowing();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
