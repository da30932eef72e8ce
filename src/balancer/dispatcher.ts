import { CanceledError, TimeoutError, toGenRelayError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Job } from './job.js';
import type { JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import { type ResultStorage, resultPath } from './result-storage.js';
import { TierSelector } from './tier-selector.js';

/** Runs the jobs of one lane: a model behind the router, or a group of executors. */
export interface LaneExecutor {
  /** How many of the lane's jobs run at once. */
  slots: number;
  run(job: Job, signal: AbortSignal): AsyncIterable<StreamPart>;
}

export interface DispatcherOptions {
  store: JobStore;
  events: JobEvents;
  storage: ResultStorage;
  /** The executor of a lane; undefined fails the job (no executor serves it). */
  lane(name: string): LaneExecutor | undefined;
  premiumShare: number;
  /** A claim lasts this long unless renewed; a dead process's jobs run again after it. */
  leaseMs: number;
  /** Attempts per job before it fails with the last error. */
  maxAttempts: number;
  /** The bound on one attempt, from the job's work (AI Horde style). */
  attemptTimeoutMs(job: Job): number;
  /** This process's name in leases. */
  worker: string;
  /**
   * Whether this process is the store's only user (SQLite): then every job still marked
   * running at start was left by a stopped process, whatever its lease says.
   */
  soleWorker: boolean;
  logger?: Logger;
}

/**
 * Starts queued jobs while their lane has free slots, streams their parts to the job's
 * events, stores results, and retries or fails them. Each lane keeps its own tier shares.
 */
export class Dispatcher {
  private readonly running = new Map<string, AbortController>();
  private readonly busy = new Map<string, number>();
  private readonly filling = new Map<string, Promise<void>>();
  private readonly refill = new Set<string>();
  private readonly selectors = new Map<string, TierSelector>();
  private readonly logger: Logger;
  private renewal: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Recovers jobs left running by a process that died, and renews this one's leases. */
  async start(): Promise<void> {
    const now = this.options.soleWorker ? Number.MAX_SAFE_INTEGER : Date.now();
    const recovered = await this.options.store.recoverExpired(
      now,
      this.options.maxAttempts,
    );
    if (recovered > 0)
      this.logger.info({ recovered }, 'requeued jobs left running by a stopped process');
    this.renewal = setInterval(() => void this.renewLeases(), this.options.leaseMs / 3);
    this.renewal.unref();
  }

  /** Starts what the lane can run now; call after a submit and whenever a slot frees. */
  wake(lane: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const current = this.filling.get(lane);
    if (current !== undefined) {
      // One filler per lane; it looks again before it stops.
      this.refill.add(lane);
      return current;
    }
    const filling = this.fill(lane).finally(() => this.filling.delete(lane));
    this.filling.set(lane, filling);
    return filling;
  }

  /** Aborts a job that runs in this process; true when it did. */
  abort(jobId: string): boolean {
    const controller = this.running.get(jobId);
    controller?.abort(new CanceledError('The job was canceled.'));
    return controller !== undefined;
  }

  /**
   * Stops starting jobs and abandons the running ones without recording a result: their
   * leases lapse and the next start runs them again, as after a crash.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.renewal);
    for (const controller of this.running.values())
      controller.abort(new CanceledError('Shutting down'));
    await Promise.all(this.filling.values());
  }

  private async fill(lane: string): Promise<void> {
    do {
      this.refill.delete(lane);
      const executor = this.options.lane(lane);
      if (executor === undefined) {
        await this.failUnserved(lane);
        return;
      }
      while (!this.stopped && (this.busy.get(lane) ?? 0) < executor.slots) {
        const selector = this.selector(lane);
        const job = await this.options.store.claim(lane, {
          tiers: selector.order(),
          leaseMs: this.options.leaseMs,
          worker: this.options.worker,
        });
        if (job === undefined) break;
        selector.started(job.tier);
        this.busy.set(lane, (this.busy.get(lane) ?? 0) + 1);
        void this.run(job, executor).finally(() => {
          this.busy.set(lane, (this.busy.get(lane) ?? 1) - 1);
          void this.wake(lane);
        });
      }
    } while (this.refill.has(lane) && !this.stopped);
  }

  /** Jobs of a lane nothing runs fail at once rather than wait for ever. */
  private async failUnserved(lane: string): Promise<void> {
    const error = { code: 'model_not_found', message: `Nothing here runs "${lane}"` };
    for (;;) {
      const job = await this.options.store.claim(lane, {
        tiers: ['premium', 'general'],
        leaseMs: this.options.leaseMs,
        worker: this.options.worker,
      });
      if (job === undefined) return;
      await this.options.store.fail(job.id, this.options.worker, error, {
        allowed: false,
        maxAttempts: 1,
      });
      this.options.events.publish(job.id, {
        type: 'error',
        fatal: true,
        retryable: false,
        ...error,
      });
      this.finish(job.id, 'failed');
    }
  }

  private async run(job: Job, executor: LaneExecutor): Promise<void> {
    const { events, store, storage, worker } = this.options;
    const controller = new AbortController();
    const timeoutMs = this.options.attemptTimeoutMs(job);
    const timer = setTimeout(
      () =>
        controller.abort(new TimeoutError(`The job took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
    this.running.set(job.id, controller);
    events.publish(job.id, { type: 'state', state: 'running', attempt: job.attempts });
    // What a finished job keeps: its text and its stored images.
    const images: JsonValue[] = [];
    let text: string | undefined;
    try {
      for await (const part of executor.run(job, controller.signal)) {
        if (part.type === 'image' && part.data !== undefined) {
          const { data, ...image } = part;
          const stored = await storage.save(data, part.mediaType);
          images.push({ key: stored.key, ...describe(image) });
          events.publish(job.id, { ...image, url: resultPath(stored.key) });
          continue;
        }
        if (part.type === 'text') text = (text ?? '') + part.delta;
        events.publish(job.id, part);
      }
      const result: JsonValue = text === undefined ? { images } : { text, images };
      const recorded = await store.complete(job.id, worker, result);
      // Not recorded: canceled meanwhile, or the lease passed to another process.
      if (recorded) this.finish(job.id, 'succeeded');
    } catch (thrown) {
      await this.failed(job, controller.signal.reason ?? thrown);
    } finally {
      clearTimeout(timer);
      this.running.delete(job.id);
    }
  }

  private async failed(job: Job, thrown: unknown): Promise<void> {
    if (this.stopped) return;
    const error = toGenRelayError(thrown);
    if (error.code === 'canceled') {
      this.finish(job.id, 'canceled');
      return;
    }
    const state = await this.options.store.fail(
      job.id,
      this.options.worker,
      { code: error.code, message: error.message },
      { allowed: error.retryable, maxAttempts: this.options.maxAttempts },
    );
    const fatal = state === 'failed';
    this.options.events.publish(job.id, {
      type: 'error',
      fatal,
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    });
    if (fatal) this.finish(job.id, 'failed');
    else if (state === 'queued')
      this.options.events.publish(job.id, { type: 'state', state: 'queued' });
    this.logger.warn(
      { job: job.id, attempt: job.attempts, state, error: error.message },
      'job attempt failed',
    );
  }

  private finish(jobId: string, state: 'succeeded' | 'failed' | 'canceled') {
    this.options.events.publish(jobId, { type: 'state', state });
    this.options.events.end(jobId);
  }

  private selector(lane: string): TierSelector {
    let selector = this.selectors.get(lane);
    if (selector === undefined) {
      selector = new TierSelector(this.options.premiumShare);
      this.selectors.set(lane, selector);
    }
    return selector;
  }

  private async renewLeases(): Promise<void> {
    for (const jobId of this.running.keys()) {
      await this.options.store.renew(jobId, this.options.worker, this.options.leaseMs);
    }
  }
}

function describe(image: {
  mediaType: string;
  width?: number;
  height?: number;
  seed?: number;
}) {
  return {
    mediaType: image.mediaType,
    ...(image.width === undefined ? {} : { width: image.width }),
    ...(image.height === undefined ? {} : { height: image.height }),
    ...(image.seed === undefined ? {} : { seed: image.seed }),
  };
}
