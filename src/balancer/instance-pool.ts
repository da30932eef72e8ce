import { toGenRelayError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';

/** One upstream instance the balancer runs jobs on. */
export interface InstanceSpec {
  id: string;
  /** Jobs it runs at once. */
  slots: number;
  /** Resolves when the instance answers; those without one come back after the cooldown. */
  ping?: (signal: AbortSignal) => Promise<void>;
}

/** The right to run one job on an instance; released once, when the job is done. */
export interface Slot {
  instance: string;
  /**
   * Frees the slot. `quiet`: nobody waiting is told, because the caller looks again itself
   * (the dispatcher, after a job) or nothing ran on it (telling them would have the lane
   * that found no job look again, and again).
   */
  release(options?: { quiet?: boolean }): void;
}

export interface InstanceStatus {
  id: string;
  slots: number;
  busy: number;
  healthy: boolean;
  /** Why it is down, when it is. */
  error?: string;
}

export interface InstancePoolOptions {
  /** How long a failed instance rests before it is pinged. */
  cooldownMs: number;
  /** Between pings while it keeps failing. */
  pingIntervalMs: number;
  /** Told whenever a slot frees or an instance comes back, to start waiting jobs. */
  onAvailable: () => void;
  logger?: Logger;
}

interface Instance extends InstanceSpec {
  busy: number;
  down?: { error: string; timer: NodeJS.Timeout; controller: AbortController };
}

/**
 * The slots of every instance and whether each is up. An instance that fails is taken out
 * of rotation and pinged until it answers, instead of being dropped for good (as the
 * Devoid generator did) or hammered with the next job.
 */
export class InstancePool {
  private readonly instances = new Map<string, Instance>();
  private readonly logger: Logger;
  /** Where the last least-loaded search started, so ties rotate between instances. */
  private rotation = 0;
  private closed = false;

  constructor(
    specs: readonly InstanceSpec[],
    private readonly options: InstancePoolOptions,
  ) {
    for (const spec of specs) this.instances.set(spec.id, { ...spec, busy: 0 });
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * A slot on the least loaded healthy instance of `ids` (`ordered`: the first with a free
   * slot, for routes whose order is a preference), or undefined when none is free.
   */
  acquire(ids: readonly string[], order: 'least-loaded' | 'ordered'): Slot | undefined {
    const free = ids
      .map((id) => this.instances.get(id))
      .filter((instance): instance is Instance => this.isFree(instance));
    if (free.length === 0) return undefined;
    let chosen = free[0] as Instance;
    if (order === 'least-loaded') {
      const start = this.rotation++ % free.length;
      for (let offset = 0; offset < free.length; offset++) {
        const candidate = free[(start + offset) % free.length] as Instance;
        if (load(candidate) < load(chosen) || offset === 0) chosen = candidate;
      }
    }
    return this.take(chosen);
  }

  /** Slots of `ids` on instances that are up: what the queue drains at, for ETAs. */
  liveSlots(ids: readonly string[]): number {
    let slots = 0;
    for (const id of ids) {
      const instance = this.instances.get(id);
      if (instance !== undefined && instance.down === undefined) slots += instance.slots;
    }
    return slots;
  }

  /** Takes the instance out of rotation until it answers a ping (or the cooldown ends). */
  markFailed(id: string, thrown: unknown): void {
    const instance = this.instances.get(id);
    if (instance === undefined || instance.down !== undefined || this.closed) return;
    const error = toGenRelayError(thrown).message;
    const controller = new AbortController();
    instance.down = {
      error,
      controller,
      timer: this.schedule(instance, this.options.cooldownMs),
    };
    this.logger.warn(
      { instance: id, error },
      'instance failed; resting it, then pinging',
    );
  }

  status(): InstanceStatus[] {
    return [...this.instances.values()].map((instance) => ({
      id: instance.id,
      slots: instance.slots,
      busy: instance.busy,
      healthy: instance.down === undefined,
      ...(instance.down === undefined ? {} : { error: instance.down.error }),
    }));
  }

  close(): void {
    this.closed = true;
    for (const instance of this.instances.values()) {
      if (instance.down === undefined) continue;
      clearTimeout(instance.down.timer);
      instance.down.controller.abort();
    }
  }

  private isFree(instance: Instance | undefined): boolean {
    return (
      instance !== undefined &&
      instance.down === undefined &&
      instance.busy < instance.slots
    );
  }

  private take(instance: Instance): Slot {
    instance.busy++;
    let released = false;
    return {
      instance: instance.id,
      release: (options) => {
        if (released) return;
        released = true;
        instance.busy--;
        if (options?.quiet !== true) this.options.onAvailable();
      },
    };
  }

  private schedule(instance: Instance, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => void this.check(instance), delayMs);
    timer.unref();
    return timer;
  }

  private async check(instance: Instance): Promise<void> {
    const down = instance.down;
    if (down === undefined || this.closed) return;
    try {
      await instance.ping?.(down.controller.signal);
    } catch (thrown) {
      if (this.closed) return;
      down.error = toGenRelayError(thrown).message;
      down.timer = this.schedule(instance, this.options.pingIntervalMs);
      return;
    }
    if (this.closed) return;
    instance.down = undefined;
    this.logger.info({ instance: instance.id }, 'instance is back');
    this.options.onAvailable();
  }
}

function load(instance: Instance): number {
  return instance.busy / instance.slots;
}
