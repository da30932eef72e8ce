import type { NewJob } from '../../src/balancer/job.js';

/** A general-tier text2img job on the lane `flux` for `userId`, with `extra` on top. */
export function newJob(userId: string, extra: Partial<NewJob> = {}): NewJob {
  return {
    service: 'bot',
    userId,
    tier: 'general',
    kind: 'text2img',
    lane: 'flux',
    payload: { prompt: `from ${userId}` },
    ...extra,
  };
}
