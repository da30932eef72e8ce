/** How the double runs the next jobs (queue and call API alike, as far as each can show). */
export type GradioScenario =
  /**
   * Queue estimations (`queueAhead` jobs ahead, counting down), a `log` toast per entry
   * of `logs`, `process_starts`, `progressSteps` progress messages, previews, then the
   * image (a PNG of the requested size) and the seed.
   */
  | {
      kind: 'success';
      queueAhead?: number;
      progressSteps?: number;
      /** `full-then-diff`: a full preview, then one as a diff (what Gradio sends). */
      previews?: 'none' | 'full' | 'full-then-diff' | 'diff-first';
      logs?: string[];
      /** Pause before each message. Default 2 ms. */
      stepDelayMs?: number;
    }
  /** The function raises `gr.Error(message)`: a ZeroGPU quota message, say. */
  | { kind: 'app-error'; message: string | null; title?: string }
  /** The server fails outside the function (`unexpected_error`). */
  | { kind: 'unexpected-error'; message?: string }
  /** An estimation, then heartbeats only, until the client leaves. */
  | { kind: 'stall' }
  /** Some status messages, then the connection is destroyed mid-stream. */
  | { kind: 'cut' }
  /** Some status messages, then the stream ends: `close_stream` (queue) or just the end (call). */
  | { kind: 'ends-early' }
  /** A frame that is not JSON, then heartbeats. */
  | { kind: 'malformed' }
  /** The join (or call) answers 200 without an `event_id`. */
  | { kind: 'join-without-event-id' }
  /** The join (or call) answers 503 "Queue is full". */
  | { kind: 'queue-full' };

/** ZeroGPU's quota message since 2025 (`spaces` 0.4x), as sent to API callers. */
export const quotaMessageNew =
  'You have exceeded your free ZeroGPU quota (60s requested vs. 44s left). Try again in 1:02:03. Authenticate with a Hugging Face token for more quota - https://huggingface.co/settings/tokens';

/** The older wording (2024). */
export const quotaMessageOld =
  'You have exceeded your GPU quota (46s left vs. 60s requested). Sign-up on Hugging Face to get more quotas or retry in 0:09:48.';

/** The early-2025 wording: no wait, and an HTML link. */
export const quotaMessageWithLink =
  'You have exceeded your GPU quota (60s requested vs. 56s left). <a style="white-space: nowrap;text-underline-offset: 2px;color: var(--body-text-color)" href="https://huggingface.co/join">Create a free account</a> to get more usage quota.';

/** What ZeroGPU says when no GPU freed up in time. */
export const noGpuMessage = 'No GPU was available after 60s. Try re-running later';
