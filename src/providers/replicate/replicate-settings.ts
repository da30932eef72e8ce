import { z } from 'zod';
import { providerSettingsSchema } from '../provider-settings.js';
import { modelReferencePattern } from './model-reference.js';

const modelReference = z
  .string()
  .regex(modelReferencePattern, 'expected owner/name or owner/name:<64-hex version>');

export const replicateSettingsSchema = providerSettingsSchema.extend({
  /** The API root; the token is only ever sent to this origin. */
  baseUrl: z.url().default('https://api.replicate.com/v1'),
  /** Text models listed beside the seed's (any `owner/name` works without listing it). */
  models: z.array(modelReference).default([]),
  imageModels: z.array(modelReference).default([]),
  /** Extra public names for listed models. */
  aliases: z.record(z.string().min(1), z.string().min(1)).default({}),
  /**
   * Seconds a create may be held open for a finished result (`Prefer: wait=N`), for images
   * and chat that is not streamed; 0 follows every prediction by polling from the start.
   */
  waitSeconds: z.number().int().min(0).max(60).default(5),
  /** Bound on one prediction, from creation to its last output; then it is canceled. */
  timeoutMs: z.number().int().positive().default(300_000),
  /** The first wait between polls; it grows by half each time up to `maxPollIntervalMs`. */
  pollIntervalMs: z.number().int().positive().default(500),
  maxPollIntervalMs: z.number().int().positive().default(5_000),
});

export type ReplicateSettings = z.infer<typeof replicateSettingsSchema>;
