/** What a lane's jobs have taken, learned from the ones that finished. */
interface LaneDurations {
  /** Milliseconds per unit of work (megapixel-step, or token). */
  msPerWork: number;
  /** Work of a typical job, for jobs whose size is only known afterwards (chat). */
  workPerJob: number;
  samples: number;
}

/** A lane's learned durations as the store keeps them across restarts. */
export interface LearnedDurations extends LaneDurations {
  lane: string;
}

export interface DurationStatsOptions {
  /** The guess for a lane before its first job finishes. */
  initial(lane: string): { msPerWork: number; workPerJob: number };
}

// Recent jobs count most: an upstream that warms up or slows down shows in a few jobs.
const weight = 0.2;

/**
 * Durations per lane, normalised by work, so a 1024×1024 50-step job is expected to take
 * about eight times a 512×512 25-step one on the same executors.
 */
export class DurationStats {
  private readonly lanes = new Map<string, LaneDurations>();
  /** Lanes learned from since `takeChanged` was last called. */
  private readonly changed = new Set<string>();

  constructor(private readonly options: DurationStatsOptions) {}

  /**
   * Starts from what an earlier run learned, so a restart does not fall back to the
   * initial guess; lanes learned from since are kept as they are.
   */
  restore(learned: readonly LearnedDurations[]): void {
    for (const { lane, msPerWork, workPerJob, samples } of learned) {
      if (this.lanes.has(lane)) continue;
      if (!(msPerWork >= 0 && workPerJob > 0 && samples >= 1)) continue;
      this.lanes.set(lane, { msPerWork, workPerJob, samples });
    }
  }

  /** The lanes learned from since the last call, to keep. */
  takeChanged(): LearnedDurations[] {
    const changed = [...this.changed].flatMap((lane) => {
      const durations = this.lanes.get(lane);
      return durations === undefined ? [] : [{ lane, ...durations }];
    });
    this.changed.clear();
    return changed;
  }

  /** Lanes whose keeping failed: the next `takeChanged` returns them again. */
  keepLater(learned: readonly LearnedDurations[]): void {
    for (const { lane } of learned) this.changed.add(lane);
  }

  record(lane: string, work: number, durationMs: number): void {
    if (!(work > 0) || !(durationMs >= 0)) return;
    this.changed.add(lane);
    const current = this.lanes.get(lane);
    if (current === undefined) {
      this.lanes.set(lane, {
        msPerWork: durationMs / work,
        workPerJob: work,
        samples: 1,
      });
      return;
    }
    // The first few samples are averaged plainly, so the initial guess is soon forgotten.
    const alpha = Math.max(weight, 1 / (current.samples + 1));
    current.msPerWork += alpha * (durationMs / work - current.msPerWork);
    current.workPerJob += alpha * (work - current.workPerJob);
    current.samples++;
  }

  /** Expected milliseconds for a job of `work` units, or of a typical size when unknown. */
  estimate(lane: string, work?: number): number {
    const durations = this.lanes.get(lane) ?? this.options.initial(lane);
    return Math.round(durations.msPerWork * (work ?? durations.workPerJob));
  }
}
