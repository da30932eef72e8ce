import { z } from 'zod';
import { providerSettingsSchema } from '../provider-settings.js';

export const openAICompatibleSettingsSchema = providerSettingsSchema.extend({
  /** The API root, ending in `/v1` for most servers. */
  baseUrl: z.url().default('https://api.openai.com/v1'),
  /** Environment variable holding the API key, when `apiKey` is not written here. */
  apiKeyEnv: z.string().min(1).optional(),
  /** Chat models; when absent, the upstream's `/models` list is used. */
  models: z.array(z.string().min(1)).optional(),
  imageModels: z.array(z.string().min(1)).optional(),
  visionModels: z.array(z.string().min(1)).optional(),
  defaultModel: z.string().min(1).optional(),
  defaultImageModel: z.string().min(1).optional(),
  aliases: z.record(z.string(), z.string()).default({}),
  /** Extra headers sent on every call (OpenRouter's `HTTP-Referer`, say). */
  headers: z.record(z.string(), z.string()).default({}),
  /** How long the upstream's model list is trusted. */
  modelsCacheMs: z.number().int().nonnegative().default(600_000),
});

export type OpenAICompatibleSettings = z.infer<typeof openAICompatibleSettingsSchema>;
