import { loadConfig } from '../config/load-config.js';
import { createRuntime, type Runtime } from '../runtime/create-runtime.js';
import type { CliIo } from './cli-io.js';

/**
 * How much a command logs. The server logs at the configured level; a one-shot command
 * reports its own progress and errors, so it stays quiet unless the configuration asks
 * for `debug` while someone troubleshoots.
 */
export type LogPurpose = 'server' | 'command';

/** Loads the configuration (`--config`, else the usual places), builds a runtime, runs. */
export async function withRuntime<Result>(
  options: { config?: string | undefined; purpose: LogPurpose },
  io: CliIo,
  run: (runtime: Runtime) => Promise<Result>,
): Promise<Result> {
  const config = await loadConfig({ path: options.config, env: io.env, cwd: io.cwd });
  const { level } = config.log;
  const logger = io.createLogger(
    options.purpose === 'server' || level === 'debug' ? level : 'silent',
  );
  const runtime = createRuntime(config, { logger, env: io.env });
  try {
    return await run(runtime);
  } finally {
    // Idle keep-alive connections would otherwise hold the process open for a while.
    await runtime.close();
  }
}
