import { afterEach, describe, expect, it, vi } from 'vitest';
import { countedLane, type TestLane } from '../../test/support/counted-lane.js';
import { InvalidRequestError, UpstreamError } from '../core/errors.js';
import type { StreamPart } from '../core/stream-part.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { DurationStats } from './duration-stats.js';
import type { Job, NewJob } from './job.js';
import { type JobEvent, JobEvents } from './job-events.js';
import type { ResultStorage } from './result-storage.js';
import { SqliteJobStore } from './sqlite-job-store.js';

const limits = { maxUserQueueSize: 100, maxQueueSize: 1000 };

function memoryStorage(): ResultStorage & { saved: Uint8Array[] } {
  const saved: Uint8Array[] = [];
  return {
    saved,
    save: async (data, mediaType) => {
      saved.push(data);
      return { key: `key-${saved.length}.png`, mediaType, size: data.byteLength };
    },
    open: async () => undefined,
  };
}

const newJob = (userId: string, payload: NewJob['payload'] = {}): NewJob => ({
  service: 'bot',
  userId,
  tier: 'general',
  kind: 'text2img',
  lane: 'gpu',
  payload,
});

let store: SqliteJobStore;
let dispatcher: Dispatcher;

/**
 * A dispatcher on the current store with test settings, started unless `start` is false;
 * `lane` says what runs each lane.
 */
async function dispatcherFor(
  events: JobEvents,
  storage: ResultStorage,
  lane: DispatcherOptions['lane'],
  options: { maxAttempts?: number; attemptTimeoutMs?: number; start?: boolean } = {},
): Promise<Dispatcher> {
  const started = new Dispatcher({
    store,
    events,
    storage,
    lane,
    premiumShare: 0.75,
    leaseMs: 30_000,
    maxAttempts: options.maxAttempts ?? 3,
    attemptTimeoutMs: () => options.attemptTimeoutMs ?? 5_000,
    worker: 'test',
    soleWorker: true,
    durations: new DurationStats({ initial: () => ({ msPerWork: 100, workPerJob: 1 }) }),
  });
  if (options.start !== false) await started.start();
  return started;
}

async function setUp(
  executor: TestLane,
  options: { maxAttempts?: number; attemptTimeoutMs?: number } = {},
) {
  store = new SqliteJobStore({ path: ':memory:', maxUserRunning: 10 });
  const lane = countedLane(executor);
  const events = new JobEvents({ retentionMs: 10_000, maxHistory: 100 });
  const storage = memoryStorage();
  dispatcher = await dispatcherFor(
    events,
    storage,
    (name) => (name === 'gpu' ? lane : undefined),
    options,
  );
  return { events, storage };
}

async function submitAndWait(
  events: JobEvents,
  job: NewJob,
): Promise<{ job: Job; events: JobEvent[] }> {
  const submitted = (await store.submit(job, limits)).job;
  const received: JobEvent[] = [];
  const done = (async () => {
    for await (const event of events.subscribe(submitted.id, AbortSignal.timeout(5000)))
      received.push(event);
  })();
  await dispatcher.wake(job.lane);
  await done;
  return { job: (await store.get(submitted.id)) as Job, events: received };
}

afterEach(async () => {
  await dispatcher?.stop();
  await store?.close();
});

describe('Dispatcher', () => {
  it('runs a job, streams its parts, stores its images and records the result', async () => {
    const { events, storage } = await setUp({
      slots: 1,
      async *run() {
        yield { type: 'progress', fraction: 0.5 };
        yield {
          type: 'image',
          data: new Uint8Array([1, 2]),
          mediaType: 'image/png',
          width: 8,
          height: 8,
          seed: 7,
        };
        yield { type: 'finish', reason: 'stop' };
      },
    });
    const { job, events: received } = await submitAndWait(events, newJob('ann'));
    expect(received).toEqual([
      { type: 'state', state: 'running', attempt: 1, instance: 'gpu-1' },
      { type: 'progress', fraction: 0.5 },
      {
        type: 'image',
        mediaType: 'image/png',
        width: 8,
        height: 8,
        seed: 7,
        key: 'key-1.png',
        url: '/v1/files/key-1.png',
      },
      { type: 'finish', reason: 'stop' },
      { type: 'state', state: 'succeeded' },
    ]);
    expect(storage.saved).toEqual([new Uint8Array([1, 2])]);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: {
        images: [
          { key: 'key-1.png', mediaType: 'image/png', width: 8, height: 8, seed: 7 },
        ],
      },
    });
  });

  it('fails the jobs of a lane nothing runs instead of letting them wait', async () => {
    const { events } = await setUp({ slots: 1, async *run() {} });
    const { job, events: received } = await submitAndWait(events, {
      ...newJob('ann'),
      lane: 'nowhere',
    });
    expect(job).toMatchObject({ state: 'failed', error: { code: 'model_not_found' } });
    expect(received.at(-1)).toEqual({ type: 'state', state: 'failed' });
  });

  it('never runs more jobs of a lane at once than it has slots', async () => {
    let running = 0;
    let most = 0;
    const { events } = await setUp({
      slots: 2,
      async *run() {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        yield { type: 'text', delta: 'ok' };
      },
    });
    const jobs = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        store.submit(newJob(`user-${index}`), limits),
      ),
    );
    await dispatcher.wake('gpu');
    for (const { job } of jobs) {
      for await (const _event of events.subscribe(job.id, AbortSignal.timeout(5000))) {
        // drain until the job's events end
      }
    }
    expect(most).toBe(2);
    for (const { job } of jobs)
      expect((await store.get(job.id))?.state).toBe('succeeded');
  });

  it('retries a retryable failure, then fails with the error of every attempt', async () => {
    let calls = 0;
    const { events } = await setUp(
      {
        slots: 1,
        // biome-ignore lint/correctness/useYield: it fails before yielding anything.
        async *run() {
          calls++;
          throw new UpstreamError(`down ${calls}`, { retryable: true });
        },
      },
      { maxAttempts: 3 },
    );
    const { job, events: received } = await submitAndWait(events, newJob('ann'));
    expect(calls).toBe(3);
    expect(job).toMatchObject({
      state: 'failed',
      attempts: 3,
      error: {
        code: 'upstream_error',
        message:
          'All 3 attempts failed: 1. gpu-1: down 1; 2. gpu-1: down 2; 3. gpu-1: down 3',
        attempts: [1, 2, 3].map((attempt) => ({
          instance: 'gpu-1',
          code: 'upstream_error',
          message: `down ${attempt}`,
        })),
      },
    });
    const errors = received.filter((event) => event.type === 'error');
    expect(errors.map((event) => 'fatal' in event && event.fatal)).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('fails a request error at once, without retrying', async () => {
    let calls = 0;
    const { events } = await setUp({
      slots: 1,
      // biome-ignore lint/correctness/useYield: it fails before yielding anything.
      async *run() {
        calls++;
        throw new InvalidRequestError('bad prompt');
      },
    });
    const { job } = await submitAndWait(events, newJob('ann'));
    expect(calls).toBe(1);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'invalid_request' } });
  });

  it('aborts an attempt that outlives its bound, and tries again', async () => {
    let calls = 0;
    const { events } = await setUp(
      {
        slots: 1,
        async *run(_job, signal) {
          calls++;
          if (calls === 1) {
            await new Promise((_resolve, reject) => {
              signal.addEventListener('abort', () => reject(signal.reason));
            });
          }
          yield { type: 'text', delta: 'second time' };
        },
      },
      { attemptTimeoutMs: 50 },
    );
    const { job, events: received } = await submitAndWait(events, newJob('ann'));
    expect(job).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      result: { text: 'second time' },
    });
    expect(received.find((event) => event.type === 'error')).toMatchObject({
      code: 'timeout',
      fatal: false,
    });
  });

  it('cancels a running job: its executor sees the abort', async () => {
    let aborted = false;
    const { events } = await setUp({
      slots: 1,
      async *run(_job, signal): AsyncGenerator<StreamPart> {
        yield { type: 'progress', fraction: 0.1 };
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        aborted = true;
        throw signal.reason;
      },
    });
    const submitted = (await store.submit(newJob('ann'), limits)).job;
    const received: JobEvent[] = [];
    const done = (async () => {
      for await (const event of events.subscribe(
        submitted.id,
        AbortSignal.timeout(5000),
      )) {
        received.push(event);
        if (event.type === 'progress') {
          await store.cancel(submitted.id, 'bot');
          dispatcher.abort(submitted.id);
        }
      }
    })();
    await dispatcher.wake('gpu');
    await done;
    expect(aborted).toBe(true);
    expect(received.at(-1)).toEqual({ type: 'state', state: 'canceled' });
    expect((await store.get(submitted.id))?.state).toBe('canceled');
  });

  it('leaves running jobs to the next start when it stops, which runs them again', async () => {
    let started = 0;
    await setUp({
      slots: 1,
      async *run(_job, signal) {
        started++;
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        yield { type: 'text', delta: 'never' };
      },
    });
    const { job } = await store.submit(newJob('ann'), limits);
    await dispatcher.wake('gpu');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await dispatcher.stop();
    expect((await store.get(job.id))?.state).toBe('running');
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 10 });
    dispatcher = new Dispatcher({
      store,
      events,
      storage: memoryStorage(),
      lane: () =>
        countedLane({
          slots: 1,
          run: async function* () {
            yield { type: 'text', delta: 'again' };
          },
        }),
      premiumShare: 0.75,
      leaseMs: 30_000,
      maxAttempts: 3,
      attemptTimeoutMs: () => 5000,
      worker: 'restarted',
      soleWorker: true,
      durations: new DurationStats({
        initial: () => ({ msPerWork: 100, workPerJob: 1 }),
      }),
    });
    await dispatcher.start();
    await dispatcher.wake('gpu');
    for await (const _event of events.subscribe(job.id, AbortSignal.timeout(5000))) {
      // until the job ends
    }
    expect(await store.get(job.id)).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      result: { text: 'again' },
    });
    expect(started).toBe(1);
  });
});

describe('Dispatcher across lanes', () => {
  it("starts a user's job held back in another lane when their running job ends", async () => {
    store = new SqliteJobStore({ path: ':memory:', maxUserRunning: 1 });
    const events = new JobEvents({ retentionMs: 10_000, maxHistory: 100 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const lanes = {
      first: countedLane({
        slots: 1,
        async *run() {
          await held;
          yield { type: 'text', delta: 'first' };
        },
      }),
      second: countedLane({
        slots: 1,
        async *run() {
          yield { type: 'text', delta: 'second' };
        },
      }),
    };
    dispatcher = await dispatcherFor(
      events,
      memoryStorage(),
      (name) => lanes[name as keyof typeof lanes],
    );
    const first = (await store.submit({ ...newJob('ann'), lane: 'first' }, limits)).job;
    await dispatcher.wake('first');
    const second = (await store.submit({ ...newJob('ann'), lane: 'second' }, limits)).job;
    // Ann already runs a job: the second lane finds nothing it may start.
    await dispatcher.wake('second');
    expect((await store.get(second.id))?.state).toBe('queued');
    const done = (async () => {
      for await (const _event of events.subscribe(second.id, AbortSignal.timeout(5000)));
    })();
    release();
    await done;
    expect((await store.get(first.id))?.state).toBe('succeeded');
    expect((await store.get(second.id))?.state).toBe('succeeded');
  });
});

describe('Dispatcher results', () => {
  it('keeps an image the upstream only names by URL in the result, by that URL', async () => {
    const { events, storage } = await setUp({
      slots: 1,
      async *run() {
        yield {
          type: 'image',
          url: 'https://cdn.example.com/out.png',
          mediaType: 'image/png',
          width: 8,
          height: 8,
        };
      },
    });
    const { job } = await submitAndWait(events, newJob('ann'));
    expect(storage.saved).toHaveLength(0);
    expect(job.result).toEqual({
      images: [
        {
          url: 'https://cdn.example.com/out.png',
          mediaType: 'image/png',
          width: 8,
          height: 8,
        },
      ],
    });
  });
});

describe('Dispatcher when a lane cannot be looked up', () => {
  it('keeps the jobs and tries again when the route lookup fails for a while', async () => {
    const { events } = await setUp({
      slots: 1,
      async *run() {
        yield { type: 'text', delta: 'ran' };
      },
    });
    const lane = countedLane({
      slots: 1,
      async *run() {
        yield { type: 'text', delta: 'ran' };
      },
    });
    let lookups = 0;
    const flaky = {
      ...lane,
      acquire: async () => {
        lookups++;
        if (lookups === 1)
          throw new UpstreamError('catalog unreachable', { retryable: true });
        return lane.acquire();
      },
    };
    await dispatcher.stop();
    dispatcher = await dispatcherFor(events, memoryStorage(), () => flaky);
    const { job } = await submitAndWait(events, newJob('ann'));
    expect(lookups).toBeGreaterThanOrEqual(2);
    expect(job).toMatchObject({ state: 'succeeded', attempts: 1 });
  });

  it('starts nothing before start has recovered what a stopped process left', async () => {
    await setUp({ slots: 1, async *run() {} });
    await dispatcher.stop();
    const events = new JobEvents({ retentionMs: 1000, maxHistory: 10 });
    const lane = countedLane({
      slots: 1,
      async *run() {
        yield { type: 'text', delta: 'ran' };
      },
    });
    dispatcher = await dispatcherFor(events, memoryStorage(), () => lane, {
      start: false,
    });
    const { job } = await store.submit(newJob('ann'), limits);
    // A submit's wake before start only notes the lane: with a sole worker, start requeues
    // every running job, so a job started now would run twice.
    await dispatcher.wake('gpu');
    expect((await store.get(job.id))?.state).toBe('queued');
    await dispatcher.start();
    await expect
      .poll(async () => (await store.get(job.id))?.state, { timeout: 5000 })
      .toBe('succeeded');
    expect((await store.get(job.id))?.attempts).toBe(1);
  });

  it('runs an unstored job at once within the attempt bound, counted as running', async () => {
    let release: (() => void) | undefined;
    await setUp(
      {
        slots: 1,
        async *run(_job, signal) {
          yield { type: 'text', delta: 'a' };
          await new Promise<void>((resolve) => {
            release = resolve;
            signal.addEventListener('abort', () => resolve());
          });
          signal.throwIfAborted();
          yield { type: 'text', delta: 'b' };
        },
      },
      { attemptTimeoutMs: 300 },
    );
    const unstored = (id: string): Job => ({
      ...newJob('', { prompt: 'x' }),
      id,
      state: 'running',
      attempts: 1,
      createdAt: Date.now(),
    });
    // Finishes: its parts reach the caller.
    const first = await dispatcher.startUnstored(
      unstored('one'),
      AbortSignal.timeout(5000),
    );
    if (first === undefined) throw new Error('the lane was free');
    const parts: string[] = [];
    const reading = (async () => {
      for await (const part of first) if (part.type === 'text') parts.push(part.delta);
    })();
    await vi.waitFor(() => expect(dispatcher.runningIn('gpu')).toHaveLength(1));
    // Its slot is taken: another waits its turn.
    expect(
      await dispatcher.startUnstored(unstored('two'), AbortSignal.timeout(5000)),
    ).toBeUndefined();
    release?.();
    await reading;
    expect(parts).toEqual(['a', 'b']);
    expect(dispatcher.runningIn('gpu')).toHaveLength(0);
    // Never finishes: the attempt bound ends it, as it would a stored job.
    const stuck = await dispatcher.startUnstored(
      unstored('three'),
      AbortSignal.timeout(5000),
    );
    if (stuck === undefined) throw new Error('the lane was free');
    await expect(
      (async () => {
        for await (const _part of stuck) {
          // until it is cut off
        }
      })(),
    ).rejects.toMatchObject({ code: 'timeout' });
  });
});
