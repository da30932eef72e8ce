import { type ChildProcess, spawn } from 'node:child_process';

export interface StartedProcess {
  /** The first capture group of the line that said the process was ready. */
  ready: string;
  stop(): Promise<void>;
}

/** Spawns a process and waits (at most `timeoutMs`) for a stdout line matching `pattern`. */
export function startProcess(
  command: string,
  args: string[],
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<StartedProcess> {
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`${command} ${args.join(' ')} was not ready within ${timeoutMs} ms`),
      );
    }, timeoutMs);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ ready: match[1] ?? '', stop });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready`));
    });
  });
}
