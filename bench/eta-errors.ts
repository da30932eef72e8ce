import type { JobTier } from '../src/balancer/job.js';
import type { JobEvent } from '../src/balancer/job-events.js';
import { listScheduledEta, slotEta } from './eta-estimates.js';
import type { ScriptedJob } from './eta-workload.js';

// What each estimate of the ETA bench said against what happened: errors relative to the
// actual wait, over jobs that waited long enough for a ratio to mean something.

/** Shorter waits are left out: a few milliseconds off would count as a huge error. */
export const minWaitMs = 200;

export type QueuedEvent = Extract<JobEvent, { type: 'queued' }>;

/** What one job was told, what the balancer knew then, and what happened. */
export interface Observed {
  id: string;
  job: ScriptedJob;
  tier: JobTier;
  submittedAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Its first `queued` event, and when the bench read it. */
  told?: QueuedEvent;
  toldAt: number;
  /** The `queued` events that refreshed it while it waited. */
  updates: { at: number; etaMs: number }[];
  /** When each slot frees, soonest first, as the estimator saw it. */
  freeAt: number[];
  /** The learned time per unit of work, and the lane's average queued work. */
  msPerWork: number;
  averageWork: number;
  devoidMs: number;
}

/** The jobs that started after `record` was estimated and before it, in start order. */
function startedAhead(record: Observed, all: readonly Observed[]): Observed[] {
  const startedAt = record.startedAt ?? Number.POSITIVE_INFINITY;
  return all
    .filter(
      (other) =>
        other.startedAt !== undefined &&
        other.startedAt > record.toldAt &&
        other.startedAt < startedAt,
    )
    .sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0));
}

type Estimate = (record: Observed, all: readonly Observed[]) => number | undefined;

const aheadMs = (record: Observed) => record.msPerWork * record.averageWork;

/** Each estimate of a job's wait, on submit. */
const estimates = {
  genrelay: (record) => record.told?.etaMs,
  devoid: (record) => record.devoidMs,
  oracleCount: (record, all) =>
    slotEta(record.freeAt, startedAhead(record, all).length, aheadMs(record)),
  oracleJobs: (record, all) =>
    listScheduledEta(
      record.freeAt,
      startedAhead(record, all).map((other) => record.msPerWork * other.job.work),
    ),
} satisfies Record<string, Estimate>;

export type EstimateName = keyof typeof estimates;

export interface Errors {
  jobs: number;
  median: number;
  p90: number;
  /** The median of the signed error: below zero, the estimate was too early. */
  bias: number;
}

function quantile(sorted: readonly number[], fraction: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ??
    Number.NaN
  );
}

function errorsOf(pairs: readonly { estimate: number; actual: number }[]): Errors {
  const signed = pairs
    .map(({ estimate, actual }) => (estimate - actual) / actual)
    .sort((a, b) => a - b);
  const absolute = signed.map(Math.abs).sort((a, b) => a - b);
  return {
    jobs: pairs.length,
    median: quantile(absolute, 0.5),
    p90: quantile(absolute, 0.9),
    bias: quantile(signed, 0.5),
  };
}

/** Which of a run's jobs an error is taken over. */
export type Only = (record: Observed) => boolean;

/** The error of an estimate made on submit, against the whole wait. */
export function onSubmit(
  all: readonly Observed[],
  name: EstimateName,
  only: Only = () => true,
): Errors {
  const estimate: Estimate = estimates[name];
  const pairs = [];
  for (const record of all) {
    if (!only(record)) continue;
    if (record.startedAt === undefined) continue;
    const actual = record.startedAt - record.submittedAt;
    const value = estimate(record, all);
    if (actual >= minWaitMs && value !== undefined)
      pairs.push({ estimate: value, actual });
  }
  return errorsOf(pairs);
}

/**
 * The error of what a listening client knew half-way through its wait (the latest
 * `queued` event then, less the time since), against the rest of the wait.
 */
export function halfWay(all: readonly Observed[]): Errors {
  const pairs = [];
  for (const record of all) {
    if (record.startedAt === undefined || record.told?.etaMs === undefined) continue;
    const wait = record.startedAt - record.submittedAt;
    if (wait / 2 < minWaitMs) continue;
    const middle = record.submittedAt + wait / 2;
    const known = [{ at: record.toldAt, etaMs: record.told.etaMs }, ...record.updates]
      .filter(({ at }) => at <= middle)
      .at(-1);
    if (known === undefined) continue;
    const estimate = Math.max(0, known.etaMs - (middle - known.at));
    pairs.push({ estimate, actual: record.startedAt - middle });
  }
  return errorsOf(pairs);
}

/** Instants through a job's wait at which `heldThroughWait` reads what its client holds. */
export const heldInstants = 10;

/**
 * The error of what a listening client holds through its wait: at evenly spaced instants
 * from its first `queued` event to its start, the latest ETA it was told, less the time
 * since, against the rest of the wait (each job counts `heldInstants` times).
 */
export function heldThroughWait(all: readonly Observed[]): Errors {
  const pairs = [];
  for (const record of all) {
    if (record.startedAt === undefined || record.told?.etaMs === undefined) continue;
    const told = [{ at: record.toldAt, etaMs: record.told.etaMs }, ...record.updates];
    const span = record.startedAt - record.toldAt;
    for (let instant = 0; instant < heldInstants; instant++) {
      const at = record.toldAt + (span * instant) / heldInstants;
      const actual = record.startedAt - at;
      if (actual < minWaitMs) continue;
      const known = told.filter((update) => update.at <= at).at(-1);
      if (known === undefined) continue;
      pairs.push({ estimate: Math.max(0, known.etaMs - (at - known.at)), actual });
    }
  }
  return errorsOf(pairs);
}

/**
 * The error of every `queued` event a listening client received (the first on submit and
 * each refresh), against the rest of the wait from when it was read.
 */
export function everyEvent(all: readonly Observed[]): Errors {
  const pairs = [];
  for (const record of all) {
    if (record.startedAt === undefined || record.told?.etaMs === undefined) continue;
    const told = [{ at: record.toldAt, etaMs: record.told.etaMs }, ...record.updates];
    for (const { at, etaMs } of told) {
      const actual = record.startedAt - at;
      if (actual >= minWaitMs) pairs.push({ estimate: etaMs, actual });
    }
  }
  return errorsOf(pairs);
}

export const inTier = (tier: JobTier) => (record: Observed) => record.tier === tier;

/** Whether the job was estimated before any job of the run had finished. */
export function beforeLearning(all: readonly Observed[]): Only {
  const first = Math.min(...all.map((record) => record.finishedAt ?? Infinity));
  return (record) => record.toldAt < first;
}

/**
 * Why positions fall short, as medians over a tier's jobs: how many jobs really started
 * first, how many of those the position left out, and how many were submitted after the
 * job (they overtook it).
 */
export function missedAhead(all: readonly Observed[], tier: JobTier): string {
  const counts = all
    .filter((record) => record.tier === tier && record.told !== undefined)
    .filter((record) => (record.startedAt ?? 0) - record.submittedAt >= minWaitMs)
    .map((record) => {
      const position = record.told?.position ?? 0;
      const started = startedAhead(record, all);
      return {
        started: started.length,
        byPosition: started.length - position,
        later: started.filter((other) => other.submittedAt > record.submittedAt).length,
      };
    });
  const median = (key: keyof (typeof counts)[number]) =>
    quantile(
      counts.map((count) => count[key]).sort((a, b) => a - b),
      0.5,
    );
  return (
    `${tier}: ${median('started')} started ahead, ${median('byPosition')} of them ` +
    `not counted by the position, ${median('later')} submitted later`
  );
}
