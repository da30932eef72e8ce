import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TimeoutError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { Logger } from '../core/logger.js';
import type { NewJob } from './job.js';
import { LocalResultStorage } from './local-result-storage.js';
import { ResultSweeper, type ResultSweeperOptions } from './result-sweeper.js';
import { SqliteJobStore } from './sqlite-job-store.js';

const limits = { maxUserQueueSize: 10_000, maxQueueSize: 10_000 };
const worker = 'test-worker';
const claimOptions = { tiers: ['general'] as const, leaseMs: 60_000, worker };
const hour = 3_600_000;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const poll = { timeout: 5000, interval: 10 };

const newJob = (userId: string): NewJob => ({
  service: 'bot',
  userId,
  tier: 'general',
  kind: 'text2img',
  lane: 'flux',
  payload: {},
});

interface LogLine {
  level: 'warn' | 'error' | 'info';
  object: Record<string, unknown>;
  message: string | undefined;
}

let folder: string;
let storage: LocalResultStorage;
let store: SqliteJobStore;
/** The store's and the sweeper's clock; tests move it on by hand. */
let clock: number;
let logs: LogLine[];
let sweepers: ResultSweeper[];

const logger: Logger = {
  debug() {},
  info: (object, message) => logs.push({ level: 'info', object: { ...object }, message }),
  warn: (object, message) => logs.push({ level: 'warn', object: { ...object }, message }),
  error: (object, message) =>
    logs.push({ level: 'error', object: { ...object }, message }),
};

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'genrelay-sweeper-'));
  storage = new LocalResultStorage(folder);
  clock = 10 * hour;
  logs = [];
  sweepers = [];
  store = new SqliteJobStore({ path: ':memory:', maxUserRunning: 1, now: () => clock });
});

afterEach(async () => {
  for (const sweeper of sweepers) await sweeper.stop();
  await store.close();
  await rm(folder, { recursive: true, force: true });
});

function sweeperWith(options: Partial<ResultSweeperOptions> = {}) {
  const sweeper = new ResultSweeper({
    store,
    storage,
    retentionMs: hour,
    sweepIntervalMs: 60_000,
    logger,
    now: () => clock,
    ...options,
  });
  sweepers.push(sweeper);
  return sweeper;
}

/** A job that succeeded now with `files` stored images and one known only by URL. */
async function succeeded(files: number) {
  const keys: string[] = [];
  for (let index = 0; index < files; index++)
    keys.push((await storage.save(png, 'image/png')).key);
  const result: JsonValue = {
    images: [
      ...keys.map((key) => ({ key, mediaType: 'image/png' })),
      { url: 'https://upstream.example/elsewhere.png', mediaType: 'image/png' },
    ],
  };
  const { job } = await store.submit(newJob('ann'), limits);
  expect(await store.claim('flux', claimOptions)).toMatchObject({ id: job.id });
  expect(await store.complete(job.id, worker, result)).toBe(true);
  return { id: job.id, keys };
}

/** A job that ended without a result: moderated before it was queued. */
async function rejected() {
  return (await store.reject(newJob('ann'), { code: 'moderated', message: 'no' })).id;
}

const files = async () => (await readdir(folder)).sort();

/** A deletion that never ends on its own: only its signal ends it, as storages do. */
function hangingDelete(_key: string, signal?: AbortSignal): Promise<void> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

describe('ResultSweeper', () => {
  it('removes old finished jobs with their files and keeps young and unfinished ones', async () => {
    const old = await succeeded(2);
    const oldRejected = await rejected();
    const running = (await store.submit(newJob('bob'), limits)).job.id;
    await store.claim('flux', claimOptions);
    const queued = (await store.submit(newJob('bob'), limits)).job.id;
    clock += 30 * 60_000;
    const young = await succeeded(1);
    clock += 31 * 60_000;

    expect(await sweeperWith().sweep()).toEqual({ removed: 2, kept: 0 });

    expect(await store.get(old.id)).toBeUndefined();
    expect(await store.get(oldRejected)).toBeUndefined();
    expect(await files()).toEqual(young.keys);
    expect(await store.get(young.id)).toMatchObject({ state: 'succeeded' });
    expect(await store.get(running)).toMatchObject({ state: 'running' });
    expect(await store.get(queued)).toMatchObject({ state: 'queued' });
    expect(logs.filter(({ level }) => level !== 'info')).toEqual([]);
  });

  it('keeps a job whose file could not be deleted, and removes it at the next sweep', async () => {
    const stuck = await succeeded(1);
    const other = await succeeded(1);
    clock += 2 * hour;
    let refusing = true;
    const sweeper = sweeperWith({
      storage: {
        delete: async (key) => {
          if (refusing && key === stuck.keys[0]) throw new Error('EACCES: not allowed');
          await storage.delete(key);
        },
      },
    });

    expect(await sweeper.sweep()).toEqual({ removed: 1, kept: 1 });
    expect(await store.get(other.id)).toBeUndefined();
    expect(await store.get(stuck.id)).toMatchObject({ state: 'succeeded' });
    expect(await files()).toEqual(stuck.keys);
    expect(logs).toEqual([
      {
        level: 'warn',
        object: {
          error: expect.objectContaining({ message: 'EACCES: not allowed' }),
          job: stuck.id,
        },
        message: 'file of an expired job not deleted',
      },
    ]);

    refusing = false;
    expect(await sweeper.sweep()).toEqual({ removed: 1, kept: 0 });
    expect(await store.get(stuck.id)).toBeUndefined();
    expect(await files()).toEqual([]);
  });

  it('goes through every batch, past jobs it has to keep', async () => {
    const stuck = [await succeeded(1), await succeeded(1)];
    const stuckKeys = new Set(stuck.flatMap(({ keys }) => keys));
    for (let index = 0; index < 1_100; index++) await rejected();
    clock += 2 * hour;
    let deletions = 0;
    const sweeper = sweeperWith({
      storage: {
        delete: async (key) => {
          deletions += 1;
          if (stuckKeys.has(key)) throw new Error('refused');
          await storage.delete(key);
        },
      },
    });

    expect(await sweeper.sweep()).toEqual({ removed: 1_100, kept: 2 });
    // Each kept job was tried once, not once per batch.
    expect(deletions).toBe(2);
    expect((await store.expired(clock, 10_000)).map(({ id }) => id)).toEqual(
      stuck.map(({ id }) => id),
    );
  });

  it('bounds the deletion of a job that hangs, and keeps that job', async () => {
    const hanging = await succeeded(1);
    clock += 2 * hour;
    const sweeper = sweeperWith({
      storage: { delete: hangingDelete },
      deleteTimeoutMs: 50,
    });

    expect(await sweeper.sweep()).toEqual({ removed: 0, kept: 1 });
    expect(await store.get(hanging.id)).toBeDefined();
    expect(logs[0]?.object.error).toBeInstanceOf(TimeoutError);
    expect(logs[0]?.object.error).toMatchObject({
      message: `Deleting the files of job ${hanging.id} did not finish within 50 ms`,
    });
  });

  it('runs one sweep at a time, and stop() cuts one short once its rows are removed', async () => {
    const first = await succeeded(1);
    const second = await succeeded(1);
    clock += 2 * hour;
    let reachedSecond: () => void = () => {};
    const secondReached = new Promise<void>((resolve) => {
      reachedSecond = resolve;
    });
    let stopSignal: AbortSignal | undefined;
    const sweeper = sweeperWith({
      storage: {
        delete: async (key, signal) => {
          if (key !== second.keys[0]) return storage.delete(key, signal);
          stopSignal = signal;
          reachedSecond();
          return hangingDelete(key, signal);
        },
      },
    });

    const sweeping = sweeper.sweep();
    expect(sweeper.sweep()).toBe(sweeping);
    await secondReached;
    await sweeper.stop();

    expect(await sweeping).toEqual({ removed: 1, kept: 1 });
    // The stop reached the storage: its deletion was told to end.
    expect(stopSignal?.aborted).toBe(true);
    expect(await store.get(first.id)).toBeUndefined();
    expect(await store.get(second.id)).toBeDefined();
    // A stop is not a failure of the storage.
    expect(logs).toEqual([]);
  });

  it('sweeps soon after start and then on its interval, logging a failing store', async () => {
    const first = await succeeded(1);
    clock += 2 * hour;
    let failures = 1;
    const sweeper = sweeperWith({
      store: {
        expired: (finishedBefore, limit) => {
          if (failures-- > 0) return Promise.reject(new Error('database is locked'));
          return store.expired(finishedBefore, limit);
        },
        remove: (ids) => store.remove(ids),
      },
      firstSweepMs: 0,
      sweepIntervalMs: 20,
    });
    sweeper.start();

    await expect
      .poll(() => logs.find(({ level }) => level === 'error'), poll)
      .toMatchObject({
        object: { error: expect.objectContaining({ message: 'database is locked' }) },
        message: 'retention sweep failed',
      });
    await expect.poll(() => store.get(first.id), poll).toBeUndefined();
    const later = await succeeded(1);
    clock += 2 * hour;
    await expect.poll(() => store.get(later.id), poll).toBeUndefined();
    expect(await files()).toEqual([]);
    expect(logs.filter(({ level }) => level === 'info')).toContainEqual({
      level: 'info',
      object: { removed: 1, kept: 0 },
      message: 'finished jobs past their retention removed',
    });
  });

  it('reads nothing once stopped, whether started or called by hand', async () => {
    const job = await succeeded(1);
    clock += 2 * hour;
    let sweeps = 0;
    const sweeper = sweeperWith({
      store: {
        expired: (finishedBefore, limit) => {
          sweeps += 1;
          return store.expired(finishedBefore, limit);
        },
        remove: (ids) => store.remove(ids),
      },
      firstSweepMs: 0,
      sweepIntervalMs: 10,
    });
    await sweeper.stop();
    sweeper.start();

    // A sweep called by hand after the stop is cut short before it reads anything.
    expect(await sweeper.sweep()).toEqual({ removed: 0, kept: 0 });
    expect(sweeps).toBe(0);
    expect(await store.get(job.id)).toBeDefined();
  });
});
