import { randomUUID } from 'node:crypto';
import { type RawData, WebSocket } from 'ws';
import {
  AuthenticationError,
  InvalidRequestError,
  RateLimitError,
  toGenRelayError,
} from '../../core/errors.js';
import type { WebsocketServerMessage } from '../../core/websocket-server-message.js';
import { admissionContext, admitJob } from '../jobs/admit-job.js';
import type { ServerDependencies } from '../server-dependencies.js';
import type {
  CancelMessage,
  ClientMessage,
  RequestMessage,
  SubscribeMessage,
} from './client-message-schema.js';
import { closeCodes } from './close-codes.js';
import { type ErrorContext, errorReply } from './error-reply.js';
import { FollowedJobs } from './followed-jobs.js';
import { parseClientMessage } from './parse-client-message.js';
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
  /** Set once authenticated, for the service it authenticated as. */
  private jobs: FollowedJobs | undefined;
  private alive = true;
  private authTimer: NodeJS.Timeout | undefined;
  private readonly life = new AbortController();
  /** Requests being admitted now, bounded by `maxPendingRequests`. */
  private pending = 0;

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
    this.jobs = new FollowedJobs({
      balancer: this.options.dependencies.balancer,
      storage: this.options.dependencies.storage,
      service,
      origin: this.options.origin,
      send: (message) => this.send(message),
      replyError: (thrown, context) => this.replyError(thrown, context),
    });
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
    const { jobs } = this;
    if (jobs === undefined) {
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
        this.reauthenticate(message.token, jobs.service);
        return;
      case 'request':
        this.request(message, jobs);
        return;
      case 'cancel':
        void this.cancel(message, jobs);
        return;
      case 'subscribe':
        void this.subscribe(message, jobs);
        return;
    }
  }

  private request(message: RequestMessage, jobs: FollowedJobs): void {
    // Admitting takes a store write and maybe a moderation call: a client that sends
    // faster than they answer is told to slow down instead of piling them up.
    const { maxPendingRequests } = this.options.settings;
    if (this.pending >= maxPendingRequests) {
      this.replyError(
        new RateLimitError(
          `At most ${maxPendingRequests} requests of a connection are admitted at once (websocket.maxPendingRequests): send more once they are answered`,
        ),
        { requestId: message.request_id, serviceInfo: message.service_info },
      );
      return;
    }
    // A request without an id gets one, so it can be canceled by id on this connection.
    const requestId = message.request_id ?? randomUUID();
    this.pending++;
    const admitted = this.submit(message, requestId, jobs).finally(() => {
      this.pending--;
    });
    jobs.admitting(requestId, admitted);
  }

  private async submit(
    message: RequestMessage,
    requestId: string,
    jobs: FollowedJobs,
  ): Promise<string | undefined> {
    const { dependencies } = this.options;
    try {
      const submission = await admitJob(
        toJobRequest(message, requestId),
        admissionContext(dependencies, jobs.service, this.life.signal),
      );
      const { job, created } = await dependencies.balancer.submit(submission);
      jobs.follow(job, message.settings.response_format, created);
      return job.id;
    } catch (thrown) {
      this.replyError(thrown, {
        requestId: message.request_id,
        serviceInfo: message.service_info,
      });
      return undefined;
    }
  }

  private async cancel(message: CancelMessage, jobs: FollowedJobs): Promise<void> {
    try {
      const job = await this.options.dependencies.balancer.cancel(
        await jobs.jobId(message),
        jobs.service,
      );
      // The canceling connection hears the outcome (or, when too late, the result).
      if (!jobs.has(job.id)) jobs.follow(job, 'url');
    } catch (thrown) {
      this.replyError(thrown, {
        requestId: message.request_id,
        objectId: message.object_id,
      });
    }
  }

  private async subscribe(message: SubscribeMessage, jobs: FollowedJobs): Promise<void> {
    try {
      const job = await this.options.dependencies.balancer.get(
        await jobs.jobId(message),
        jobs.service,
      );
      jobs.follow(job, message.response_format);
    } catch (thrown) {
      this.replyError(thrown, {
        requestId: message.request_id,
        objectId: message.object_id,
      });
    }
  }

  private replyError(thrown: unknown, context: ErrorContext): void {
    if (toGenRelayError(thrown).code === 'internal_error') {
      this.options.dependencies.logger.error(
        { connection: this.options.id, error: thrown },
        'websocket message failed unexpectedly',
      );
    }
    this.send(errorReply(thrown, context));
  }

  /**
   * Sends a message unless the client has fallen too far behind: then the connection is
   * closed (its jobs go on) rather than buffering without bound.
   */
  private send(message: WebsocketServerMessage): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    const { maxBufferedBytes } = this.options.settings;
    if (this.socket.bufferedAmount > maxBufferedBytes) {
      this.options.dependencies.logger.warn(
        { connection: this.options.id, buffered: this.socket.bufferedAmount },
        'websocket client too slow; closing it',
      );
      this.jobs?.stop();
      this.close(closeCodes.tooSlow, 'client too slow');
      return false;
    }
    this.socket.send(JSON.stringify(message));
    return true;
  }

  private closed(): void {
    clearTimeout(this.authTimer);
    this.life.abort();
    this.jobs?.stop();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.from(data).toString('utf8');
}
