import { createLogger } from '../runtime/create-logger.js';
import type { CliIo } from './cli-io.js';

/** Exit status of a process ended by Ctrl-C (128 + SIGINT). */
const interruptedExitCode = 130;

/** The real process: its streams, environment, folder and signals. */
export function processIo(): CliIo {
  // `genrelay chat … | head -1` closes the pipe early; that is not an error worth a trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    onInterrupt(listener) {
      let interrupted = false;
      const handle = () => {
        // A second Ctrl-C means the graceful path takes too long for the user.
        if (interrupted) process.exit(interruptedExitCode);
        interrupted = true;
        listener();
      };
      process.on('SIGINT', handle);
      process.on('SIGTERM', handle);
      return () => {
        process.off('SIGINT', handle);
        process.off('SIGTERM', handle);
      };
    },
    createLogger,
  };
}
