import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { QueueFullError } from '../core/errors.js';
import type { Job, JobError, JobState, NewJob } from './job.js';
import { type JobRow, jobFromRow } from './job-row.js';
import type {
  AdmissionLimits,
  ClaimOptions,
  JobStore,
  SubmitResult,
} from './job-store.js';
import { sqliteSchema } from './sqlite-schema.js';

interface QueueRow {
  lane: string;
  service: string;
  user_id: string;
  tier: string;
  queued: number;
  turn: number;
  head_seq: number | null;
}

export interface SqliteJobStoreOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** Running jobs one user may have at once; their other jobs wait. */
  maxUserRunning: number;
  now?: () => number;
}

/**
 * The embedded job store: SQLite in WAL mode, so a committed job survives the process
 * being killed at any moment. better-sqlite3 is synchronous, which makes each
 * transaction atomic within the process without locks.
 */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly maxUserRunning: number;
  private readonly statement: ReturnType<typeof prepare>;

  constructor(options: SqliteJobStoreOptions) {
    if (options.path !== ':memory:')
      mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    // WAL with synchronous=NORMAL loses nothing when the process dies, only on power loss.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(sqliteSchema);
    this.statement = prepare(this.db);
    this.now = options.now ?? Date.now;
    this.maxUserRunning = options.maxUserRunning;
  }

  async submit(job: NewJob, limits: AdmissionLimits): Promise<SubmitResult> {
    return this.db.transaction(() => this.insert(job, limits))();
  }

  private insert(job: NewJob, limits: AdmissionLimits): SubmitResult {
    const s = this.statement;
    if (job.requestId !== undefined) {
      const existing = s.jobByRequest.get(job.service, job.requestId) as
        | JobRow
        | undefined;
      if (existing !== undefined) return { job: jobFromRow(existing), created: false };
    }
    const total = (s.totalQueued.get() as { value: number }).value;
    if (total >= limits.maxQueueSize) {
      throw new QueueFullError(
        `The queue is full: ${total} jobs wait (balancer.maxQueueSize)`,
      );
    }
    s.ensureUser.run(job.service, job.userId);
    const user = s.user.get(job.service, job.userId) as {
      queued: number;
      running: number;
    };
    if (user.queued >= limits.maxUserQueueSize) {
      throw new QueueFullError(
        `User "${job.userId}" already has ${user.queued} queued jobs; the limit (max_user_queue_size) is ${limits.maxUserQueueSize}`,
        { param: 'max_user_queue_size' },
      );
    }
    const now = this.now();
    const id = randomUUID();
    const { lastInsertRowid } = s.insertJob.run(
      id,
      job.service,
      job.userId,
      job.chatId ?? null,
      job.messageId ?? null,
      job.requestId ?? null,
      job.tier,
      job.kind,
      job.lane,
      JSON.stringify(job.payload),
      job.work ?? 1,
      now,
    );
    const seq = Number(lastInsertRowid);
    const queue = s.queue.get(job.lane, job.service, job.userId, job.tier) as
      | QueueRow
      | undefined;
    const ready = user.running < this.maxUserRunning ? 1 : 0;
    if (queue === undefined || queue.queued === 0) {
      // A user who was idle joins at the tier's clock, but never before their own last
      // turn: emptying a queue must not buy an earlier place.
      const clock = this.clock(job.lane, job.tier);
      const turn = Math.max(clock, queue?.turn ?? clock);
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
    s.userQueued.run(1, job.service, job.userId);
    s.addTotalQueued.run(1);
    return { job: jobFromRow(s.jobById.get(id) as JobRow), created: true };
  }

  async claim(lane: string, options: ClaimOptions): Promise<Job | undefined> {
    return this.db.transaction(() => {
      const s = this.statement;
      for (const tier of options.tiers) {
        const queue = s.nextQueue.get(lane, tier) as QueueRow | undefined;
        if (queue?.head_seq == null) continue;
        const now = this.now();
        s.startJob.run(now, now + options.leaseMs, options.worker, queue.head_seq);
        s.setClock.run(lane, tier, queue.turn);
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
        s.userQueued.run(-1, queue.service, queue.user_id);
        s.addTotalQueued.run(-1);
        this.changeRunning(queue.service, queue.user_id, 1);
        return jobFromRow(s.jobBySeq.get(queue.head_seq) as JobRow);
      }
      return undefined;
    })();
  }

  async renew(id: string, worker: string, leaseMs: number): Promise<boolean> {
    return this.statement.renew.run(this.now() + leaseMs, id, worker).changes === 1;
  }

  async complete(id: string, worker: string, result: Job['result']): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.statement.runningJob.get(id, worker) as JobRow | undefined;
      if (row === undefined) return false;
      this.finish(row, 'succeeded', JSON.stringify(result ?? null), null);
      return true;
    })();
  }

  async fail(
    id: string,
    worker: string,
    error: JobError,
    retry: { allowed: boolean; maxAttempts: number },
  ): Promise<JobState | undefined> {
    return this.db.transaction(() => {
      const row = this.statement.runningJob.get(id, worker) as JobRow | undefined;
      if (row === undefined) return undefined;
      if (retry.allowed && row.attempts < retry.maxAttempts) {
        this.requeue(row, error);
        return 'queued' as const;
      }
      this.finish(row, 'failed', null, JSON.stringify(error));
      return 'failed' as const;
    })();
  }

  async cancel(id: string, service: string): Promise<Job | undefined> {
    return this.db.transaction(() => {
      const s = this.statement;
      const row = s.jobById.get(id) as JobRow | undefined;
      if (row === undefined || row.service !== service) return undefined;
      if (row.state === 'running') {
        this.finish(row, 'canceled', null, null);
      } else if (row.state === 'queued') {
        s.endJob.run('canceled', this.now(), null, null, row.id);
        this.leaveQueue(row);
      }
      return jobFromRow(s.jobById.get(id) as JobRow);
    })();
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
    const rows = this.statement.list.all(
      service,
      filter.userId ?? null,
      filter.userId ?? null,
      filter.state ?? null,
      filter.state ?? null,
      filter.limit ?? 100,
    ) as JobRow[];
    return rows.map(jobFromRow);
  }

  async recoverExpired(now: number, maxAttempts: number): Promise<number> {
    return this.db.transaction(() => {
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
    })();
  }

  async position(id: string): Promise<number | undefined> {
    const s = this.statement;
    const row = s.jobById.get(id) as JobRow | undefined;
    if (row === undefined || row.state !== 'queued') return undefined;
    const queue = s.queue.get(row.lane, row.service, row.user_id, row.tier) as QueueRow;
    const before = (
      s.ownAhead.get(row.lane, row.service, row.user_id, row.tier, row.seq) as {
        count: number;
      }
    ).count;
    // The job's own turn; another queue has a job ahead for each of its turns before it.
    const turn = queue.turn + before;
    const others = s.othersAhead.get({
      turn,
      seq: row.seq,
      lane: row.lane,
      tier: row.tier,
      service: row.service,
      user: row.user_id,
    }) as { ahead: number | null };
    return before + (others.ahead ?? 0);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private clock(lane: string, tier: string): number {
    return (
      (this.statement.clock.get(lane, tier) as { turn: number } | undefined)?.turn ?? 0
    );
  }

  /** Ends a running job in a final state and frees its user's slot. */
  private finish(
    row: JobRow,
    state: JobState,
    result: string | null,
    error: string | null,
  ) {
    this.statement.endJob.run(state, this.now(), result, error, row.id);
    this.changeRunning(row.service, row.user_id, -1);
  }

  /** Puts a running job back at the head of its user's queue, at the turn it had. */
  private requeue(row: JobRow, error: JobError) {
    const s = this.statement;
    s.requeueJob.run(JSON.stringify(error), row.id);
    const queue = s.queue.get(row.lane, row.service, row.user_id, row.tier) as QueueRow;
    const head =
      queue.head_seq === null || row.seq < queue.head_seq ? row.seq : queue.head_seq;
    s.queueReturned.run(
      queue.turn - 1,
      head,
      row.lane,
      row.service,
      row.user_id,
      row.tier,
    );
    s.userQueued.run(1, row.service, row.user_id);
    s.addTotalQueued.run(1);
    this.changeRunning(row.service, row.user_id, -1);
  }

  /** Takes a canceled queued job out of its user's queue. */
  private leaveQueue(row: JobRow) {
    const s = this.statement;
    const next = s.nextHead.get(row.lane, row.service, row.user_id, row.tier) as
      | { seq: number }
      | undefined;
    s.queueLost.run(next?.seq ?? null, row.lane, row.service, row.user_id, row.tier);
    s.userQueued.run(-1, row.service, row.user_id);
    s.addTotalQueued.run(-1);
    this.refreshReady(row.service, row.user_id);
  }

  private changeRunning(service: string, userId: string, change: number) {
    this.statement.userRunning.run(change, service, userId);
    this.refreshReady(service, userId);
  }

  /** A user's queues are ready while they have jobs and a free running slot. */
  private refreshReady(service: string, userId: string) {
    const user = this.statement.user.get(service, userId) as { running: number };
    this.statement.setReady.run(
      user.running < this.maxUserRunning ? 1 : 0,
      service,
      userId,
    );
  }
}

function prepare(db: Database.Database) {
  const sql = (text: string) => db.prepare(text);
  return {
    jobById: sql('SELECT * FROM jobs WHERE id = ?'),
    jobBySeq: sql('SELECT * FROM jobs WHERE seq = ?'),
    jobByRequest: sql('SELECT * FROM jobs WHERE service = ? AND request_id = ?'),
    runningJob: sql(
      "SELECT * FROM jobs WHERE id = ? AND state = 'running' AND worker = ?",
    ),
    insertJob: sql(
      `INSERT INTO jobs (id, service, user_id, chat_id, message_id, request_id, tier, kind, lane, payload, work, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
    ),
    startJob: sql(
      "UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, lease_until = ?, worker = ? WHERE seq = ?",
    ),
    renew: sql(
      "UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'running' AND worker = ?",
    ),
    endJob: sql(
      'UPDATE jobs SET state = ?, finished_at = ?, result = ?, error = ?, lease_until = NULL WHERE id = ?',
    ),
    requeueJob: sql(
      "UPDATE jobs SET state = 'queued', error = ?, started_at = NULL, lease_until = NULL, worker = NULL WHERE id = ?",
    ),
    expired: sql(
      "SELECT * FROM jobs WHERE state = 'running' AND lease_until < ? ORDER BY seq",
    ),
    list: sql(
      `SELECT * FROM jobs WHERE service = ? AND (? IS NULL OR user_id = ?) AND (? IS NULL OR state = ?)
       ORDER BY seq DESC LIMIT ?`,
    ),
    queue: sql(
      'SELECT * FROM queues WHERE lane = ? AND service = ? AND user_id = ? AND tier = ?',
    ),
    nextQueue: sql(
      'SELECT * FROM queues WHERE lane = ? AND tier = ? AND ready = 1 ORDER BY turn, head_seq LIMIT 1',
    ),
    nextHead: sql(
      "SELECT seq FROM jobs WHERE lane = ? AND service = ? AND user_id = ? AND tier = ? AND state = 'queued' ORDER BY seq LIMIT 1",
    ),
    upsertQueueHead: sql(
      `INSERT INTO queues (lane, service, user_id, tier, queued, turn, head_seq, ready) VALUES (?, ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT (lane, service, user_id, tier) DO UPDATE SET queued = 1, turn = excluded.turn,
         head_seq = excluded.head_seq, ready = excluded.ready`,
    ),
    queueGrew: sql(
      'UPDATE queues SET queued = queued + 1 WHERE lane = ? AND service = ? AND user_id = ? AND tier = ?',
    ),
    queueShrank: sql(
      'UPDATE queues SET queued = queued - 1, turn = ?, head_seq = ? WHERE lane = ? AND service = ? AND user_id = ? AND tier = ?',
    ),
    queueReturned: sql(
      'UPDATE queues SET queued = queued + 1, turn = ?, head_seq = ? WHERE lane = ? AND service = ? AND user_id = ? AND tier = ?',
    ),
    queueLost: sql(
      'UPDATE queues SET queued = queued - 1, head_seq = ? WHERE lane = ? AND service = ? AND user_id = ? AND tier = ?',
    ),
    setReady: sql(
      'UPDATE queues SET ready = CASE WHEN queued > 0 THEN ? ELSE 0 END WHERE service = ? AND user_id = ?',
    ),
    ownAhead: sql(
      "SELECT COUNT(*) AS count FROM jobs WHERE lane = ? AND service = ? AND user_id = ? AND tier = ? AND state = 'queued' AND seq < ?",
    ),
    othersAhead: sql(
      `SELECT SUM(CASE WHEN d >= queued THEN queued WHEN d > 0 THEN d ELSE 0 END) AS ahead FROM (
         SELECT queued, @turn - turn + CASE WHEN head_seq < @seq THEN 1 ELSE 0 END AS d FROM queues
         WHERE lane = @lane AND tier = @tier AND queued > 0 AND NOT (service = @service AND user_id = @user))`,
    ),
    ensureUser: sql(
      'INSERT INTO users (service, user_id) VALUES (?, ?) ON CONFLICT (service, user_id) DO NOTHING',
    ),
    user: sql('SELECT queued, running FROM users WHERE service = ? AND user_id = ?'),
    userQueued: sql(
      'UPDATE users SET queued = queued + ? WHERE service = ? AND user_id = ?',
    ),
    userRunning: sql(
      'UPDATE users SET running = running + ? WHERE service = ? AND user_id = ?',
    ),
    clock: sql('SELECT turn FROM clocks WHERE lane = ? AND tier = ?'),
    setClock: sql(
      `INSERT INTO clocks (lane, tier, turn) VALUES (?, ?, ?)
       ON CONFLICT (lane, tier) DO UPDATE SET turn = CASE WHEN excluded.turn > turn THEN excluded.turn ELSE turn END`,
    ),
    totalQueued: sql("SELECT value FROM totals WHERE name = 'queued'"),
    addTotalQueued: sql("UPDATE totals SET value = value + ? WHERE name = 'queued'"),
  };
}
