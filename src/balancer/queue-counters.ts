/** Queued and running jobs of one user of a service. */
export interface UserCounts {
  queued: number;
  running: number;
}

const key = (first: string, second: string) => `${first}\u0000${second}`;

/**
 * What the scheduler counts, kept in memory by a single-process store and rebuilt from
 * its tables when it opens: jobs per user, queued jobs in all, and each lane's virtual
 * clock (the turn of the last job it started, per tier).
 */
export class QueueCounters {
  totalQueued = 0;
  private readonly users = new Map<string, UserCounts>();
  private readonly clocks = new Map<string, number>();
  private readonly queuedWork = new Map<string, { count: number; work: number }>();

  user(service: string, userId: string): UserCounts {
    return this.users.get(key(service, userId)) ?? { queued: 0, running: 0 };
  }

  change(service: string, userId: string, queued: number, running: number): UserCounts {
    const counts = this.user(service, userId);
    const changed = { queued: counts.queued + queued, running: counts.running + running };
    if (changed.queued === 0 && changed.running === 0)
      this.users.delete(key(service, userId));
    else this.users.set(key(service, userId), changed);
    this.totalQueued += queued;
    return changed;
  }

  /** Queued jobs of a lane's tier and their work in all, for ETAs. */
  laneTier(lane: string, tier: string): { count: number; work: number } {
    return this.queuedWork.get(key(lane, tier)) ?? { count: 0, work: 0 };
  }

  /** Counts jobs entering (`count` > 0) or leaving the queue of a lane's tier. */
  queue(lane: string, tier: string, count: number, work: number): void {
    const current = this.laneTier(lane, tier);
    const next = { count: current.count + count, work: current.work + work };
    if (next.count <= 0) this.queuedWork.delete(key(lane, tier));
    else this.queuedWork.set(key(lane, tier), next);
  }

  clock(lane: string, tier: string): number {
    return this.clocks.get(key(lane, tier)) ?? 0;
  }

  /** The clock only moves forward. */
  advance(lane: string, tier: string, turn: number): void {
    if (turn > this.clock(lane, tier)) this.clocks.set(key(lane, tier), turn);
  }
}
