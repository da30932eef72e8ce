import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

/** A `queues` row: one user's FIFO of jobs in a lane and tier. */
export interface QueueRow {
  lane: string;
  service: string;
  user_id: string;
  tier: string;
  queued: number;
  turn: number;
  head_seq: number | null;
}

const queueKey = 'lane = ? AND service = ? AND user_id = ? AND tier = ?';
const sql = (text: string) => text;

/** Every query of the SQLite job store, by name. */
const queries = {
  jobById: sql('SELECT * FROM jobs WHERE id = ?'),
  // What a position needs: not the payload, which may carry megabytes of images.
  jobPlace: sql('SELECT seq, lane, service, user_id, tier, state FROM jobs WHERE id = ?'),
  jobBySeq: sql('SELECT * FROM jobs WHERE seq = ?'),
  jobByRequest: sql('SELECT * FROM jobs WHERE service = ? AND request_id = ?'),
  runningJob: sql("SELECT * FROM jobs WHERE id = ? AND state = 'running' AND worker = ?"),
  insertJob: sql(
    `INSERT INTO jobs (id, service, user_id, chat_id, message_id, request_id, webhook, tier,
         kind, lane, payload, work, state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
  ),
  insertRejected: sql(
    `INSERT INTO jobs (id, service, user_id, chat_id, message_id, request_id, webhook, tier,
         kind, lane, payload, work, state, created_at, finished_at, error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'failed', ?, ?, ?)`,
  ),
  startJob: sql(
    `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?,
         lease_until = ?, worker = ? WHERE seq = ?`,
  ),
  renew: sql(
    "UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'running' AND worker = ?",
  ),
  endJob: sql(
    `UPDATE jobs SET state = ?, finished_at = ?, result = ?, error = ?, lease_until = NULL
       WHERE id = ?`,
  ),
  requeueJob: sql(
    `UPDATE jobs SET state = 'queued', error = ?, started_at = NULL, lease_until = NULL,
         worker = NULL WHERE id = ?`,
  ),
  expired: sql(
    "SELECT * FROM jobs WHERE state = 'running' AND lease_until < ? ORDER BY seq",
  ),
  // The state test is written as the jobs_finished index's, so the index applies.
  finishedBefore: sql(
    `SELECT * FROM jobs WHERE state IN ('succeeded', 'failed', 'canceled')
         AND finished_at < ? ORDER BY finished_at, seq LIMIT ?`,
  ),
  removeFinished: sql(
    "DELETE FROM jobs WHERE id = ? AND state IN ('succeeded', 'failed', 'canceled')",
  ),
  list: sql(
    `SELECT * FROM jobs WHERE service = @service AND (@user IS NULL OR user_id = @user)
         AND (@state IS NULL OR state = @state)
       ORDER BY seq DESC LIMIT @limit`,
  ),
  queue: sql(`SELECT * FROM queues WHERE ${queueKey}`),
  nextQueue: sql(
    `SELECT * FROM queues WHERE lane = ? AND tier = ? AND ready = 1
       ORDER BY turn, head_seq LIMIT 1`,
  ),
  nextHead: sql(
    `SELECT seq FROM jobs WHERE ${queueKey} AND state = 'queued' ORDER BY seq LIMIT 1`,
  ),
  upsertQueueHead: sql(
    `INSERT INTO queues (lane, service, user_id, tier, queued, turn, head_seq, ready)
       VALUES (?, ?, ?, ?, 1, ?, ?, ?)
       ON CONFLICT (lane, service, user_id, tier) DO UPDATE SET queued = 1,
         turn = excluded.turn, head_seq = excluded.head_seq, ready = excluded.ready`,
  ),
  queueGrew: sql(`UPDATE queues SET queued = queued + 1 WHERE ${queueKey}`),
  // An emptied queue stops being ready at once: it must never stand first in its tier.
  queueShrank: sql(
    `UPDATE queues SET queued = queued - 1, turn = ?, head_seq = ?,
         ready = CASE WHEN queued > 1 THEN ready ELSE 0 END WHERE ${queueKey}`,
  ),
  queueReturned: sql(
    `UPDATE queues SET queued = queued + 1, turn = ?, head_seq = ?, ready = ? WHERE ${queueKey}`,
  ),
  queueLost: sql(
    `UPDATE queues SET queued = queued - 1, head_seq = ?,
         ready = CASE WHEN queued > 1 THEN ready ELSE 0 END WHERE ${queueKey}`,
  ),
  setReady: sql(
    `UPDATE queues SET ready = CASE WHEN queued > 0 THEN ? ELSE 0 END
       WHERE service = ? AND user_id = ?`,
  ),
  ownAhead: sql(
    `SELECT COUNT(*) AS count FROM jobs WHERE ${queueKey} AND state = 'queued' AND seq < ?`,
  ),
  othersAhead: sql(
    `SELECT SUM(CASE WHEN d >= queued THEN queued WHEN d > 0 THEN d ELSE 0 END) AS ahead
       FROM (SELECT queued, @turn - turn + CASE WHEN head_seq < @seq THEN 1 ELSE 0 END AS d
             FROM queues WHERE lane = @lane AND tier = @tier AND queued > 0
               AND NOT (service = @service AND user_id = @user))`,
  ),
  activeUsers: sql(
    `SELECT service, user_id, SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END) AS queued,
         SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) AS running
       FROM jobs WHERE state IN ('queued', 'running') GROUP BY service, user_id`,
  ),
  queuedLanes: sql('SELECT DISTINCT lane FROM queues WHERE queued > 0'),
  queuedWork: sql(
    `SELECT lane, tier, COUNT(*) AS count, SUM(work) AS work FROM jobs
       WHERE state = 'queued' GROUP BY lane, tier`,
  ),
  laneClocks: sql(
    'SELECT lane, tier, MIN(turn) AS turn FROM queues WHERE queued > 0 GROUP BY lane, tier',
  ),
  laneDurations: sql(
    `SELECT lane, ms_per_work AS msPerWork, work_per_job AS workPerJob, samples
       FROM lane_durations`,
  ),
  saveLaneDurations: sql(
    `INSERT INTO lane_durations (lane, ms_per_work, work_per_job, samples)
       VALUES (@lane, @msPerWork, @workPerJob, @samples)
       ON CONFLICT (lane) DO UPDATE SET ms_per_work = excluded.ms_per_work,
         work_per_job = excluded.work_per_job, samples = excluded.samples`,
  ),
};

export type SqliteStatements = Record<keyof typeof queries, Statement>;

/** Every query prepared once, under its name. */
export function prepareStatements(db: Database.Database): SqliteStatements {
  const entries = Object.entries(queries).map(([name, text]) => [name, db.prepare(text)]);
  return Object.fromEntries(entries) as SqliteStatements;
}
