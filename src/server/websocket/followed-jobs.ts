import type { Balancer } from '../../balancer/balancer.js';
import type { Job } from '../../balancer/job.js';
import type { ResultStorage } from '../../balancer/result-storage.js';
import { NotFoundError } from '../../core/errors.js';
import type { WireResponse } from '../../core/websocket-server-message.js';
import type { ResponseFormat } from './client-message-schema.js';
import type { ErrorContext } from './error-reply.js';
import { responseMessages } from './response-messages.js';
import { TextCoalescer } from './text-coalescer.js';

export interface FollowedJobsOptions {
  balancer: Balancer;
  storage: ResultStorage;
  service: string;
  /** Where clients reach this server, for result URLs. */
  origin: string;
  /** Sends a message; false when the connection can take no more. */
  send(message: WireResponse): boolean;
  replyError(thrown: unknown, context: ErrorContext): void;
}

/**
 * The jobs one connection follows, each relayed from its kept events until it ends, and
 * the request ids it knows. Only unfinished jobs are held, so a long-lived connection does
 * not grow.
 */
export class FollowedJobs {
  /** Each followed job's subscription, by job id. */
  private readonly follows = new Map<string, AbortController>();
  /** Request ids → their job's id once admitted (undefined when refused). */
  private readonly requests = new Map<string, Promise<string | undefined>>();
  private stopped = false;

  constructor(private readonly options: FollowedJobsOptions) {}

  /** The service the connection authenticated as: the one whose jobs it may touch. */
  get service(): string {
    return this.options.service;
  }

  /** Remembers a request being admitted, so it can be named by its id meanwhile. */
  admitting(requestId: string, admitted: Promise<string | undefined>): void {
    this.requests.set(requestId, admitted);
    void admitted.then((id) => {
      if (id === undefined && this.requests.get(requestId) === admitted)
        this.requests.delete(requestId);
    });
  }

  has(jobId: string): boolean {
    return this.follows.has(jobId);
  }

  /** The job a cancel or subscribe names; request ids are known per connection. */
  async jobId(reference: {
    object_id?: string | undefined;
    request_id?: string | undefined;
  }): Promise<string> {
    if (reference.object_id !== undefined) return reference.object_id;
    const requestId = reference.request_id as string;
    const id = await this.requests.get(requestId);
    if (id === undefined) {
      throw new NotFoundError(
        `request_id: no unfinished job with request_id "${requestId}" on this connection; name it by object_id, or send the request again`,
        { param: 'request_id' },
      );
    }
    return id;
  }

  /**
   * Sends the job's events from what is kept, then live ones until it ends. Following a
   * job again starts it over, so a client that asks gets everything kept once more.
   * `submitted`: the job was just created, its place already told (see Balancer.subscribe).
   */
  follow(job: Job, responseFormat: ResponseFormat, submitted = false): void {
    if (this.stopped) return;
    this.follows.get(job.id)?.abort();
    const controller = new AbortController();
    this.follows.set(job.id, controller);
    if (job.requestId !== undefined)
      this.requests.set(job.requestId, Promise.resolve(job.id));
    void this.relay(job, responseFormat, submitted, controller);
  }

  /** Stops every relay: the connection is gone (the jobs go on). */
  stop(): void {
    this.stopped = true;
    for (const controller of this.follows.values()) controller.abort();
    this.follows.clear();
    this.requests.clear();
  }

  private async relay(
    job: Job,
    responseFormat: ResponseFormat,
    submitted: boolean,
    controller: AbortController,
  ): Promise<void> {
    const { balancer, storage, service, origin } = this.options;
    // A relay that was replaced or stopped sends nothing more, not even a held delta.
    const sender = new TextCoalescer(
      (message) => !controller.signal.aborted && this.options.send(message),
    );
    try {
      const events = await balancer.subscribe(
        job.id,
        service,
        controller.signal,
        submitted ? job : undefined,
      );
      const messages = responseMessages(job, events, {
        storage,
        origin,
        responseFormat,
        load: () => balancer.get(job.id, service),
      });
      // Every job's responses end with a final one, which sends any held delta first.
      for await (const message of messages) if (!sender.push(message)) break;
    } catch (thrown) {
      sender.flush();
      if (!controller.signal.aborted)
        this.options.replyError(thrown, { requestId: job.requestId, objectId: job.id });
    } finally {
      sender.discard();
      controller.abort();
      if (this.follows.get(job.id) === controller) {
        this.follows.delete(job.id);
        if (job.requestId !== undefined) this.requests.delete(job.requestId);
      }
    }
  }
}
