import type { JobUpdate, TextUpdate } from './job-update.js';

/** A text update as kept: its delta, not the answer so far, which each reader rebuilds. */
type KeptUpdate = Exclude<JobUpdate, TextUpdate> | Omit<TextUpdate, 'text'>;

interface Kept {
  /** Increasing in the order pushed: a reader goes on after the last one it read. */
  sequence: number;
  update: KeptUpdate;
}

/** Statuses whose newest update tells all a reader needs: each replaces the one before. */
const replaced = new Set<JobUpdate['status']>(['queued', 'progress', 'preview']);

/**
 * A job's updates as an async iterable: pushed, read by any number of readers, each from the
 * start, so `events` can be read late. What is kept stays linear in the job's size: a new
 * place in the queue, step or preview replaces the one before, and text updates keep only
 * their delta.
 */
export class UpdateStream implements AsyncIterable<JobUpdate> {
  private readonly kept: Kept[] = [];
  private nextSequence = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private readonly waiters = new Set<() => void>();

  push(update: JobUpdate): void {
    if (this.ended) return;
    if (replaced.has(update.status)) {
      const index = this.kept.findLastIndex(
        (kept) => kept.update.status === update.status,
      );
      if (index !== -1) this.kept.splice(index, 1);
    }
    this.kept.push({ sequence: this.nextSequence++, update: withoutText(update) });
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = { error };
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<JobUpdate> {
    // A sequence, not an index: an update replaced before this reader reaches it is gone.
    let read = -1;
    // As TextSoFar: an attempt's `generating` starts its answer anew.
    const written = { answer: '', reasoning: '' };
    for (;;) {
      const next = this.firstAfter(read);
      if (next !== undefined) {
        read = next.sequence;
        const { update } = next;
        if (update.status === 'generating') {
          written.answer = '';
          written.reasoning = '';
        }
        if (update.status !== 'text') {
          yield update;
          continue;
        }
        const kind = update.reasoning ? 'reasoning' : 'answer';
        written[kind] += update.delta;
        yield { ...update, text: written[kind] };
        continue;
      }
      if (this.ended) {
        if (this.failure !== undefined) throw this.failure.error;
        return;
      }
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  /** The first kept update pushed after `sequence`. */
  private firstAfter(sequence: number): Kept | undefined {
    let low = 0;
    let high = this.kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.kept[middle] as Kept).sequence <= sequence) low = middle + 1;
      else high = middle;
    }
    return this.kept[low];
  }

  private wake(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

function withoutText(update: JobUpdate): KeptUpdate {
  if (update.status !== 'text') return update;
  const { text: _answerSoFar, ...delta } = update;
  return delta;
}
