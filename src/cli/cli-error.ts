/** What went wrong, for the `code` of a `--json` error line. */
export type CliErrorCode = 'invalid_argument' | 'output_failed' | 'listen_failed';

/**
 * A failure of the command itself (a bad flag value, a file it cannot write), reported
 * as one line. Usage errors exit with 2, the others with 1.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(
    message: string,
    readonly code: CliErrorCode = 'invalid_argument',
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = code === 'invalid_argument' ? 2 : 1;
  }
}
