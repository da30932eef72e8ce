import type { GeneratorError } from './generator-error.js';
import type {
  CanceledUpdate,
  DoneUpdate,
  ErrorUpdate,
  GeneratingUpdate,
  JobUpdate,
  PreviewUpdate,
  ProgressUpdate,
  QueuedUpdate,
  TextUpdate,
} from './job-update.js';

/** The handlers one can register, by event, as the Devoid client had them (and more). */
export interface HandlerSignatures {
  connectionError: (error: GeneratorError) => void;
  queued: (update: QueuedUpdate) => void;
  generating: (update: GeneratingUpdate) => void;
  progress: (update: ProgressUpdate) => void;
  preview: (update: PreviewUpdate) => void;
  /** A piece of a chat job's answer or reasoning; `update.text` is the attempt's so far. */
  text: (update: TextUpdate) => void;
  done: (update: DoneUpdate) => void;
  /** A job failed (`update` set) or was refused at submit (no update). */
  error: (error: GeneratorError, update: ErrorUpdate | undefined) => void;
  canceled: (update: CanceledUpdate) => void;
}

type HandlerName = keyof HandlerSignatures;

const handlerOf: Record<Exclude<JobUpdate, ErrorUpdate>['status'], HandlerName> = {
  queued: 'queued',
  generating: 'generating',
  progress: 'progress',
  preview: 'preview',
  text: 'text',
  ok: 'done',
  canceled: 'canceled',
};

/** Registered handlers; one that throws does not stop the others or the client. */
export class ClientHandlers {
  private readonly handlers = new Map<HandlerName, Set<unknown>>();

  add<Name extends HandlerName>(
    name: Name,
    handler: HandlerSignatures[Name],
  ): () => void {
    let set = this.handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(name, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  emit<Name extends HandlerName>(
    name: Name,
    ...args: Parameters<HandlerSignatures[Name]>
  ): void {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        (handler as (...given: unknown[]) => void)(...args);
      } catch (error) {
        // The caller's bug surfaces as an uncaught error, not as a broken client.
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }

  /** An update to the handlers of its status (an `error` goes to `emit`, with its error). */
  emitUpdate(update: Exclude<JobUpdate, ErrorUpdate>): void {
    const name = handlerOf[update.status];
    (this.emit as (name: HandlerName, update: JobUpdate) => void)(name, update);
  }
}
