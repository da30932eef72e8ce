import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newJob } from '../../test/support/new-job.js';
import type { JobTier } from './job.js';
import type { JobStore } from './job-store.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { TierSelector } from './tier-selector.js';

const limits = { maxUserQueueSize: 1000, maxQueueSize: 100_000 };
const worker = 'test-worker';
const claimOptions = { tiers: ['premium', 'general'] as const, leaseMs: 60_000, worker };

let store: SqliteJobStore;
const open = (
  options: { maxUserRunning?: number; now?: () => number; path?: string } = {},
) => {
  store = new SqliteJobStore({ path: ':memory:', maxUserRunning: 1, ...options });
  return store;
};

afterEach(async () => {
  await store?.close();
});

/** Claims and completes jobs one by one, returning whose they were, in order. */
async function drain(jobs: JobStore, count: number): Promise<string[]> {
  const order: string[] = [];
  for (let index = 0; index < count; index++) {
    const job = await jobs.claim('flux', claimOptions);
    if (job === undefined) break;
    order.push(job.userId);
    await jobs.complete(job.id, worker, { ok: true });
  }
  return order;
}

describe('SqliteJobStore', () => {
  it('stores a job, hands it out once, and records its result', async () => {
    const jobs = open();
    const { job, created } = await jobs.submit(newJob('ann'), limits);
    expect(created).toBe(true);
    expect(job).toMatchObject({
      state: 'queued',
      attempts: 0,
      userId: 'ann',
      payload: { prompt: 'from ann' },
    });
    const claimed = await jobs.claim('flux', claimOptions);
    expect(claimed).toMatchObject({ id: job.id, state: 'running', attempts: 1 });
    expect(await jobs.claim('flux', claimOptions)).toBeUndefined();
    expect(await jobs.complete(job.id, worker, { url: 'x' })).toBe(true);
    // A second result for the same job changes nothing.
    expect(await jobs.complete(job.id, worker, { url: 'y' })).toBe(false);
    expect(await jobs.get(job.id)).toMatchObject({
      state: 'succeeded',
      result: { url: 'x' },
    });
  });

  it('returns the same job for the same request id of a service', async () => {
    const jobs = open();
    const first = await jobs.submit(newJob('ann', { requestId: 'r-1' }), limits);
    const again = await jobs.submit(newJob('ann', { requestId: 'r-1' }), limits);
    const otherService = await jobs.submit(
      newJob('ann', { requestId: 'r-1', service: 'app' }),
      limits,
    );
    expect(again).toEqual({ job: first.job, created: false });
    expect(otherService.job.id).not.toBe(first.job.id);
  });

  it('refuses a user over the queue cap and the store over its size, atomically', async () => {
    const jobs = open();
    const attempts = await Promise.allSettled(
      Array.from({ length: 30 }, () =>
        jobs.submit(newJob('ann'), { ...limits, maxUserQueueSize: 10 }),
      ),
    );
    const refused = attempts.filter((attempt) => attempt.status === 'rejected');
    expect(refused).toHaveLength(20);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'queue_full',
      status: 429,
      message: expect.stringContaining('limit (max_user_queue_size) is 10'),
    });
    await expect(
      jobs.submit(newJob('bob'), { ...limits, maxQueueSize: 10 }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('balancer.maxQueueSize'),
    });
  });

  it('lets users take turns: a flood does not delay a newcomer by more than a turn', async () => {
    const jobs = open({ maxUserRunning: 1 });
    for (let index = 0; index < 300; index++)
      await jobs.submit(newJob('flooder'), limits);
    expect(await drain(jobs, 5)).toEqual(Array(5).fill('flooder'));
    const newcomers = Array.from({ length: 20 }, (_, index) => `user-${index}`);
    for (const user of newcomers) await jobs.submit(newJob(user), limits);
    const order = await drain(jobs, 40);
    for (const user of newcomers) {
      // Turns the flooder got before this user started.
      const flooderTurns = order
        .slice(0, order.indexOf(user))
        .filter((who) => who === 'flooder').length;
      expect(flooderTurns).toBeLessThanOrEqual(2);
    }
    expect(order.slice(20)).toEqual(Array(20).fill('flooder'));
  });

  it('alternates between users with several jobs each', async () => {
    const jobs = open();
    for (const user of ['a', 'a', 'a', 'b', 'b', 'b', 'c'])
      await jobs.submit(newJob(user), limits);
    expect(await drain(jobs, 7)).toEqual(['a', 'b', 'c', 'a', 'b', 'a', 'b']);
  });

  it('does not let an emptied queue buy an earlier turn', async () => {
    const jobs = open();
    await jobs.submit(newJob('a'), limits);
    await jobs.submit(newJob('b'), limits);
    await jobs.submit(newJob('b'), limits);
    expect(await drain(jobs, 1)).toEqual(['a']);
    // a comes back at once, but its next turn is after b's first, and b's second job
    // arrived first; with a fresh turn a would have gone before b's second job.
    await jobs.submit(newJob('a'), limits);
    expect(await drain(jobs, 3)).toEqual(['b', 'b', 'a']);
  });

  it('passes over a user at the running cap', async () => {
    const jobs = open({ maxUserRunning: 1 });
    await jobs.submit(newJob('ann'), limits);
    await jobs.submit(newJob('ann'), limits);
    await jobs.submit(newJob('bob'), limits);
    const first = await jobs.claim('flux', claimOptions);
    const second = await jobs.claim('flux', claimOptions);
    expect([first?.userId, second?.userId]).toEqual(['ann', 'bob']);
    expect(await jobs.claim('flux', claimOptions)).toBeUndefined();
    await jobs.complete(first?.id ?? '', worker, null);
    expect((await jobs.claim('flux', claimOptions))?.userId).toBe('ann');
  });

  it('keeps lanes apart', async () => {
    const jobs = open();
    await jobs.submit(newJob('ann', { lane: 'sdxl' }), limits);
    expect(await jobs.claim('flux', claimOptions)).toBeUndefined();
    expect((await jobs.claim('sdxl', claimOptions))?.lane).toBe('sdxl');
  });

  it('takes tiers in the order asked, falling through an empty one', async () => {
    const jobs = open({ maxUserRunning: 10 });
    await jobs.submit(newJob('ann', { tier: 'general' }), limits);
    await jobs.submit(newJob('vip', { tier: 'premium' }), limits);
    expect(
      (await jobs.claim('flux', { ...claimOptions, tiers: ['premium', 'general'] }))
        ?.userId,
    ).toBe('vip');
    expect(
      (await jobs.claim('flux', { ...claimOptions, tiers: ['premium', 'general'] }))
        ?.userId,
    ).toBe('ann');
  });

  it('holds the premium share within 5% over 400 jobs', async () => {
    const jobs = open({ maxUserRunning: 1000 });
    for (let index = 0; index < 400; index++) {
      const tier: JobTier = index % 2 === 0 ? 'premium' : 'general';
      await jobs.submit(newJob(`user-${index % 40}`, { tier }), limits);
    }
    const selector = new TierSelector(0.75);
    let premium = 0;
    // Measured while both tiers still have jobs waiting.
    for (let index = 0; index < 240; index++) {
      const job = await jobs.claim('flux', { ...claimOptions, tiers: selector.order() });
      if (job === undefined) throw new Error('ran dry');
      selector.started(job.tier);
      if (job.tier === 'premium') premium++;
      await jobs.complete(job.id, worker, null);
    }
    expect(Math.abs(premium / 240 - 0.75)).toBeLessThan(0.05);
  });

  it('cancels a queued job at once and a running one, only for its own service', async () => {
    const jobs = open({ maxUserRunning: 5 });
    const queued = (await jobs.submit(newJob('ann'), limits)).job;
    const running = (await jobs.submit(newJob('ann'), limits)).job;
    expect(await jobs.cancel(queued.id, 'someone-else')).toBeUndefined();
    expect(await jobs.get(queued.id, 'someone-else')).toBeUndefined();
    expect(await jobs.cancel(queued.id, 'bot')).toMatchObject({
      job: { state: 'canceled' },
      canceled: true,
    });
    // Canceling it again changes nothing, and says so.
    expect(await jobs.cancel(queued.id, 'bot')).toMatchObject({
      job: { state: 'canceled' },
      canceled: false,
    });
    const claimed = await jobs.claim('flux', claimOptions);
    expect(claimed?.id).toBe(running.id);
    expect(await jobs.cancel(running.id, 'bot')).toMatchObject({
      job: { state: 'canceled' },
      canceled: true,
    });
    expect(await jobs.complete(running.id, worker, null)).toBe(false);
    expect(await jobs.claim('flux', claimOptions)).toBeUndefined();
  });

  it('retries a failed job first in its user’s line, then fails it after the last attempt', async () => {
    const jobs = open({ maxUserRunning: 5 });
    const job = (await jobs.submit(newJob('ann'), limits)).job;
    await jobs.submit(newJob('ann'), limits);
    const error = { code: 'upstream_error', message: 'down' };
    const retry = { allowed: true, maxAttempts: 2 };
    await jobs.claim('flux', claimOptions);
    expect(await jobs.fail(job.id, worker, error, retry)).toBe('queued');
    const again = await jobs.claim('flux', claimOptions);
    expect(again).toMatchObject({ id: job.id, attempts: 2 });
    expect(await jobs.fail(job.id, worker, error, retry)).toBe('failed');
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', error });
  });

  it('makes a retried job that is alone in its queue claimable again', async () => {
    const jobs = open({ maxUserRunning: 1 });
    const job = (await jobs.submit(newJob('ann'), limits)).job;
    await jobs.claim('flux', claimOptions);
    const error = { code: 'timeout', message: 'slow' };
    expect(
      await jobs.fail(job.id, worker, error, { allowed: true, maxAttempts: 3 }),
    ).toBe('queued');
    expect((await jobs.claim('flux', claimOptions))?.id).toBe(job.id);
  });

  it('puts jobs whose lease ran out back in the queue', async () => {
    let now = 1000;
    const jobs = open({ now: () => now });
    const job = (await jobs.submit(newJob('ann'), limits)).job;
    await jobs.claim('flux', { ...claimOptions, leaseMs: 500 });
    expect(await jobs.recoverExpired(now, 3)).toBe(0);
    now += 1000;
    expect(await jobs.recoverExpired(now, 3)).toBe(1);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'queued', attempts: 1 });
    // The old worker cannot complete it any more; whoever claims it next can.
    const next = await jobs.claim('flux', { ...claimOptions, worker: 'other' });
    expect(await jobs.complete(job.id, worker, null)).toBe(false);
    expect(await jobs.complete(next?.id ?? '', 'other', null)).toBe(true);
  });

  it('tells each queued job its position in the order jobs will start', async () => {
    const jobs = open({ maxUserRunning: 1000 });
    const submitted = [];
    for (const user of ['a', 'a', 'a', 'b', 'c', 'c'])
      submitted.push((await jobs.submit(newJob(user), limits)).job);
    const positions = await Promise.all(submitted.map((job) => jobs.position(job.id)));
    const started: string[] = [];
    for (;;) {
      const job = await jobs.claim('flux', claimOptions);
      if (job === undefined) break;
      started.push(job.id);
    }
    expect(submitted.map((job) => started.indexOf(job.id))).toEqual(positions);
  });

  it('keeps jobs across a reopening of the file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'genrelay-store-'));
    try {
      const path = join(folder, 'jobs.sqlite');
      const first = new SqliteJobStore({ path, maxUserRunning: 1 });
      const job = (await first.submit(newJob('ann'), limits)).job;
      await first.close();
      const jobs = open({ path });
      expect(await jobs.get(job.id)).toMatchObject({ state: 'queued' });
      expect((await jobs.claim('flux', claimOptions))?.id).toBe(job.id);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('rebuilds its counters on reopening, so caps still hold', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'genrelay-store-'));
    try {
      const path = join(folder, 'jobs.sqlite');
      const first = new SqliteJobStore({ path, maxUserRunning: 1 });
      for (let index = 0; index < 3; index++) await first.submit(newJob('ann'), limits);
      await first.submit(newJob('bob'), limits);
      await first.claim('flux', claimOptions);
      await first.close();
      const jobs = open({ path, maxUserRunning: 1 });
      await expect(
        jobs.submit(newJob('ann'), { ...limits, maxUserQueueSize: 2 }),
      ).rejects.toMatchObject({
        code: 'queue_full',
      });
      await expect(
        jobs.submit(newJob('cat'), { ...limits, maxQueueSize: 3 }),
      ).rejects.toMatchObject({
        code: 'queue_full',
      });
      // ann still has a job running, so bob is next, then nobody until ann's finishes.
      expect((await jobs.claim('flux', claimOptions))?.userId).toBe('bob');
      expect((await jobs.claim('flux', claimOptions))?.userId).toBeUndefined();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('lists a service’s jobs, newest first, by user and state', async () => {
    const jobs = open();
    await jobs.submit(newJob('ann'), limits);
    await jobs.submit(newJob('bob'), limits);
    await jobs.submit(newJob('ann', { service: 'other' }), limits);
    expect((await jobs.list('bot', {})).map((job) => job.userId)).toEqual(['bob', 'ann']);
    expect(await jobs.list('bot', { userId: 'ann', state: 'queued' })).toHaveLength(1);
    expect(await jobs.list('bot', { state: 'running' })).toHaveLength(0);
  });
});
