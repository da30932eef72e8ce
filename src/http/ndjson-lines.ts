import { ResponseParseError } from '../core/errors.js';

export interface ReadLinesOptions {
  /** The longest line, in bytes. Default 4 MiB. */
  maxLineBytes?: number;
}

const newline = 0x0a;

/**
 * The non-blank lines of a body (NDJSON, JSON Lines), without their `\n` or `\r\n`; a last
 * line without a newline counts. Lines are cut on bytes and decoded whole, so a character
 * split across chunks arrives intact. A line longer than `maxLineBytes` throws a
 * ResponseParseError instead of growing without bound.
 */
export async function* readLines(
  body: AsyncIterable<Uint8Array>,
  options: ReadLinesOptions = {},
): AsyncGenerator<string> {
  const maxLineBytes = options.maxLineBytes ?? 4 * 1024 * 1024;
  const decoder = new TextDecoder();
  const tooLong = () =>
    new ResponseParseError(`a line of the response is longer than ${maxLineBytes} bytes`);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  const finishLine = (tail: Uint8Array): string => {
    const size = pendingBytes + tail.length;
    if (size > maxLineBytes) throw tooLong();
    const bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail], size);
    pending = [];
    pendingBytes = 0;
    const line = decoder.decode(bytes);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };

  for await (const chunk of body) {
    let start = 0;
    for (
      let end = chunk.indexOf(newline);
      end !== -1;
      end = chunk.indexOf(newline, start)
    ) {
      const line = finishLine(chunk.subarray(start, end));
      start = end + 1;
      if (line.trim() !== '') yield line;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw tooLong();
    }
  }
  const last = finishLine(new Uint8Array(0));
  if (last.trim() !== '') yield last;
}
