import { randomBytes } from 'node:crypto';
import type { DoubleModel } from './double-models.js';
import { type PredictionPlan, planPrediction } from './prediction-plan.js';
import {
  DEFAULT_ERROR,
  DEFAULT_FAILURE_LOGS,
  type ReplicateScenario,
} from './scenario.js';

/** A prediction's state at one moment, as the API shows it. */
export interface PredictionState {
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  /** Text models: the tokens produced so far. */
  tokens: string[];
  logs: string;
  error: string | null;
}

/**
 * One prediction, whose state is a function of the time since it was created (so no
 * timers run in the background), plus a cancel that can end it early.
 */
export class DoublePrediction {
  readonly id = randomBytes(13).toString('hex').slice(0, 26);
  readonly createdAt = Date.now();
  readonly plan: PredictionPlan;
  canceledAt: number | undefined;
  /** When the stream sent each token, and when it ended; for timing assertions. */
  readonly tokenSentAt: number[] = [];
  streamEndedAt: number | undefined;
  private readonly wakers = new Set<() => void>();

  constructor(
    readonly model: DoubleModel,
    readonly input: Record<string, unknown>,
    readonly scenario: ReplicateScenario,
    /** Created by version (else by official model name, which shows `version: hidden`). */
    readonly byVersion: boolean,
  ) {
    this.plan = planPrediction(model, scenario, input);
  }

  stateAt(now = Date.now()): PredictionState {
    const { plan } = this;
    const elapsed = now - this.createdAt;
    const canceled =
      this.canceledAt === undefined ? undefined : this.canceledAt - this.createdAt;
    const until = canceled === undefined ? elapsed : Math.min(elapsed, canceled);
    const tokens = plan.tokens.filter(
      (_, index) => (plan.tokenTimes[index] ?? 0) <= until,
    );
    const logs = this.logsAt(until);
    if (canceled !== undefined && canceled < plan.endMs) {
      return { status: 'canceled', tokens, logs, error: null };
    }
    if (elapsed < plan.startingMs)
      return { status: 'starting', tokens, logs, error: null };
    if (elapsed < plan.endMs) return { status: 'processing', tokens, logs, error: null };
    if (plan.terminal !== 'failed')
      return { status: plan.terminal, tokens, logs, error: null };
    const failure = this.scenario.kind === 'fail' ? this.scenario : undefined;
    const failureLogs = failure?.logs ?? DEFAULT_FAILURE_LOGS;
    return {
      status: 'failed',
      tokens,
      logs: logs === '' ? failureLogs : `${logs}\n${failureLogs}`,
      error: failure?.error ?? DEFAULT_ERROR,
    };
  }

  /** Milliseconds until the state next changes on its own, or undefined once ended. */
  msUntilChange(now = Date.now()): number | undefined {
    if (this.isTerminal(now)) return undefined;
    const elapsed = now - this.createdAt;
    const next = [this.plan.startingMs, ...this.plan.tokenTimes, this.plan.endMs].find(
      (time) => time > elapsed,
    );
    return next === undefined ? 0 : next - elapsed;
  }

  isTerminal(now = Date.now()): boolean {
    return !['starting', 'processing'].includes(this.stateAt(now).status);
  }

  /** Cancels it unless it has ended; wakes everyone waiting on it. */
  cancel(): void {
    if (this.isTerminal()) return;
    this.canceledAt = Date.now();
    for (const wake of this.wakers) wake();
  }

  /** Waits `ms`, or less when it is canceled or `signal` aborts. */
  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakers.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Image models log a seed and a tqdm progress bar, as Cog's diffusion models do. */
  private logsAt(until: number): string {
    if (this.model.kind !== 'image' || until < this.plan.startingMs) return '';
    const { steps, startingMs, endMs } = this.plan;
    const fraction = Math.min(1, (until - startingMs) / Math.max(1, endMs - startingMs));
    const done = Math.floor(fraction * steps);
    const lines = [`Using seed: ${this.plan.seed}`];
    for (let step = 0; step <= done; step++) lines.push(progressBar(step, steps));
    return `${lines.join('\n')}\n`;
  }
}

function progressBar(step: number, steps: number): string {
  const percent = Math.floor((step / steps) * 100);
  const filled = Math.round((step / steps) * 10);
  const bar = `${'█'.repeat(filled)}${' '.repeat(10 - filled)}`;
  const rate = step === 0 ? '?it/s' : '9.84it/s';
  return `${String(percent).padStart(3)}%|${bar}| ${step}/${steps} [00:00<00:00, ${rate}]`;
}
