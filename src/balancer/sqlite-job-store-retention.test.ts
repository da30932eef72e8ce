import { afterEach, describe, expect, it } from 'vitest';
import { newJob } from '../../test/support/new-job.js';
import { QueueFullError } from '../core/errors.js';
import { SqliteJobStore } from './sqlite-job-store.js';

const limits = { maxUserQueueSize: 2, maxQueueSize: 100 };
const worker = 'test-worker';
const claimOptions = { tiers: ['general'] as const, leaseMs: 60_000, worker };
const noRetry = { allowed: false, maxAttempts: 1 };

let store: SqliteJobStore;
/** The store's clock, in epoch milliseconds; tests move it on by hand. */
let clock = 1_000;

function open() {
  clock = 1_000;
  store = new SqliteJobStore({ path: ':memory:', maxUserRunning: 1, now: () => clock });
  return store;
}

afterEach(async () => {
  await store?.close();
});

/** Submits a job for `userId`, runs it and ends it in `state` at the current clock. */
async function finished(userId: string, state: 'succeeded' | 'failed' | 'canceled') {
  const { job } = await store.submit(newJob(userId), limits);
  const claimed = await store.claim('flux', claimOptions);
  expect(claimed?.id).toBe(job.id);
  if (state === 'succeeded') await store.complete(job.id, worker, { text: 'done' });
  if (state === 'failed')
    await store.fail(job.id, worker, { code: 'upstream', message: 'no' }, noRetry);
  if (state === 'canceled') await store.cancel(job.id, 'bot');
  return job.id;
}

describe('SqliteJobStore retention', () => {
  it('lists finished jobs that finished before the cutoff, oldest first, up to the limit', async () => {
    open();
    const succeeded = await finished('ann', 'succeeded');
    clock = 2_000;
    const failed = await finished('ann', 'failed');
    clock = 3_000;
    const canceled = await finished('ann', 'canceled');
    clock = 4_000;
    const rejected = (
      await store.reject(newJob('bob'), { code: 'moderated', message: 'no' })
    ).id;
    clock = 5_000;
    const young = await finished('ann', 'succeeded');
    // Neither a running nor a queued job is ever listed, however old.
    await store.submit(newJob('cat'), limits);
    await store.claim('flux', claimOptions);
    await store.submit(newJob('cat'), limits);

    const expired = await store.expired(5_000, 100);
    expect(expired.map((job) => job.id)).toEqual([succeeded, failed, canceled, rejected]);
    expect(expired.map((job) => job.state)).toEqual([
      'succeeded',
      'failed',
      'canceled',
      'failed',
    ]);
    expect(expired.map((job) => job.id)).not.toContain(young);
    expect((await store.expired(5_000, 2)).map((job) => job.id)).toEqual([
      succeeded,
      failed,
    ]);
    // The cutoff is strict: a job that finished at it is not yet expired.
    expect((await store.expired(2_000, 100)).map((job) => job.id)).toEqual([succeeded]);
    expect(await store.expired(1_000, 100)).toEqual([]);
  });

  it('removes only finished jobs, and says how many', async () => {
    open();
    const done = await finished('ann', 'succeeded');
    const canceled = await finished('ann', 'canceled');
    const running = (await store.submit(newJob('bob'), limits)).job.id;
    await store.claim('flux', claimOptions);
    const queued = (await store.submit(newJob('cat'), limits)).job.id;

    expect(await store.remove([done, running, queued, 'no-such-job', canceled])).toBe(2);
    expect(await store.get(done)).toBeUndefined();
    expect(await store.get(canceled)).toBeUndefined();
    expect(await store.get(running)).toMatchObject({ state: 'running' });
    expect(await store.get(queued)).toMatchObject({ state: 'queued' });
    expect(await store.remove([done])).toBe(0);
    expect(await store.remove([])).toBe(0);
  });

  it('leaves the counts of queued and running jobs as they were', async () => {
    open();
    const old = [
      await finished('ann', 'succeeded'),
      await finished('ann', 'failed'),
      await finished('ann', 'canceled'),
    ];
    const running = (await store.submit(newJob('ann'), limits)).job;
    expect(await store.claim('flux', claimOptions)).toMatchObject({ id: running.id });
    const first = (await store.submit(newJob('ann'), limits)).job;
    const behind = (await store.submit(newJob('bob'), limits)).job;
    const workBefore = await store.queuedWork('flux');
    const positionBefore = await store.position(behind.id);

    expect(await store.remove(old)).toBe(3);

    expect(await store.queuedWork('flux')).toEqual(workBefore);
    expect(await store.position(behind.id)).toBe(positionBefore);
    // Ann still has one running (her cap) and one queued: bob's job starts, not hers.
    expect(await store.claim('flux', claimOptions)).toMatchObject({ id: behind.id });
    await store.submit(newJob('ann'), limits);
    await expect(store.submit(newJob('ann'), limits)).rejects.toBeInstanceOf(
      QueueFullError,
    );
    // Once her running job ends, her queued one is next.
    await store.complete(running.id, worker, null);
    expect(await store.claim('flux', claimOptions)).toMatchObject({ id: first.id });
  });

  it('forgets the request id of a removed job, so it can be submitted anew', async () => {
    open();
    const { job } = await store.submit(newJob('ann', { requestId: 'r-1' }), limits);
    await store.claim('flux', claimOptions);
    await store.complete(job.id, worker, null);
    expect(await store.remove([job.id])).toBe(1);

    const again = await store.submit(newJob('ann', { requestId: 'r-1' }), limits);
    expect(again.created).toBe(true);
    expect(again.job.id).not.toBe(job.id);
  });
});
