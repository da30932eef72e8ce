import { z } from 'zod';
import { providerSettingsSchema } from '../provider-settings.js';

export const defaultHuggingChatUrl = 'https://huggingface.co/chat';

/**
 * Settings of a HuggingChat (chat-ui) instance. Credentials come from `cookies` (a Cookie
 * header, a bare `hf-chat` value, or name → value), `token` (the `hf-chat` value),
 * `cookiesFile`, or the environment variables named by `cookieEnv` / `cookiesFileEnv`.
 */
export const huggingChatSettingsSchema = providerSettingsSchema.extend({
  /** The chat-ui root: huggingface.co/chat or a self-hosted chat-ui (its APP_BASE included). */
  baseUrl: z.url().default(defaultHuggingChatUrl),
  /** A cookies file exported from a browser, in Netscape (cookies.txt) or JSON format. */
  cookiesFile: z.string().min(1).optional(),
  /** Environment variable holding the `hf-chat` cookie (or a whole Cookie header). */
  cookieEnv: z.string().min(1).optional(),
  /** Environment variable holding the path of a cookies file. */
  cookiesFileEnv: z.string().min(1).optional(),
  /** Chat models; when absent, the upstream's model list is used. */
  models: z.array(z.string().min(1)).optional(),
  /** Models that accept images; when absent, those the upstream marks multimodal. */
  visionModels: z.array(z.string().min(1)).optional(),
  defaultModel: z.string().min(1).optional(),
  defaultVisionModel: z.string().min(1).optional(),
  /** Extra names; merged over the built-in aliases. */
  aliases: z.record(z.string(), z.string()).default({}),
  /** How long the upstream's model list is trusted. */
  modelsCacheMs: z.number().int().nonnegative().default(600_000),
  /** Bound on one whole generation: creating the conversation, sending, streaming. */
  timeoutMs: z.number().int().positive().default(300_000),
  /**
   * The longest wait for an update that is not a keep-alive: chat-ui sends keep-alives
   * every 100 ms while it generates, so a stuck generation never goes quiet on its own.
   */
  idleTimeoutMs: z.number().int().positive().default(120_000),
});

export type HuggingChatSettings = z.infer<typeof huggingChatSettingsSchema>;
