import { z } from 'zod';

/**
 * Settings every provider instance accepts. Each provider type extends this schema with
 * its own fields; unknown fields are rejected so a typo is reported, not ignored.
 */
export const providerSettingsSchema = z.strictObject({
  /** The provider type; defaults to the instance name for built-in providers. */
  type: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  /** Overrides the upstream's address (self-hosted upstreams and tests rely on it). */
  baseUrl: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
  cookies: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  /** Bound on one whole call to the upstream. */
  timeoutMs: z.number().int().positive().optional(),
  models: z.array(z.string().min(1)).optional(),
  /** How many generations this instance runs at once (used by the balancer). */
  slots: z.number().int().positive().optional(),
});

export type ProviderSettings = z.infer<typeof providerSettingsSchema>;
