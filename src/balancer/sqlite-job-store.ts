import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { QueueFullError } from '../core/errors.js';
import type { LearnedDurations } from './duration-stats.js';
import {
  anonymousUser,
  type Job,
  type JobError,
  type JobState,
  type NewJob,
} from './job.js';
import { type JobRow, jobFromRow } from './job-row.js';
import type {
  AdmissionLimits,
  ClaimOptions,
  JobStore,
  SubmitResult,
} from './job-store.js';
import { QueueCounters } from './queue-counters.js';
import { sqliteSchema } from './sqlite-schema.js';
import {
  prepareStatements,
  type QueueRow,
  type SqliteStatements,
} from './sqlite-statements.js';

export interface SqliteJobStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** Running jobs one user may have at once; their other jobs wait. */
  maxUserRunning: number;
  now?: () => number;
}

type Retry = { allowed: boolean; maxAttempts: number };

/**
 * The embedded job store: SQLite in WAL mode, so a committed job survives the process
 * being killed at any moment. better-sqlite3 is synchronous, so each method is one
 * transaction that nothing else in the process can interleave with.
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly maxUserRunning: number;
  private readonly statement: SqliteStatements;
  private readonly counters = new QueueCounters();
  private readonly transactions;

  constructor(options: SqliteJobStoreOptions) {
    if (options.path !== ':memory:')
      mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    // WAL with synchronous=NORMAL loses nothing when the process dies, only on power loss.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // The queue's hot pages stay in memory: 64 MiB holds the indexes of ~1M jobs.
    this.db.pragma('cache_size = -65536');
    this.db.exec(sqliteSchema);
    this.statement = prepareStatements(this.db);
    this.now = options.now ?? Date.now;
    this.maxUserRunning = options.maxUserRunning;
    this.rebuildCounters();
    // Built once: better-sqlite3 wraps each in BEGIN/COMMIT, and ROLLBACK on a throw.
    this.transactions = {
      insert: this.db.transaction(this.insert.bind(this)),
      claim: this.db.transaction(this.claimNext.bind(this)),
      complete: this.db.transaction(this.completeRunning.bind(this)),
      fail: this.db.transaction(this.failRunning.bind(this)),
      cancel: this.db.transaction(this.cancelJob.bind(this)),
      recover: this.db.transaction(this.recover.bind(this)),
      remove: this.db.transaction(this.removeFinished.bind(this)),
      keepDurations: this.db.transaction((learned: readonly LearnedDurations[]) => {
        for (const lane of learned) this.statement.saveLaneDurations.run(lane);
      }),
    };
  }

  async submit(job: NewJob, limits: AdmissionLimits): Promise<SubmitResult> {
    return this.transactions.insert(job, limits);
  }

  async reject(job: NewJob, error: JobError): Promise<Job> {
    const s = this.statement;
    const existing = this.earlier(job);
    if (existing !== undefined) return existing;
    const id = randomUUID();
    const now = this.now();
    s.insertRejected.run(...jobColumns(id, job), now, now, JSON.stringify(error));
    return jobFromRow(s.jobById.get(id) as JobRow);
  }

  async claim(lane: string, options: ClaimOptions): Promise<Job | undefined> {
    return this.transactions.claim(lane, options);
  }

  async renew(id: string, worker: string, leaseMs: number): Promise<boolean> {
    return this.statement.renew.run(this.now() + leaseMs, id, worker).changes === 1;
  }

  async complete(id: string, worker: string, result: Job['result']): Promise<boolean> {
    return this.transactions.complete(id, worker, result);
  }

  async fail(id: string, worker: string, error: JobError, retry: Retry) {
    return this.transactions.fail(id, worker, error, retry);
  }

  async cancel(
    id: string,
    service: string,
  ): Promise<{ job: Job; canceled: boolean } | undefined> {
    return this.transactions.cancel(id, service);
  }

  async get(id: string, service?: string): Promise<Job | undefined> {
    const row = this.statement.jobById.get(id) as JobRow | undefined;
    if (row === undefined || (service !== undefined && row.service !== service))
      return undefined;
    return jobFromRow(row);
  }

  async list(
    service: string,
    filter: { userId?: string; state?: JobState; limit?: number },
  ): Promise<Job[]> {
    const rows = this.statement.list.all({
      service,
      user: filter.userId ?? null,
      state: filter.state ?? null,
      limit: filter.limit ?? 100,
    }) as JobRow[];
    return rows.map(jobFromRow);
  }

  async recoverExpired(now: number, maxAttempts: number): Promise<number> {
    return this.transactions.recover(now, maxAttempts);
  }

  async expired(finishedBefore: number, limit: number): Promise<Job[]> {
    const rows = this.statement.finishedBefore.all(finishedBefore, limit) as JobRow[];
    return rows.map(jobFromRow);
  }

  async remove(ids: readonly string[]): Promise<number> {
    return this.transactions.remove(ids);
  }

  async position(id: string): Promise<number | undefined> {
    const s = this.statement;
    const row = s.jobPlace.get(id) as JobRow | undefined;
    if (row === undefined || row.state !== 'queued') return undefined;
    const queue = s.queue.get(row.lane, row.service, row.user_id, row.tier) as QueueRow;
    const own = s.ownAhead.get(row.lane, row.service, row.user_id, row.tier, row.seq) as {
      count: number;
    };
    // The job's own turn; each other queue has a job ahead for each of its earlier turns.
    const others = s.othersAhead.get({
      turn: queue.turn + own.count,
      seq: row.seq,
      lane: row.lane,
      tier: row.tier,
      service: row.service,
      user: row.user_id,
    }) as { ahead: number | null };
    return own.count + (others.ahead ?? 0);
  }

  async queuedLanes(): Promise<string[]> {
    const rows = this.statement.queuedLanes.all() as { lane: string }[];
    return rows.map((row) => row.lane);
  }

  async queuedWork(lane: string) {
    return {
      premium: this.counters.laneTier(lane, 'premium'),
      general: this.counters.laneTier(lane, 'general'),
    };
  }

  async learnedDurations(): Promise<LearnedDurations[]> {
    return this.statement.laneDurations.all() as LearnedDurations[];
  }

  async keepDurations(learned: readonly LearnedDurations[]): Promise<void> {
    this.transactions.keepDurations(learned);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private insert(job: NewJob, limits: AdmissionLimits): SubmitResult {
    const s = this.statement;
    const existing = this.earlier(job);
    if (existing !== undefined) return { job: existing, created: false };
    const total = this.counters.totalQueued;
    if (total >= limits.maxQueueSize) {
      throw new QueueFullError(
        `The queue is full: ${total} jobs wait (balancer.maxQueueSize)`,
      );
    }
    const user = this.counters.user(job.service, job.userId);
    if (job.userId !== anonymousUser && user.queued >= limits.maxUserQueueSize) {
      throw new QueueFullError(
        `User "${job.userId}" already has ${user.queued} queued jobs; the limit (max_user_queue_size) is ${limits.maxUserQueueSize}`,
        { param: 'max_user_queue_size' },
      );
    }
    const id = randomUUID();
    const { lastInsertRowid } = s.insertJob.run(...jobColumns(id, job), this.now());
    const seq = Number(lastInsertRowid);
    const queue = s.queue.get(job.lane, job.service, job.userId, job.tier) as
      | QueueRow
      | undefined;
    if (queue === undefined || queue.queued === 0) {
      // A user who was idle joins at the tier's clock, but never before their own next
      // turn: emptying a queue must not buy an earlier place.
      const clock = this.counters.clock(job.lane, job.tier);
      const turn = Math.max(clock, queue?.turn ?? clock);
      const ready = this.mayRun(job.userId, user.running) ? 1 : 0;
      s.upsertQueueHead.run(
        job.lane,
        job.service,
        job.userId,
        job.tier,
        turn,
        seq,
        ready,
      );
    } else {
      s.queueGrew.run(job.lane, job.service, job.userId, job.tier);
    }
    const stored = jobFromRow(s.jobById.get(id) as JobRow);
    // Counters change last, once every statement has succeeded.
    this.counters.change(job.service, job.userId, 1, 0);
    this.counters.queue(job.lane, job.tier, 1, job.work ?? 1);
    return { job: stored, created: true };
  }

  private claimNext(lane: string, options: ClaimOptions): Job | undefined {
    const s = this.statement;
    for (const tier of options.tiers) {
      const queue = s.nextQueue.get(lane, tier) as QueueRow | undefined;
      if (queue?.head_seq == null) continue;
      const now = this.now();
      s.startJob.run(now, now + options.leaseMs, options.worker, queue.head_seq);
      const next = s.nextHead.get(lane, queue.service, queue.user_id, tier) as
        | { seq: number }
        | undefined;
      s.queueShrank.run(
        queue.turn + 1,
        next?.seq ?? null,
        lane,
        queue.service,
        queue.user_id,
        tier,
      );
      const job = jobFromRow(s.jobBySeq.get(queue.head_seq) as JobRow);
      this.counters.advance(lane, tier, queue.turn);
      this.counters.queue(lane, tier, -1, -(job.work ?? 1));
      this.changeCounts(queue.service, queue.user_id, -1, 1);
      return job;
    }
    return undefined;
  }

  private completeRunning(id: string, worker: string, result: Job['result']): boolean {
    const row = this.statement.runningJob.get(id, worker) as JobRow | undefined;
    if (row === undefined) return false;
    this.finish(row, 'succeeded', JSON.stringify(result ?? null), null);
    return true;
  }

  private failRunning(id: string, worker: string, error: JobError, retry: Retry) {
    const row = this.statement.runningJob.get(id, worker) as JobRow | undefined;
    if (row === undefined) return undefined;
    if (retry.allowed && row.attempts < retry.maxAttempts) {
      this.requeue(row, error);
      return 'queued' as const;
    }
    this.finish(row, 'failed', null, JSON.stringify(error));
    return 'failed' as const;
  }

  private cancelJob(
    id: string,
    service: string,
  ): { job: Job; canceled: boolean } | undefined {
    const s = this.statement;
    const row = s.jobById.get(id) as JobRow | undefined;
    if (row === undefined || row.service !== service) return undefined;
    const canceled = row.state === 'running' || row.state === 'queued';
    if (row.state === 'running') this.finish(row, 'canceled', null, null);
    if (row.state === 'queued') {
      s.endJob.run('canceled', this.now(), null, null, row.id);
      const next = s.nextHead.get(row.lane, row.service, row.user_id, row.tier) as
        | { seq: number }
        | undefined;
      s.queueLost.run(next?.seq ?? null, row.lane, row.service, row.user_id, row.tier);
      this.counters.queue(row.lane, row.tier, -1, -row.work);
      this.changeCounts(row.service, row.user_id, -1, 0);
    }
    return { job: jobFromRow(s.jobById.get(id) as JobRow), canceled };
  }

  private recover(now: number, maxAttempts: number): number {
    const rows = this.statement.expired.all(now) as JobRow[];
    const error = {
      code: 'lease_expired',
      message: 'The process running the job stopped',
    };
    for (const row of rows) {
      if (row.attempts < maxAttempts) this.requeue(row, error);
      else this.finish(row, 'failed', null, JSON.stringify(error));
    }
    return rows.length;
  }

  /**
   * Deletes finished jobs. The counters are left as they are: they count only queued and
   * running jobs, and a queue's head is always a queued job, so no finished one is named.
   */
  private removeFinished(ids: readonly string[]): number {
    let removed = 0;
    for (const id of ids) removed += this.statement.removeFinished.run(id).changes;
    return removed;
  }

  /** Ends a running job in a final state and frees its user's slot. */
  private finish(
    row: JobRow,
    state: JobState,
    result: string | null,
    error: string | null,
  ) {
    this.statement.endJob.run(state, this.now(), result, error, row.id);
    this.changeCounts(row.service, row.user_id, 0, -1);
  }

  /** Puts a running job back at the head of its user's queue, at the turn it had. */
  private requeue(row: JobRow, error: JobError) {
    const s = this.statement;
    s.requeueJob.run(JSON.stringify(error), row.id);
    const queue = s.queue.get(row.lane, row.service, row.user_id, row.tier) as QueueRow;
    const head =
      queue.head_seq === null || row.seq < queue.head_seq ? row.seq : queue.head_seq;
    const running = this.counters.user(row.service, row.user_id).running - 1;
    const ready = this.mayRun(row.user_id, running) ? 1 : 0;
    s.queueReturned.run(
      queue.turn - 1,
      head,
      ready,
      row.lane,
      row.service,
      row.user_id,
      row.tier,
    );
    this.counters.queue(row.lane, row.tier, 1, row.work);
    this.changeCounts(row.service, row.user_id, 1, -1);
  }

  /**
   * Counts a user's jobs moving between queued and running. Their queues are ready while
   * they hold jobs and the user has a free running slot, so the flag of all of them is
   * written when the user reaches or leaves the running cap.
   */
  private changeCounts(service: string, userId: string, queued: number, running: number) {
    const before = this.mayRun(userId, this.counters.user(service, userId).running);
    const counts = this.counters.change(service, userId, queued, running);
    const after = this.mayRun(userId, counts.running);
    if (before !== after) this.statement.setReady.run(after ? 1 : 0, service, userId);
  }

  /** The job the service submitted before under the same request id, if any. */
  private earlier(job: NewJob): Job | undefined {
    if (job.requestId === undefined) return undefined;
    const row = this.statement.jobByRequest.get(job.service, job.requestId) as
      | JobRow
      | undefined;
    return row === undefined ? undefined : jobFromRow(row);
  }

  /** Whether a user with `running` jobs may start another (anonymous jobs always may). */
  private mayRun(userId: string, running: number): boolean {
    return userId === anonymousUser || running < this.maxUserRunning;
  }

  /** Counters and clocks from the tables, as they were when the process last stopped. */
  private rebuildCounters() {
    const users = this.statement.activeUsers.all() as {
      service: string;
      user_id: string;
      queued: number;
      running: number;
    }[];
    for (const user of users) {
      this.counters.change(user.service, user.user_id, user.queued, user.running);
    }
    // Every head waits at or after its lane's clock, so the smallest turn is a safe clock.
    const clocks = this.statement.laneClocks.all() as {
      lane: string;
      tier: string;
      turn: number;
    }[];
    for (const clock of clocks) this.counters.advance(clock.lane, clock.tier, clock.turn);
    const loads = this.statement.queuedWork.all() as {
      lane: string;
      tier: string;
      count: number;
      work: number;
    }[];
    for (const load of loads)
      this.counters.queue(load.lane, load.tier, load.count, load.work);
  }
}

/** A new job's columns, in the order both insert statements list them. */
function jobColumns(id: string, job: NewJob) {
  return [
    id,
    job.service,
    job.userId,
    job.chatId ?? null,
    job.messageId ?? null,
    job.requestId ?? null,
    job.webhook ?? null,
    job.tier,
    job.kind,
    job.lane,
    JSON.stringify(job.payload),
    job.work ?? 1,
  ] as const;
}
