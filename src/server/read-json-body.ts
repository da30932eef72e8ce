import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError, PayloadTooLargeError } from '../core/errors.js';
import { nodeBindings } from './request-signal.js';
import { validationError } from './validation-error.js';

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `The body is larger than the limit of ${limit} bytes (server.maxBodyBytes)`,
  );
}

/**
 * The body straight from Node's stream, stopping at `limit` bytes: building a web Request
 * only to read it would cost more than the rest of a proxied call.
 */
async function readIncoming(incoming: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(incoming.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

async function readText(context: Context, limit: number): Promise<string> {
  const { incoming } = nodeBindings(context);
  if (incoming !== undefined) return readIncoming(incoming, limit);
  const text = await context.req.text();
  if (Buffer.byteLength(text) > limit) throw tooLarge(limit);
  return text;
}

/**
 * The request body parsed as JSON and checked against `schema`: a body over the limit is
 * a 413, one that is not JSON or not what the schema says a 400 naming the problem.
 */
export async function readJsonBody<T>(
  context: Context,
  schema: z.ZodType<T>,
  limit: number,
): Promise<T> {
  const text = await readText(context, limit);
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
