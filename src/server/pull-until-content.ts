import { isContentPart, type QueuedPart, type StreamPart } from '../core/stream-part.js';

/**
 * Reads parts until the first that shows output (or the end). Until then nothing is sent,
 * so a request whose every provider fails early gets a real HTTP error status instead of
 * a 200 with an error inside the stream. A request that has to wait in the queue starts
 * its stream at once instead, to tell its place. Returns an iterator that replays what
 * was read.
 */
export async function pullUntilContent(
  parts: AsyncIterator<StreamPart>,
): Promise<AsyncIterator<StreamPart>> {
  const buffered: StreamPart[] = [];
  for (;;) {
    const next = await parts.next();
    if (next.done) break;
    buffered.push(next.value);
    if (isContentPart(next.value) || next.value.type === 'finish') break;
    // Waiting behind other jobs: the stream starts, so the client hears its place.
    if (isWaiting(next.value)) break;
  }
  return {
    next: () => {
      const part = buffered.shift();
      return part === undefined
        ? parts.next()
        : Promise.resolve({ done: false, value: part });
    },
    return: (value?: unknown) =>
      parts.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
  };
}

/** A `queued` part of a request that waits behind others (not one about to start). */
export function isWaiting(part: StreamPart): part is QueuedPart {
  return part.type === 'queued' && (part.position > 0 || (part.etaMs ?? 0) > 0);
}
