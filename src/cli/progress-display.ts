import type { StreamPart } from '../core/stream-part.js';
import type { OutputStream } from './cli-io.js';
import { progressStatus } from './progress-status.js';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const frameIntervalMs = 100;
const clearLine = '\r\u001b[2K';

/**
 * Shows how far a generation is on one output (stderr). On a terminal one line is redrawn
 * in place with a spinner; elsewhere (a log file, CI) each new status is its own line,
 * without escape codes, and percents move in tens so the log stays short.
 */
export class ProgressDisplay {
  private status: string | undefined;
  private printed: string | undefined;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly interactive: boolean;

  constructor(private readonly output: OutputStream) {
    this.interactive = output.isTTY === true;
  }

  /** Takes the status from a provider, queued or progress part; ignores other parts. */
  update(part: StreamPart): void {
    const status = progressStatus(part, {
      bar: this.interactive,
      percentStep: this.interactive ? 1 : 10,
    });
    if (status === undefined) return;
    this.status = status;
    if (!this.interactive) {
      if (status !== this.printed) this.output.write(`${status}\n`);
      this.printed = status;
      return;
    }
    // The timer only animates the spinner; it must not keep the process alive.
    this.timer ??= setInterval(() => this.draw(), frameIntervalMs).unref();
    this.draw();
  }

  /**
   * Writes a line of its own, to this output or another one on the same terminal
   * (stdout), keeping the status line below it.
   */
  note(line: string, output: OutputStream = this.output): void {
    this.erase();
    output.write(`${line}\n`);
    if (this.timer !== undefined) this.draw();
  }

  /** Removes the status line for good, before other output goes to the same terminal. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.erase();
  }

  private draw(): void {
    if (this.status === undefined) return;
    const frame = frames[this.frame++ % frames.length];
    const line = `${frame} ${this.status}`;
    // A line wider than the terminal wraps, and `\r` would then redraw only its tail.
    const width = (this.output.columns ?? 80) - 1;
    this.output.write(`${clearLine}${line.length > width ? line.slice(0, width) : line}`);
  }

  private erase(): void {
    if (this.interactive && this.status !== undefined) this.output.write(clearLine);
  }
}
