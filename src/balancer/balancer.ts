import { InvalidRequestError, NotFoundError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Dispatcher } from './dispatcher.js';
import type { DurationStats } from './duration-stats.js';
import {
  finalStates,
  type Job,
  type JobError,
  type JobResult,
  type JobState,
  type NewJob,
} from './job.js';
import type { JobEvent, JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import {
  type QueueEstimate,
  type QueueEstimator,
  queuedEvent,
} from './queue-estimator.js';
import type { QueueWatcher } from './queue-watcher.js';
import { resultPath } from './result-storage.js';

export interface AdmissionSettings {
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
  /** Where it stood when submitted; undefined when it was no longer queued. */
  estimate: QueueEstimate | undefined;
}

/** Hears of jobs that end: `wants` decides from the job as submitted. */
export interface FinishedListener {
  wants(job: Job): boolean;
  finished(job: Job): void;
}

export interface BalancerParts {
  store: JobStore;
  dispatcher: Dispatcher;
  events: JobEvents;
  watcher: QueueWatcher;
  estimator: QueueEstimator;
  durations: DurationStats;
  settings: AdmissionSettings;
  logger: Logger;
}

/**
 * How often what the lanes' jobs took is written to the store, so a restart keeps its
 * ETAs: a crash loses at most this much learning, and a busy lane costs one small write.
 */
const keepDurationsMs = 5000;

/**
 * The queue as the APIs see it: admission with the caps, the jobs of a service, cancel,
 * and each job's events. A service only ever sees its own jobs.
 */
export class Balancer {
  private readonly finishedListeners = new Set<FinishedListener>();
  private keeping: NodeJS.Timeout | undefined;

  constructor(private readonly parts: BalancerParts) {}

  /** Tells `listener` of each job that reaches a final state here (for webhooks). */
  onFinished(listener: FinishedListener): void {
    this.finishedListeners.add(listener);
  }

  /**
   * Tells the listeners that want the job that it ended; only then is its final state read
   * back from the store, so jobs nobody follows cost no read.
   */
  async finished(job: Job): Promise<void> {
    try {
      const listeners = [...this.finishedListeners].filter((listener) =>
        listener.wants(job),
      );
      if (listeners.length === 0) return;
      const stored = await this.parts.store.get(job.id);
      if (stored === undefined) return;
      for (const listener of listeners) listener.finished(stored);
    } catch (error) {
      // A listener's failure is its own; the job's end stands.
      this.parts.logger.error({ job: job.id, error }, 'a finished-job listener failed');
    }
  }

  get store(): JobStore {
    return this.parts.store;
  }

  /** Recovers what a stopped process left, and starts the queued jobs. */
  async start(): Promise<void> {
    try {
      this.parts.durations.restore(await this.parts.store.learnedDurations());
    } catch (error) {
      // Only the first ETAs suffer: they start from the initial guess again.
      this.parts.logger.warn({ error }, 'could not read the learned durations');
    }
    this.keeping = setInterval(() => void this.keepDurations(), keepDurationsMs);
    this.keeping.unref();
    await this.parts.dispatcher.start();
    this.parts.watcher.start();
  }

  /** Stops starting jobs; running ones are left for the next start, as after a crash. */
  async stop(): Promise<void> {
    this.parts.watcher.close();
    clearInterval(this.keeping);
    await this.parts.dispatcher.stop();
    await this.keepDurations();
  }

  /** Writes what the lanes learned since the last time; a failure waits for the next. */
  private async keepDurations(): Promise<void> {
    const changed = this.parts.durations.takeChanged();
    if (changed.length === 0) return;
    try {
      await this.parts.store.keepDurations(changed);
    } catch (error) {
      this.parts.durations.keepLater(changed);
      this.parts.logger.warn({ error }, 'could not keep the learned durations');
    }
  }

  /** Looks at every lane again: a slot freed or an instance came back. */
  wakeAll(): void {
    this.parts.dispatcher.wakeAll();
  }

  /**
   * Admits a job under the caps. `estimate: false` skips working out its place (callers
   * that follow its events hear it anyway).
   */
  async submit(
    submission: JobSubmission,
    options: { estimate?: boolean } = {},
  ): Promise<SubmittedJob> {
    const { maxUserQueueSize: asked, ...job } = submission;
    const { settings, store, events, dispatcher } = this.parts;
    const { ceiling } = settings.maxUserQueueSize;
    if (asked !== undefined && asked > ceiling) {
      throw new InvalidRequestError(
        `max_user_queue_size: at most ${ceiling} (balancer.maxUserQueueSize.ceiling)`,
        { param: 'max_user_queue_size' },
      );
    }
    const { job: stored, created } = await store.submit(job, {
      maxUserQueueSize: asked ?? settings.maxUserQueueSize.default,
      maxQueueSize: settings.maxQueueSize,
    });
    const estimate = options.estimate === false ? undefined : await this.estimate(stored);
    if (created) {
      events.publish(stored.id, { type: 'state', state: 'queued' });
      if (estimate !== undefined) events.publish(stored.id, queuedEvent(estimate));
      // A premium job, or one of a user's first, lands ahead of jobs already waiting.
      this.parts.watcher.laneChanged(stored.lane);
      void dispatcher.wake(stored.lane);
    }
    return { job: stored, created, estimate };
  }

  /** See Dispatcher.startUnstored: a request that names no user, run at once when it may. */
  startUnstored(
    job: Job,
    signal: AbortSignal,
  ): Promise<AsyncIterable<StreamPart> | undefined> {
    return this.parts.dispatcher.startUnstored(job, signal);
  }

  /** Where a queued job stands and when it should start; undefined once it left the queue. */
  estimate(job: Job): Promise<QueueEstimate | undefined> {
    return job.state === 'queued'
      ? this.parts.estimator.estimate(job)
      : Promise.resolve(undefined);
  }

  /** Keeps a refused job (a moderated prompt) as failed with `error`; it never runs. */
  async reject(submission: JobSubmission, error: JobError): Promise<Job> {
    // A refused job takes no place in the queue: its cap does not matter.
    return this.parts.store.reject(submission, error);
  }

  async get(id: string, service: string): Promise<Job> {
    const job = await this.parts.store.get(id, service);
    if (job === undefined) throw new NotFoundError(`No job "${id}"`, { param: 'id' });
    return job;
  }

  list(service: string, filter: { userId?: string; state?: JobState; limit?: number }) {
    return this.parts.store.list(service, filter);
  }

  /** Cancels a queued or running job; a finished one is returned as it is. */
  async cancel(id: string, service: string): Promise<Job> {
    const outcome = await this.parts.store.cancel(id, service);
    if (outcome === undefined) throw new NotFoundError(`No job "${id}"`, { param: 'id' });
    const { job, canceled } = outcome;
    // A running job ends through its dispatcher, which tells its subscribers. A job that
    // had ended already is told nothing again (its webhook went once).
    if (canceled && !this.parts.dispatcher.abort(id)) {
      // The jobs that waited behind it moved up.
      this.parts.watcher.laneChanged(job.lane);
      this.parts.events.publish(id, { type: 'state', state: 'canceled' });
      this.parts.events.end(id);
      void this.finished(job);
    }
    return job;
  }

  /**
   * The job's events from its current state on, then live ones until it ends or `signal`
   * aborts. A job this process has no events for (it ran before a restart, or long ago)
   * starts from what the store holds.
   */
  async subscribe(
    id: string,
    service: string,
    signal: AbortSignal,
    /** The job, when the caller just submitted it (saves reading it again). */
    known?: Job,
  ): Promise<AsyncIterable<JobEvent>> {
    const { events, watcher } = this.parts;
    const job =
      known?.id === id && known.service === service ? known : await this.get(id, service);
    const unheard = !events.has(id);
    if (unheard) {
      if (finalStates.includes(job.state)) return storedEvents(job);
      events.publish(id, { type: 'state', state: job.state, attempt: job.attempts });
    }
    const subscription = events.subscribe(id, signal);
    // A job just submitted here was told its place already; a late subscriber, or one to a
    // job this process has no events of (submitted before a restart), hears it fresh.
    if (known === undefined || unheard) await watcher.publish(job);
    return subscription;
  }
}

/** A finished job's outcome as the events that told it. */
async function* storedEvents(job: Job): AsyncGenerator<JobEvent> {
  yield { type: 'state', state: job.state, attempt: job.attempts };
  if (job.state === 'failed' && job.error !== undefined) {
    yield { type: 'error', fatal: true, retryable: false, ...job.error };
    return;
  }
  if (job.state !== 'succeeded') return;
  const result = (job.result ?? {}) as JobResult;
  if (result.text !== undefined) yield { type: 'text', delta: result.text };
  for (const { key, url, ...image } of result.images ?? [])
    yield key === undefined
      ? { type: 'image', ...image, ...(url === undefined ? {} : { url }) }
      : { type: 'image', ...image, key, url: resultPath(key) };
  yield { type: 'finish', reason: 'stop' };
}
