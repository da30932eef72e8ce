import type { Job, JobResult } from '../../balancer/job.js';
import { parseLaneName } from '../../balancer/lane-name.js';
import type { QueueEstimate } from '../../balancer/queue-estimator.js';
import type { ResultStorage } from '../../balancer/result-storage.js';
import { resultImages } from '../result-url.js';

const time = (epochMs: number | undefined) =>
  epochMs === undefined ? null : new Date(epochMs).toISOString();

/** A job as the jobs API shows it: snake_case, results as URLs on this server. */
export async function jobBody(
  job: Job,
  links: { storage: ResultStorage; origin: string },
  estimate?: QueueEstimate,
) {
  const lane = parseLaneName(job.lane);
  const result = job.result as JobResult | undefined;
  const images = await resultImages(result, links);
  return {
    id: job.id,
    object: 'job',
    kind: job.kind,
    ...(lane?.type === 'executor' ? { executor: lane.executor } : {}),
    ...(lane?.type === 'model' ? { model: lane.model } : {}),
    user_id: job.userId,
    chat_id: job.chatId ?? null,
    message_id: job.messageId ?? null,
    request_id: job.requestId ?? null,
    premium: job.tier === 'premium',
    state: job.state,
    attempts: job.attempts,
    ...(estimate === undefined
      ? {}
      : {
          position: estimate.position,
          eta_ms: estimate.etaMs ?? null,
          avg_time_ms: estimate.avgTimeMs,
        }),
    created_at: time(job.createdAt),
    started_at: time(job.startedAt),
    finished_at: time(job.finishedAt),
    result:
      result === undefined
        ? null
        : {
            ...(result.text === undefined ? {} : { text: result.text }),
            images,
          },
    error: job.error ?? null,
  };
}
