import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DoubleModel, defaultModels } from './double-models.js';
import type { DoublePrediction } from './double-prediction.js';
import { readBody, sendProblem } from './http-io.js';
import { routeRequest } from './route-request.js';
import type { ReplicateScenario } from './scenario.js';

export type { ReplicateScenario } from './scenario.js';

/** One request as the double received it. */
export interface RecordedRequest {
  /** The API port, or the port serving streams and output files. */
  server: 'api' | 'files';
  method: string;
  /** Without the query string, e.g. `/v1/predictions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  at: number;
}

/** A running double of Replicate's predictions API on loopback. */
export interface ReplicateDouble {
  /** e.g. `http://127.0.0.1:54321/v1`, the `baseUrl` for clients. */
  baseUrl: string;
  /** The origin of streams and output files (another port, like Replicate's hosts). */
  filesOrigin: string;
  /** The token it accepts (`Bearer` or `Token`). */
  token: string;
  requests: RecordedRequest[];
  /** Every prediction created, by id. */
  predictions: Map<string, DoublePrediction>;
  /** The scenario of every model without its own; may be reassigned at any time. */
  scenario: ReplicateScenario;
  setScenario(model: string, scenario: ReplicateScenario): void;
  /** Back to the starting scenario for every model, with no requests recorded. */
  reset(): void;
  /** Resolves with the first request matching, waiting up to `timeoutMs` for it. */
  waitForRequest(
    matches: (request: RecordedRequest) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedRequest>;
  /** Stops the server, ending held requests and open streams. */
  close(): Promise<void>;
}

export interface ReplicateDoubleOptions {
  /** Default `r8_double_token`. */
  token?: string;
  /** Default: the seed's models and a few more (see double-models.ts). */
  models?: readonly DoubleModel[];
  /** Default `{ kind: 'succeed' }`. */
  scenario?: ReplicateScenario;
}

export async function startReplicateDouble(
  options: ReplicateDoubleOptions = {},
): Promise<ReplicateDouble> {
  const scenarios = new Map<string, ReplicateScenario>();
  const closing = new AbortController();
  const settings = {
    token: options.token ?? 'r8_double_token',
    models: options.models ?? defaultModels,
    predictions: new Map<string, DoublePrediction>(),
    refusals: new Map<string, number>(),
    scenarioFor: (model: string) => scenarios.get(model) ?? double.scenario,
  };
  const origins = { origin: '', filesOrigin: '' };

  const handle =
    (server: 'api' | 'files') =>
    async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
      // Waits end when the double closes or the client goes away.
      const left = new AbortController();
      const stop = () => left.abort();
      closing.signal.addEventListener('abort', stop, { once: true });
      response.once('close', () => {
        stop();
        closing.signal.removeEventListener('abort', stop);
      });
      const context = { request, response, ...origins, server, signal: left.signal };
      try {
        const raw = await readBody(request);
        const path = (request.url ?? '/').split('?', 1)[0] ?? '/';
        const body = parseBody(raw);
        const method = request.method ?? 'GET';
        const { headers } = request;
        double.requests.push({ server, method, path, headers, body, at: Date.now() });
        await routeRequest(context, path, body, settings);
      } catch (error) {
        // A bug in the double shows up as a 500 naming it, not as a hung test.
        if (response.headersSent) response.destroy();
        else sendProblem(context, 500, `The double failed: ${String(error)}`);
      }
    };
  const api = await listen(handle('api'));
  const files = await listen(handle('files'));
  origins.origin = api.origin;
  origins.filesOrigin = files.origin;

  const double: ReplicateDouble = {
    baseUrl: `${api.origin}/v1`,
    filesOrigin: files.origin,
    token: settings.token,
    requests: [],
    predictions: settings.predictions,
    scenario: options.scenario ?? { kind: 'succeed' },
    setScenario: (model, scenario) => void scenarios.set(model, scenario),
    reset: () => {
      scenarios.clear();
      settings.refusals.clear();
      double.scenario = options.scenario ?? { kind: 'succeed' };
      double.requests.length = 0;
    },
    waitForRequest: async (matches, timeoutMs = 2_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = double.requests.find(matches);
        if (found !== undefined) return found;
        if (Date.now() > until) throw new Error(`no matching request in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: async () => {
      closing.abort();
      await Promise.all([api.close(), files.close()]);
    },
  };
  return double;
}

async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
