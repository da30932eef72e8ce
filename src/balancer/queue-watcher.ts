import { type Logger, silentLogger } from '../core/logger.js';
import type { Job } from './job.js';
import type { JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import {
  type QueueEstimate,
  type QueueEstimator,
  queuedEvent,
} from './queue-estimator.js';

export interface QueueWatcherOptions {
  /** Every queued job someone listens to hears its place at least this often. */
  intervalMs: number;
  logger?: Logger;
}

/** Lane changes are gathered this long, so a burst of submits or starts is one refresh. */
const laneDebounceMs = 100;

/**
 * After a refresh, the next waits this many times as long as it took: with thousands of
 * listeners on a long queue, refreshing becomes rarer instead of taking the process over.
 */
const restFactor = 4;

/**
 * A change of the expected start smaller than this is not worth a message between the
 * periodic ones: the larger of 100 ms and a tenth of the remaining wait.
 */
const minimumShiftMs = 100;
const minimumShiftFraction = 0.1;

/**
 * A job someone listens to, and what it was last told. The job is read once: what an
 * estimate needs of it (lane, tier, kind, work) never changes.
 */
interface Watched {
  job: Job;
  told?: { position: number; startAt?: number };
}

/**
 * Keeps waiting clients told where their job stands: a `queued` event with position and
 * ETA for each queued job that has listeners, every interval, and soon after its lane
 * changed (a job started, was submitted ahead of it, or left the queue) when its place or
 * its expected start moved. Jobs nobody listens to cost nothing.
 */
export class QueueWatcher {
  private readonly watched = new Map<string, Watched>();
  private readonly pendingLanes = new Set<string>();
  private pendingAll = false;
  private refreshing: Promise<void> | undefined;
  private restUntil = 0;
  private resting: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly logger: Logger;
  private interval: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(
    private readonly events: JobEvents,
    private readonly store: JobStore,
    private readonly estimator: QueueEstimator,
    private readonly options: QueueWatcherOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    this.interval = setInterval(() => {
      this.pendingAll = true;
      this.next();
    }, this.options.intervalMs);
    this.interval.unref();
  }

  /** Something in `lane` moved: the places of the jobs waiting in it may have changed. */
  laneChanged(lane: string): void {
    this.pendingLanes.add(lane);
    if (this.debounce !== undefined) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.next();
    }, laneDebounceMs);
    this.debounce.unref();
  }

  /** Publishes the place of one job now (when a client subscribes). */
  async publish(job: Job): Promise<void> {
    await this.tell(this.watch(job), true);
  }

  close(): void {
    clearInterval(this.interval);
    clearTimeout(this.debounce);
    clearTimeout(this.resting);
    this.closed = true;
  }

  /**
   * Starts the refresh that is due, unless one is under way or the last one's rest is not
   * over: refreshes never overlap, so a slow store makes them rarer instead of piling up.
   */
  private next(): void {
    if (this.closed || this.refreshing !== undefined || this.resting !== undefined)
      return;
    if (!this.pendingAll && this.pendingLanes.size === 0) return;
    const rest = this.restUntil - Date.now();
    if (rest > 0) {
      this.resting = setTimeout(() => {
        this.resting = undefined;
        this.next();
      }, rest);
      this.resting.unref();
      return;
    }
    // The periodic refresh tells everyone; a lane change only those whose place moved.
    const lanes = this.pendingAll ? undefined : new Set(this.pendingLanes);
    this.pendingAll = false;
    this.pendingLanes.clear();
    const started = Date.now();
    this.refreshing = this.refresh(lanes).finally(() => {
      this.refreshing = undefined;
      this.restUntil = Date.now() + restFactor * (Date.now() - started);
      this.next();
    });
  }

  private async refresh(lanes: ReadonlySet<string> | undefined): Promise<void> {
    const listened = this.events.listenedJobs();
    for (const id of this.watched.keys()) if (!listened.has(id)) this.watched.delete(id);
    for (const id of listened) {
      try {
        let watched = this.watched.get(id);
        if (watched === undefined) {
          const job = await this.store.get(id);
          if (job === undefined) continue;
          watched = this.watch(job);
        }
        if (lanes !== undefined && !lanes.has(watched.job.lane)) continue;
        await this.tell(watched, lanes === undefined);
      } catch (error) {
        this.logger.warn({ job: id, error }, 'could not refresh a queued position');
      }
    }
  }

  private watch(job: Job): Watched {
    let watched = this.watched.get(job.id);
    if (watched === undefined) {
      watched = { job };
      this.watched.set(job.id, watched);
    }
    return watched;
  }

  /**
   * Tells a queued job where it stands: always, or only when that moved (`always` false).
   * A job that left the queue has no estimate, and is told nothing.
   */
  private async tell(watched: Watched, always: boolean): Promise<void> {
    const { job } = watched;
    const estimate = await this.estimator.estimate(job);
    if (estimate === undefined) return;
    const now = Date.now();
    if (!always && !moved(watched.told, estimate, now)) return;
    watched.told = {
      position: estimate.position,
      ...(estimate.etaMs === undefined ? {} : { startAt: now + estimate.etaMs }),
    };
    this.events.publish(job.id, queuedEvent(estimate));
  }
}

/** Whether a job's place or expected start changed enough since it was `told`. */
function moved(told: Watched['told'], estimate: QueueEstimate, now: number): boolean {
  if (told === undefined || told.position !== estimate.position) return true;
  if (told.startAt === undefined || estimate.etaMs === undefined)
    return (told.startAt === undefined) !== (estimate.etaMs === undefined);
  const shift = Math.abs(now + estimate.etaMs - told.startAt);
  return shift >= Math.max(minimumShiftMs, minimumShiftFraction * estimate.etaMs);
}
