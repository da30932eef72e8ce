import { describe, expect, it } from 'vitest';
import { ResponseParseError } from '../core/errors.js';
import { readLines } from './ndjson-lines.js';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts)
    yield typeof part === 'string' ? new TextEncoder().encode(part) : part;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

describe('readLines', () => {
  it('yields the non-blank lines, with \\n or \\r\\n, and a last line without newline', async () => {
    const lines = await collect(
      readLines(chunks('{"a":1}\r\n\n  \n{"b"', ':2}\n{"c":3}')),
    );
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps a character whose bytes are split across chunks', async () => {
    const bytes = new TextEncoder().encode('{"text":"🎉"}\n');
    // The emoji starts at byte 9; cut after its second byte.
    const lines = await collect(
      readLines(chunks(bytes.subarray(0, 11), bytes.subarray(11))),
    );
    expect(lines).toEqual(['{"text":"🎉"}']);
  });

  it('throws a ResponseParseError when a line outgrows the bound, even unfinished', async () => {
    async function* endless() {
      for (;;) yield new TextEncoder().encode('x'.repeat(100));
    }
    const reading = collect(readLines(endless(), { maxLineBytes: 1_000 }));
    await expect(reading).rejects.toBeInstanceOf(ResponseParseError);
    await expect(reading).rejects.toThrow(/longer than 1000 bytes/);
  });

  it('throws when one finished line in a single chunk is over the bound', async () => {
    const reading = collect(
      readLines(chunks(`${'x'.repeat(20)}\nok\n`), { maxLineBytes: 10 }),
    );
    await expect(reading).rejects.toBeInstanceOf(ResponseParseError);
  });

  it('allows many lines that each fit the bound', async () => {
    const lines = await collect(
      readLines(chunks('12345678\n'.repeat(50)), { maxLineBytes: 10 }),
    );
    expect(lines).toHaveLength(50);
  });
});
