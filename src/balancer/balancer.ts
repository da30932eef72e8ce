import { InvalidRequestError, NotFoundError } from '../core/errors.js';
import type { Dispatcher } from './dispatcher.js';
import type { Job, JobState, NewJob } from './job.js';
import type { JobEvent, JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';

export interface BalancerSettings {
  /** Queued jobs per user: the default, and the most a request may ask for. */
  maxUserQueueSize: { default: number; ceiling: number };
  maxQueueSize: number;
}

/** A job as submitted, with the Devoid per-request cap on the user's queue. */
export interface JobSubmission extends NewJob {
  maxUserQueueSize?: number;
}

export interface SubmittedJob {
  job: Job;
  /** False when the request id matched an earlier job, which is returned instead. */
  created: boolean;
  /** Jobs that start before this one; undefined once it is no longer queued. */
  position: number | undefined;
}

/**
 * The queue as the APIs see it: admission with the caps, the jobs of a service, cancel,
 * and each job's events. A service only ever sees its own jobs.
 */
export class Balancer {
  constructor(
    private readonly store: JobStore,
    private readonly dispatcher: Dispatcher,
    private readonly jobEvents: JobEvents,
    private readonly settings: BalancerSettings,
  ) {}

  async submit(submission: JobSubmission): Promise<SubmittedJob> {
    const { maxUserQueueSize: asked, ...job } = submission;
    const { ceiling } = this.settings.maxUserQueueSize;
    if (asked !== undefined && asked > ceiling) {
      throw new InvalidRequestError(
        `max_user_queue_size: at most ${ceiling} (balancer.maxUserQueueSize.ceiling)`,
        { param: 'max_user_queue_size' },
      );
    }
    const { job: stored, created } = await this.store.submit(job, {
      maxUserQueueSize: asked ?? this.settings.maxUserQueueSize.default,
      maxQueueSize: this.settings.maxQueueSize,
    });
    const position = await this.store.position(stored.id);
    if (created) {
      this.jobEvents.publish(stored.id, { type: 'state', state: 'queued' });
      if (position !== undefined)
        this.jobEvents.publish(stored.id, { type: 'queued', position });
      void this.dispatcher.wake(stored.lane);
    }
    return { job: stored, created, position };
  }

  async get(id: string, service: string): Promise<Job> {
    const job = await this.store.get(id, service);
    if (job === undefined) throw new NotFoundError(`No job "${id}"`, { param: 'id' });
    return job;
  }

  list(service: string, filter: { userId?: string; state?: JobState; limit?: number }) {
    return this.store.list(service, filter);
  }

  /** Cancels a queued or running job; a finished one is returned as it is. */
  async cancel(id: string, service: string): Promise<Job> {
    const job = await this.store.cancel(id, service);
    if (job === undefined) throw new NotFoundError(`No job "${id}"`, { param: 'id' });
    // A running job ends through its dispatcher, which tells its subscribers.
    if (job.state === 'canceled' && !this.dispatcher.abort(id)) {
      this.jobEvents.publish(id, { type: 'state', state: 'canceled' });
      this.jobEvents.end(id);
    }
    return job;
  }

  /** The job's events so far, then live ones until it ends or `signal` aborts. */
  async subscribe(
    id: string,
    service: string,
    signal: AbortSignal,
  ): Promise<AsyncIterable<JobEvent>> {
    await this.get(id, service);
    return this.jobEvents.subscribe(id, signal);
  }
}
