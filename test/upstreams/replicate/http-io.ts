import type { IncomingMessage, ServerResponse } from 'node:http';

/** What every handler gets for one request. */
export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  /** The API's origin, e.g. `http://127.0.0.1:54321`. */
  origin: string;
  /**
   * Where streams and output files are served: a second port, as Replicate serves them
   * from other hosts (stream.replicate.com, replicate.delivery) that need no token.
   */
  filesOrigin: string;
  /** Which of the two servers received the request. */
  server: 'api' | 'files';
  /** Aborted by `close()` or when the client goes away, so waits end. */
  signal: AbortSignal;
}

export function sendJson(
  context: RequestContext,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  context.response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  context.response.end(json);
}

/** Replicate's errors are problem details: `{title?, detail, status}`. */
export function sendProblem(
  context: RequestContext,
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(
    context,
    status,
    { detail, status, ...extra },
    { ...headers, 'content-type': 'application/problem+json' },
  );
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
