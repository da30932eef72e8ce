import { z } from 'zod';

/**
 * The websocket API's limits. How long a finished job's events stay for clients that
 * reconnect and resubscribe is the balancer's `eventRetentionMs` (10 minutes by default):
 * the websocket keeps no events of its own.
 */
export const websocketSettingsSchema = z.strictObject({
  /** A ping this often; a connection that has not answered the last one is dropped. */
  heartbeatMs: z.number().int().min(10).default(30_000),
  /** A connection must authenticate within this (browsers: the first message). */
  authTimeoutMs: z.number().int().min(10).default(10_000),
  /** Unsent bytes a connection may hold; beyond them it is closed as too slow (4009). */
  maxBufferedBytes: z
    .number()
    .int()
    .nonnegative()
    .default(8 * 1024 * 1024),
  /**
   * Requests of one connection being admitted at once (moderated, stored); one more gets a
   * `rate_limited` error reply until the answers catch up. A queued job no longer counts.
   */
  maxPendingRequests: z.number().int().positive().default(64),
  /** Largest message a client may send (a larger one closes the connection, 1009). */
  maxMessageBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
});

export type WebsocketSettings = z.infer<typeof websocketSettingsSchema>;
