import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Balancer } from '../balancer/balancer.js';
import { createBalancer } from '../balancer/create-balancer.js';
import { InstancePool } from '../balancer/instance-pool.js';
import { LaneDirectory } from '../balancer/lane-directory.js';
import { Moderator } from '../balancer/moderation/moderator.js';
import { ResultSweeper } from '../balancer/result-sweeper.js';
import { SqliteJobStore } from '../balancer/sqlite-job-store.js';
import { WebhookSender } from '../balancer/webhook-sender.js';
import { isPayloadExecutor } from '../providers/provider.js';
import type { Runtime } from './create-runtime.js';

/** Jobs at once per instance when its settings give no `slots`. */
const defaultSlots: Record<string, number> = {
  automatic1111: 1,
  kandinsky: 1,
  // A Space queues its visitors itself; two in flight keep it busy without hogging it.
  'blackforestlabs-flux1dev': 2,
  'voodoohop-flux1schnell': 2,
};
const apiSlots = 64;

/** The queue and what feeds it: the store, the instances' slots, moderation, webhooks. */
export interface Queue {
  balancer: Balancer;
  lanes: LaneDirectory;
  pool: InstancePool;
  moderator: Moderator;
  webhooks: WebhookSender;
  /**
   * Stops dispatching (running jobs are left for the next start) and the retention sweeps,
   * and closes the store.
   */
  close(): Promise<void>;
}

/**
 * Builds the queue for a server: the embedded SQLite store in the data folder, one pool of
 * slots over every provider instance, and the balancer on top. Call `balancer.start()`.
 * With `storage.retentionHours` set, finished jobs past it are swept away from now on.
 */
export function createQueue(runtime: Runtime): Queue {
  const { config, logger } = runtime;
  const settings = new Map(config.providers.map((instance) => [instance.id, instance]));
  let balancer: Balancer | undefined;
  const pool = new InstancePool(
    runtime.providers.map((provider) => ({
      id: provider.id,
      slots:
        settings.get(provider.id)?.settings.slots ??
        defaultSlots[provider.type] ??
        apiSlots,
      ...(isPayloadExecutor(provider)
        ? { ping: (signal: AbortSignal) => provider.ping(signal) }
        : {}),
    })),
    {
      cooldownMs: config.balancer.cooldownMs,
      pingIntervalMs: config.balancer.pingIntervalMs,
      onAvailable: () => balancer?.wakeAll(),
      logger,
    },
  );
  const lanes = new LaneDirectory(runtime.providers, runtime.router, pool);
  const store = new SqliteJobStore({
    path: join(config.server.dataDir, 'jobs.sqlite'),
    maxUserRunning: config.balancer.maxUserRunning,
  });
  ({ balancer } = createBalancer({
    store,
    storage: runtime.storage,
    lane: (name) => lanes.lane(name),
    settings: config.balancer,
    worker: `${hostname()}:${process.pid}`,
    soleWorker: true,
    logger,
  }));
  const moderator = new Moderator(config.moderation, { http: runtime.http, logger });
  const webhooks = new WebhookSender(config.webhooks, { logger });
  const { retentionHours, sweepIntervalMs } = config.storage;
  const sweeper =
    retentionHours === undefined
      ? undefined
      : new ResultSweeper({
          store,
          storage: runtime.storage,
          retentionMs: retentionHours * 3_600_000,
          sweepIntervalMs,
          logger,
        });
  sweeper?.start();
  const running = balancer;
  return {
    balancer: running,
    lanes,
    pool,
    moderator,
    webhooks,
    close: async () => {
      await sweeper?.stop();
      await running.stop();
      pool.close();
      await webhooks.close();
      await store.close();
    },
  };
}
