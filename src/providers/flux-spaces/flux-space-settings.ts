import { z } from 'zod';
import { defaultJwtUrl } from '../gradio/zerogpu-credentials.js';
import { providerSettingsSchema } from '../provider-settings.js';

/** The settings of a FLUX Space provider, with its own Space as the default. */
export function fluxSpaceSettingsSchema(defaults: { baseUrl: string; space: string }) {
  return providerSettingsSchema.extend({
    /** The app's root; any Gradio app with the same function works. */
    baseUrl: z.url().default(defaults.baseUrl),
    /**
     * The Hugging Face Space (`owner/name`) whose ZeroGPU token a Hugging Face token buys;
     * null for an app that is not a ZeroGPU Space.
     */
    space: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, { error: 'must be owner/name' })
      .nullable()
      .default(defaults.space),
    /** Where ZeroGPU tokens come from; `{space}` is replaced by the Space id. */
    jwtUrl: z
      .string()
      .regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL' })
      .default(defaultJwtUrl),
    /** The app's function, by API name (or by `fnIndex`, which wins when set). */
    apiName: z.string().min(1).default('infer'),
    fnIndex: z.number().int().nonnegative().optional(),
    /** Bound on one image: config, queue, generation and download. */
    timeoutMs: z.number().int().positive().default(300_000),
    /** How long the app's discovered `/config` is trusted. */
    configCacheMs: z.number().int().nonnegative().default(600_000),
  });
}

export type FluxSpaceSettings = z.infer<ReturnType<typeof fluxSpaceSettingsSchema>>;
