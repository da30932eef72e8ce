import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.js';

/** A path as clients write it: `messages[0].content`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

/** A 400 naming every bad field; `param` is the first of them. */
export function validationError(error: z.ZodError): InvalidRequestError {
  const problems = error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const first = error.issues[0];
  const param =
    first === undefined || first.path.length === 0 ? undefined : formatPath(first.path);
  return new InvalidRequestError(`Invalid request: ${problems.join('; ')}`, {
    ...(param === undefined ? {} : { param }),
  });
}
