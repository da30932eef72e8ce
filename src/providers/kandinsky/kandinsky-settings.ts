import { z } from 'zod';
import { providerSettingsSchema } from '../provider-settings.js';

const weight = z.number().min(0).max(1);

export const kandinskySettingsSchema = providerSettingsSchema.extend({
  /** Where the devoidai Kandinsky API listens (its `API_PORT`, 80 by default). */
  baseUrl: z.url(),
  /**
   * The API's `TOKEN`, sent as the whole `Authorization` header, no `Bearer` before it.
   * `apiKey` is read when `token` is not set.
   */
  token: z.string().min(1).optional(),
  /** Bound on one whole request, all `count` images of it (one call per image). */
  timeoutMs: z.number().int().positive().default(600_000),
  /** The model names the instance answers to; it runs Kandinsky 2.1 whatever the name. */
  models: z.array(z.string().min(1)).min(1).default(['kandinsky-2.1']),
  aliases: z.record(z.string(), z.string()).default({}),
  /**
   * Mixing weights for [prompt, first image, second image, second text]; by default the
   * prompt and both images weigh the same and the unused second text nothing.
   */
  mixWeights: z.tuple([weight, weight, weight, weight]).optional(),
  /** One generation at a time: the API runs one model on one GPU. */
  slots: z.number().int().positive().default(1),
});

export type KandinskySettings = z.infer<typeof kandinskySettingsSchema>;
