/** How the double runs the predictions of a model. */
export type ReplicateScenario =
  /**
   * Succeeds. A text model sends `tokens` one per `tokenDelayMs`; an image model works
   * for `processingMs`, logging a progress bar, then outputs PNG URLs. Slow processing
   * is a large `processingMs` or `tokenDelayMs`.
   */
  | {
      kind: 'succeed';
      startingMs?: number;
      processingMs?: number;
      tokens?: string[];
      tokenDelayMs?: number;
      seed?: number;
    }
  /** Fails after `afterMs` (images) or `afterTokens` tokens (text), with `error` and logs. */
  | {
      kind: 'fail';
      afterMs?: number;
      afterTokens?: number;
      error?: string;
      logs?: string;
    }
  /** Someone else cancels the prediction after `afterMs` / `afterTokens`. */
  | { kind: 'cancel-upstream'; afterMs?: number; afterTokens?: number }
  /** Creates answer `status` (default 429) with `Retry-After`, `times` times (default always). */
  | {
      kind: 'rate-limited';
      retryAfterSeconds: number;
      status?: 402 | 429;
      times?: number;
    }
  /** Creates answer 422 naming `field` (like `input.width`). */
  | { kind: 'invalid-input'; field: string; description?: string }
  /** Creates answer 201 with a body that is not a prediction. */
  | { kind: 'malformed' }
  /** Succeeds, but the output file is not an image. */
  | { kind: 'broken-file' }
  /** Succeeds, but the stream connection drops after `afterTokens` tokens. */
  | { kind: 'cut-stream'; afterTokens: number; tokenDelayMs?: number };

/** The default answer of a text model; a token with a newline is sent as two `data:` lines. */
export const DEFAULT_TOKENS = [
  'Hello',
  ' from',
  ' the',
  ' double.',
  '\n',
  'Second\nline.',
];
export const DEFAULT_ERROR = 'CUDA out of memory. Tried to allocate 20.00 MiB';
export const DEFAULT_FAILURE_LOGS =
  'Traceback (most recent call last):\n  File "predict.py", line 42, in predict\n' +
  'torch.OutOfMemoryError: CUDA out of memory.';
