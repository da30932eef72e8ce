import type { JobEvent } from '../../balancer/job-events.js';
import type { ResultStorage } from '../../balancer/result-storage.js';
import { jobEventBody } from './job-event-body.js';

const encoder = new TextEncoder();
/** A comment this often keeps proxies from closing a stream that waits in the queue. */
const heartbeatMs = 15_000;

/**
 * A job's events as server-sent events: `event: <type>` and the JSON of the event. The
 * stream ends after the job's final state; a client that goes away stops the subscription.
 */
export function jobEventStream(
  events: AsyncIterable<JobEvent>,
  links: { storage: ResultStorage; origin: string },
  onCancel: () => void,
): ReadableStream<Uint8Array> {
  const iterator = events[Symbol.asyncIterator]();
  let heartbeat: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(': keep-alive\n\n'));
        } catch {
          clearInterval(heartbeat);
        }
      }, heartbeatMs);
      heartbeat.unref();
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        clearInterval(heartbeat);
        controller.close();
        return;
      }
      const body = await jobEventBody(next.value, links);
      controller.enqueue(
        encoder.encode(`event: ${next.value.type}\ndata: ${JSON.stringify(body)}\n\n`),
      );
    },
    async cancel() {
      clearInterval(heartbeat);
      onCancel();
      await iterator.return?.();
    },
  });
}
