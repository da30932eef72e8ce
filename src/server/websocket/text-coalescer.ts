import type { WireResponse } from '../../core/websocket-server-message.js';

type TextResponse = Extract<WireResponse, { gen_status: 'text' }>;

/**
 * Sends one job's responses, joining the text deltas that arrive in the same turn of the
 * event loop into one message: each repeats the whole header, and a replay or a fast
 * upstream brings many tiny deltas at once. A held delta goes out at the end of the turn,
 * or before the job's next other response, so nothing is reordered.
 */
export class TextCoalescer {
  private pending: TextResponse | undefined;
  private timer: NodeJS.Immediate | undefined;
  private open = true;

  /** `send` answers false when the connection can take no more. */
  constructor(private readonly send: (message: WireResponse) => boolean) {}

  /** False once the connection can take no more. */
  push(message: WireResponse): boolean {
    if (message.gen_status !== 'text') return this.flush() && this.deliver(message);
    const { pending } = this;
    if (pending !== undefined && pending.reasoning === message.reasoning) {
      this.pending = { ...pending, delta: pending.delta + message.delta };
      return this.open;
    }
    if (!this.flush()) return false;
    this.pending = message;
    this.timer = setImmediate(() => this.flush());
    return this.open;
  }

  /** Sends the held delta, if any; false once the connection can take no more. */
  flush(): boolean {
    clearImmediate(this.timer);
    const { pending } = this;
    this.pending = undefined;
    return pending === undefined ? this.open : this.deliver(pending);
  }

  /** Drops the held delta: the job is no longer followed. */
  discard(): void {
    clearImmediate(this.timer);
    this.pending = undefined;
  }

  private deliver(message: WireResponse): boolean {
    this.open = this.open && this.send(message);
    return this.open;
  }
}
