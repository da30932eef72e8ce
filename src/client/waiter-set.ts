import type { GeneratorError } from './generator-error.js';

interface Waiter {
  resolve(): void;
  reject(error: GeneratorError): void;
}

/** Callers waiting for one thing: all told at once, each giving up after its own bound. */
export class WaiterSet {
  private readonly waiters = new Set<Waiter>();

  /** Callers still waiting. */
  get size(): number {
    return this.waiters.size;
  }

  /** Settles when told, or rejects with `timedOut()` after `timeoutMs`. */
  wait(timeoutMs: number, timedOut: () => GeneratorError): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(timedOut());
      }, timeoutMs);
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  resolveAll(): void {
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  rejectAll(error: GeneratorError): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }
}
