import type { LaneExecutor } from '../../src/balancer/dispatcher.js';
import type { Job } from '../../src/balancer/job.js';
import type { StreamPart } from '../../src/core/stream-part.js';

/** A lane as tests write it: a number of slots and what running a job yields. */
export interface TestLane {
  slots: number;
  run(job: Job, signal: AbortSignal): AsyncIterable<StreamPart>;
}

/** The lane as the dispatcher drives it, on one instance (`gpu-1`) with those slots. */
export function countedLane(lane: TestLane): LaneExecutor {
  let busy = 0;
  return {
    acquire: async () => {
      if (busy >= lane.slots) return undefined;
      busy++;
      let released = false;
      return {
        instance: 'gpu-1',
        release: () => {
          if (released) return;
          released = true;
          busy--;
        },
      };
    },
    run: (job, _slot, signal) => lane.run(job, signal),
    liveSlots: async () => lane.slots,
  };
}
