import {
  type BalancerRuntime,
  type BalancerSettings,
  createBalancer,
} from '../../src/balancer/create-balancer.js';
import { SqliteJobStore } from '../../src/balancer/sqlite-job-store.js';
import { countedLane, type TestLane } from './counted-lane.js';

/** Small caps and a 2 s refresh; tests override what they are about. */
export const testBalancerSettings: BalancerSettings = {
  premiumShare: 0.75,
  maxUserQueueSize: { default: 2, ceiling: 5 },
  maxQueueSize: 100,
  maxAttempts: 3,
  leaseMs: 30_000,
  attemptTimeout: { baseMs: 5000, perMegapixelStepMs: 0, perTokenMs: 0, maxMs: 5000 },
  queueUpdateMs: 2000,
  eventRetentionMs: 10_000,
};

export interface TestBalancerOptions {
  /** The one lane every job runs on. */
  lane: TestLane;
  settings?: Partial<BalancerSettings>;
  /** The SQLite file; in memory when omitted. */
  path?: string;
}

/**
 * A balancer as the server builds it, on a SQLite store, with `lane` serving every job
 * and a storage that keeps nothing. Stop the balancer and close the store after.
 */
export function testBalancer(
  options: TestBalancerOptions,
): BalancerRuntime & { store: SqliteJobStore } {
  const store = new SqliteJobStore({
    path: options.path ?? ':memory:',
    maxUserRunning: 1,
  });
  const lane = countedLane(options.lane);
  const runtime = createBalancer({
    store,
    storage: {
      save: async () => ({ key: 'k.png', mediaType: 'image/png', size: 1 }),
      open: async () => undefined,
    },
    lane: () => lane,
    settings: { ...testBalancerSettings, ...options.settings },
    worker: 'test',
    soleWorker: true,
  });
  return { ...runtime, store };
}
