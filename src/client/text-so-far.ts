import { isFinalUpdate, type JobUpdate } from './job-update.js';

interface Written {
  answer: string;
  reasoning: string;
}

/**
 * Each job's answer and reasoning so far, put together from its text updates. The server
 * sends an attempt's `generating` before its text, on every subscription: a retried
 * attempt and a replay after a reconnect both start over there, so nothing is doubled.
 */
export class TextSoFar {
  private readonly jobs = new Map<string, Written>();

  /** The update, a text update with its `text` so far. */
  apply(update: JobUpdate): JobUpdate {
    if (update.status === 'generating' || isFinalUpdate(update)) {
      this.jobs.delete(update.objectId);
      return update;
    }
    if (update.status !== 'text') return update;
    const written = this.jobs.get(update.objectId) ?? { answer: '', reasoning: '' };
    const kind = update.reasoning ? 'reasoning' : 'answer';
    written[kind] += update.delta;
    this.jobs.set(update.objectId, written);
    return { ...update, text: written[kind] };
  }

  /** Drops a job the client no longer follows. */
  forget(objectId: string): void {
    this.jobs.delete(objectId);
  }

  clear(): void {
    this.jobs.clear();
  }
}
