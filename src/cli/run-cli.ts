import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { createProgram } from './create-program.js';
import { describeFailure } from './describe-failure.js';

/** Exit status for a command line commander rejected (an unknown flag, a bad value). */
const usageExitCode = 2;

/**
 * Runs one command line (without `node` and the script) and resolves to the exit code.
 * Every failure becomes one `genrelay: …` message on stderr; nothing is thrown.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has printed its message already; help and --version end with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : usageExitCode;
    const failure = describeFailure(error);
    io.stderr.write(`genrelay: ${failure.message}\n`);
    return failure.exitCode;
  }
}
