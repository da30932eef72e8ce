import { type Logger, silentLogger } from '../core/logger.js';
import type { JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import { type QueueEstimator, queuedEvent } from './queue-estimator.js';

export interface QueueWatcherOptions {
  /** Every queued job someone listens to hears its place at least this often. */
  intervalMs: number;
  logger?: Logger;
}

/** Lane changes are gathered this long, so a burst of starts is one refresh. */
const laneDebounceMs = 100;

/**
 * Keeps waiting clients told where their job stands: a `queued` event with position and
 * ETA for each queued job that has listeners, every interval and soon after a job of its
 * lane starts. Jobs nobody listens to cost nothing.
 */
export class QueueWatcher {
  private readonly lanes = new Map<string, string>();
  private readonly pendingLanes = new Set<string>();
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
    this.interval = setInterval(() => void this.refresh(), this.options.intervalMs);
    this.interval.unref();
  }

  /** A job of `lane` started: the ones behind it moved up. */
  laneChanged(lane: string): void {
    this.pendingLanes.add(lane);
    if (this.debounce !== undefined) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      const lanes = new Set(this.pendingLanes);
      this.pendingLanes.clear();
      void this.refresh(lanes);
    }, laneDebounceMs);
    this.debounce.unref();
  }

  /** Publishes the place of one job now (on submit, and when a client subscribes). */
  async publish(jobId: string): Promise<void> {
    const job = await this.store.get(jobId);
    if (job === undefined || job.state !== 'queued') return;
    this.lanes.set(jobId, job.lane);
    const estimate = await this.estimator.estimate(job);
    if (estimate === undefined) return;
    this.events.publish(jobId, queuedEvent(estimate));
  }

  close(): void {
    clearInterval(this.interval);
    clearTimeout(this.debounce);
  }

  private async refresh(lanes?: ReadonlySet<string>): Promise<void> {
    const watched = this.events.listenedJobs();
    for (const id of this.lanes.keys()) if (!watched.has(id)) this.lanes.delete(id);
    for (const id of watched) {
      const lane = this.lanes.get(id);
      if (lanes !== undefined && lane !== undefined && !lanes.has(lane)) continue;
      try {
        await this.publish(id);
      } catch (error) {
        this.logger.warn({ job: id, error }, 'could not refresh a queued position');
      }
    }
  }
}
