import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TestLane } from '../../test/support/counted-lane.js';
import { testBalancer } from '../../test/support/test-balancer.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Balancer } from './balancer.js';
import type { NewJob } from './job.js';
import type { JobEvent } from './job-events.js';
import type { SqliteJobStore } from './sqlite-job-store.js';

let store: SqliteJobStore;
let balancer: Balancer;

/** A started balancer whose one lane is `executor`. */
async function setUp(executor: TestLane) {
  ({ balancer, store } = testBalancer({ lane: executor }));
  await balancer.start();
  return balancer;
}

const job = (userId: string, extra: Partial<NewJob> = {}): NewJob => ({
  service: 'bot',
  userId,
  tier: 'general',
  kind: 'chat',
  lane: 'chat:test',
  payload: {},
  ...extra,
});

async function collect(events: AsyncIterable<JobEvent>) {
  const received: JobEvent[] = [];
  for await (const event of events) received.push(event);
  return received;
}

/** An executor that runs until its job is aborted. */
const blocking: TestLane = {
  slots: 1,
  async *run(_job, signal): AsyncGenerator<StreamPart> {
    yield { type: 'progress', fraction: 0 };
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    throw signal.reason;
  },
};

afterEach(async () => {
  await balancer?.stop();
  await store?.close();
});

describe('Balancer', () => {
  it('admits a job, tells its position, runs it, and streams its events to its service', async () => {
    const balancer = await setUp({
      slots: 1,
      async *run() {
        yield { type: 'text', delta: 'done' };
      },
    });
    const submitted = await balancer.submit(job('ann'));
    expect(submitted).toMatchObject({
      created: true,
      estimate: { position: 0, etaMs: 0 },
      job: { state: 'queued' },
    });
    const events = await collect(
      await balancer.subscribe(submitted.job.id, 'bot', AbortSignal.timeout(5000)),
    );
    expect(events).toEqual([
      { type: 'state', state: 'queued' },
      { type: 'queued', position: 0, etaMs: 0, avgTimeMs: 15_000 },
      { type: 'state', state: 'running', attempt: 1, instance: 'gpu-1' },
      { type: 'text', delta: 'done' },
      { type: 'state', state: 'succeeded' },
    ]);
    expect(await balancer.get(submitted.job.id, 'bot')).toMatchObject({
      state: 'succeeded',
      result: { text: 'done' },
    });
  });

  it('applies the default cap, a per-request cap, and refuses one above the ceiling', async () => {
    const balancer = await setUp(blocking);
    await balancer.submit(job('ann'));
    await balancer.submit(job('ann'));
    await balancer.submit(job('ann'));
    // The first runs; two wait, which is the default cap.
    await expect(balancer.submit(job('ann'))).rejects.toMatchObject({
      code: 'queue_full',
    });
    await expect(
      balancer.submit({ ...job('ann'), maxUserQueueSize: 3 }),
    ).resolves.toMatchObject({ created: true });
    await expect(
      balancer.submit({ ...job('ann'), maxUserQueueSize: 6 }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'max_user_queue_size',
      message: expect.stringContaining('at most 5'),
    });
  });

  it('returns the earlier job for a repeated request id, without queueing it twice', async () => {
    const balancer = await setUp(blocking);
    const first = await balancer.submit(job('ann', { requestId: 'r1' }));
    const again = await balancer.submit(job('ann', { requestId: 'r1' }));
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    expect(await balancer.list('bot', {})).toHaveLength(1);
  });

  it('cancels a queued job and a running one, each ending its events', async () => {
    const balancer = await setUp(blocking);
    const running = await balancer.submit(job('ann'));
    const queued = await balancer.submit(job('ann'));
    const runningEvents = collect(
      await balancer.subscribe(running.job.id, 'bot', AbortSignal.timeout(5000)),
    );
    await expect
      .poll(async () => (await balancer.get(running.job.id, 'bot')).state)
      .toBe('running');
    expect(await balancer.cancel(queued.job.id, 'bot')).toMatchObject({
      state: 'canceled',
    });
    const queuedEvents = await collect(
      await balancer.subscribe(queued.job.id, 'bot', AbortSignal.timeout(5000)),
    );
    expect(queuedEvents.at(-1)).toEqual({ type: 'state', state: 'canceled' });
    expect(await balancer.cancel(running.job.id, 'bot')).toMatchObject({
      state: 'canceled',
    });
    expect((await runningEvents).at(-1)).toEqual({ type: 'state', state: 'canceled' });
  });

  it('tells the end of a canceled job once, however often it is canceled', async () => {
    const balancer = await setUp(blocking);
    const ended: string[] = [];
    balancer.onFinished({ wants: () => true, finished: (job) => ended.push(job.state) });
    await balancer.submit(job('ann'));
    const queued = await balancer.submit(job('ann'));
    for (let time = 0; time < 3; time++) {
      expect(await balancer.cancel(queued.job.id, 'bot')).toMatchObject({
        state: 'canceled',
      });
    }
    await vi.waitFor(() => expect(ended).toEqual(['canceled']));
    // Nothing more is on its way.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toEqual(['canceled']);
  });

  it('hides a job from every other service', async () => {
    const balancer = await setUp(blocking);
    const submitted = await balancer.submit(job('ann'));
    await expect(balancer.get(submitted.job.id, 'other')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(balancer.cancel(submitted.job.id, 'other')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      balancer.subscribe(submitted.job.id, 'other', AbortSignal.timeout(1000)),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('tells a job submitted before a restart its place when it is followed again', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'genrelay-balancer-'));
    try {
      const path = join(folder, 'jobs.sqlite');
      // No slot: the job stays queued, as it would when the process stopped.
      const noSlot = { ...blocking, slots: 0 };
      const before = testBalancer({ lane: noSlot, path });
      const { job: submitted } = await before.balancer.submit(job('ann'));
      await before.store.close();
      ({ balancer, store } = testBalancer({ lane: noSlot, path }));
      // Following it as an idempotent resubmit does: with the job in hand.
      const events = await balancer.subscribe(
        submitted.id,
        'bot',
        AbortSignal.timeout(300),
        submitted,
      );
      expect(await collect(events)).toContainEqual(
        expect.objectContaining({ type: 'queued', position: 0 }),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
