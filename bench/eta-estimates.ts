// Estimates the ETA bench compares with genrelay's own: the Devoid generator's, and
// two oracles that know what happened next.

/** The Devoid generator's average: a ring of the last 8 durations, 4 s each at first. */
export class DevoidAverage {
  private readonly ring = new Array<number>(8).fill(4000);
  private index = 0;

  record(durationMs: number): void {
    this.index = (this.index + 1) % this.ring.length;
    this.ring[this.index] = durationMs;
  }

  /**
   * Its `avg_time`: the mean × the queue's length / the live executors. Its 4 s floor is
   * left out: the bench's scaled-down jobs would all sit under it.
   */
  etaMs(queued: number, slots: number): number {
    const mean = this.ring.reduce((sum, value) => sum + value, 0) / this.ring.length;
    return (mean * queued) / slots;
  }
}

/**
 * genrelay's rule: the jobs ahead take the slots in turn as they free, each as long as the
 * lane's average queued job. `freeAt` holds when each slot frees, soonest first.
 */
export function slotEta(
  freeAt: readonly number[],
  ahead: number,
  aheadMs: number,
): number {
  return (
    (freeAt[ahead % freeAt.length] ?? 0) + Math.floor(ahead / freeAt.length) * aheadMs
  );
}

/** When a job starts if `durations` run first, in order, each on the slot that frees first. */
export function listScheduledEta(
  freeAt: readonly number[],
  durations: readonly number[],
): number {
  const slots = [...freeAt];
  for (const duration of durations) {
    slots.sort((a, b) => a - b);
    slots[0] = (slots[0] ?? 0) + duration;
  }
  return Math.min(...slots);
}
