import type { GradioScenario } from './scenario.js';
import { pause } from './space-http.js';
import { successScript } from './success-script.js';

/** One job as the double runs it. */
export interface SpaceJob {
  eventId: string;
  sessionHash: string;
  data: unknown[];
  scenario: GradioScenario;
  /** Aborted by `/cancel`, by the client leaving, or by `close()`. */
  stop: AbortController;
  /** Set once its script runs, so a reconnecting stream does not start it twice. */
  started?: boolean;
}

/** What a script does next; the queue and call routes each write it their way. */
export type ScriptStep =
  /** A queue message (without `event_id`). Generator updates also carry their full values. */
  | { message: Record<string, unknown>; fullOutput?: unknown[] }
  /** A raw line that is not JSON. */
  | { malformed: string }
  /** Destroy the connection. */
  | { cut: true }
  /** End the stream without a result. */
  | { end: true };

export interface ScriptContext {
  /** Stores bytes as a file of the app, returning its FileData. */
  storeFile(bytes: Uint8Array, name: string): Record<string, unknown>;
  heartbeatMs: number;
  /** The seed a job that asked for a random one gets. */
  randomSeed: number;
}

/** The messages of one job, paced; ends early when `job.stop` aborts. */
export async function* jobScript(
  job: SpaceJob,
  context: ScriptContext,
): AsyncGenerator<ScriptStep> {
  const { scenario } = job;
  const signal = job.stop.signal;
  switch (scenario.kind) {
    case 'success':
      yield* successScript(job, scenario, context);
      return;
    case 'app-error':
      yield { message: estimation(0) };
      yield { message: { msg: 'process_starts', eta: null } };
      yield {
        message: {
          msg: 'process_completed',
          output: {
            error: scenario.message,
            ...(scenario.title === undefined
              ? {}
              : { duration: 10, visible: true, title: scenario.title }),
          },
          success: false,
          title: scenario.title ?? null,
        },
      };
      return;
    case 'unexpected-error':
      yield { message: estimation(0) };
      yield {
        message: {
          msg: 'unexpected_error',
          message: scenario.message ?? 'Server stopped unexpectedly.',
          success: false,
        },
      };
      return;
    case 'stall':
    case 'malformed':
      yield { message: estimation(0) };
      if (scenario.kind === 'malformed')
        yield { malformed: '{"msg": "progress", not json' };
      while (await pause(context.heartbeatMs, signal))
        yield { message: { msg: 'heartbeat' } };
      return;
    case 'cut':
    case 'ends-early':
      yield { message: estimation(0) };
      yield { message: { msg: 'process_starts', eta: null } };
      if (await pause(5, signal))
        yield scenario.kind === 'cut' ? { cut: true } : { end: true };
      return;
    default:
      // Scenarios that fail before a job exists.
      return;
  }
}

/** An `estimation` message: `rank` jobs ahead. */
export function estimation(rank: number, queueSize = rank): Record<string, unknown> {
  return { msg: 'estimation', rank, queue_size: queueSize + 1, rank_eta: rank * 1.5 };
}
