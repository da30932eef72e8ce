import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.js';
import { formatFieldPath } from '../core/format-field-path.js';

/**
 * `payload` checked against an upstream's payload schema; otherwise an InvalidRequestError
 * naming every bad field, with the first as `param`, before anything reaches the upstream.
 */
export function parsePayload<Schema extends z.ZodType>(
  schema: Schema,
  payload: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = formatFieldPath(issue.path);
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const first = parsed.error.issues[0];
  const param =
    first === undefined || first.path.length === 0
      ? undefined
      : formatFieldPath(first.path);
  throw new InvalidRequestError(`Invalid ${what} payload: ${problems.join('; ')}`, {
    ...(param === undefined ? {} : { param }),
  });
}
