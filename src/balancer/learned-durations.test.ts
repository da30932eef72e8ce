import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { testBalancer } from '../../test/support/test-balancer.js';
import type { StreamPart } from '../core/stream-part.js';
import type { NewJob } from './job.js';
import { SqliteJobStore } from './sqlite-job-store.js';

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(
    folders.map((folder) => rm(folder, { recursive: true, force: true })),
  );
  folders.length = 0;
});

async function storePath() {
  const folder = await mkdtemp(join(tmpdir(), 'genrelay-durations-'));
  folders.push(folder);
  return join(folder, 'jobs.sqlite');
}

/** A balancer on the store at `path` whose jobs each take `jobMs`. */
function balancerOn(path: string, jobMs: number) {
  return testBalancer({
    path,
    lane: {
      slots: 1,
      async *run(_job, signal): AsyncGenerator<StreamPart> {
        await sleep(jobMs, undefined, { signal });
        yield { type: 'finish', reason: 'stop' };
      },
    },
  });
}

const image = (userId: string): NewJob => ({
  service: 'bot',
  userId,
  tier: 'general',
  kind: 'text2img',
  lane: 'gpu',
  payload: {},
  work: 8,
});

describe('learned durations', () => {
  it('are kept in the store, so ETAs after a restart start from them', async () => {
    const path = await storePath();
    const first = balancerOn(path, 150);
    await first.balancer.start();
    // Before anything ran, the initial guess: 500 ms per megapixel-step.
    const { job, estimate } = await first.balancer.submit(image('ann'));
    expect(estimate?.avgTimeMs).toBe(4000);
    await expect
      .poll(async () => (await first.balancer.get(job.id, 'bot')).state, {
        timeout: 5000,
      })
      .toBe('succeeded');
    await first.balancer.stop();
    await first.store.close();

    const second = balancerOn(path, 150);
    await second.balancer.start();
    try {
      const { estimate: restarted } = await second.balancer.submit(image('bob'));
      // About the 150 ms the job took, not the 4 s guess.
      expect(restarted?.avgTimeMs).toBeGreaterThanOrEqual(150);
      expect(restarted?.avgTimeMs).toBeLessThan(1000);
    } finally {
      await second.balancer.stop();
      await second.store.close();
    }
  });

  it('replace what the store kept for a lane', async () => {
    const store = new SqliteJobStore({ path: await storePath(), maxUserRunning: 1 });
    try {
      await store.keepDurations([
        { lane: 'gpu', msPerWork: 10, workPerJob: 8, samples: 1 },
        { lane: 'chat:m', msPerWork: 40, workPerJob: 300, samples: 2 },
      ]);
      await store.keepDurations([
        { lane: 'gpu', msPerWork: 12, workPerJob: 9, samples: 2 },
      ]);
      const kept = await store.learnedDurations();
      expect(kept.sort((a, b) => a.lane.localeCompare(b.lane))).toEqual([
        { lane: 'chat:m', msPerWork: 40, workPerJob: 300, samples: 2 },
        { lane: 'gpu', msPerWork: 12, workPerJob: 9, samples: 2 },
      ]);
    } finally {
      await store.close();
    }
  });
});
