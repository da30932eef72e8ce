import { finalUpdateError, type GeneratorError } from './generator-error.js';
import { isFinalUpdate, type JobResult, type JobUpdate } from './job-update.js';
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
  /** Every update of the job, the final one last; throws when the job was refused. */
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
  /** Bounds the wait for a connection to send on. */
  waitTimer: ReturnType<typeof setTimeout> | undefined;
  readonly accepted: Promise<string>;
  readonly result: Promise<JobResult>;
  private readonly stream = new UpdateStream<JobUpdate>();
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

  /** Applies a response; the final one settles the job. */
  update(update: JobUpdate): void {
    if (this.final) return;
    if (this.objectId === undefined) {
      this.objectId = update.objectId;
      this.settleAccepted.resolve(update.objectId);
    }
    this.stream.push(update);
    if (!isFinalUpdate(update)) return;
    this.final = true;
    clearTimeout(this.waitTimer);
    this.stream.end();
    if (update.status === 'ok') this.settleResult.resolve(update.result);
    else this.settleResult.reject(finalUpdateError(update, this.requestId));
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
}
