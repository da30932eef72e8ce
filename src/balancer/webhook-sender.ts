import { randomUUID } from 'node:crypto';
import {
  CanceledError,
  type GenRelayError,
  PayloadTooLargeError,
  QueueFullError,
  toGenRelayError,
} from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { HttpClient, PooledHttpClient } from '../http/http-client.js';
import { postWebhook } from './post-webhook.js';
import { validateWebhookUrl } from './validate-webhook-url.js';
import { createWebhookHttpClient } from './webhook-http-client.js';
import { webhookRetryDelay } from './webhook-retry-delay.js';
import type { WebhookSettings } from './webhook-settings.js';

/** Attempts per delivery, the first included. */
const maxAttempts = 3;

/** Whose job an event belongs to: picks the signing secret and names it in logs. */
export interface WebhookContext {
  service: string;
  jobId: string;
}

/** How a delivery ended, for metrics and tests. */
export interface WebhookResult extends WebhookContext {
  eventId: string;
  outcome: 'delivered' | 'failed' | 'dropped';
  attempts: number;
  /** Why it failed or was dropped. */
  error?: GenRelayError;
}

export interface WebhookSenderOptions {
  logger?: Logger;
  /**
   * The client for deliveries; it must refuse private addresses itself unless
   * `allowPrivateUrls` is set. By default the sender makes (and closes) one that does.
   */
  http?: HttpClient;
  onResult?: (result: WebhookResult) => void;
  /** For tests: a number in [0, 1), for the backoff jitter. */
  random?: () => number;
  /** For tests: epoch milliseconds, for the signed timestamp. */
  now?: () => number;
}

interface Delivery extends WebhookContext {
  eventId: string;
  url: string;
  host: string;
  body: string;
  /** The body's size in UTF-8, counted against `maxPendingBytes`. */
  bytes: number;
  attempts: number;
  retryTimer?: NodeJS.Timeout;
}

/**
 * Posts jobs' final events to webhook URLs in the background: `send` only enqueues, a
 * few deliveries run at once, failures that may pass are retried with backoff, and the
 * backlog is bounded in deliveries and in bytes (the oldest waiting delivery is dropped
 * first). Deliveries live in memory: what is pending when the process stops is lost.
 */
export class WebhookSender {
  private readonly logger: Logger;
  private readonly http: HttpClient;
  private readonly ownHttp: PooledHttpClient | undefined;
  private readonly onResult: ((result: WebhookResult) => void) | undefined;
  private readonly random: () => number;
  private readonly now: () => number;
  /** Waiting for an attempt, oldest first. */
  private readonly ready: Delivery[] = [];
  /** Waiting out a backoff before going back to `ready`. */
  private readonly retrying = new Set<Delivery>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly closing = new AbortController();
  /** The bodies of every delivery not yet finished: waiting, retrying or in flight. */
  private heldBytes = 0;
  private pumpScheduled = false;
  private stopped = false;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly settings: WebhookSettings,
    options: WebhookSenderOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    if (options.http === undefined) {
      this.ownHttp = createWebhookHttpClient(settings);
      this.http = this.ownHttp;
    } else {
      this.ownHttp = undefined;
      this.http = options.http;
    }
    this.onResult = options.onResult;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** The URL a job's events go to: its own, else its service's configured one. */
  urlFor(service: string, requested?: string): string | undefined {
    return requested ?? this.settings.services[service]?.url;
  }

  /**
   * Enqueues `event` for `url` and returns at once; even signing waits for the next turn
   * of the event loop. An invalid URL, an unserializable event or one larger than the
   * whole backlog may hold is logged, not thrown.
   */
  send(url: string, event: object, context: WebhookContext): void {
    const eventId = randomUUID();
    const { service, jobId } = context;
    if (this.stopped) {
      const error = new CanceledError('the webhook sender is closed');
      this.report({ service, jobId, eventId, outcome: 'dropped', attempts: 0, error });
      return;
    }
    let delivery: Delivery;
    try {
      const parsed = validateWebhookUrl(url, {
        allowPrivateUrls: this.settings.allowPrivateUrls,
      });
      const body = JSON.stringify(event);
      const bytes = Buffer.byteLength(body);
      if (bytes > this.settings.maxPendingBytes) {
        throw new PayloadTooLargeError(
          `the webhook event is ${bytes} bytes, more than maxPendingBytes (${this.settings.maxPendingBytes})`,
        );
      }
      delivery = {
        service,
        jobId,
        eventId,
        url: parsed.href,
        host: parsed.host,
        body,
        bytes,
        attempts: 0,
      };
    } catch (thrown) {
      const error = toGenRelayError(thrown);
      this.logger.warn({ service, jobId, eventId, err: error }, 'webhook not sent');
      this.report({ service, jobId, eventId, outcome: 'failed', attempts: 0, error });
      return;
    }
    this.heldBytes += delivery.bytes;
    this.ready.push(delivery);
    this.trim();
    if (!this.pumpScheduled) {
      this.pumpScheduled = true;
      setImmediate(() => {
        this.pumpScheduled = false;
        this.pump();
      });
    }
  }

  /**
   * Stops: nothing new is sent, pending deliveries and retries are dropped, and the
   * attempts in flight are awaited for at most `timeoutMs`, then aborted.
   */
  close(): Promise<void> {
    this.stopped = true;
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    const abandoned = [...this.ready, ...this.retrying];
    this.ready.length = 0;
    this.retrying.clear();
    const error = new CanceledError('the webhook sender closed before delivery');
    for (const delivery of abandoned) {
      clearTimeout(delivery.retryTimer);
      this.finish(delivery, 'dropped', error);
    }
    if (abandoned.length > 0) {
      this.logger.warn(
        { count: abandoned.length },
        'webhooks dropped: the sender closed',
      );
    }
    const settled = Promise.allSettled([...this.inFlight]);
    const timer = setTimeout(
      () => this.closing.abort(new CanceledError('the webhook sender closed')),
      this.settings.timeoutMs,
    );
    await settled;
    clearTimeout(timer);
    await this.ownHttp?.close();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.settings.concurrency) {
      const delivery = this.ready.shift();
      if (delivery === undefined) return;
      const attempt = this.attempt(delivery).finally(() => {
        this.inFlight.delete(attempt);
        this.pump();
      });
      this.inFlight.add(attempt);
    }
  }

  /**
   * Keeps the backlog within `maxPending` deliveries and `maxPendingBytes` by dropping the
   * oldest waiting delivery. Attempts in flight are not dropped: they end within
   * `timeoutMs` anyway.
   */
  private trim(): void {
    const { maxPending, maxPendingBytes } = this.settings;
    while (
      this.ready.length + this.retrying.size > maxPending ||
      this.heldBytes > maxPendingBytes
    ) {
      const oldest = this.ready.shift() ?? this.retrying.values().next().value;
      if (oldest === undefined) return;
      clearTimeout(oldest.retryTimer);
      this.retrying.delete(oldest);
      const error = new QueueFullError(
        `the webhook backlog is full (${maxPending} deliveries or ${maxPendingBytes} bytes)`,
      );
      this.logger.warn(
        this.describe(oldest, error),
        'webhook dropped: the backlog is full',
      );
      this.finish(oldest, 'dropped', error);
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.attempts++;
    const outcome = await postWebhook(
      this.http,
      {
        url: delivery.url,
        body: delivery.body,
        eventId: delivery.eventId,
        secret: this.settings.services[delivery.service]?.secret ?? this.settings.secret,
        timestamp: Math.floor(this.now() / 1000),
      },
      { timeoutMs: this.settings.timeoutMs, signal: this.closing.signal },
    );
    if (outcome.kind === 'delivered') {
      this.logger.debug(this.describe(delivery), 'webhook delivered');
      this.finish(delivery, 'delivered');
    } else if (outcome.retryable && delivery.attempts < maxAttempts && !this.stopped) {
      this.retryLater(delivery, outcome.error);
    } else {
      this.logger.warn(this.describe(delivery, outcome.error), 'webhook delivery failed');
      this.finish(delivery, 'failed', outcome.error);
    }
  }

  /** The delivery gives up its slot while it waits, so one slow receiver holds up no one. */
  private retryLater(delivery: Delivery, error: GenRelayError): void {
    const delayMs = webhookRetryDelay(delivery.attempts, error.retryAfterMs, {
      ...this.settings,
      random: this.random,
    });
    this.logger.debug(
      { ...this.describe(delivery, error), delayMs },
      'webhook delivery failed; retrying',
    );
    // Moving back to `ready` changes neither count nor bytes, so there is nothing to trim.
    delivery.retryTimer = setTimeout(() => {
      delivery.retryTimer = undefined;
      this.retrying.delete(delivery);
      this.ready.push(delivery);
      this.pump();
    }, delayMs);
    // Deliveries are not durable, so a pending retry should not keep the process alive.
    delivery.retryTimer.unref();
    this.retrying.add(delivery);
    this.trim();
  }

  private describe(delivery: Delivery, error?: GenRelayError): object {
    const { service, jobId, eventId, host, attempts } = delivery;
    return { service, jobId, eventId, host, attempts, ...(error ? { err: error } : {}) };
  }

  /** Every delivery that was accepted ends here once, whichever way it ends. */
  private finish(
    delivery: Delivery,
    outcome: WebhookResult['outcome'],
    error?: GenRelayError,
  ): void {
    this.heldBytes -= delivery.bytes;
    const { service, jobId, eventId, attempts } = delivery;
    this.report({
      service,
      jobId,
      eventId,
      outcome,
      attempts,
      ...(error ? { error } : {}),
    });
  }

  /** A failing callback must not break delivery, nor escape from a timer. */
  private report(result: WebhookResult): void {
    try {
      this.onResult?.(result);
    } catch (error) {
      this.logger.error({ err: error }, 'webhook result callback failed');
    }
  }
}
