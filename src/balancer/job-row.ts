import type { JsonValue } from '../core/json.js';
import type { Job, JobError, JobKind, JobState, JobTier } from './job.js';

/** A `jobs` row as the database returns it. */
export interface JobRow {
  seq: number;
  id: string;
  service: string;
  user_id: string;
  chat_id: string | null;
  message_id: string | null;
  request_id: string | null;
  webhook: string | null;
  tier: string;
  kind: string;
  lane: string;
  payload: string;
  work: number;
  state: string;
  attempts: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  lease_until: number | null;
  worker: string | null;
  result: string | null;
  error: string | null;
}

/** The row as a Job; absent columns are left out rather than set to null. */
export function jobFromRow(row: JobRow): Job {
  return {
    id: row.id,
    service: row.service,
    userId: row.user_id,
    ...(row.chat_id === null ? {} : { chatId: row.chat_id }),
    ...(row.message_id === null ? {} : { messageId: row.message_id }),
    ...(row.request_id === null ? {} : { requestId: row.request_id }),
    ...(row.webhook === null ? {} : { webhook: row.webhook }),
    tier: row.tier as JobTier,
    kind: row.kind as JobKind,
    lane: row.lane,
    payload: JSON.parse(row.payload) as JsonValue,
    work: row.work,
    state: row.state as JobState,
    attempts: row.attempts,
    createdAt: row.created_at,
    ...(row.started_at === null ? {} : { startedAt: row.started_at }),
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
    ...(row.result === null ? {} : { result: JSON.parse(row.result) as JsonValue }),
    ...(row.error === null ? {} : { error: JSON.parse(row.error) as JobError }),
  };
}
