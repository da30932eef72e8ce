/**
 * The job tables in SQLite. The queries on them avoid SQLite-only features, so the
 * PostgreSQL store can run the same scheduler logic on the same layout.
 *
 * `queues` holds one row per (lane, service, user, tier): a FIFO of that user's jobs whose
 * head has a virtual start `turn`. The next job of a lane is the head of the ready queue
 * with the smallest (turn, head_seq): one indexed lookup, whatever the queue's length.
 * Each dispatch moves that queue's turn on by one, so users take turns. Counters (jobs per
 * user, per store) and each lane's clock live in memory, rebuilt from these tables when
 * the store opens: SQLite serves one process, and writing them would double the pages
 * every transaction touches.
 */
export const sqliteSchema = `
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  service TEXT NOT NULL,
  user_id TEXT NOT NULL,
  chat_id TEXT,
  message_id TEXT,
  request_id TEXT,
  webhook TEXT,
  tier TEXT NOT NULL,
  kind TEXT NOT NULL,
  lane TEXT NOT NULL,
  payload TEXT NOT NULL,
  work REAL NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  lease_until INTEGER,
  worker TEXT,
  result TEXT,
  error TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_request ON jobs (service, request_id) WHERE request_id IS NOT NULL;
-- Partial indexes: a job leaving the queue or finishing touches only the entries it had.
CREATE INDEX IF NOT EXISTS jobs_queued ON jobs (lane, service, user_id, tier, seq) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS jobs_leased ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS jobs_listing ON jobs (service, user_id, seq);
-- Retention finds the oldest finished jobs without reading the others.
CREATE INDEX IF NOT EXISTS jobs_finished ON jobs (finished_at) WHERE state IN ('succeeded', 'failed', 'canceled');

CREATE TABLE IF NOT EXISTS queues (
  lane TEXT NOT NULL,
  service TEXT NOT NULL,
  user_id TEXT NOT NULL,
  tier TEXT NOT NULL,
  queued INTEGER NOT NULL DEFAULT 0,
  turn REAL NOT NULL DEFAULT 0,
  head_seq INTEGER,
  ready INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (lane, service, user_id, tier)
);
CREATE INDEX IF NOT EXISTS queues_next ON queues (lane, tier, ready, turn, head_seq);
CREATE INDEX IF NOT EXISTS queues_user ON queues (service, user_id);
-- A user's row stays when their queue empties (it remembers their turn), so rows of users
-- long gone outnumber the waiting ones: positions and lane lists read only these.
CREATE INDEX IF NOT EXISTS queues_waiting ON queues (lane, tier) WHERE queued > 0;

-- What each lane's jobs took, per unit of work, so ETAs survive a restart.
CREATE TABLE IF NOT EXISTS lane_durations (
  lane TEXT PRIMARY KEY,
  ms_per_work REAL NOT NULL,
  work_per_job REAL NOT NULL,
  samples INTEGER NOT NULL
);
`;
