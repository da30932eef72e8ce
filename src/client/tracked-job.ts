import type { GeneratorError } from './generator-error.js';
import type { CanceledUpdate, ErrorUpdate, JobResult, JobUpdate } from './job-update.js';
import { UpdateStream } from './update-stream.js';
import type { WireRequest } from './wire-messages.js';

/** A job as the SDK hands it out. */
export interface GenerationJob {
  /** The client's id for the request (made when not given): resending it is harmless. */
  readonly requestId: string;
  /** The server's id for the job, known from its first response on. */
  readonly objectId: string | undefined;
  /** The object id once the server took the job; rejects when it was refused. */
  readonly accepted: Promise<string>;
  /** The result of `ok`; rejects with a GeneratorError on `error`, `canceled` or refusal. */
  readonly result: Promise<JobResult>;
  /**
   * The job's updates, the final one last; throws when the job was refused. Each reading
   * starts from the beginning of what is kept: every update but a place in the queue, step
   * or preview that a newer one replaced (a reader that already read it still hears the
   * newer one), so a late reader misses no state and no piece of a chat answer, and a long
   * answer costs memory in proportion to its length.
   */
  readonly events: AsyncIterable<JobUpdate>;
}

interface Settle<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): { promise: Promise<T>; settle: Settle<T> } {
  let settle: Settle<T> | undefined;
  const promise = new Promise<T>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Callers who only read events need not handle the promise: no unhandled rejection.
  promise.catch(() => {});
  return { promise, settle: settle as Settle<T> };
}

/** A job the client follows until its final update, over any number of connections. */
export class TrackedJob implements GenerationJob {
  objectId: string | undefined;
  final = false;
  /** Sent on the current connection (the request, or a subscribe once accepted). */
  sent = false;
  /** Sent on any connection: the server may hold it even if no answer came. */
  everSent = false;
  /** Bounds the wait for a connection, or for a turn, to send on. */
  waitTimer: ReturnType<typeof setTimeout> | undefined;
  /** When that wait began: a request the server turned away waits on from there. */
  waitingSince: number | undefined;
  readonly accepted: Promise<string>;
  readonly result: Promise<JobResult>;
  private readonly stream = new UpdateStream();
  private readonly settleAccepted: Settle<string>;
  private readonly settleResult: Settle<JobResult>;

  constructor(
    readonly requestId: string,
    readonly request: WireRequest,
  ) {
    const accepted = deferred<string>();
    const result = deferred<JobResult>();
    this.accepted = accepted.promise;
    this.settleAccepted = accepted.settle;
    this.result = result.promise;
    this.settleResult = result.settle;
  }

  get events(): AsyncIterable<JobUpdate> {
    return this.stream;
  }

  /** Applies a response that leaves the job running, or its final `ok`. */
  update(update: Exclude<JobUpdate, ErrorUpdate | CanceledUpdate>): void {
    if (!this.apply(update) || update.status !== 'ok') return;
    this.end();
    this.settleResult.resolve(update.result);
  }

  /** Applies a final `error` or `canceled`; `error` is what it means (finalUpdateError). */
  updateFailed(update: ErrorUpdate | CanceledUpdate, error: GeneratorError): void {
    if (!this.apply(update)) return;
    this.end();
    this.settleResult.reject(error);
  }

  /** Ends the job with an error no response carried (refused, not sent, client closed). */
  fail(error: GeneratorError): void {
    if (this.final) return;
    this.final = true;
    clearTimeout(this.waitTimer);
    this.settleAccepted.reject(error);
    this.settleResult.reject(error);
    this.stream.fail(error);
  }

  /** Records an update for the job's readers; false once the job has ended. */
  private apply(update: JobUpdate): boolean {
    if (this.final) return false;
    if (this.objectId === undefined) {
      this.objectId = update.objectId;
      this.settleAccepted.resolve(update.objectId);
    }
    this.stream.push(update);
    return true;
  }

  private end(): void {
    this.final = true;
    clearTimeout(this.waitTimer);
    this.stream.end();
  }
}
