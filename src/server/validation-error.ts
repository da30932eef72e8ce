import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.js';
import { formatFieldPath } from '../core/format-field-path.js';

/** A 400 naming every bad field; `param` is the first of them. */
export function validationError(error: z.ZodError): InvalidRequestError {
  const problems = error.issues.map((issue) => {
    const path = formatFieldPath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const first = error.issues[0];
  const param =
    first === undefined || first.path.length === 0
      ? undefined
      : formatFieldPath(first.path);
  return new InvalidRequestError(`Invalid request: ${problems.join('; ')}`, {
    ...(param === undefined ? {} : { param }),
  });
}
