export interface ReconnectSettings {
  /** The wait before the first attempt to reconnect. */
  initialDelayMs: number;
  /** The longest wait between attempts. */
  maxDelayMs: number;
}

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): doubling from
 * the initial delay up to the maximum, each a random time between half and all of it, so
 * many clients cut off at once do not all come back at the same moment.
 */
export function reconnectDelay(
  attempt: number,
  settings: ReconnectSettings,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
