import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobTier } from '../src/balancer/job.js';
import { SqliteJobStore } from '../src/balancer/sqlite-job-store.js';
import { TierSelector } from '../src/balancer/tier-selector.js';
import { type BullmqResult, bullmqBaseline } from './bullmq-baseline.js';

// The scheduler on the embedded store: 100,000 jobs queued by 1,000 users (a quarter of
// them premium), then dispatch decisions (a fair claim, and the completion that frees the
// user's slot) while ~90,000 still wait. Two baselines in the same run: the same store in
// memory (the difference is what durability, WAL on disk, costs) and BullMQ on the local
// Redis with the same jobs as priorities (what a plain priority queue costs).

const jobCount = Number(process.env.BENCH_JOBS ?? 100_000);
const users = 1000;
const dispatches = Number(process.env.BENCH_DISPATCHES ?? 10_000);
const targets = { submits: 5000, dispatches: 5000 };
const limits = { maxUserQueueSize: 10_000, maxQueueSize: 10_000_000 };
const [redisHost = '127.0.0.1', redisPort = '6379'] = (
  process.env.BENCH_REDIS ?? '127.0.0.1:6379'
).split(':');

async function measure(path: string) {
  const store = new SqliteJobStore({ path, maxUserRunning: 1 });
  try {
    let started = performance.now();
    for (let index = 0; index < jobCount; index++) {
      const tier: JobTier = index % 4 === 0 ? 'premium' : 'general';
      await store.submit(
        {
          service: 'bench',
          userId: `user-${index % users}`,
          tier,
          kind: 'text2img',
          lane: 'flux',
          payload: { prompt: 'a red fox', steps: 28 },
        },
        limits,
      );
    }
    const submits = jobCount / ((performance.now() - started) / 1000);
    const selector = new TierSelector(0.75);
    const options = { leaseMs: 60_000, worker: 'bench' };
    started = performance.now();
    for (let index = 0; index < dispatches; index++) {
      const job = await store.claim('flux', { ...options, tiers: selector.order() });
      if (job === undefined) throw new Error('the queue ran dry');
      selector.started(job.tier);
      await store.complete(job.id, 'bench', null);
    }
    return { submits, dispatches: dispatches / ((performance.now() - started) / 1000) };
  } finally {
    await store.close();
  }
}

/**
 * Microseconds per queue position (counted on every submit and every ETA refresh) with
 * 1,000 users waiting, after `goneUsers` other users each had a job that ran: their rows
 * stay, to remember their turn, and must not make positions slower.
 */
async function positionMicroseconds(path: string, goneUsers: number) {
  const store = new SqliteJobStore({ path, maxUserRunning: 1 });
  const job = (userId: string) => ({
    service: 'bench',
    userId,
    tier: 'general' as const,
    kind: 'text2img' as const,
    lane: 'flux',
    payload: { prompt: 'a red fox', steps: 28 },
  });
  try {
    const options = { leaseMs: 60_000, worker: 'bench', tiers: ['general' as const] };
    for (let index = 0; index < goneUsers; index++) {
      await store.submit(job(`gone-${index}`), limits);
      const claimed = await store.claim('flux', options);
      if (claimed !== undefined) await store.complete(claimed.id, 'bench', null);
    }
    const waiting: string[] = [];
    for (let index = 0; index < users; index++)
      waiting.push((await store.submit(job(`user-${index}`), limits)).job.id);
    const started = performance.now();
    for (const id of waiting) await store.position(id);
    return ((performance.now() - started) * 1000) / waiting.length;
  } finally {
    await store.close();
  }
}

type Row = [store: string, submits: string, dispatches: string, notes: string];

const figure = (value: number) => Math.round(value).toLocaleString('en');

function bullmqRows(bullmq: BullmqResult): Row[] {
  if (!bullmq.ran) return [['BullMQ', '—', '—', `not measured: ${bullmq.reason}`]];
  const { figures } = bullmq;
  const only =
    'priorities only (premium 1, general 2: premium strictly first, no 3:1 share), ' +
    'no per-user turns, no per-user caps';
  return [
    [
      'BullMQ, one `add` per job; `getNextJob` + `moveToCompleted` one at a time',
      figure(figures.singleSubmits),
      figure(figures.manualDispatches),
      `like for like; ${only}; Redis persistence: ${figures.persistence}`,
    ],
    [
      `BullMQ, \`addBulk\` of ${figures.bulkBatch.toLocaleString('en')}; \`Worker\`, concurrency ${figures.workerConcurrency}`,
      figure(figures.bulkSubmits),
      figure(figures.workerDispatches),
      'BullMQ at its best: batched adds; a completion fetches the next job in the same call',
    ],
  ];
}

const folder = await mkdtemp(join(tmpdir(), 'genrelay-scheduler-'));
try {
  const disk = await measure(join(folder, 'jobs.sqlite'));
  const memory = await measure(':memory:');
  const goneUsers = 100_000;
  const fresh = await positionMicroseconds(join(folder, 'fresh.sqlite'), 0);
  const aged = await positionMicroseconds(join(folder, 'aged.sqlite'), goneUsers);
  const bullmq = await bullmqBaseline({
    jobCount,
    users,
    dispatches,
    host: redisHost,
    port: Number(redisPort),
  });
  const fair = 'per-user fair turns, 3:1 tier share, per-user running cap, in the claim';
  const rows: Row[] = [
    [
      'genrelay, SQLite file, WAL (the default)',
      figure(disk.submits),
      figure(disk.dispatches),
      `${fair}; durable (WAL, synchronous=NORMAL)`,
    ],
    [
      'genrelay, SQLite in memory',
      figure(memory.submits),
      figure(memory.dispatches),
      `${fair}; not durable`,
    ],
    ...bullmqRows(bullmq),
  ];
  console.log(
    `target: >= ${targets.submits} submits/s (${disk.submits >= targets.submits ? 'met' : 'missed'}), ` +
      `>= ${targets.dispatches} dispatches/s (${disk.dispatches >= targets.dispatches ? 'met' : 'missed'}) ` +
      `with ${jobCount.toLocaleString('en')} queued from ${users} users (SQLite file)`,
  );
  console.log(
    [
      '| store | submits/s | dispatch decisions/s (claim + complete) | notes |',
      '| --- | --- | --- | --- |',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ].join('\n'),
  );
  console.log(
    `queue position (on every submit and ETA refresh), SQLite file, ${users} users waiting: ` +
      `${fresh.toFixed(0)} µs; after ${goneUsers.toLocaleString('en')} other users came and ` +
      `went: ${aged.toFixed(0)} µs`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
