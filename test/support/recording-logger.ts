import type { Logger } from '../../src/core/logger.js';

/** A logger that keeps its warnings' messages, to check what the code complained about. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  return {
    warnings,
    debug: ignore,
    info: ignore,
    warn: (_object, message) => void warnings.push(message ?? ''),
    error: ignore,
  };
}
