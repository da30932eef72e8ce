import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BalancerRuntime,
  type BalancerSettings,
  createBalancer,
} from '../src/balancer/create-balancer.js';
import type { JobEvents } from '../src/balancer/job-events.js';
import { jobWork } from '../src/balancer/job-work.js';
import { SqliteJobStore } from '../src/balancer/sqlite-job-store.js';
import { bounded } from '../test/support/bounded.js';
import {
  beforeLearning,
  type Errors,
  everyEvent,
  halfWay,
  heldInstants,
  heldThroughWait,
  inTier,
  minWaitMs,
  missedAhead,
  type Observed,
  type Only,
  onSubmit,
  type QueuedEvent,
} from './eta-errors.js';
import { DevoidAverage } from './eta-estimates.js';
import {
  etaPremiumShare,
  etaScript,
  etaSides,
  etaStepCounts,
  etaUsers,
  etaWaves,
  type ScriptedJob,
  simulatedGpu,
} from './eta-workload.js';

// How right the `etaMs` of a job's first `queued` event is: a real balancer on a SQLite
// file, one lane of simulated GPU slots whose jobs take time in proportion to their
// megapixel-steps, and a scripted workload of varied sizes (eta-workload.ts). The error is
// |ETA − actual wait| / actual wait over jobs that waited at least `minWaitMs`. The
// baseline in the same run is the Devoid generator's estimate; two oracles
// (eta-estimates.ts, eta-errors.ts) say where the rest of the error comes from.

const msPerWork = Number(process.env.BENCH_MS_PER_WORK ?? 8);
const slots = 2;
const target = 0.2;
const warmUpJobs = 8;
const lane = 'automatic1111';

const settings: BalancerSettings = {
  premiumShare: etaPremiumShare,
  maxUserQueueSize: { default: 1000, ceiling: 1000 },
  maxQueueSize: 100_000,
  maxAttempts: 1,
  leaseMs: 60_000,
  attemptTimeout: { baseMs: 60_000, perMegapixelStepMs: 0, perTokenMs: 0, maxMs: 60_000 },
  queueUpdateMs: 2000,
  eventRetentionMs: 60_000,
};

/** The job's first `queued` event: what its client was told on submit. */
async function firstQueued(
  events: JobEvents,
  id: string,
): Promise<QueuedEvent | undefined> {
  for await (const event of events.subscribe(id, AbortSignal.timeout(5000))) {
    if (event.type === 'queued') return event;
    if (event.type === 'state' && event.state !== 'queued') return undefined;
  }
  return undefined;
}

/**
 * Follows the job as a listening client would (so it is refreshed while it waits), and
 * returns how long it ran.
 */
async function followed(events: JobEvents, record: Observed): Promise<number> {
  let runningAt: number | undefined;
  for await (const event of events.subscribe(record.id, AbortSignal.timeout(60_000))) {
    if (event.type === 'queued' && event !== record.told && event.etaMs !== undefined)
      record.updates.push({ at: Date.now(), etaMs: event.etaMs });
    if (event.type !== 'state') continue;
    if (event.state === 'running') runningAt = Date.now();
    if (event.state === 'succeeded' && runningAt !== undefined) {
      record.finishedAt = Date.now();
      return record.finishedAt - runningAt;
    }
    if (event.state === 'failed' || event.state === 'canceled')
      throw new Error(`a bench job ended ${event.state}`);
  }
  throw new Error('a bench job did not finish within 60 s');
}

/** What the balancer knows right after a submit, for the oracles. */
async function snapshot(runtime: BalancerRuntime, store: SqliteJobStore) {
  const now = Date.now();
  const freeAt = runtime.dispatcher
    .runningIn(lane)
    .map(({ startedAt, expectedMs }) => Math.max(0, expectedMs - (now - startedAt)));
  while (freeAt.length < slots) freeAt.push(0);
  freeAt.sort((a, b) => a - b);
  const tiers = await store.queuedWork(lane);
  const queued = {
    count: tiers.premium.count + tiers.general.count,
    work: tiers.premium.work + tiers.general.work,
  };
  return {
    freeAt: freeAt.slice(0, slots),
    // Read at a large size, so the rounding to whole milliseconds does not show.
    msPerWork: runtime.durations.estimate(lane, 1e6) / 1e6,
    averageWork: queued.count === 0 ? 1 : queued.work / queued.count,
  };
}

/** One balancer, one script; `warm` runs a few jobs first so durations are learned. */
async function run(folder: string, warm: boolean): Promise<Observed[]> {
  const store = new SqliteJobStore({
    path: join(folder, `${warm ? 'warm' : 'cold'}.sqlite`),
    maxUserRunning: 1,
  });
  const observed = new Map<string, Observed>();
  // Kept apart from the records: a job may start before its submit has returned its id.
  const startTimes = new Map<string, number>();
  const devoid = new DevoidAverage();
  const executor = simulatedGpu({
    slots,
    msPerWork,
    started: (job, at) => startTimes.set(job.id, at),
  });
  const runtime = createBalancer({
    store,
    storage: {
      save: async () => {
        throw new Error('the bench makes no images');
      },
      open: async () => undefined,
    },
    lane: () => executor,
    settings,
    worker: 'bench',
    soleWorker: true,
  });
  const { balancer, events } = runtime;
  const running: Promise<void>[] = [];
  const submit = async (job: ScriptedJob) => {
    const tiers = await store.queuedWork(lane);
    const queuedBefore = tiers.premium.count + tiers.general.count;
    const devoidMs = devoid.etaMs(queuedBefore, slots);
    const submittedAt = Date.now();
    const { job: stored } = await balancer.submit({
      service: 'bench',
      userId: job.user.id,
      tier: job.user.tier,
      kind: 'text2img',
      lane,
      payload: job.payload,
      work: job.work,
    });
    const told = await firstQueued(events, stored.id);
    const toldAt = Date.now();
    const record: Observed = {
      id: stored.id,
      job,
      tier: stored.tier,
      submittedAt,
      ...(told === undefined ? {} : { told }),
      toldAt,
      updates: [],
      ...(await snapshot(runtime, store)),
      devoidMs,
    };
    observed.set(stored.id, record);
    running.push(followed(events, record).then((ranMs) => devoid.record(ranMs)));
  };
  await balancer.start();
  try {
    if (warm) {
      await Promise.all(etaScript(99).slice(0, warmUpJobs).map(submit));
      await bounded('the warm-up', 30_000, () => Promise.all(running));
      observed.clear();
      running.length = 0;
    }
    const started = Date.now();
    for (const job of etaScript(1)) {
      const wait = job.atMs - (Date.now() - started);
      if (wait > 0) await sleep(wait);
      await submit(job);
    }
    await bounded('the workload', 60_000, () => Promise.all(running));
  } finally {
    await balancer.stop();
    await store.close();
  }
  return [...observed.values()].map((record) => {
    const startedAt = startTimes.get(record.id);
    return startedAt === undefined ? record : { ...record, startedAt };
  });
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const signedPercent = (value: number) => `${value > 0 ? '+' : ''}${percent(value)}`;
const row = (name: string, errors: Errors) =>
  `| ${name} | ${errors.jobs} | ${percent(errors.median)} | ${percent(errors.p90)} | ${signedPercent(errors.bias)} |`;

const folder = await mkdtemp(join(tmpdir(), 'genrelay-eta-'));
try {
  const cold = await run(folder, false);
  const warm = await run(folder, true);
  const headline = onSubmit(warm, 'genrelay');
  const unlearned = beforeLearning(cold);
  const learned: Only = (record) => !unlearned(record);
  // Its 40 jobs are submitted within a few milliseconds: most of the jobs that overtake
  // one of them are submitted after it, when its first ETA has been told.
  const inBurst: Only = (record) => record.job.atMs === 0;
  const premiumUsers = etaUsers.filter((user) => user.tier === 'premium').length;
  const burst = etaUsers.reduce((sum, user) => sum + user.burst, 0);
  // The balancer's guess before a lane's first job ends, as the first cold jobs saw it.
  const guess = cold.find(unlearned)?.msPerWork ?? Number.NaN;
  const typical = jobWork('text2img', 'automatic1111', {
    width: 512,
    height: 512,
    steps: 30,
  });
  console.log(
    `ETA workload: ${warm.length} jobs of ${etaSides.map((side) => `${side}²`).join('/')} × ` +
      `${etaStepCounts.join('/')} steps from ${etaUsers.length} ` +
      `users (${premiumUsers} premium, share ${settings.premiumShare}; 1 running job per user), ` +
      `a burst of ${burst} then ${etaWaves.count} waves of ${etaWaves.size} every ` +
      `${etaWaves.everyMs} ms; ${slots} slots at ${msPerWork} ms per megapixel-step ±10%. ` +
      `Errors over jobs that waited >= ${minWaitMs} ms; "warm" ran ${warmUpJobs} jobs first ` +
      `so durations were learned; "cold" starts from the initial guess of ${Math.round(guess)} ms ` +
      `per megapixel-step (${((guess * typical) / 1000).toFixed(1)} s for 512² × 30 steps), ` +
      `${Math.round(guess / msPerWork)}× this ` +
      'scaled-down GPU, so its first rows show how soon the guess is forgotten, not real ' +
      'cold-start accuracy.',
  );
  console.log(
    `target: median ETA error on submit <= ${percent(target)} of the actual wait ` +
      `(warm): ${percent(headline.median)}, ${headline.median <= target ? 'met' : 'missed'}`,
  );
  console.log(
    [
      '| ETA | jobs | median abs. error | p90 abs. error | median signed error |',
      '| --- | --- | --- | --- | --- |',
      row('genrelay, on submit, warm', headline),
      row(
        'Devoid (mean of last 8 × queued / slots), on submit, warm',
        onSubmit(warm, 'devoid'),
      ),
      row(
        'genrelay, on submit, cold: before any job finished',
        onSubmit(cold, 'genrelay', unlearned),
      ),
      row(
        'Devoid, on submit, cold: before any job finished',
        onSubmit(cold, 'devoid', unlearned),
      ),
      row('genrelay, on submit, cold: once one had', onSubmit(cold, 'genrelay', learned)),
      row('Devoid, on submit, cold: once one had', onSubmit(cold, 'devoid', learned)),
      row(
        'genrelay, refreshed: known half-way, against the rest of the wait, warm',
        halfWay(warm),
      ),
      row(
        `genrelay, held by a listening client through its wait (${heldInstants} instants ` +
          'each), against the rest of the wait, warm',
        heldThroughWait(warm),
      ),
      row(
        'genrelay, every `queued` event a listening client received, against the rest of ' +
          'the wait, warm',
        everyEvent(warm),
      ),
      row(
        'genrelay, on submit, jobs of the opening burst, warm',
        onSubmit(warm, 'genrelay', inBurst),
      ),
      row(
        'genrelay, on submit, jobs of the waves after it, warm',
        onSubmit(warm, 'genrelay', (record) => !inBurst(record)),
      ),
      row(
        'genrelay premium jobs, on submit, warm',
        onSubmit(warm, 'genrelay', inTier('premium')),
      ),
      row(
        'genrelay general jobs, on submit, warm',
        onSubmit(warm, 'genrelay', inTier('general')),
      ),
      row(
        'oracle: the count of jobs that really started first, warm',
        onSubmit(warm, 'oracleCount'),
      ),
      row('oracle: those jobs with their own sizes, warm', onSubmit(warm, 'oracleJobs')),
    ].join('\n'),
  );
  console.log(
    `jobs ahead of a job (medians, warm) — ${missedAhead(warm, 'premium')}; ` +
      `${missedAhead(warm, 'general')}`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
