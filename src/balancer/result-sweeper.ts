import type { JsonValue } from '../core/json.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { startDeadline } from '../http/request-deadline.js';
import type { Job } from './job.js';
import type { JobStore } from './job-store.js';
import type { RemovableResultStorage } from './result-storage.js';

/** Jobs read, and their files deleted, per round of a sweep. */
const batchSize = 500;

export interface ResultSweeperOptions {
  store: Pick<JobStore, 'expired' | 'remove'>;
  storage: Pick<RemovableResultStorage, 'delete'>;
  /** How long a finished job is kept, counted from when it finished. */
  retentionMs: number;
  sweepIntervalMs: number;
  logger?: Logger;
  /** Epoch milliseconds. */
  now?: () => number;
  /** How soon `start()` sweeps for the first time. */
  firstSweepMs?: number;
  /**
   * The bound on deleting one job's files, given to the storage with the stop as one
   * signal; a job that overruns it is tried again later.
   */
  deleteTimeoutMs?: number;
}

/** What one sweep did. */
export interface SweepResult {
  /** Jobs deleted with their files. */
  removed: number;
  /** Expired jobs kept because a file of theirs could not be deleted. */
  kept: number;
}

/**
 * Removes finished jobs older than the retention, with the files they stored, so a
 * long-running server's disk or bucket does not grow for ever. Files go first and the row
 * last: a job whose file could not be deleted keeps its row, and so is found again by the
 * next sweep. Deleting a file that is already gone is no error, so a sweep cut short by a
 * crash or a stop between the two steps only leaves work for the next one.
 */
export class ResultSweeper {
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly firstSweepMs: number;
  private readonly deleteTimeoutMs: number;
  private readonly stopping = new AbortController();
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<SweepResult> | undefined;

  constructor(private readonly options: ResultSweeperOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
    this.firstSweepMs = options.firstSweepMs ?? 1000;
    this.deleteTimeoutMs = options.deleteTimeoutMs ?? 60_000;
  }

  /**
   * Sweeps soon, then every `sweepIntervalMs` after the end of the previous sweep. Once
   * only: a second call, or one after `stop()`, does nothing.
   */
  start(): void {
    if (this.started || this.stopping.signal.aborted) return;
    this.started = true;
    this.schedule(this.firstSweepMs);
  }

  /**
   * Sweeps now, or joins the sweep already under way: two never run at once. Rejects only
   * when the store fails; a file that cannot be deleted is logged and counted as kept.
   */
  sweep(): Promise<SweepResult> {
    this.current ??= this.sweepAll(this.stopping.signal).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /**
   * Stops the timer and cuts a sweep in progress short: it waits for no further file,
   * removes the rows of the jobs whose files are already deleted, and ends. Resolves once
   * it has, so the store can be closed after.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current?.catch(() => undefined);
  }

  private schedule(delayMs: number) {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sweep()
        .then(
          (result) => {
            if (result.removed > 0 || result.kept > 0)
              this.logger.info(result, 'finished jobs past their retention removed');
          },
          (error: unknown) => this.logger.error({ error }, 'retention sweep failed'),
        )
        .finally(() => {
          if (!this.stopping.signal.aborted) this.schedule(this.options.sweepIntervalMs);
        });
    }, delayMs);
    // The sweeps are housekeeping: they never keep the process alive on their own.
    this.timer.unref();
  }

  private async sweepAll(signal: AbortSignal): Promise<SweepResult> {
    const { store } = this.options;
    const finishedBefore = this.now() - this.options.retentionMs;
    // Jobs kept in this sweep stay first in the oldest-first order, so each round asks for
    // that many more and passes over them: a file that cannot be deleted is tried once
    // per sweep, and never stops the jobs behind it from going.
    const kept = new Set<string>();
    let removed = 0;
    while (!signal.aborted) {
      const limit = batchSize + kept.size;
      const jobs = await store.expired(finishedBefore, limit);
      const deleted: string[] = [];
      for (const job of jobs) {
        if (signal.aborted) break;
        if (kept.has(job.id)) continue;
        if (await this.deleteFiles(job, signal)) deleted.push(job.id);
        else kept.add(job.id);
      }
      removed += deleted.length === 0 ? 0 : await store.remove(deleted);
      // Fewer than asked: nothing older is left. Kept jobs past a batch: the storage is
      // failing widely, and the next sweep will try again.
      if (jobs.length < limit || kept.size >= batchSize) break;
    }
    return { removed, kept: kept.size };
  }

  /**
   * Deletes every file the job stored; false (and a warning) if one could not be. The
   * storage is given a signal that aborts when the deletion overruns its bound or a stop
   * cuts it short, and it ends its deletions then.
   */
  private async deleteFiles(job: Job, stopping: AbortSignal): Promise<boolean> {
    const keys = storedKeys(job.result);
    if (keys.length === 0) return true;
    const bound = startDeadline(
      stopping,
      this.deleteTimeoutMs,
      `Deleting the files of job ${job.id}`,
    );
    try {
      await Promise.all(
        keys.map((key) => this.options.storage.delete(key, bound.signal)),
      );
      return true;
    } catch (error) {
      if (!stopping.aborted)
        this.logger.warn({ error, job: job.id }, 'file of an expired job not deleted');
      return false;
    } finally {
      bound.clear();
    }
  }
}

/** The keys of the images a job's result stored; images known only by URL have none. */
function storedKeys(result: JsonValue | undefined): string[] {
  if (!isObject(result) || !Array.isArray(result.images)) return [];
  return result.images.flatMap((image) =>
    isObject(image) && typeof image.key === 'string' ? [image.key] : [],
  );
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
