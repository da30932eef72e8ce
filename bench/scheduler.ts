import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobTier } from '../src/balancer/job.js';
import { SqliteJobStore } from '../src/balancer/sqlite-job-store.js';
import { TierSelector } from '../src/balancer/tier-selector.js';

// The scheduler on the embedded store: 100,000 jobs queued by 1,000 users (a quarter of
// them premium), then dispatch decisions (a fair claim, and the completion that frees the
// user's slot) while ~90,000 still wait. The same store in memory is the baseline: the
// difference is what durability (WAL on disk) costs.

const jobCount = Number(process.env.BENCH_JOBS ?? 100_000);
const users = 1000;
const dispatches = Number(process.env.BENCH_DISPATCHES ?? 10_000);
const targets = { submits: 5000, dispatches: 5000 };
const limits = { maxUserQueueSize: 10_000, maxQueueSize: 10_000_000 };

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

const folder = await mkdtemp(join(tmpdir(), 'genrelay-scheduler-'));
try {
  const disk = await measure(join(folder, 'jobs.sqlite'));
  const memory = await measure(':memory:');
  const row = (name: string, figures: typeof disk) =>
    `| ${name} | ${figures.submits.toFixed(0)} | ${figures.dispatches.toFixed(0)} |`;
  console.log(
    `target: >= ${targets.submits} submits/s (${disk.submits >= targets.submits ? 'met' : 'missed'}), ` +
      `>= ${targets.dispatches} dispatches/s (${disk.dispatches >= targets.dispatches ? 'met' : 'missed'}) ` +
      `with ${jobCount.toLocaleString('en')} queued from ${users} users`,
  );
  console.log(
    [
      '| store | submits/s | dispatch decisions/s (claim + complete) |',
      '| --- | --- | --- |',
      row('SQLite file, WAL (the default)', disk),
      row('SQLite in memory (baseline)', memory),
    ].join('\n'),
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
