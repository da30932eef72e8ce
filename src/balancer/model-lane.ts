import type { GenerationRequest } from '../core/generation-request.js';
import type { StreamPart } from '../core/stream-part.js';
import type { Router } from '../router/router.js';
import type { LaneExecutor } from './dispatcher.js';
import type { InstancePool, Slot } from './instance-pool.js';
import type { Job } from './job.js';

/** How long a lane trusts its route: providers cool down and recover meanwhile. */
const routeTtlMs = 10_000;
const routeTimeoutMs = 30_000;

/**
 * The jobs of one model, run through the router: a slot is taken on the first instance of
 * the route with one free, and the router tries that instance first, then falls back.
 */
export class ModelLane implements LaneExecutor {
  // Each attempt already falls back over the route's providers.
  readonly maxAttempts = 1;
  private route: { ids: Promise<string[]>; expires: number } | undefined;

  constructor(
    private readonly kind: 'chat' | 'image',
    private readonly model: string,
    private readonly router: Router,
    private readonly pool: InstancePool,
  ) {}

  /** Throws ModelNotFoundError when nothing serves the model (any more). */
  async acquire(): Promise<Slot | undefined> {
    return this.pool.acquire(await this.instances(), 'ordered');
  }

  async liveSlots(): Promise<number> {
    try {
      return this.pool.liveSlots(await this.instances());
    } catch {
      return 0;
    }
  }

  run(job: Job, slot: Slot, signal: AbortSignal): AsyncIterable<StreamPart> {
    const request = job.payload as unknown as GenerationRequest;
    return this.router.generate(request, { signal, prefer: slot.instance });
  }

  private instances(): Promise<string[]> {
    const now = Date.now();
    if (this.route === undefined || this.route.expires <= now) {
      const ids = this.router
        .route(
          { kind: this.kind, model: this.model, messages: [] },
          { signal: AbortSignal.timeout(routeTimeoutMs) },
        )
        .then((candidates) => candidates.map(({ provider }) => provider.id));
      // A failed lookup is not kept: the next call asks again.
      ids.catch(() => {
        this.route = undefined;
      });
      this.route = { ids, expires: now + routeTtlMs };
    }
    return this.route.ids;
  }
}
