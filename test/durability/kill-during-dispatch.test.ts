import { afterEach, describe, expect, it, vi } from 'vitest';
import { type JobBody, type JobClient, jobClient } from '../support/job-client.js';
import {
  type Automatic1111Double,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';
import { generatedImage } from '../upstreams/automatic1111/double-images.js';
import { createDurabilityFolder, type DurabilityFolder } from './durability-folder.js';
import { type GenRelayProcess, spawnGenRelay } from './genrelay-process.js';
import { mapBounded } from './map-bounded.js';
import { readQueueSnapshot, type StoredJob } from './read-queue-snapshot.js';

const side = 64;
const submitConcurrency = 16;
const finalStates = ['succeeded', 'failed', 'canceled'];

const spawned = new Set<GenRelayProcess>();
const doubles: Automatic1111Double[] = [];
const folders: DurabilityFolder[] = [];

afterEach(async () => {
  // Processes first: a live server would keep writing into the folder being removed.
  await Promise.allSettled([...spawned].map((server) => server.kill()));
  spawned.clear();
  await Promise.allSettled(doubles.splice(0).map((double) => double.close()));
  await Promise.allSettled(folders.splice(0).map((folder) => folder.remove()));
});

/** Job `index`: 20 users take turns; the prompt names the request, so the double's log does. */
function jobRequest(index: number) {
  return {
    kind: 'text2img',
    executor: 'automatic1111',
    user_id: `u${index % 20}`,
    request_id: `r${index}`,
    payload: { prompt: `job r${index}`, steps: 5, width: side, height: side },
  };
}

async function startDouble(stepDelayMs: number): Promise<Automatic1111Double> {
  const double = await startAutomatic1111Double({ stepDelayMs });
  doubles.push(double);
  return double;
}

async function newFolder(instances: Record<string, string>): Promise<DurabilityFolder> {
  const folder = await createDurabilityFolder();
  folders.push(folder);
  await folder.configure(instances);
  return folder;
}

/** Generation requests each request id caused, over every double. */
function generationsByRequest(seen: readonly Automatic1111Double[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const double of seen) {
    for (const request of double.requests) {
      if (request.path !== '/sdapi/v1/txt2img') continue;
      const prompt = String((request.body as { prompt?: unknown }).prompt);
      const requestId = prompt.replace(/^job /, '');
      counts.set(requestId, (counts.get(requestId) ?? 0) + 1);
    }
  }
  return counts;
}

/** How many jobs are in each state. */
function tally(jobs: readonly { state: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { state } of jobs) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

function countIn<Item extends { state: string }>(items: readonly Item[], state: string) {
  return items.filter((item) => item.state === state).length;
}

/** Submits every request once, expecting a new job (202) for each. */
async function submitAll(api: JobClient, requests: readonly unknown[]) {
  const accepted = await mapBounded(requests, submitConcurrency, (request) =>
    api.submit(request),
  );
  expect(accepted.map(({ status }) => status)).toEqual(requests.map(() => 202));
  const ids = new Map(
    accepted.map(({ body }) => [String(body.request_id), String(body.id)]),
  );
  expect(ids.size).toBe(requests.length);
  expect(new Set(ids.values()).size).toBe(requests.length);
  return ids;
}

/** Sends every request again: the job each request id made before the crash comes back. */
async function expectSameJobs(
  api: JobClient,
  requests: readonly { request_id: string }[],
  ids: Map<string, string>,
) {
  const again = await mapBounded(requests, submitConcurrency, (request) =>
    api.submit(request),
  );
  expect(again.map(({ status, body }) => [status, body.request_id, body.id])).toEqual(
    requests.map(({ request_id }) => [200, request_id, ids.get(request_id)]),
  );
}

/**
 * Waits until the restarted server has ended every job. Polled: the server is another
 * process, with no event this test could await.
 */
function waitUntilFinal(
  api: JobClient,
  total: number,
  timeoutMs: number,
): Promise<JobBody[]> {
  return vi.waitFor(
    async () => {
      const jobs = await api.listAll();
      const unfinished = jobs.filter((job) => !finalStates.includes(job.state));
      expect({ listed: jobs.length, unfinished: tally(unfinished) }).toEqual({
        listed: total,
        unfinished: {},
      });
      return jobs;
    },
    { timeout: timeoutMs, interval: 100 },
  );
}

/** Every job succeeded (a failed one shows its error) with exactly one image, a PNG. */
async function expectOneImageEach(jobs: readonly JobBody[]) {
  const failed = jobs
    .filter((job) => job.state !== 'succeeded')
    .map((job) => `${job.request_id} ${job.state}: ${JSON.stringify(job.error)}`);
  expect(failed, 'every job succeeds once the server is back').toEqual([]);
  await mapBounded(jobs, submitConcurrency, async (job) => {
    const images = job.result?.images ?? [];
    expect(images, `images of ${job.request_id}`).toHaveLength(1);
    const [image] = images as [(typeof images)[number]];
    expect(typeof image.seed, `seed of ${job.request_id}`).toBe('number');
    const response = await fetch(image.url, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      generatedImage(side, side, image.seed as number),
    );
  });
}

/**
 * The attempts each job took after the restart: one more for a job interrupted by the
 * kill (it is put back and counted), none more for one that had already succeeded, and a
 * single attempt for one still waiting. Also the double's view: no job was generated twice
 * unless the kill interrupted it, and a job that succeeded before the kill kept its image.
 */
function expectOneRunEach(
  atKill: readonly StoredJob[],
  jobs: readonly JobBody[],
  generations: Map<string, number>,
) {
  const byRequest = new Map(jobs.map((job) => [job.request_id ?? '', job]));
  const interrupted = atKill.filter((stored) => stored.state === 'running');
  for (const stored of atKill) {
    const job = byRequest.get(stored.requestId);
    const ran = generations.get(stored.requestId) ?? 0;
    const label = `${stored.requestId} (${stored.state} at the kill)`;
    if (stored.state === 'running') {
      expect(job?.attempts, label).toBe(2);
      // The first attempt may have died before its call reached the upstream.
      expect([1, 2], `generations of ${label}`).toContain(ran);
    } else {
      expect(job?.attempts, label).toBe(1);
      expect(ran, `generations of ${label}`).toBe(1);
    }
    if (stored.state === 'succeeded') {
      expect(stored.imageKeys).toHaveLength(1);
      expect(job?.result?.images[0]?.url.endsWith(`/${stored.imageKeys[0]}`), label).toBe(
        true,
      );
    }
  }
  const total = [...generations.values()].reduce((sum, count) => sum + count, 0);
  expect(total).toBeLessThanOrEqual(atKill.length + interrupted.length);
  expect([...generations.keys()].sort()).toEqual(
    atKill.map((stored) => stored.requestId).sort(),
  );
}

describe('kill -9 during dispatch', () => {
  it('ends each of 200 jobs once: none lost, none run twice but the interrupted', async () => {
    const gpus = [await startDouble(6), await startDouble(6)] as const;
    const folder = await newFolder({
      'gpu-a': gpus[0].baseUrl,
      'gpu-b': gpus[1].baseUrl,
    });
    const requests = Array.from({ length: 200 }, (_, index) => jobRequest(index));

    const first = await spawnGenRelay(folder.config, folder.folder, spawned);
    const firstApi = jobClient(first.url);
    const ids = await submitAll(firstApi, requests);
    // Kill it in the thick of dispatch: some jobs done, some running, most still queued.
    await vi.waitFor(
      async () => {
        const jobs = await firstApi.listAll();
        expect(countIn(jobs, 'succeeded'), 'succeeded').toBeGreaterThanOrEqual(20);
        expect(countIn(jobs, 'running'), 'running').toBeGreaterThanOrEqual(2);
      },
      { timeout: 15_000, interval: 5 },
    );
    await first.kill();

    const atKill = await readQueueSnapshot(folder.dataDir);
    expect(atKill).toHaveLength(200);
    expect(countIn(atKill, 'succeeded')).toBeGreaterThanOrEqual(20);
    expect(countIn(atKill, 'running')).toBeGreaterThanOrEqual(1);
    expect(countIn(atKill, 'queued')).toBeGreaterThanOrEqual(1);
    expect(
      countIn(atKill, 'succeeded') +
        countIn(atKill, 'running') +
        countIn(atKill, 'queued'),
    ).toBe(200);

    const second = await spawnGenRelay(folder.config, folder.folder, spawned);
    const api = jobClient(second.url);
    // While the restarted server still recovers and runs them: the request ids survived.
    await expectSameJobs(api, requests, ids);
    const jobs = await waitUntilFinal(api, requests.length, 25_000);

    expect(jobs.map((job) => [job.request_id, job.id]).sort()).toEqual(
      [...ids.entries()].sort(),
    );
    await expectOneImageEach(jobs);
    expectOneRunEach(atKill, jobs, generationsByRequest(gpus));
  }, 40_000);

  it('keeps every job acknowledged before the kill (accepted means stored)', async () => {
    // Nothing finishes on the first server: every job is queued or running at the kill.
    const stalled = await startDouble(60_000);
    const fast = await startDouble(2);
    const folder = await newFolder({ 'gpu-a': stalled.baseUrl });
    const requests = Array.from({ length: 60 }, (_, index) => jobRequest(index));

    const first = await spawnGenRelay(folder.config, folder.folder, spawned);
    const ids = await submitAll(jobClient(first.url), requests);
    await first.kill();

    const atKill = await readQueueSnapshot(folder.dataDir);
    expect(atKill.map((stored) => stored.requestId).sort()).toEqual(
      [...ids.keys()].sort(),
    );
    expect(countIn(atKill, 'queued') + countIn(atKill, 'running')).toBe(60);
    expect(countIn(atKill, 'running')).toBeGreaterThanOrEqual(1);

    // The same instance name, now answering on another port and quickly.
    await folder.configure({ 'gpu-a': fast.baseUrl });
    const second = await spawnGenRelay(folder.config, folder.folder, spawned);
    const api = jobClient(second.url);
    await expectSameJobs(api, requests, ids);
    const jobs = await waitUntilFinal(api, requests.length, 15_000);

    expect(jobs.map((job) => [job.request_id, job.id]).sort()).toEqual(
      [...ids.entries()].sort(),
    );
    await expectOneImageEach(jobs);
    const byRequest = new Map(jobs.map((job) => [job.request_id, job]));
    for (const stored of atKill) {
      expect(byRequest.get(stored.requestId)?.attempts, stored.requestId).toBe(
        stored.state === 'running' ? 2 : 1,
      );
    }
    const onFast = generationsByRequest([fast]);
    expect([...onFast.keys()].sort()).toEqual([...ids.keys()].sort());
    // Each ran once there; the list names any that did not.
    expect([...onFast].filter(([, count]) => count !== 1)).toEqual([]);
    // Only the jobs running at the kill had reached the stalled instance.
    expect(generationsByRequest([stalled]).size).toBeLessThanOrEqual(
      countIn(atKill, 'running'),
    );
  }, 30_000);
});
