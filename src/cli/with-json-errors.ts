import type { CliIo } from './cli-io.js';
import { describeFailure } from './describe-failure.js';

/**
 * Runs a command; with `--json`, a failure also ends stdout with a fatal `error` line, so
 * a script reading only stdout sees why the stream stopped. The error is then rethrown
 * for the stderr line and the exit code.
 */
export async function withJsonErrors(
  io: CliIo,
  json: boolean | undefined,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (json === true)
      io.stdout.write(`${JSON.stringify(describeFailure(error).part)}\n`);
    throw error;
  }
}
