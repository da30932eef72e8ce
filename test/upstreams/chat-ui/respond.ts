import type { IncomingMessage, ServerResponse } from 'node:http';

/** One request to the double, with its whole body. */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  /** Without the chat-ui root and the query, e.g. `/conversation/abc`. */
  path: string;
  body: Buffer;
}

export function sendJson(
  exchange: Exchange,
  status: number,
  json: string,
  headers: Record<string, string> = {},
): void {
  exchange.response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  exchange.response.end(json);
}

/** SvelteKit's `error(status, message)` as a non-HTML client sees it. */
export function sendError(exchange: Exchange, status: number, message: string): void {
  sendJson(exchange, status, JSON.stringify({ message }));
}

/**
 * chat-ui's request hook refusing a request: JSON `{error}` when the client sends or
 * accepts JSON, plain text otherwise.
 */
export function sendHookError(exchange: Exchange, status: number, message: string): void {
  const { accept = '', 'content-type': type = '' } = exchange.request.headers;
  const json = accept.includes('application/json') || type.includes('application/json');
  const body = json ? JSON.stringify({ error: message }) : message;
  exchange.response.writeHead(status, {
    'content-type': json ? 'application/json' : 'text/plain',
    'content-length': Buffer.byteLength(body),
  });
  exchange.response.end(body);
}
