import { CanceledError, TimeoutError, toGenRelayError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { StreamPart } from '../core/stream-part.js';
import type { DurationStats } from './duration-stats.js';
import type { Slot } from './instance-pool.js';
import type { Job, JobAttemptError, JobError } from './job.js';
import type { JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import { type ResultStorage, resultPath } from './result-storage.js';
import { TierSelector } from './tier-selector.js';

/** Runs the jobs of one lane: a model behind the router, or a group of executors. */
export interface LaneExecutor {
  /** A slot on one of the lane's instances, if one is free now. */
  acquire(): Promise<Slot | undefined>;
  /** Runs the job on the slot's instance (first); the caller releases the slot. */
  run(job: Job, slot: Slot, signal: AbortSignal): AsyncIterable<StreamPart>;
  /** Jobs the lane's instances that are up run at once; for ETAs. */
  liveSlots(): Promise<number>;
  /**
   * Attempts per job, when fewer than the dispatcher's: a lane whose attempt already tries
   * every instance (the router's fallback) gains nothing from running it again at once.
   */
  readonly maxAttempts?: number;
}

/** A job running in this process, for ETAs. */
export interface RunningJob {
  job: Job;
  startedAt: number;
  /** Its expected duration. */
  expectedMs: number;
}

/** A lane that could not be looked at (its store or route failed) is tried again after this. */
const retryLaneMs = 1000;

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
  /** Learns how long jobs take, for ETAs; told of every success. */
  durations: DurationStats;
  /** Told when a lane starts a job: the positions of its waiting jobs changed. */
  onStarted?(lane: string): void;
  /** Told when a job reaches a final state. */
  onFinished?(job: Job): void;
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
  private readonly running = new Map<
    string,
    RunningJob & { controller: AbortController }
  >();
  private readonly filling = new Map<string, Promise<void>>();
  private readonly refill = new Set<string>();
  private readonly selectors = new Map<string, TierSelector>();
  /**
   * Lanes that had jobs since this process started, to look at when capacity frees: a lane
   * whose jobs wait only for their users' running cap must be looked at again when any
   * job of those users ends, whatever its lane.
   */
  private readonly lanes = new Set<string>();
  private readonly logger: Logger;
  private renewal: NodeJS.Timeout | undefined;
  /**
   * Nothing starts before `start()` has recovered what a stopped process left: with a
   * sole worker it requeues every running job, so one started before would run twice.
   */
  private started = false;
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
    this.started = true;
    for (const lane of await this.options.store.queuedLanes()) void this.wake(lane);
  }

  /** Looks at every lane with waiting jobs again: a slot freed or an instance came back. */
  wakeAll(): void {
    for (const lane of this.lanes) void this.wakeIfQueued(lane);
  }

  /** Lanes with nothing queued are not asked for a claim that would find nothing. */
  private async wakeIfQueued(lane: string): Promise<void> {
    let queued: number;
    try {
      const { premium, general } = await this.options.store.queuedWork(lane);
      queued = premium.count + general.count;
    } catch (error) {
      // As in `wake`: a store failure must not take the process down.
      this.logger.error({ lane, error }, 'could not look at the queue of a lane');
      this.retryLater(lane);
      return;
    }
    if (queued > 0) await this.wake(lane);
  }

  /** The jobs of a lane running in this process now. */
  runningIn(lane: string): RunningJob[] {
    return [...this.running.values()].filter(({ job }) => job.lane === lane);
  }

  /** Starts what the lane can run now; call after a submit and whenever a slot frees. */
  wake(lane: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.lanes.add(lane);
    // Before start, the lane is only noted: start wakes every lane with queued jobs.
    if (!this.started) return Promise.resolve();
    const current = this.filling.get(lane);
    if (current !== undefined) {
      // One filler per lane; it looks again before it stops.
      this.refill.add(lane);
      return current;
    }
    const filling = this.fill(lane)
      .catch((error: unknown) => {
        // A store that failed (disk full, say) must not take the process down: the lane
        // is looked at again shortly.
        this.logger.error({ lane, error }, 'could not start the jobs of a lane');
        this.retryLater(lane);
      })
      .finally(() => this.filling.delete(lane));
    this.filling.set(lane, filling);
    return filling;
  }

  /** Aborts a job that runs in this process; true when it did. */
  abort(jobId: string): boolean {
    const running = this.running.get(jobId);
    running?.controller.abort(new CanceledError('The job was canceled.'));
    return running !== undefined;
  }

  /**
   * Stops starting jobs and abandons the running ones without recording a result: their
   * leases lapse and the next start runs them again, as after a crash.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.renewal);
    for (const { controller } of this.running.values())
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
      while (!this.stopped) {
        let slot: Slot | undefined;
        try {
          slot = await executor.acquire();
        } catch (thrown) {
          const error = toGenRelayError(thrown);
          // The lane cannot run at all (its model is served nowhere now): its jobs fail.
          if (error.code === 'model_not_found') await this.failUnserved(lane, error);
          // Else its route could not be looked up just now (a catalog unreachable).
          else this.retryLater(lane);
          return;
        }
        if (slot === undefined) break;
        const selector = this.selector(lane);
        let job: Job | undefined;
        try {
          job = await this.options.store.claim(lane, {
            tiers: selector.order(),
            leaseMs: this.options.leaseMs,
            worker: this.options.worker,
          });
        } finally {
          if (job === undefined) slot.release({ quiet: true });
        }
        if (job === undefined) break;
        selector.started(job.tier);
        this.options.onStarted?.(lane);
        const claimed = job;
        void this.run(claimed, executor, slot)
          .catch((error: unknown) => {
            // Recording the outcome failed: the lease lapses and the job runs again.
            this.logger.error(
              { job: claimed.id, error },
              'could not record a job outcome',
            );
          })
          .finally(() => {
            // Quiet: the pool would wake every lane too. The job's user may start another,
            // in any lane (the running cap is per user), and a failed attempt may have put
            // the job back: every lane with queued jobs looks again, once.
            slot.release({ quiet: true });
            this.wakeAll();
          });
      }
    } while (this.refill.has(lane) && !this.stopped);
  }

  private retryLater(lane: string): void {
    if (this.stopped) return;
    setTimeout(() => void this.wake(lane), retryLaneMs).unref();
  }

  /** Jobs of a lane nothing runs fail at once rather than wait for ever. */
  private async failUnserved(
    lane: string,
    cause: { code: string; message: string } = {
      code: 'model_not_found',
      message: `Nothing here runs "${lane}"`,
    },
  ): Promise<void> {
    const error = { code: cause.code, message: cause.message };
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
      this.finish(job, 'failed');
    }
  }

  /**
   * Starts an attempt's clock: its controller (aborted when the attempt's bound runs out,
   * on cancel and on stop), and the job counted among the lane's running ones for ETAs
   * until `end`.
   */
  private beginAttempt(job: Job) {
    const controller = new AbortController();
    const timeoutMs = this.options.attemptTimeoutMs(job);
    const timer = setTimeout(
      () =>
        controller.abort(new TimeoutError(`The job took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
    const startedAt = Date.now();
    const expectedMs = this.options.durations.estimate(
      job.lane,
      job.kind === 'chat' ? undefined : job.work,
    );
    this.running.set(job.id, { job, startedAt, expectedMs, controller });
    const end = () => {
      clearTimeout(timer);
      this.running.delete(job.id);
    };
    return { controller, startedAt, end };
  }

  private async run(job: Job, executor: LaneExecutor, slot: Slot): Promise<void> {
    const { events, store, storage, worker } = this.options;
    const { controller, startedAt, end } = this.beginAttempt(job);
    events.publish(job.id, {
      type: 'state',
      state: 'running',
      attempt: job.attempts,
      instance: slot.instance,
    });
    // What a finished job keeps: its text and its stored images.
    const images: JsonValue[] = [];
    let text: string | undefined;
    let tokens: number | undefined;
    try {
      for await (const part of executor.run(job, slot, controller.signal)) {
        if (part.type === 'image' && part.data !== undefined) {
          const { data, ...image } = part;
          // A cancel or the attempt's bound reaches an upload in progress too.
          const stored = await storage.save(data, part.mediaType, controller.signal);
          images.push({ key: stored.key, ...describe(image) });
          events.publish(job.id, {
            ...image,
            key: stored.key,
            url: resultPath(stored.key),
          });
          continue;
        }
        // An image the upstream only names by URL is kept by that URL.
        if (part.type === 'image' && part.url !== undefined)
          images.push({ url: part.url, ...describe(part) });
        if (part.type === 'text') text = (text ?? '') + part.delta;
        if (part.type === 'usage') tokens = part.completionTokens;
        events.publish(job.id, part);
      }
      const result: JsonValue = text === undefined ? { images } : { text, images };
      const recorded = await store.complete(job.id, worker, result);
      // Not recorded: canceled meanwhile, or the lease passed to another process.
      if (recorded) {
        this.learn(job, startedAt, text, tokens);
        this.finish(job, 'succeeded');
      }
    } catch (thrown) {
      await this.failed(job, executor, slot.instance, controller.signal.reason ?? thrown);
    } finally {
      end();
    }
  }

  /**
   * Runs a job that is not stored (a request that names no user, started at once) when
   * its lane has a free slot and nothing queued: the scheduler would start it first anyway.
   * Bounded by the attempt timeout like any job, counted among the lane's running jobs for
   * ETAs, and its duration learned; its parts go to the caller, not to the job's events.
   * Undefined when it has to wait its turn.
   */
  async startUnstored(
    job: Job,
    signal: AbortSignal,
  ): Promise<AsyncIterable<StreamPart> | undefined> {
    const executor = this.options.lane(job.lane);
    if (executor === undefined || this.stopped) return undefined;
    const { premium, general } = await this.options.store.queuedWork(job.lane);
    if (premium.count + general.count > 0) return undefined;
    const slot = await executor.acquire();
    if (slot === undefined) return undefined;
    return this.runUnstored(job, executor, slot, signal);
  }

  private async *runUnstored(
    job: Job,
    executor: LaneExecutor,
    slot: Slot,
    signal: AbortSignal,
  ): AsyncGenerator<StreamPart> {
    const { controller, startedAt, end } = this.beginAttempt(job);
    const left = () => controller.abort(signal.reason);
    if (signal.aborted) left();
    else signal.addEventListener('abort', left, { once: true });
    let text: string | undefined;
    let tokens: number | undefined;
    try {
      for await (const part of executor.run(job, slot, controller.signal)) {
        if (part.type === 'text') text = (text ?? '') + part.delta;
        if (part.type === 'usage') tokens = part.completionTokens;
        yield part;
      }
      this.learn(job, startedAt, text, tokens);
    } catch (thrown) {
      // The bound ran out (or the process stops): say so, not the abort it caused.
      throw signal.aborted ? thrown : (controller.signal.reason ?? thrown);
    } finally {
      end();
      signal.removeEventListener('abort', left);
      // Not quiet: jobs may wait for this slot, and no dispatcher run looks again for them.
      slot.release();
    }
  }

  /** Learns how long a job that succeeded took, for its size. */
  private learn(
    job: Job,
    startedAt: number,
    text: string | undefined,
    tokens: number | undefined,
  ): void {
    // Chat is measured in tokens, known only now (about four characters each).
    const work =
      job.kind === 'chat'
        ? (tokens ?? Math.ceil((text?.length ?? 0) / 4))
        : (job.work ?? 1);
    this.options.durations.record(job.lane, Math.max(work, 1), Date.now() - startedAt);
  }

  private async failed(
    job: Job,
    executor: LaneExecutor,
    instance: string,
    thrown: unknown,
  ): Promise<void> {
    if (this.stopped) return;
    const error = toGenRelayError(thrown);
    if (error.code === 'canceled') {
      this.finish(job, 'canceled');
      return;
    }
    const retry = {
      // An upstream that said when to come back is not asked again at once.
      allowed: error.retryable && error.retryAfterMs === undefined,
      maxAttempts: Math.min(this.options.maxAttempts, executor.maxAttempts ?? Infinity),
    };
    const willRetry = retry.allowed && job.attempts < retry.maxAttempts;
    const collected = collectAttempts(job, instance, error, willRetry);
    const state = await this.options.store.fail(
      job.id,
      this.options.worker,
      collected,
      retry,
    );
    const fatal = state === 'failed';
    this.options.events.publish(job.id, {
      type: 'error',
      fatal,
      code: error.code,
      message: fatal ? collected.message : error.message,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    });
    if (fatal) this.finish(job, 'failed');
    else if (state === 'queued')
      this.options.events.publish(job.id, { type: 'state', state: 'queued' });
    this.logger.warn(
      { job: job.id, attempt: job.attempts, state, error: error.message },
      'job attempt failed',
    );
  }

  private finish(job: Job, state: 'succeeded' | 'failed' | 'canceled') {
    this.options.events.publish(job.id, { type: 'state', state });
    this.options.events.end(job.id);
    this.options.onFinished?.(job);
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
    try {
      for (const jobId of this.running.keys()) {
        await this.options.store.renew(jobId, this.options.worker, this.options.leaseMs);
      }
    } catch (error) {
      // The next round tries again; a lease that lapses meanwhile only means a rerun.
      this.logger.error({ error }, 'could not renew the leases of running jobs');
    }
  }
}

/**
 * The error a job keeps: this attempt's, with every earlier attempt's listed, so a job
 * that failed on three instances says what went wrong on each.
 */
function collectAttempts(
  job: Job,
  instance: string,
  error: { code: string; message: string },
  willRetry: boolean,
): JobError {
  const attempt: JobAttemptError = { instance, code: error.code, message: error.message };
  const attempts = [...(job.error?.attempts ?? []), attempt];
  const message =
    attempts.length < 2 || willRetry
      ? error.message
      : `All ${attempts.length} attempts failed: ${attempts
          .map((each, index) => `${index + 1}. ${each.instance}: ${each.message}`)
          .join('; ')}`;
  return { code: error.code, message, attempts };
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
