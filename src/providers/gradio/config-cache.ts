/**
 * Values per key (an app's base URL), each kept for `ttlMs` after it loaded. Only loaded
 * values are kept: a failed or aborted load belongs to its caller alone, and the next
 * call asks again.
 */
export class ConfigCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt > this.now()) return entry.value;
    const value = await load();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  /** Forgets `key`, so the next call loads it again. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
