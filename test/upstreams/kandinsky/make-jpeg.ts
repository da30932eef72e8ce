/**
 * A valid baseline JPEG of one grey level, of any size, built without an encoder: every
 * 8×8 block is flat, so each holds only a DC coefficient, and after the first block the
 * DC difference is zero. Two one-symbol-per-length Huffman tables then suffice. Decoders
 * (libjpeg, browsers, ImageMagick) read it as a uniform grey image.
 */
export function makeJpeg(width: number, height: number, level = 128): Uint8Array {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 65_535) {
      throw new RangeError(`JPEG ${name} must be 1 to 65535, got ${value}`);
    }
  }
  if (!Number.isInteger(level) || level < 0 || level > 255) {
    throw new RangeError(`JPEG grey level must be 0 to 255, got ${level}`);
  }
  // With a quantiser of 1 the DC coefficient of a flat block is 8 × (level − 128).
  const dc = 8 * (level - 128);
  const category = dc === 0 ? 0 : Math.floor(Math.log2(Math.abs(dc))) + 1;
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = new BitWriter();
  for (let block = 0; block < blocks; block++) {
    if (block === 0 && category > 0) {
      bits.write(0b10, 2); // DC symbol `category`
      bits.write(dc > 0 ? dc : dc + (1 << category) - 1, category);
    } else {
      bits.write(0, 1); // DC symbol 0: no change
    }
    bits.write(0, 1); // AC: end of block
  }
  return Uint8Array.from([
    ...[0xff, 0xd8], // SOI
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT: all ones
    ...segment(0xc0, [8, ...u16(height), ...u16(width), 1, 1, 0x11, 0]), // SOF0, grey
    ...segment(0xc4, huffmanTable(0x00, category === 0 ? [0] : [0, category])), // DC
    ...segment(0xc4, huffmanTable(0x10, [0x00])), // AC: only end of block
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    ...bits.finish(),
    ...[0xff, 0xd9], // EOI
  ]);
}

/** A DHT table giving its symbols codes of length 1, 2, …: `0`, `10`, … */
function huffmanTable(classAndId: number, symbols: number[]): number[] {
  const counts = new Array<number>(16).fill(0);
  symbols.forEach((_symbol, index) => {
    counts[index] = 1;
  });
  return [classAndId, ...counts, ...symbols];
}

function segment(marker: number, body: number[]): number[] {
  return [0xff, marker, ...u16(body.length + 2), ...body];
}

function u16(value: number): number[] {
  return [value >> 8, value & 0xff];
}

/** Entropy-coded bytes: most significant bit first, 0xFF stuffed, padded with ones. */
class BitWriter {
  private readonly bytes: number[] = [];
  private current = 0;
  private used = 0;

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.current = (this.current << 1) | ((value >> bit) & 1);
      if (++this.used === 8) this.flush();
    }
  }

  finish(): number[] {
    if (this.used > 0) this.write(0xff, 8 - this.used);
    return this.bytes;
  }

  private flush(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00);
    this.current = 0;
    this.used = 0;
  }
}
