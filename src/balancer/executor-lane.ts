import { InternalError, toGenRelayError } from '../core/errors.js';
import type { StreamPart } from '../core/stream-part.js';
import type { PayloadExecutor, PayloadJobKind } from '../providers/provider.js';
import type { LaneExecutor } from './dispatcher.js';
import type { InstancePool, Slot } from './instance-pool.js';
import type { Job } from './job.js';

/** Failures that say nothing about the instance: the job's own fault, or ours. */
const jobFaults = new Set(['invalid_request', 'canceled', 'moderation_rejected']);

/**
 * The jobs of one executor group (every AUTOMATIC1111 instance, say, or one named
 * instance), each run on the least busy instance that is up. An instance that fails is
 * rested and pinged by the pool; the job's next attempt goes to another one.
 */
export class ExecutorLane implements LaneExecutor {
  private readonly ids: string[];

  constructor(
    private readonly executors: readonly PayloadExecutor[],
    private readonly pool: InstancePool,
  ) {
    this.ids = executors.map((executor) => executor.id);
  }

  async acquire(): Promise<Slot | undefined> {
    return this.pool.acquire(this.ids, 'least-loaded');
  }

  async liveSlots(): Promise<number> {
    return this.pool.liveSlots(this.ids);
  }

  async *run(job: Job, slot: Slot, signal: AbortSignal): AsyncGenerator<StreamPart> {
    const executor = this.executors.find(({ id }) => id === slot.instance);
    if (executor === undefined)
      throw new InternalError(
        `The slot names no executor of this lane: "${slot.instance}"`,
      );
    yield { type: 'provider', provider: executor.id, model: '', label: executor.label };
    try {
      yield* executor.generatePayload(job.kind as PayloadJobKind, job.payload, {
        signal,
      });
    } catch (thrown) {
      // Our own abort (cancel, the attempt's bound) is no sign the instance is unwell.
      if (!signal.aborted && !jobFaults.has(toGenRelayError(thrown).code))
        this.pool.markFailed(executor.id, thrown);
      throw thrown;
    }
  }
}
