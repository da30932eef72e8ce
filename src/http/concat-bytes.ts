/**
 * The chunks as one plain Uint8Array (not a Buffer, whose memory may be a slice of
 * Node's shared pool, and which compares differently).
 */
export function concatBytes(
  parts: readonly Uint8Array[],
  size = parts.reduce((total, part) => total + part.length, 0),
): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
