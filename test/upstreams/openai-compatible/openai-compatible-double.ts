import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenAIDoubleBehaviour } from './behaviour.js';
import { ModelCatalogue } from './models.js';
import type { FlaggedWords } from './moderations.js';
import { serverError } from './openai-errors.js';
import { type RequestContext, sendError } from './request-context.js';
import { type ParsedBody, routeRequest } from './route-request.js';

export type { OpenAIDoubleBehaviour } from './behaviour.js';
export type { FlaggedWords } from './moderations.js';

/** One request as the double received it. */
export interface RecordedRequest {
  method: string;
  /** Without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

/** A running OpenAI-compatible server on loopback. */
export interface OpenAIDouble {
  /** e.g. `http://127.0.0.1:54321/v1` */
  baseUrl: string;
  /** Every request in arrival order (empty when started with `record: false`). */
  requests: RecordedRequest[];
  /** The behaviour of every model without its own; may be reassigned at any time. */
  behaviour: OpenAIDoubleBehaviour;
  setBehaviour(model: string, behaviour: OpenAIDoubleBehaviour): void;
  /** What `POST /v1/moderations` flags; may be reassigned at any time. */
  flaggedWords: FlaggedWords;
  /** Stops the server, ending hanging requests and open sockets. */
  close(): Promise<void>;
}

export interface OpenAIDoubleOptions {
  /** Default `['double-chat', 'double-image']`. */
  models?: string[];
  /** Default `{ kind: 'normal' }`. */
  behaviour?: OpenAIDoubleBehaviour;
  /** Moderation inputs containing a word get its categories. Default: nothing flagged. */
  flaggedWords?: FlaggedWords;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Default true; benchmarks turn it off so memory stays flat. */
  record?: boolean;
}

export async function startOpenAIDouble(
  options: OpenAIDoubleOptions = {},
): Promise<OpenAIDouble> {
  const catalogue = new ModelCatalogue(options.models ?? ['double-chat', 'double-image']);
  const behaviours = new Map<string, OpenAIDoubleBehaviour>();
  const closing = new AbortController();
  const record = options.record ?? true;
  let sequence = 0;
  let origin = '';

  const settings = {
    apiKey: options.apiKey,
    catalogue,
    behaviourFor: (model: string) => behaviours.get(model) ?? double.behaviour,
    flaggedWords: () => double.flaggedWords,
  };

  const server = createServer((request, response) => {
    const context = {
      request,
      response,
      sequence: ++sequence,
      origin,
      signal: closing.signal,
    };
    readBody(request, (raw) => {
      const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
      const body = parseBody(raw);
      if (record) {
        const recorded = body.ok ? body.value : raw || undefined;
        const method = request.method ?? 'GET';
        double.requests.push({ method, path, headers: request.headers, body: recorded });
      }
      routeRequest(context, path, body, settings).catch((error: unknown) =>
        failUnexpectedly(context, error),
      );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const double: OpenAIDouble = {
    baseUrl: `${origin}/v1`,
    requests: [],
    behaviour: options.behaviour ?? { kind: 'normal' },
    setBehaviour: (model, behaviour) => void behaviours.set(model, behaviour),
    flaggedWords: options.flaggedWords ?? {},
    close: async () => {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return double;
}

function readBody(request: IncomingMessage, onBody: (raw: string) => void): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => onBody(Buffer.concat(chunks).toString('utf8')));
}

function parseBody(raw: string): ParsedBody {
  if (raw === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

/** A bug in the double shows up as a 500 envelope naming it, not as a hung test. */
function failUnexpectedly(context: RequestContext, error: unknown): void {
  const response: ServerResponse = context.response;
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  sendError(context, serverError(500, `The double failed: ${String(error)}`));
}
