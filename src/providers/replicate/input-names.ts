import type { InputFields } from './input-fields.js';

/**
 * Where to put one value: under the first candidate name the model takes, or under all of
 * them when its inputs are unknown (Replicate ignores inputs a model lacks).
 */
function inputNames(fields: InputFields, candidates: readonly string[]): string[] {
  if (fields === undefined) return [...candidates];
  const name = candidates.find((candidate) => fields.has(candidate));
  return name === undefined ? [] : [name];
}

/** Sets `value` under the names `inputNames` picks; an undefined value is left out. */
export function setInput(
  input: Record<string, unknown>,
  fields: InputFields,
  candidates: readonly string[],
  value: unknown,
): void {
  if (value === undefined) return;
  for (const name of inputNames(fields, candidates)) input[name] = value;
}
