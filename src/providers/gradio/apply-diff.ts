/** One edit of a Gradio generator diff: `[action, path, value]`. */
type Edit = [action: string, path: (string | number)[], value?: unknown];

const actions = new Set(['replace', 'append', 'add', 'delete']);

/** Keys that lead from a value to the prototypes every object shares. */
const unsafeKeys = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Whether `value` is a diff: a list of `[action, path, value]` edits, empty when the
 * value did not change.
 */
export function isDiff(value: unknown): value is Edit[] {
  return (
    Array.isArray(value) &&
    value.every(
      (edit) =>
        Array.isArray(edit) &&
        (edit.length === 2 || edit.length === 3) &&
        actions.has(edit[0]) &&
        Array.isArray(edit[1]),
    )
  );
}

/**
 * `previous` with the edits applied, as Gradio's clients do (sse_v2 and later), without
 * changing `previous`. Missing containers along a path are created, so a diff that
 * arrives first still yields its value. Throws a TypeError for an edit it cannot apply,
 * and for a path through `__proto__`, `prototype` or `constructor`: a diff comes from a
 * third-party app, and must not reach the prototypes of every object.
 */
export function applyDiff(previous: unknown, edits: readonly Edit[]): unknown {
  let result = structuredClone(previous);
  for (const [action, path, value] of edits) {
    result = applyEdit(result, path, action, value);
  }
  return result;
}

function applyEdit(
  target: unknown,
  path: readonly (string | number)[],
  action: string,
  value: unknown,
): unknown {
  const [key, ...rest] = path;
  if (key === undefined) {
    if (action === 'replace') return value;
    if (action === 'append') return `${target ?? ''}${String(value)}`;
    throw new TypeError(`cannot ${action} the whole value`);
  }
  if (typeof key === 'string' && unsafeKeys.has(key)) {
    throw new TypeError(`refusing the diff path key "${key}"`);
  }
  const container = containerFor(target, key);
  const slot = container as Record<string | number, unknown>;
  // Only the value's own properties: an inherited one (`toString`) is no part of it.
  const own = Object.hasOwn(container, key) ? slot[key] : undefined;
  if (rest.length > 0) {
    slot[key] = applyEdit(own, rest, action, value);
    return container;
  }
  switch (action) {
    case 'replace':
      slot[key] = value;
      break;
    case 'append':
      slot[key] = `${own ?? ''}${String(value)}`;
      break;
    case 'add':
      if (Array.isArray(container)) container.splice(Number(key), 0, value);
      else slot[key] = value;
      break;
    case 'delete':
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete slot[key];
      break;
    default:
      throw new TypeError(`unknown diff action "${action}"`);
  }
  return container;
}

function containerFor(target: unknown, key: string | number): object {
  if (typeof target === 'object' && target !== null) return target;
  return typeof key === 'number' ? [] : {};
}
