import type { JsonValue } from '../core/json.js';
import type { JobKind } from './job.js';

/** Sizes the upstreams use when a payload leaves them out. */
const defaults = {
  automatic1111: { side: 512, steps: 50 },
  kandinsky: { side: 768, steps: 100 },
  model: { side: 1024, steps: 28 },
} as const;

/** A chat answer's length before it is written: its `max_tokens`, or this. */
export const defaultChatTokens = 1000;

type Payload = Record<string, JsonValue | undefined>;

const numberOr = (value: JsonValue | undefined, fallback: number) =>
  typeof value === 'number' && value > 0 ? value : fallback;

/**
 * How much work a job is, in megapixel-steps for images (AI Horde's unit: time grows with
 * pixels × steps) and in tokens for chat. Only ratios within a lane matter: a lane learns
 * its own time per unit.
 */
export function jobWork(
  kind: JobKind,
  family: keyof typeof defaults,
  payload: JsonValue,
): number {
  const fields = (
    typeof payload === 'object' && payload !== null ? payload : {}
  ) as Payload;
  if (kind === 'chat')
    return numberOr(fields.maxTokens ?? fields.max_tokens, defaultChatTokens);
  const size = defaults[family];
  const width = numberOr(fields.width, size.side);
  const height = numberOr(fields.height, size.side);
  const steps = numberOr(fields.steps, size.steps);
  const images =
    numberOr(fields.batch_size, 1) *
    numberOr(fields.n_iter, 1) *
    numberOr(fields.count, 1);
  let work = ((width * height) / 1e6) * steps * images;
  if (fields.enable_hr === true) {
    // The hires pass runs again at the upscaled size.
    const scale = numberOr(fields.hr_scale, 2);
    const hiresSteps = numberOr(fields.hr_second_pass_steps, steps);
    work += ((width * scale * height * scale) / 1e6) * hiresSteps * images;
  }
  return Math.max(work, 0.001);
}
