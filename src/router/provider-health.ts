import type { GenRelayError } from '../core/errors.js';

export interface ProviderHealthOptions {
  /** This many failures within the window cool a provider down. */
  failureThreshold: number;
  failureWindowMs: number;
  cooldownMs: number;
  now?: () => number;
}

/** Errors that say nothing about the provider's health: the request or the caller caused them. */
const requestFaults = new Set([
  'invalid_request',
  'model_not_found',
  'moderation_rejected',
  'payload_too_large',
  'canceled',
]);

export interface ProviderHealthStatus {
  provider: string;
  recentFailures: number;
  /** Epoch milliseconds until which the provider is skipped, when it is cooling down. */
  coolingDownUntil?: number;
}

/**
 * Remembers recent failures per provider so the router can skip one that keeps failing
 * (a circuit breaker that closes again by itself after the cooldown).
 */
export class ProviderHealth {
  private readonly failures = new Map<string, number[]>();
  private readonly coolingUntil = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: ProviderHealthOptions) {
    this.now = options.now ?? Date.now;
  }

  recordFailure(provider: string, error: GenRelayError): void {
    if (requestFaults.has(error.code)) return;
    const now = this.now();
    const recent = (this.failures.get(provider) ?? []).filter(
      (time) => now - time < this.options.failureWindowMs,
    );
    recent.push(now);
    if (recent.length >= this.options.failureThreshold) {
      this.coolingUntil.set(provider, now + this.options.cooldownMs);
      this.failures.delete(provider);
    } else {
      this.failures.set(provider, recent);
    }
  }

  recordSuccess(provider: string): void {
    this.failures.delete(provider);
  }

  isCoolingDown(provider: string): boolean {
    const until = this.coolingUntil.get(provider);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.coolingUntil.delete(provider);
    return false;
  }

  status(provider: string): ProviderHealthStatus {
    const now = this.now();
    const recentFailures = (this.failures.get(provider) ?? []).filter(
      (time) => now - time < this.options.failureWindowMs,
    ).length;
    return this.isCoolingDown(provider)
      ? {
          provider,
          recentFailures,
          coolingDownUntil: this.coolingUntil.get(provider) as number,
        }
      : { provider, recentFailures };
  }
}
