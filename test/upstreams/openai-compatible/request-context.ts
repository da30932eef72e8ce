import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ErrorReply } from './openai-errors.js';

export type JsonObject = Record<string, unknown>;

/** What every endpoint handler gets for one request. */
export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  /** Increments per request; makes ids, file names and `x-request-id` unique. */
  sequence: number;
  /** e.g. `http://127.0.0.1:54321`, for URLs that point back at the double. */
  origin: string;
  /** Aborted by `close()`, so delayed answers stop instead of keeping tests alive. */
  signal: AbortSignal;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Headers OpenAI sends with every API answer. */
export function openAIHeaders(context: RequestContext): Record<string, string> {
  return {
    'openai-version': '2020-10-01',
    'openai-processing-ms': '1',
    'x-request-id': `req_${context.sequence}`,
  };
}

export function sendJson(
  context: RequestContext,
  status: number,
  json: string,
  headers: Record<string, string> = {},
): void {
  context.response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...openAIHeaders(context),
    ...headers,
  });
  context.response.end(json);
}

export function sendError(context: RequestContext, reply: ErrorReply): void {
  sendJson(context, reply.status, JSON.stringify({ error: reply.error }), reply.headers);
}

/** Waits, then throws if the client left meanwhile so the handler stops writing. */
export async function pause(
  context: RequestContext,
  milliseconds: number,
): Promise<void> {
  if (milliseconds <= 0) return;
  await sleep(milliseconds, undefined, { signal: context.signal });
  if (context.response.destroyed) throw new Error('The client closed the connection.');
}
