import { type Logger, silentLogger } from '../core/logger.js';
import { Balancer } from './balancer.js';
import { Dispatcher, type LaneExecutor } from './dispatcher.js';
import { DurationStats } from './duration-stats.js';
import type { Job } from './job.js';
import { JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import { QueueEstimator } from './queue-estimator.js';
import { QueueWatcher } from './queue-watcher.js';
import type { ResultStorage } from './result-storage.js';

/** The scheduler's settings, as the configuration's `balancer` section holds them. */
export interface BalancerSettings {
  premiumShare: number;
  maxUserQueueSize: { default: number; ceiling: number };
  maxQueueSize: number;
  maxAttempts: number;
  leaseMs: number;
  /** The bound on one attempt: a base, plus time per unit of the job's work. */
  attemptTimeout: {
    baseMs: number;
    perMegapixelStepMs: number;
    perTokenMs: number;
    maxMs: number;
  };
  /** How often waiting clients hear their place in the queue. */
  queueUpdateMs: number;
  /** How long a finished job's events stay for clients that reconnect. */
  eventRetentionMs: number;
}

export interface CreateBalancerOptions {
  store: JobStore;
  storage: ResultStorage;
  lane(name: string): LaneExecutor | undefined;
  settings: BalancerSettings;
  /** This process's name in leases. */
  worker: string;
  /** True when no other process uses the store (SQLite). */
  soleWorker: boolean;
  logger?: Logger;
}

export interface BalancerRuntime {
  balancer: Balancer;
  dispatcher: Dispatcher;
  events: JobEvents;
  durations: DurationStats;
}

/** Builds the balancer and what it drives from one store and the lanes. */
export function createBalancer(options: CreateBalancerOptions): BalancerRuntime {
  const { settings, store } = options;
  const events = new JobEvents({
    retentionMs: settings.eventRetentionMs,
    maxHistory: 200,
  });
  // Before the first job of a lane finishes: about 4 s for a 512×512 image of 30 steps
  // (the Devoid generator's initial average), 20 tokens per second for chat.
  const durations = new DurationStats({
    initial: (lane) =>
      lane.startsWith('chat:')
        ? { msPerWork: 50, workPerJob: 300 }
        : { msPerWork: 500, workPerJob: 8 },
  });
  let watcher: QueueWatcher | undefined;
  let balancer: Balancer | undefined;
  const dispatcher = new Dispatcher({
    store,
    events,
    storage: options.storage,
    lane: options.lane,
    premiumShare: settings.premiumShare,
    leaseMs: settings.leaseMs,
    maxAttempts: settings.maxAttempts,
    attemptTimeoutMs: (job) => attemptTimeoutMs(job, settings.attemptTimeout),
    worker: options.worker,
    soleWorker: options.soleWorker,
    durations,
    onStarted: (lane) => watcher?.laneChanged(lane),
    onFinished: (job) => void balancer?.finished(job),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const estimator = new QueueEstimator(
    store,
    dispatcher,
    options.lane,
    durations,
    settings.premiumShare,
  );
  watcher = new QueueWatcher(events, store, estimator, {
    intervalMs: settings.queueUpdateMs,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  balancer = new Balancer({
    store,
    dispatcher,
    events,
    watcher,
    estimator,
    durations,
    settings,
    logger: options.logger ?? silentLogger,
  });
  return { balancer, dispatcher, events, durations };
}

/** AI Horde's rule: a base, plus time for each unit of the job's work, within a cap. */
export function attemptTimeoutMs(
  job: Pick<Job, 'kind' | 'work'>,
  bound: BalancerSettings['attemptTimeout'],
): number {
  const perWork = job.kind === 'chat' ? bound.perTokenMs : bound.perMegapixelStepMs;
  return Math.min(bound.maxMs, Math.round(bound.baseMs + perWork * (job.work ?? 1)));
}
