import { findProviderFactory } from '../providers/provider-registry.js';
import type { Runtime } from '../runtime/create-runtime.js';

/** One configured provider instance as `genrelay providers` shows it. */
export interface ProviderRow {
  id: string;
  type: string;
  label: string;
  enabled: boolean;
  /** `ok`, `disabled`, `2 recent failures` or `cooling down until <time>`. */
  status: string;
  recentFailures: number;
  /** Epoch milliseconds, while the router skips the instance. */
  coolingDownUntil?: number;
  /** The environment variables its type reads credentials from, as the type documents them. */
  environment: string[];
}

function statusText(
  enabled: boolean,
  failures: number,
  until: number | undefined,
): string {
  if (!enabled) return 'disabled';
  if (until !== undefined) return `cooling down until ${new Date(until).toISOString()}`;
  return failures > 0 ? `${failures} recent failures` : 'ok';
}

/** Every configured instance, enabled or not, in configuration order. */
export function providerRows(runtime: Runtime): ProviderRow[] {
  return runtime.config.providers.map((instance) => {
    const factory = findProviderFactory(instance.type);
    const provider = runtime.providers.find((created) => created.id === instance.id);
    const { enabled } = instance.settings;
    const health = runtime.router.health.status(instance.id);
    return {
      id: instance.id,
      type: instance.type,
      label: provider?.label ?? factory?.label ?? instance.type,
      enabled,
      status: statusText(enabled, health.recentFailures, health.coolingDownUntil),
      recentFailures: health.recentFailures,
      ...(health.coolingDownUntil === undefined
        ? {}
        : { coolingDownUntil: health.coolingDownUntil }),
      environment: factory?.environment ?? [],
    };
  });
}
