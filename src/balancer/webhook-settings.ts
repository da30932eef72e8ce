import { z } from 'zod';
import { describeRefusal } from '../http/describe-refusal.js';
import { outboundUrlRefusal } from '../http/outbound-url-refusal.js';

/** Long enough that guessing it is hopeless; receivers share it to verify signatures. */
const secretSchema = z.string().min(16);

export const webhookSettingsSchema = z
  .strictObject({
    /** Signs the deliveries of services without a secret of their own. */
    secret: secretSchema.optional(),
    /** Per service (as named by its API key): its default URL and its own secret. */
    services: z
      .record(
        z.string().min(1),
        z.strictObject({
          /** Where its jobs' final events go when a job names no webhook of its own. */
          url: z.url({ protocol: /^https?$/ }).optional(),
          secret: secretSchema.optional(),
        }),
      )
      .default({}),
    /** Deliveries in flight at once. */
    concurrency: z.number().int().positive().default(4),
    /** Deliveries waiting (first attempts and retries); beyond it the oldest is dropped. */
    maxPending: z.number().int().positive().default(10_000),
    /**
     * Bytes of event bodies held, in flight included; beyond it the oldest waiting delivery
     * is dropped, and an event larger than this is not sent at all. A job's final event
     * carries its whole result text, so the count alone does not bound the memory.
     */
    maxPendingBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    /** Bound on one attempt, from connecting to the end of the answer. */
    timeoutMs: z.number().int().positive().default(10_000),
    /** The first retry waits about this long; each next one twice as long. */
    retryDelayMs: z.number().int().nonnegative().default(1000),
    /** A receiver's Retry-After is honoured up to this. */
    maxRetryAfterMs: z.number().int().nonnegative().default(60_000),
    /** Allow plain http and private or loopback receivers (trusted setups and tests only). */
    allowPrivateUrls: z.boolean().default(false),
  })
  // A service's URL is checked once here, as a client's is when its job is accepted, so
  // a bad one stops the start instead of failing every delivery of that service.
  .superRefine((settings, context) => {
    for (const [service, { url }] of Object.entries(settings.services)) {
      if (url === undefined) continue;
      const refusal = outboundUrlRefusal(new URL(url), settings.allowPrivateUrls);
      if (refusal === undefined) continue;
      context.addIssue({
        code: 'custom',
        message: describeRefusal(refusal, 'the webhook URL'),
        path: ['services', service, 'url'],
      });
    }
  });

export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;
