import type { ErrorPart, StreamPart } from '../core/stream-part.js';

/**
 * Tells people when the router moves on to another provider. A failed attempt is only
 * mentioned once the next attempt starts: when it was the last one, the command's own
 * error line already says everything, and saying it twice would be noise.
 */
export function createFallbackNotice(): (part: StreamPart) => string | undefined {
  let failed: ErrorPart | undefined;
  return (part) => {
    if (part.type === 'error' && !part.fatal) {
      failed = part;
      return undefined;
    }
    if (part.type !== 'provider' || failed === undefined) return undefined;
    const notice = `${failed.provider ?? 'a provider'} failed (${failed.code}): ${failed.message}; trying ${part.provider}`;
    failed = undefined;
    return notice;
  };
}
