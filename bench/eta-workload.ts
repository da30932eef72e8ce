import { setTimeout as sleep } from 'node:timers/promises';
import type { LaneExecutor } from '../src/balancer/dispatcher.js';
import type { Job, JobTier } from '../src/balancer/job.js';
import { jobWork } from '../src/balancer/job-work.js';
import type { StreamPart } from '../src/core/stream-part.js';
import { countedLane } from '../test/support/counted-lane.js';

// The ETA bench's workload: who submits what and when, and a GPU lane whose jobs take
// time in proportion to their work. Seeded, so every run submits the same jobs.

export interface EtaUser {
  id: string;
  tier: JobTier;
  /** Jobs in the opening burst. */
  burst: number;
}

/** Premium's share of the starts, as the bench's balancer is set. */
export const etaPremiumShare = 0.75;

/** Six users, two of them premium, one of them flooding the burst. */
export const etaUsers: readonly EtaUser[] = [
  { id: 'ann', tier: 'premium', burst: 5 },
  { id: 'bob', tier: 'premium', burst: 5 },
  { id: 'cid', tier: 'general', burst: 12 },
  { id: 'dee', tier: 'general', burst: 6 },
  { id: 'eve', tier: 'general', burst: 6 },
  { id: 'fay', tier: 'general', burst: 6 },
];

/** After the burst, waves of jobs from users picked at random. */
export const etaWaves = { count: 4, size: 10, everyMs: 1500 };
/** Each job's size is one of these sides (square) and one of these step counts. */
export const etaSides = [512, 768, 1024] as const;
export const etaStepCounts = [20, 30, 50] as const;

/** A job of the script: when it is submitted, by whom, and its size. */
export interface ScriptedJob {
  atMs: number;
  user: EtaUser;
  payload: { prompt: string; width: number; height: number; steps: number };
  /** Megapixel-steps, as the balancer counts them. */
  work: number;
}

/** Mulberry32: small, seeded, good enough to shuffle a script. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** The burst, interleaved as a real one arrives, then the waves. */
export function etaScript(seed: number): ScriptedJob[] {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const sized = (atMs: number, user: EtaUser): ScriptedJob => {
    const side = pick(etaSides);
    const payload = {
      prompt: 'a red fox',
      width: side,
      height: side,
      steps: pick(etaStepCounts),
    };
    return { atMs, user, payload, work: jobWork('text2img', 'automatic1111', payload) };
  };
  const burst = etaUsers.flatMap((user) =>
    Array.from({ length: user.burst }, () => sized(0, user)),
  );
  for (let index = burst.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [burst[index], burst[other]] = [
      burst[other] as ScriptedJob,
      burst[index] as ScriptedJob,
    ];
  }
  const waves = Array.from({ length: etaWaves.count }, (_, wave) =>
    Array.from({ length: etaWaves.size }, () =>
      sized((wave + 1) * etaWaves.everyMs, pick(etaUsers)),
    ),
  );
  return [...burst, ...waves.flat()];
}

export interface SimulatedGpuOptions {
  slots: number;
  msPerWork: number;
  /** Told when a job starts running on the GPU. */
  started(job: Job, at: number): void;
}

/** A lane of `slots` slots; a job runs its work × msPerWork, ±10%. */
export function simulatedGpu(options: SimulatedGpuOptions): LaneExecutor {
  const noise = seededRandom(7);
  return countedLane({
    slots: options.slots,
    async *run(job, signal): AsyncGenerator<StreamPart> {
      options.started(job, Date.now());
      const durationMs = (job.work ?? 1) * options.msPerWork * (0.9 + 0.2 * noise());
      await sleep(durationMs, undefined, { signal });
      yield { type: 'finish', reason: 'stop' };
    },
  });
}
