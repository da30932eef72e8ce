import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testBalancer } from '../../test/support/test-balancer.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Balancer } from './balancer.js';
import type { Job, NewJob } from './job.js';
import { type JobEvent, JobEvents } from './job-events.js';
import type { JobStore } from './job-store.js';
import type { QueueEstimator } from './queue-estimator.js';
import { QueueWatcher } from './queue-watcher.js';
import type { SqliteJobStore } from './sqlite-job-store.js';

let store: SqliteJobStore;
let balancer: Balancer;
let subscriptions = new AbortController();

afterEach(async () => {
  subscriptions.abort();
  subscriptions = new AbortController();
  await balancer?.stop();
  await store?.close();
});

/**
 * A balancer whose only job runs until aborted, and whose periodic refresh is a minute
 * away: whatever a listener hears within the test came from a lane change.
 */
function setUp() {
  ({ balancer, store } = testBalancer({
    lane: {
      slots: 1,
      async *run(_job, signal): AsyncGenerator<StreamPart> {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        throw signal.reason;
      },
    },
    settings: { maxUserQueueSize: { default: 5, ceiling: 5 }, queueUpdateMs: 60_000 },
  }));
  return balancer;
}

const job = (userId: string, extra: Partial<NewJob> = {}): NewJob => ({
  service: 'bot',
  userId,
  tier: 'general',
  kind: 'text2img',
  lane: 'gpu',
  payload: {},
  work: 8,
  ...extra,
});

/**
 * Submits a job and waits until it runs (it holds the only slot), and until the refresh its
 * start called for is over, so that what follows is heard for its own change.
 */
async function occupy(balancer: Balancer) {
  const { job: running } = await balancer.submit(job('ann'));
  await expect
    .poll(async () => (await balancer.get(running.id, 'bot')).state)
    .toBe('running');
  await sleep(300);
}

/** The positions a listener of `id` hears, as they come, each within a second. */
async function listen(balancer: Balancer, id: string) {
  const events = await balancer.subscribe(id, 'bot', subscriptions.signal);
  const iterator = events[Symbol.asyncIterator]();
  return async () => {
    const deadline = AbortSignal.timeout(1000);
    for (;;) {
      const next = await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) =>
          deadline.addEventListener('abort', () => reject(new Error('no queued event'))),
        ),
      ]);
      if (next.done) throw new Error('the events ended');
      const event: JobEvent = next.value;
      if (event.type === 'queued') return event.position;
    }
  };
}

/** A job holding the only slot, and bob's waiting first behind it, listened to. */
async function bobWaiting() {
  const balancer = setUp();
  await balancer.start();
  await occupy(balancer);
  const { job: waiting } = await balancer.submit(job('bob'));
  const nextPosition = await listen(balancer, waiting.id);
  expect(await nextPosition()).toBe(0);
  return { balancer, waiting, nextPosition };
}

describe('QueueWatcher', () => {
  it('tells a waiting job at once when a premium job lands ahead of it', async () => {
    const { balancer, nextPosition } = await bobWaiting();
    await balancer.submit(job('cid', { tier: 'premium' }));
    expect(await nextPosition()).toBe(1);
  });

  it('tells the jobs behind a canceled one that they moved up', async () => {
    const { balancer, waiting } = await bobWaiting();
    const { job: behind } = await balancer.submit(job('cid'));
    const nextPosition = await listen(balancer, behind.id);
    expect(await nextPosition()).toBe(1);
    await balancer.cancel(waiting.id, 'bot');
    expect(await nextPosition()).toBe(0);
  });

  it('says nothing when a change leaves the place and the expected start as they were', async () => {
    const { balancer, nextPosition } = await bobWaiting();
    // A job of another user lands behind: bob's place is the same, so no event; the next
    // one bob hears is from the premium job that lands ahead afterwards.
    await balancer.submit(job('cid'));
    await sleep(300);
    await balancer.submit(job('dee', { tier: 'premium' }));
    expect(await nextPosition()).toBe(1);
  });
});

describe('QueueWatcher on a slow queue', () => {
  it('never refreshes twice at once, and rests in proportion to what a refresh took', async () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 10 });
    let reads = 0;
    let reading = 0;
    let mostAtOnce = 0;
    const job = { id: 'job-1', lane: 'gpu', state: 'queued' } as Job;
    const store = { get: async () => job } as unknown as JobStore;
    // Each estimate takes 50 ms, like a long queue with thousands of listeners would, and
    // is a new place, so every refresh also tells the job.
    const slowEstimator = {
      estimate: async () => {
        reads++;
        reading++;
        mostAtOnce = Math.max(mostAtOnce, reading);
        await sleep(50);
        reading--;
        return { position: reads, etaMs: 1000, avgTimeMs: 100 };
      },
    } as unknown as QueueEstimator;
    const watcher = new QueueWatcher(events, store, slowEstimator, {
      intervalMs: 60_000,
    });
    const listening = events
      .subscribe('job-1', subscriptions.signal)
      [Symbol.asyncIterator]();
    void listening.next();
    await watcher.publish(job);
    reads = 0;
    const changes = setInterval(() => watcher.laneChanged('gpu'), 5);
    try {
      await sleep(1000);
    } finally {
      clearInterval(changes);
      watcher.close();
    }
    expect(mostAtOnce).toBe(1);
    // 200 changes in a second; each refresh (≥ 50 ms) rests four times as long after it,
    // so at most about four refreshes fit, where a 100 ms debounce alone would allow ten.
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(5);
  });

  it('reads a listened job once, not on every refresh, and skips other lanes', async () => {
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 10 });
    const reads: string[] = [];
    const estimated: string[] = [];
    const jobs: Record<string, Job> = {
      a: { id: 'a', lane: 'gpu', state: 'queued' } as Job,
      b: { id: 'b', lane: 'chat:m', state: 'running' } as Job,
    };
    const store = {
      get: async (id: string) => {
        reads.push(id);
        return jobs[id];
      },
    } as unknown as JobStore;
    const estimator = {
      estimate: async (job: Job) => {
        estimated.push(job.id);
        return { position: estimated.length, etaMs: 1000, avgTimeMs: 100 };
      },
    } as unknown as QueueEstimator;
    const watcher = new QueueWatcher(events, store, estimator, { intervalMs: 60_000 });
    for (const id of ['a', 'b'])
      void events.subscribe(id, subscriptions.signal)[Symbol.asyncIterator]().next();
    try {
      for (let change = 0; change < 3; change++) {
        watcher.laneChanged('gpu');
        await vi.waitFor(() =>
          expect(estimated.filter((id) => id === 'a')).toHaveLength(change + 1),
        );
      }
    } finally {
      watcher.close();
    }
    expect(reads.sort()).toEqual(['a', 'b']);
    expect(estimated).toEqual(['a', 'a', 'a']);
  });
});
