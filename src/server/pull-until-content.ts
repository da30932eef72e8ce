import { isContentPart, type StreamPart } from '../core/stream-part.js';

/**
 * Reads parts until the first that shows output (or the end). Until then nothing is sent,
 * so a request whose every provider fails early gets a real HTTP error status instead of
 * a 200 with an error inside the stream. Returns an iterator that replays what was read.
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
