import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.js';
import { formatFieldPath } from '../core/format-field-path.js';

/**
 * A 400 naming every bad field; `param` is the first of them. `within` is where the checked
 * value sits in the request (`['payload']`), so the names are the request's own.
 */
export function validationError(
  error: z.ZodError,
  within: readonly PropertyKey[] = [],
): InvalidRequestError {
  const issues = error.issues.map((issue) => ({
    message: issue.message,
    path: [...within, ...issue.path],
  }));
  const problems = issues.map((issue) => {
    const path = formatFieldPath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const first = issues[0];
  const param =
    first === undefined || first.path.length === 0
      ? undefined
      : formatFieldPath(first.path);
  return new InvalidRequestError(`Invalid request: ${problems.join('; ')}`, {
    ...(param === undefined ? {} : { param }),
  });
}
