import { pino } from 'pino';
import type { Logger } from '../core/logger.js';

/** JSON lines on stderr, so stdout stays free for command output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'genrelay' } }, pino.destination(2));
}
