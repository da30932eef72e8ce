import type { QueuedPart } from '../core/stream-part.js';
import type { Dispatcher, LaneExecutor } from './dispatcher.js';
import type { DurationStats } from './duration-stats.js';
import type { Job } from './job.js';
import type { JobStore } from './job-store.js';

export interface QueueEstimate {
  /** Jobs that start before this one, in the scheduler's order. */
  position: number;
  /** Expected milliseconds until it starts; undefined while no instance of its lane is up. */
  etaMs?: number;
  /** Expected milliseconds it runs, for its size on its lane (the Devoid `avg_time`). */
  avgTimeMs: number;
}

/** The `queued` event that tells a job where it stands. */
export function queuedEvent(estimate: QueueEstimate): QueuedPart {
  return {
    type: 'queued',
    position: estimate.position,
    avgTimeMs: estimate.avgTimeMs,
    ...(estimate.etaMs === undefined ? {} : { etaMs: estimate.etaMs }),
  };
}

/** The queued work of a lane is read at most this often: a sum over its queued jobs. */
const laneWorkTtlMs = 1000;

/**
 * Where a queued job stands and when it will start: the jobs ahead of it in the scheduler's
 * real order, each as long as the lane's average queued job, drained by the slots that are
 * up, after the running jobs' remaining time.
 */
export class QueueEstimator {
  private readonly laneWork = new Map<string, { at: number; average: Promise<number> }>();

  constructor(
    private readonly store: JobStore,
    private readonly dispatcher: Dispatcher,
    private readonly lane: (name: string) => LaneExecutor | undefined,
    private readonly durations: DurationStats,
  ) {}

  async estimate(job: Job): Promise<QueueEstimate | undefined> {
    const position = await this.store.position(job.id);
    if (position === undefined) return undefined;
    const chat = job.kind === 'chat';
    const avgTimeMs = this.durations.estimate(job.lane, chat ? undefined : job.work);
    const slots = (await this.lane(job.lane)?.liveSlots()) ?? 0;
    if (slots === 0) return { position, avgTimeMs };
    const aheadMs = this.durations.estimate(
      job.lane,
      chat ? undefined : await this.averageQueuedWork(job.lane),
    );
    const now = Date.now();
    // When each slot frees: the running jobs' remaining time, soonest first; idle slots now.
    const remaining = this.dispatcher
      .runningIn(job.lane)
      .map((running) => Math.max(0, running.expectedMs - (now - running.startedAt)))
      .sort((a, b) => a - b)
      .slice(0, slots);
    const freeAt = [...new Array<number>(slots - remaining.length).fill(0), ...remaining];
    freeAt.sort((a, b) => a - b);
    // Jobs ahead take the slots in turn as they free.
    const etaMs =
      (freeAt[position % slots] ?? 0) + Math.floor(position / slots) * aheadMs;
    return { position, etaMs: Math.round(etaMs), avgTimeMs };
  }

  private averageQueuedWork(lane: string): Promise<number> {
    const now = Date.now();
    const cached = this.laneWork.get(lane);
    if (cached !== undefined && now - cached.at < laneWorkTtlMs) return cached.average;
    const average = this.store
      .queuedWork(lane)
      .then(({ count, work }) => (count === 0 ? 1 : work / count));
    this.laneWork.set(lane, { at: now, average });
    return average;
  }
}
