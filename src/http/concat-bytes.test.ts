import { describe, expect, it } from 'vitest';
import { concatBytes } from './concat-bytes.js';

describe('concatBytes', () => {
  it('joins chunks into one plain Uint8Array of its own', () => {
    const pooled = Buffer.from([3, 4]);
    const bytes = concatBytes([new Uint8Array([1, 2]), pooled, new Uint8Array(0)]);
    expect(bytes).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(bytes.buffer.byteLength).toBe(4);
  });

  it('returns an empty array for no chunks', () => {
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });
});
