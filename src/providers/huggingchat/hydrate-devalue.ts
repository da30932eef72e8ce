/**
 * Rebuilds a value from SvelteKit's devalue format: a flat array where `[0]` is the root
 * and every value inside an object or array is an index into the same array. Negative
 * indices are special values; an array starting with a string is a typed value
 * (`["Date", iso]`, `["Set", …]`, `["Map", k, v, …]`, …). Dates stay ISO strings, Maps
 * become objects: the result only has to be read, not re-encoded. Shared and circular
 * references are kept. Throws an Error naming the first index that does not fit.
 */
export function hydrateDevalue(flat: readonly unknown[]): unknown {
  const done = new Map<number, unknown>();

  const specials: Record<number, unknown> = {
    [-1]: undefined,
    [-2]: undefined,
    [-3]: Number.NaN,
    [-4]: Number.POSITIVE_INFINITY,
    [-5]: Number.NEGATIVE_INFINITY,
    [-6]: -0,
  };

  function index(value: unknown, at: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new Error(`${at} is not an index`);
    }
    return value;
  }

  function hydrate(position: number): unknown {
    if (position < 0) {
      if (!(position in specials)) throw new Error(`unknown special value ${position}`);
      return specials[position];
    }
    if (position >= flat.length) throw new Error(`index ${position} is out of range`);
    if (done.has(position)) return done.get(position);
    const value = flat[position];
    if (typeof value !== 'object' || value === null) {
      done.set(position, value);
      return value;
    }
    if (Array.isArray(value)) {
      return typeof value[0] === 'string'
        ? typed(position, value as [string, ...unknown[]])
        : list(position, value);
    }
    const object: Record<string, unknown> = {};
    done.set(position, object);
    for (const [key, child] of Object.entries(value)) {
      object[key] = hydrate(index(child, `[${position}].${key}`));
    }
    return object;
  }

  function list(position: number, entries: readonly unknown[]): unknown[] {
    const array: unknown[] = [];
    done.set(position, array);
    entries.forEach((child, at) => {
      array.push(hydrate(index(child, `[${position}][${at}]`)));
    });
    return array;
  }

  function typed(position: number, [tag, ...rest]: [string, ...unknown[]]): unknown {
    switch (tag) {
      case 'Set':
        return list(position, rest);
      case 'Map':
        return pairs(position, rest, (key) => String(hydrate(index(key, 'a Map key'))));
      case 'null':
        return pairs(position, rest, String);
      case 'Object':
        return remember(position, hydrate(index(rest[0], `[${position}] box`)));
      case 'RegExp':
        return remember(position, `/${String(rest[0])}/${String(rest[1] ?? '')}`);
      default:
        // Dates, big integers, URLs and Temporal values carry their text; binary data is
        // of no use here and is skipped rather than decoded.
        return remember(position, typeof rest[0] === 'string' ? rest[0] : undefined);
    }
  }

  /** Maps and null-prototype objects: key, value index, key, value index, … */
  function pairs(
    position: number,
    entries: readonly unknown[],
    keyOf: (key: unknown) => string,
  ): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    done.set(position, object);
    for (let at = 0; at + 1 < entries.length; at += 2) {
      object[keyOf(entries[at])] = hydrate(index(entries[at + 1], `[${position}] value`));
    }
    return object;
  }

  function remember(position: number, value: unknown): unknown {
    done.set(position, value);
    return value;
  }

  if (flat.length === 0) throw new Error('the data is empty');
  return hydrate(0);
}
