import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bounded } from '../test/support/bounded.js';

// BullMQ on the local Redis doing what the scheduler bench does with genrelay's store: the
// same jobs from the same users, premium ones first. BullMQ has priorities only: no turns
// between users, no share between tiers, no per-user caps, so its figure is what a plain
// priority queue costs, not a fair scheduler.

export interface BullmqWorkload {
  jobCount: number;
  users: number;
  /** Claims and completions measured while the rest of the queue waits. */
  dispatches: number;
  /** The Redis to use; the bench skips BullMQ when it does not answer. */
  host: string;
  port: number;
}

export interface BullmqFigures {
  /** One `queue.add` per job, awaited in turn: like genrelay's one job per transaction. */
  singleSubmits: number;
  /** `worker.getNextJob` then `job.moveToCompleted`, one job at a time, like genrelay. */
  manualDispatches: number;
  /** `queue.addBulk` in batches of `bulkBatch`. */
  bulkSubmits: number;
  bulkBatch: number;
  /**
   * A `Worker` with an empty processor and `workerConcurrency`: BullMQ at its best, each
   * completion fetching the next job in the same call.
   */
  workerDispatches: number;
  workerConcurrency: number;
  /** How the Redis keeps its data: what an accepted job survives. */
  persistence: string;
}

export type BullmqResult =
  | { ran: true; figures: BullmqFigures }
  | { ran: false; reason: string };

const bulkBatch = 1000;
const workerConcurrency = 50;
/** BullMQ's priorities: a lower number runs first. */
const priorities = { premium: 1, general: 2 } as const;
const probeMs = 2000;
const phaseMs = 180_000;
const cleanupMs = 60_000;

/**
 * Runs the workload on BullMQ, or says why it could not: Redis did not answer, or the run
 * failed. Either way the rest of the bench goes on.
 */
export async function bullmqBaseline(workload: BullmqWorkload): Promise<BullmqResult> {
  const redis = await probe(workload.host, workload.port);
  if (!redis.reachable) return { ran: false, reason: redis.reason };
  try {
    const figures = await measure(workload);
    return { ran: true, figures: { ...figures, persistence: redis.persistence } };
  } catch (error) {
    return { ran: false, reason: `the run failed: ${(error as Error).message}` };
  }
}

async function measure(workload: BullmqWorkload) {
  const connection = { host: workload.host, port: workload.port };
  // A name of its own, so a run never reads or deletes another run's keys.
  const name = `genrelay-bench-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  try {
    const singleSubmits = await bounded('single adds', phaseMs, (signal) =>
      submitOneByOne(queue, workload, signal),
    );
    const manualDispatches = await bounded('getNextJob', phaseMs, (signal) =>
      dispatchManually(name, connection, workload.dispatches, signal),
    );
    await bounded('obliterate', cleanupMs, () => queue.obliterate({ force: true }));
    const bulkSubmits = await bounded('addBulk', phaseMs, (signal) =>
      submitInBulk(queue, workload, signal),
    );
    const workerDispatches = await bounded('the Worker', phaseMs, (signal) =>
      dispatchByWorker(name, connection, workload.dispatches, signal),
    );
    return {
      singleSubmits,
      manualDispatches,
      bulkSubmits,
      bulkBatch,
      workerDispatches,
      workerConcurrency,
    };
  } finally {
    try {
      await bounded('obliterate', cleanupMs, () => queue.obliterate({ force: true }));
    } finally {
      await bounded('closing the queue', cleanupMs, () => queue.close());
    }
  }
}

function jobOf(workload: BullmqWorkload, index: number) {
  const premium = index % 4 === 0;
  return {
    name: 'text2img',
    data: {
      userId: `user-${index % workload.users}`,
      prompt: 'a red fox',
      steps: 28,
    },
    opts: { priority: premium ? priorities.premium : priorities.general },
  };
}

async function submitOneByOne(
  queue: Queue,
  workload: BullmqWorkload,
  signal: AbortSignal,
): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < workload.jobCount; index++) {
    signal.throwIfAborted();
    const job = jobOf(workload, index);
    await queue.add(job.name, job.data, job.opts);
  }
  return workload.jobCount / ((performance.now() - started) / 1000);
}

async function submitInBulk(
  queue: Queue,
  workload: BullmqWorkload,
  signal: AbortSignal,
): Promise<number> {
  const started = performance.now();
  for (let first = 0; first < workload.jobCount; first += bulkBatch) {
    signal.throwIfAborted();
    const last = Math.min(workload.jobCount, first + bulkBatch);
    const batch = [];
    for (let index = first; index < last; index++) batch.push(jobOf(workload, index));
    await queue.addBulk(batch);
  }
  return workload.jobCount / ((performance.now() - started) / 1000);
}

/** Claims and completes jobs one at a time through the manual fetch API. */
async function dispatchManually(
  name: string,
  connection: { host: string; port: number },
  count: number,
  signal: AbortSignal,
): Promise<number> {
  // No processor and no autorun: the bench takes jobs itself, as genrelay's dispatcher does.
  const worker = new Worker(name, null, { connection, autorun: false });
  const token = randomUUID();
  try {
    const started = performance.now();
    for (let index = 0; index < count; index++) {
      signal.throwIfAborted();
      // Not blocking: with 100,000 waiting a job is always there, and an empty queue is
      // an error here rather than a wait.
      const job = await worker.getNextJob(token, { block: false });
      if (job === undefined) throw new Error('the BullMQ queue ran dry');
      await job.moveToCompleted(null, token, false);
    }
    return count / ((performance.now() - started) / 1000);
  } finally {
    await bounded('closing the worker', cleanupMs, () => worker.close());
  }
}

/** Completes jobs with BullMQ's own loop, and times the first `count`. */
async function dispatchByWorker(
  name: string,
  connection: { host: string; port: number },
  count: number,
  signal: AbortSignal,
): Promise<number> {
  const worker = new Worker(name, async () => null, {
    connection,
    autorun: false,
    concurrency: workerConcurrency,
  });
  try {
    await worker.waitUntilReady();
    let completed = 0;
    let started = 0;
    const finished = await new Promise<number>((resolve, reject) => {
      worker.on('completed', () => {
        completed++;
        if (completed === count) resolve(performance.now());
      });
      worker.on('failed', (_job, error) => reject(error));
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      started = performance.now();
      worker.run().catch(reject);
    });
    return count / ((finished - started) / 1000);
  } finally {
    await bounded('closing the worker', cleanupMs, () => worker.close());
  }
}

type Probe =
  | { reachable: true; persistence: string }
  | { reachable: false; reason: string };

/** Whether Redis answers a PING, and how it keeps data (which bounds what a job survives). */
async function probe(host: string, port: number): Promise<Probe> {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: probeMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The connection's own error says more than the command's "Connection is closed".
  let cause: Error | undefined;
  client.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await bounded('PING', probeMs, () => client.connect().then(() => client.ping()));
  } catch (error) {
    const message = (cause ?? (error as Error)).message;
    client.disconnect();
    return { reachable: false, reason: `Redis at ${host}:${port}: ${message}` };
  }
  try {
    return { reachable: true, persistence: await persistence(client) };
  } finally {
    client.disconnect();
  }
}

async function persistence(client: Redis): Promise<string> {
  try {
    const config = await bounded('CONFIG GET', probeMs, async () => {
      const [, aof] = (await client.config('GET', 'appendonly')) as string[];
      const [, fsync] = (await client.config('GET', 'appendfsync')) as string[];
      const [, save] = (await client.config('GET', 'save')) as string[];
      return { aof, fsync, save };
    });
    if (config.aof === 'yes') return `AOF, fsync ${config.fsync}`;
    return config.save ? `RDB snapshots (${config.save})` : 'none (in memory only)';
  } catch {
    // Managed Redis often refuses CONFIG.
    return 'unknown';
  }
}
