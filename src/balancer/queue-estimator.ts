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

/**
 * Where a queued job stands and when it will start: the jobs ahead of it in the scheduler's
 * real order, each as long as the lane's average queued job, drained by the slots that are
 * up, after the running jobs' remaining time.
 */
export class QueueEstimator {
  constructor(
    private readonly store: JobStore,
    private readonly dispatcher: Dispatcher,
    private readonly lane: (name: string) => LaneExecutor | undefined,
    private readonly durations: DurationStats,
    /** The premium tier's share of starts while both tiers wait. */
    private readonly premiumShare: number,
  ) {}

  async estimate(job: Job): Promise<QueueEstimate | undefined> {
    const inTier = await this.store.position(job.id);
    if (inTier === undefined) return undefined;
    const tiers = await this.store.queuedWork(job.lane);
    // The other tier's jobs that its share starts meanwhile: for each start of this tier,
    // share ÷ (1 − share) of the other's, as long as it has jobs waiting.
    const other = job.tier === 'premium' ? tiers.general : tiers.premium;
    const share = job.tier === 'premium' ? this.premiumShare : 1 - this.premiumShare;
    const ratio = share <= 0 ? Infinity : (1 - share) / share;
    const otherAhead = Math.min(other.count, Math.floor((inTier + 1) * ratio));
    const position = inTier + otherAhead;
    const chat = job.kind === 'chat';
    const avgTimeMs = this.durations.estimate(job.lane, chat ? undefined : job.work);
    const slots = (await this.lane(job.lane)?.liveSlots()) ?? 0;
    if (slots === 0) return { position, avgTimeMs };
    const count = tiers.premium.count + tiers.general.count;
    const work = tiers.premium.work + tiers.general.work;
    const aheadMs = this.durations.estimate(
      job.lane,
      chat ? undefined : count === 0 ? 1 : work / count,
    );
    const now = Date.now();
    // When each slot frees: the running jobs' remaining time, soonest first; idle slots now.
    const remaining = this.dispatcher
      .runningIn(job.lane)
      .map((running) => Math.max(0, running.expectedMs - (now - running.startedAt)))
      .sort((a, b) => a - b)
      .slice(0, slots);
    const freeAt = [...new Array<number>(slots - remaining.length).fill(0), ...remaining];
    // Jobs ahead take the slots in turn as they free.
    const etaMs =
      (freeAt[position % slots] ?? 0) + Math.floor(position / slots) * aheadMs;
    return { position, etaMs: Math.round(etaMs), avgTimeMs };
  }
}
