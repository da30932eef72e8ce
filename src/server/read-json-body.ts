import type { Context } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors.js';
import { validationError } from './validation-error.js';

/**
 * The request body parsed as JSON and checked against `schema`; a body that is not JSON,
 * or not what the schema says, is a 400 naming the problem. The size limit is enforced
 * before this by the body-limit middleware.
 */
export async function readJsonBody<T>(
  context: Context,
  schema: z.ZodType<T>,
): Promise<T> {
  const text = await context.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
