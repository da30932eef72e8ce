import type { StreamPart } from '../core/stream-part.js';
import type { JobState } from './job.js';

/** What a job's subscribers hear: its stream parts, plus its changes of state. */
export type JobEvent =
  | StreamPart
  | { type: 'state'; state: JobState; attempt?: number; instance?: string };

interface Listener {
  push(event: JobEvent): void;
  /** Called when the job's events end, so a waiting subscriber can finish. */
  wake(): void;
}

interface Channel {
  listeners: Set<Listener>;
  /** Kept so a late subscriber starts from the current state, not from nothing. */
  history: JobEvent[];
  ended: boolean;
  expiry?: NodeJS.Timeout;
}

export interface JobEventsOptions {
  /** How long a finished job's events stay for late subscribers. */
  retentionMs: number;
  /** Events kept per job; beyond it the oldest previews and progress go first. */
  maxHistory: number;
}

/** `next` appended to `last` when both are deltas of the same kind; else undefined. */
function joinText(last: JobEvent | undefined, next: JobEvent): JobEvent | undefined {
  if (last?.type === 'text' && next.type === 'text')
    return { type: 'text', delta: last.delta + next.delta };
  const deltaOnly = (event: JobEvent | undefined) =>
    event?.type === 'reasoning' &&
    event.status === undefined &&
    event.delta !== undefined;
  if (
    last?.type === 'reasoning' &&
    next.type === 'reasoning' &&
    deltaOnly(last) &&
    deltaOnly(next)
  )
    return { type: 'reasoning', delta: `${last.delta}${next.delta}` };
  return undefined;
}

const isTransient = (event: JobEvent) =>
  event.type === 'progress' || event.type === 'image-preview' || event.type === 'queued';

/**
 * In-process fan-out of job events. Each job keeps a bounded history, so whoever
 * subscribes late (a reconnecting client) first receives what it missed.
 */
export class JobEvents {
  private readonly channels = new Map<string, Channel>();

  constructor(private readonly options: JobEventsOptions) {}

  publish(jobId: string, event: JobEvent): void {
    const channel = this.channel(jobId);
    if (channel.ended) return;
    // A new place in the queue, step or preview replaces the one before: a late subscriber
    // needs where the job stands, and a preview can weigh hundreds of kilobytes.
    if (isTransient(event)) {
      const index = channel.history.findLastIndex((kept) => kept.type === event.type);
      if (index !== -1) channel.history.splice(index, 1);
    }
    // Text joins the text before it in the history, so a long answer takes one entry and a
    // late subscriber still gets all of it; live listeners hear each delta.
    const joined = joinText(channel.history.at(-1), event);
    if (joined === undefined) channel.history.push(event);
    else channel.history[channel.history.length - 1] = joined;
    if (channel.history.length > this.options.maxHistory) {
      const index = channel.history.findIndex(isTransient);
      channel.history.splice(index === -1 ? 0 : index, 1);
    }
    for (const listener of channel.listeners) listener.push(event);
  }

  /** Whether this process holds events of the job (it ran or waits here). */
  has(jobId: string): boolean {
    return (this.channels.get(jobId)?.history.length ?? 0) > 0;
  }

  /** Jobs whose events someone is listening to now. */
  listenedJobs(): Set<string> {
    const jobs = new Set<string>();
    for (const [id, channel] of this.channels)
      if (channel.listeners.size > 0 && !channel.ended) jobs.add(id);
    return jobs;
  }

  /**
   * Marks the job's events complete; they are forgotten after the retention time. Until
   * then they keep how it went, less its last preview: a late subscriber wants the images.
   */
  end(jobId: string): void {
    const channel = this.channel(jobId);
    channel.ended = true;
    channel.history = channel.history.filter((event) => event.type !== 'image-preview');
    for (const listener of channel.listeners) listener.wake();
    channel.listeners.clear();
    channel.expiry = setTimeout(
      () => this.channels.delete(jobId),
      this.options.retentionMs,
    );
    channel.expiry.unref();
  }

  /**
   * The job's events from the start of what is kept, then live ones until it ends or
   * `signal` aborts.
   */
  async *subscribe(jobId: string, signal: AbortSignal): AsyncGenerator<JobEvent> {
    const channel = this.channel(jobId);
    const pending: JobEvent[] = [...channel.history];
    let wake: (() => void) | undefined;
    const listener: Listener = {
      push: (event) => {
        pending.push(event);
        wake?.();
      },
      wake: () => wake?.(),
    };
    const onAbort = () => wake?.();
    if (!channel.ended) channel.listeners.add(listener);
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const event = pending.shift();
        if (event !== undefined) {
          yield event;
          continue;
        }
        if (channel.ended || signal.aborted) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      channel.listeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private channel(jobId: string): Channel {
    let channel = this.channels.get(jobId);
    if (channel === undefined) {
      channel = { listeners: new Set(), history: [], ended: false };
      this.channels.set(jobId, channel);
    }
    return channel;
  }
}
