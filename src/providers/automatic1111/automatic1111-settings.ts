import { z } from 'zod';
import { providerSettingsSchema } from '../provider-settings.js';

export const automatic1111SettingsSchema = providerSettingsSchema
  .extend({
    /** Where the web UI (or `--nowebui` API) listens, without `/sdapi/v1`. */
    baseUrl: z.url(),
    /** HTTP basic auth, for a server started with `--api-auth user:pass`. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** The same credentials as `user:pass`, for configurations that keep one secret. */
    token: z
      .string()
      .regex(/^[^:]+:.+$/, { error: 'must be user:pass' })
      .optional(),
    /** Bound on one whole generation; it is interrupted upstream when reached. */
    timeoutMs: z.number().int().positive().default(600_000),
    /** How often `/sdapi/v1/progress` is asked while a generation runs. */
    progressIntervalMs: z.number().int().min(10).default(1000),
    /** Ask for the in-progress image with each progress poll. */
    previews: z.boolean().default(true),
    /**
     * Send the requested model as `override_settings.sd_model_checkpoint`. Off: every
     * request runs on whatever checkpoint the server has loaded.
     */
    switchModels: z.boolean().default(true),
    /** Checkpoints served; when absent, `/sdapi/v1/sd-models` is asked. */
    models: z.array(z.string().min(1)).optional(),
    aliases: z.record(z.string(), z.string()).default({}),
    /** How long the upstream's checkpoint list is trusted. */
    modelsCacheMs: z.number().int().nonnegative().default(600_000),
    /** One generation at a time: the server runs them one by one anyway. */
    slots: z.number().int().positive().default(1),
  })
  .refine(
    (settings) => (settings.username === undefined) === (settings.password === undefined),
    {
      error: 'username and password go together',
      path: ['password'],
    },
  )
  .refine((settings) => settings.token === undefined || settings.username === undefined, {
    error: 'give either token or username and password, not both',
    path: ['token'],
  });

export type Automatic1111Settings = z.infer<typeof automatic1111SettingsSchema>;

/** `user:pass` from the settings, or undefined when the server has no auth. */
export function basicCredentials(settings: Automatic1111Settings): string | undefined {
  if (settings.token !== undefined) return settings.token;
  if (settings.username === undefined || settings.password === undefined)
    return undefined;
  return `${settings.username}:${settings.password}`;
}
