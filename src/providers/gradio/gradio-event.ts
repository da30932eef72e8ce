/**
 * What a running Gradio job reports, whichever protocol carried it (queue or call API).
 * Failures are not events: they are thrown as GenRelayErrors.
 */
export type GradioEvent =
  /** Waiting in the app's queue; `position` 0 is next. */
  | { type: 'queued'; position: number; etaMs?: number }
  /** A worker picked the job up. */
  | { type: 'started' }
  | {
      type: 'progress';
      step?: number;
      total?: number;
      /** 0 to 1. */
      fraction?: number;
      description?: string;
    }
  /** A `gr.Info` / `gr.Warning` toast (ZeroGPU says "Waiting for a GPU" this way). */
  | { type: 'log'; level: string; message: string; title?: string }
  /**
   * Output values, one per output component: intermediate ones from a generator (diffs
   * already applied), then the final ones.
   */
  | { type: 'output'; final: boolean; data: unknown[] };
