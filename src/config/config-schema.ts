import { z } from 'zod';
import { moderationSettingsSchema } from '../balancer/moderation/moderation-settings.js';
import { s3StorageSettingsSchema } from '../balancer/s3-storage-settings.js';
import { webhookSettingsSchema } from '../balancer/webhook-settings.js';
import { websocketSettingsSchema } from '../server/websocket/websocket-settings.js';

export const defaultPort = 8787;

export const serverSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(defaultPort),
  dataDir: z.string().min(1).default('./genrelay-data'),
  /** Bearer keys clients must send; none means the API is open. */
  apiKeys: z.array(z.string().min(8)).default([]),
  /** Largest request body accepted, in bytes (413 above). */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  /** The address clients reach this server at, for image URLs behind a proxy. */
  publicUrl: z.url().optional(),
  /**
   * Lets media fetched by URL — images in requests, output files an upstream names — come
   * from plain http and private or loopback addresses (off: the SSRF guard).
   */
  allowPrivateMediaUrls: z.boolean().default(false),
});

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  http: z
    .strictObject({
      /** Proxy for upstream calls; else HTTPS_PROXY / HTTP_PROXY from the environment. */
      proxy: z.url().optional(),
      connectTimeoutMs: z.number().int().positive().default(10_000),
      /** Longest silence allowed while an upstream answers. */
      idleTimeoutMs: z.number().int().positive().default(120_000),
    })
    .prefault({}),
  router: z
    .strictObject({
      /** This many failures of a provider within the window cool it down. */
      failureThreshold: z.number().int().positive().default(3),
      failureWindowMs: z.number().int().positive().default(60_000),
      cooldownMs: z.number().int().nonnegative().default(30_000),
    })
    .prefault({}),
  balancer: z
    .strictObject({
      /** Share of the starts premium jobs get while both tiers wait. */
      premiumShare: z.number().min(0).max(1).default(0.75),
      /** Queued jobs per user: the default, and the most a request may ask for. */
      maxUserQueueSize: z
        .strictObject({
          default: z.number().int().positive().default(10),
          ceiling: z.number().int().positive().default(100),
        })
        .prefault({}),
      /** Jobs one user may have running at once. */
      maxUserRunning: z.number().int().positive().default(1),
      /** Queued jobs in all. */
      maxQueueSize: z.number().int().positive().default(100_000),
      /** Attempts per job before it fails with the collected errors. */
      maxAttempts: z.number().int().positive().default(3),
      /** How long a running job's claim lasts without renewal (a dead process's jobs rerun after it). */
      leaseMs: z.number().int().min(1000).default(30_000),
      /** The bound on one attempt: a base plus time per unit of work (AI Horde style). */
      attemptTimeout: z
        .strictObject({
          baseMs: z.number().int().positive().default(60_000),
          /** Per megapixel × step of an image job (a 1024×1024, 30-step image is 31). */
          perMegapixelStepMs: z.number().nonnegative().default(3000),
          /** Per token a chat job may write (its max_tokens, else 1000). */
          perTokenMs: z.number().nonnegative().default(100),
          maxMs: z.number().int().positive().default(1_800_000),
        })
        .prefault({}),
      /** Waiting clients hear their place in the queue at least this often. */
      queueUpdateMs: z.number().int().min(100).default(2000),
      /** How long a finished job's events stay in memory for clients that reconnect. */
      eventRetentionMs: z.number().int().nonnegative().default(600_000),
      /** A failed executor instance rests this long, then is pinged until it answers. */
      cooldownMs: z.number().int().nonnegative().default(5000),
      pingIntervalMs: z.number().int().positive().default(5000),
    })
    .prefault({}),
  /**
   * Services that send requests, each with its bearer token (or the token's SHA-256 in
   * hex). None: the server's `apiKeys` (or nothing) let callers in, as one service.
   */
  services: z
    .record(
      z.string().regex(/^[\w.-]+$/),
      z
        .strictObject({
          token: z.string().min(16).optional(),
          tokenSha256: z
            .string()
            .regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex digits (SHA-256)' })
            .optional(),
        })
        .refine(
          (service) =>
            (service.token === undefined) !== (service.tokenSha256 === undefined),
          { error: 'give either token or tokenSha256', path: ['token'] },
        ),
    )
    .default({}),
  /** Where results are kept: the data folder by default, or an S3-compatible bucket. */
  storage: z
    .strictObject({
      s3: s3StorageSettingsSchema.optional(),
      /**
       * Finished jobs older than this (hours since they finished) are removed with the
       * images they stored. Absent: kept for ever.
       */
      retentionHours: z.number().positive().optional(),
      /** How often finished jobs are checked against `retentionHours`. */
      sweepIntervalMs: z.number().int().min(1000).default(600_000),
    })
    .prefault({}),
  moderation: moderationSettingsSchema.prefault({}),
  webhooks: webhookSettingsSchema.prefault({}),
  websocket: websocketSettingsSchema.prefault({}),
  /**
   * Adds the built-in instances that are not configured: the public Spaces, and the API
   * providers whose keys are in the environment. Off: only what `providers` lists.
   */
  builtInProviders: z.boolean().default(true),
  /** Instance name → settings; each provider type checks its own fields. */
  providers: z.record(z.string().regex(/^[\w.-]+$/), z.unknown()).default({}),
  /** Model name or alias → instance names to try, in order. */
  routes: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
  log: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    })
    .prefault({}),
});

export type ConfigFile = z.infer<typeof configSchema>;
