/**
 * The job tables in SQLite. The queries on them avoid SQLite-only features, so the
 * PostgreSQL store can run the same scheduler logic on the same layout.
 *
 * `queues` holds one row per (lane, service, user, tier): a FIFO of that user's jobs whose
 * head has a virtual start `turn`. The next job of a lane is the head of the ready queue
 * with the smallest (turn, head_seq): one indexed lookup, whatever the queue's length.
 * Each dispatch moves that queue's turn on by one, so users take turns.
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
CREATE INDEX IF NOT EXISTS jobs_queue ON jobs (lane, service, user_id, tier, state, seq);
CREATE INDEX IF NOT EXISTS jobs_lease ON jobs (state, lease_until);
CREATE INDEX IF NOT EXISTS jobs_listing ON jobs (service, user_id, state, seq);

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

CREATE TABLE IF NOT EXISTS users (
  service TEXT NOT NULL,
  user_id TEXT NOT NULL,
  queued INTEGER NOT NULL DEFAULT 0,
  running INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (service, user_id)
);

CREATE TABLE IF NOT EXISTS clocks (
  lane TEXT NOT NULL,
  tier TEXT NOT NULL,
  turn REAL NOT NULL,
  PRIMARY KEY (lane, tier)
);

CREATE TABLE IF NOT EXISTS totals (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO totals (name, value) VALUES ('queued', 0) ON CONFLICT DO NOTHING;
`;
