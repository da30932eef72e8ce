/**
 * The web UI's one global `shared.state`: what the single running job is doing. Progress
 * answers are computed from it exactly as `progressapi` does.
 */
export class WebuiState {
  job = '';
  jobCount = 0;
  jobNo = 0;
  jobTimestamp = '0';
  samplingStep = 0;
  samplingSteps = 0;
  interrupted = false;
  skipped = false;
  currentImage: Uint8Array | undefined;
  currentTask: string | null = null;
  private timeStart = 0;
  /** Wakes the running job early: an interrupt, or a poll in advance-on-poll mode. */
  private wake: (() => void) | undefined;

  /** @param reportsCurrentTask false: `current_task` is always null (see the double). */
  constructor(private readonly reportsCurrentTask = true) {}

  begin(job: string, jobCount: number, task: string): void {
    Object.assign(this, {
      job,
      jobCount,
      jobNo: 0,
      samplingStep: 0,
      samplingSteps: 0,
      interrupted: false,
      skipped: false,
      currentImage: undefined,
      currentTask: task,
      jobTimestamp: new Date().toISOString().replace(/\D/g, '').slice(0, 14),
    });
    this.timeStart = Date.now();
  }

  end(): void {
    this.job = '';
    this.jobCount = 0;
    this.currentTask = null;
  }

  interrupt(): void {
    this.interrupted = true;
    this.wakeUp();
  }

  /** Resolves after `ms`, or at once when woken; `ms` undefined waits to be woken. */
  pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.wake = undefined;
        resolve();
      };
      const onAbort = () => {
        clearTimeout(timer);
        this.wake = undefined;
        reject(new Error('the double went down'));
      };
      const timer = ms === undefined ? undefined : setTimeout(finish, ms);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.wake = finish;
    });
  }

  wakeUp(): void {
    this.wake?.();
  }

  dict() {
    return {
      skipped: this.skipped,
      interrupted: this.interrupted,
      stopping_generation: false,
      job: this.job,
      job_count: this.jobCount,
      job_timestamp: this.jobTimestamp,
      job_no: this.jobNo,
      sampling_step: this.samplingStep,
      sampling_steps: this.samplingSteps,
    };
  }

  /** `GET /sdapi/v1/progress`, from `progressapi`. */
  progress(skipCurrentImage: boolean) {
    const idle = {
      progress: 0,
      eta_relative: 0,
      state: this.dict(),
      current_image: null,
      textinfo: null,
      current_task: this.reportsCurrentTask ? this.currentTask : null,
    };
    if (this.jobCount === 0) return idle;
    let progress = 0.01 + this.jobNo / this.jobCount;
    if (this.samplingSteps > 0) {
      progress += ((1 / this.jobCount) * this.samplingStep) / this.samplingSteps;
    }
    const sinceStart = (Date.now() - this.timeStart) / 1000;
    const etaRelative = sinceStart / progress - sinceStart;
    const image =
      this.currentImage === undefined || skipCurrentImage
        ? null
        : Buffer.from(this.currentImage).toString('base64');
    return {
      ...idle,
      progress: Math.min(progress, 1),
      eta_relative: etaRelative,
      current_image: image,
    };
  }
}
