import { z } from 'zod';
import { normalizeModerationText } from './normalize-moderation-text.js';

/**
 * A blocked pattern, compiled once here so a bad one is a configuration error naming its
 * index (`moderation.patterns[2]: invalid regular expression …`), not a failure at the
 * first request.
 */
const blockedPatternSchema = z
  .string()
  .min(1)
  .transform((source, context) => {
    try {
      return new RegExp(source, 'iu');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      context.addIssue({
        code: 'custom',
        message: `invalid regular expression ${reason.replace(/^Invalid regular expression: /, '')}`,
      });
      return z.NEVER;
    }
  });

/**
 * A blocked word or phrase. One made only of invisible characters would be empty once
 * normalized, and an empty word matches between any two non-letters: every prompt with
 * punctuation would be refused.
 */
const blockedWordSchema = z
  .string()
  .trim()
  .min(1)
  .refine(
    (word) => normalizeModerationText(word).trim() !== '',
    'must contain a visible character',
  );

const moderationEndpointSettingsSchema = z.strictObject({
  /** The API root of an OpenAI-compatible moderation API, e.g. `https://api.openai.com/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1).optional(),
  model: z.string().min(1).default('omni-moderation-latest'),
  /** Bound on one call, body included. */
  timeoutMs: z.number().int().positive().default(10_000),
  /**
   * When the endpoint fails, let the prompt through (logged) instead of refusing the
   * request with a retryable error.
   */
  failOpen: z.boolean().default(false),
});

export const moderationSettingsSchema = z.strictObject({
  /** Moderate every request, whatever it asks for. */
  force: z.boolean().default(false),
  /** Blocked words or phrases: whole words, any case, any run of whitespace between. */
  words: z.array(blockedWordSchema).default([]),
  /** Blocked regular expressions, matched case-insensitively with Unicode semantics. */
  patterns: z.array(blockedPatternSchema).default([]),
  /** Asked after the local lists find nothing. */
  endpoint: moderationEndpointSettingsSchema.optional(),
});

export type ModerationEndpointSettings = z.infer<typeof moderationEndpointSettingsSchema>;
export type ModerationSettings = z.infer<typeof moderationSettingsSchema>;
