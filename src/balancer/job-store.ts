import type { LearnedDurations } from './duration-stats.js';
import type { Job, JobError, JobState, JobTier, NewJob } from './job.js';

/** Caps checked atomically with the insert of a job. */
export interface AdmissionLimits {
  /** Queued jobs one user may have in the service. */
  maxUserQueueSize: number;
  /** Queued jobs in the whole store. */
  maxQueueSize: number;
}

export interface ClaimOptions {
  /** Tiers to look in, in the order the scheduler prefers now. */
  tiers: readonly JobTier[];
  /** How long the claim holds before the job counts as abandoned. */
  leaseMs: number;
  /** Who runs it (this process), for leases. */
  worker: string;
}

export interface SubmitResult {
  job: Job;
  /** False when the request id matched a job submitted before. */
  created: boolean;
}

/**
 * The durable queue. Every method is one transaction, so concurrent submissions cannot
 * overshoot a cap and a job reaches exactly one final state. Implemented by SQLite (the
 * embedded default) and PostgreSQL (several nodes sharing one queue).
 */
export interface JobStore {
  /** Stores a job; throws QueueFullError when a cap is reached. */
  submit(job: NewJob, limits: AdmissionLimits): Promise<SubmitResult>;
  /**
   * Stores a job that was refused before queueing (its prompt was moderated) as failed with
   * `error`, outside every cap; a known request id returns the earlier job instead.
   */
  reject(job: NewJob, error: JobError): Promise<Job>;
  /** The next job of the lane in fair order, now running under a lease; undefined if none. */
  claim(lane: string, options: ClaimOptions): Promise<Job | undefined>;
  /** Extends the lease of a running job; false when the job is no longer this worker's. */
  renew(id: string, worker: string, leaseMs: number): Promise<boolean>;
  /** Records success; false (and nothing changes) unless the job is running for `worker`. */
  complete(id: string, worker: string, result: Job['result']): Promise<boolean>;
  /**
   * Records a failed attempt: back in the queue when `retry` and attempts remain, else
   * failed. Returns the state it ended in, or undefined when the job was not this worker's.
   */
  fail(
    id: string,
    worker: string,
    error: JobError,
    retry: { allowed: boolean; maxAttempts: number },
  ): Promise<JobState | undefined>;
  /**
   * Cancels a queued or running job of the service: the job as it now is, and whether this
   * call canceled it (false for a job that had ended already); undefined for no such job.
   */
  cancel(
    id: string,
    service: string,
  ): Promise<{ job: Job; canceled: boolean } | undefined>;
  /** A job, only for the service that submitted it (any service when omitted). */
  get(id: string, service?: string): Promise<Job | undefined>;
  list(
    service: string,
    filter: { userId?: string; state?: JobState; limit?: number },
  ): Promise<Job[]>;
  /**
   * Puts jobs whose lease ran out (their worker died) back in the queue, or fails them
   * when their attempts are used up; returns how many it touched.
   */
  recoverExpired(now: number, maxAttempts: number): Promise<number>;
  /** Finished jobs that finished before `finishedBefore`, oldest first, at most `limit`. */
  expired(finishedBefore: number, limit: number): Promise<Job[]>;
  /**
   * Deletes these jobs, in one transaction; a job that is not finished (or not there) is
   * left alone. Returns how many were deleted.
   */
  remove(ids: readonly string[]): Promise<number>;
  /** Queued jobs in front of this one in the lane, in the scheduler's order. */
  position(id: string): Promise<number | undefined>;
  /** Lanes with queued jobs, to start after a restart. */
  queuedLanes(): Promise<string[]>;
  /** How many jobs wait in the lane and their work in all, per tier, for ETAs. */
  queuedWork(lane: string): Promise<Record<JobTier, { count: number; work: number }>>;
  /** The durations learned per lane, as last kept. */
  learnedDurations(): Promise<LearnedDurations[]>;
  /** Keeps lanes' learned durations (replacing what was kept for them), in one transaction. */
  keepDurations(learned: readonly LearnedDurations[]): Promise<void>;
  close(): Promise<void>;
}
