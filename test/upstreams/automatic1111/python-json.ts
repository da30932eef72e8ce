/**
 * A value as Python's `json.dumps` writes it with its defaults: `", "` and `": "` as
 * separators, non-ASCII characters escaped, and floats with a decimal point (`7.0`) for
 * the keys named in `floatKeys`. AUTOMATIC1111's `info` string is made that way, so the
 * double's is byte for byte what a client parses.
 */
export function pythonJson(
  value: unknown,
  floatKeys: ReadonlySet<string> = new Set(),
  key = '',
): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiString(value);
  if (typeof value === 'number') {
    return floatKeys.has(key) && Number.isInteger(value) ? `${value}.0` : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) {
    return `[${value.map((item) => pythonJson(item, floatKeys, key)).join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, entry]) => entry !== undefined,
  );
  const fields = entries.map(
    ([name, entry]) => `${asciiString(name)}: ${pythonJson(entry, floatKeys, name)}`,
  );
  return `{${fields.join(', ')}}`;
}

function asciiString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
