import { describe, expect, it, vi } from 'vitest';
import type { Balancer } from '../balancer/balancer.js';
import type { JobEvent } from '../balancer/job-events.js';
import { CanceledError } from '../core/errors.js';
import { queuedGeneration } from './queued-generation.js';
import type { ServerDependencies } from './server-dependencies.js';

/** A balancer whose one job tells `events`, and which records cancels. */
function fakeBalancer(events: JobEvent[]) {
  const cancel = vi.fn(async () => ({}));
  const balancer = {
    submit: async () => ({ job: { id: 'job-1' } }),
    subscribe: async () =>
      (async function* () {
        yield* events;
      })(),
    cancel,
  };
  return { balancer: balancer as unknown as Balancer, cancel };
}

const run = (balancer: Balancer) =>
  queuedGeneration(
    {
      balancer,
      checkRoute: async () => undefined,
      moderate: async () => undefined,
    } as unknown as ServerDependencies,
    { kind: 'chat', model: 'double-chat', messages: [{ role: 'user', content: 'hi' }] },
    { service: 'test', userId: 'ada', premium: false },
    new AbortController().signal,
  );

describe('queuedGeneration', () => {
  it('does not cancel a job that ended canceled', async () => {
    const { balancer, cancel } = fakeBalancer([{ type: 'state', state: 'canceled' }]);
    await expect(run(balancer).next()).rejects.toBeInstanceOf(CanceledError);
    expect(cancel).not.toHaveBeenCalled();
  });

  it('cancels the job when the caller leaves before its end', async () => {
    const { balancer, cancel } = fakeBalancer([{ type: 'text', delta: 'He' }]);
    const parts = run(balancer);
    await parts.next();
    await parts.return(undefined);
    expect(cancel).toHaveBeenCalledWith('job-1', 'test');
  });
});
