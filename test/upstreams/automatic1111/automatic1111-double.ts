import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { QueueLock } from './queue-lock.js';
import { type Body, routeRequest, sendJson } from './route-request.js';
import type { Checkpoint, GenerationEnvironment } from './run-generation.js';
import { WebuiState } from './webui-state.js';

export type { Checkpoint } from './run-generation.js';

/** One request as the double received it. */
export interface RecordedRequest {
  method: string;
  /** Without the query string, e.g. `/sdapi/v1/txt2img`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON; undefined when empty or not JSON. */
  body: unknown;
  /** `Date.now()` when the request arrived. */
  at: number;
}

export interface Automatic1111DoubleOptions {
  /** Default one checkpoint, `v1-5-pruned-emaonly`, loaded at start. */
  checkpoints?: Checkpoint[];
  /** As `--api-auth user:pass`: every `/sdapi` call needs these basic credentials. */
  auth?: { username: string; password: string };
  /** Time per sampling step. Default 5 ms. Ignored with `advanceOnPoll`. */
  stepDelayMs?: number;
  /**
   * Each `/sdapi/v1/progress` poll during a job advances it one step (and one more to
   * finish), so the steps a poller sees are exactly 1…steps. Without polls a job waits.
   */
  advanceOnPoll?: boolean;
  /** `show_progress_every_n_steps`: a preview every this many steps; 0 for none. Default 2. */
  previewEvery?: number;
  /** Previews of random pixels, as heavy as real ones (flat grey by default). */
  noisyPreviews?: boolean;
  samplers?: string[];
  /**
   * Whether `/sdapi/v1/progress` names the running job's task in `current_task` (its
   * `force_task_id`), as the API's model documents. Default true. False is what the web
   * UI's own code answers (`modules/api/api.py` of 1.9+, checked): it imports
   * `current_task` from `modules.progress` by value at start-up, so the field stays null.
   */
  reportsCurrentTask?: boolean;
}

/** A running AUTOMATIC1111 web UI API (`--api --nowebui`) on loopback. */
export interface Automatic1111Double {
  /** e.g. `http://127.0.0.1:54321` (the API lives under `/sdapi/v1`). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** The checkpoint loaded now (override_settings may change it). */
  loadedCheckpoint(): Checkpoint;
  /**
   * Down: stops listening (new connections are refused) and drops every open one, running
   * jobs included, like a crashed server. Up again: listens on the same port, idle.
   */
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

export const defaultCheckpoint: Checkpoint = {
  title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]',
  model_name: 'v1-5-pruned-emaonly',
  hash: '6ce0161689',
};

export const defaultSamplers = ['DPM++ 2M', 'Euler a', 'Euler', 'DDIM', 'UniPC'];

export async function startAutomatic1111Double(
  options: Automatic1111DoubleOptions = {},
): Promise<Automatic1111Double> {
  const checkpoints = options.checkpoints ?? [defaultCheckpoint];
  let life = new AbortController();
  const environment: GenerationEnvironment = {
    state: new WebuiState(options.reportsCurrentTask ?? true),
    checkpoints,
    loaded: { checkpoint: checkpoints[0] ?? defaultCheckpoint },
    samplers: options.samplers ?? defaultSamplers,
    stepDelayMs: options.advanceOnPoll ? undefined : (options.stepDelayMs ?? 5),
    previewEvery: options.previewEvery ?? 2,
    noisyPreviews: options.noisyPreviews ?? false,
    life: life.signal,
  };
  const settings = {
    environment,
    lock: new QueueLock(),
    auth: options.auth,
    advanceOnPoll: options.advanceOnPoll ?? false,
  };
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = parseBody(raw);
      const url = new URL(request.url ?? '/', 'http://double');
      requests.push({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: body.kind === 'json' ? body.value : undefined,
        at: Date.now(),
      });
      routeRequest(request, response, body, settings).catch((error: unknown) => {
        // A job killed by going down has no one to answer; anything else is a double bug.
        if (response.destroyed || response.headersSent) return void response.destroy();
        sendJson(response, 500, {
          error: 'DoubleError',
          detail: String(error),
          body: '',
          errors: String(error),
        });
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = async () => {
    life.abort();
    environment.state.end();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  await listen(0);
  const { port } = server.address() as AddressInfo;
  let down = false;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    loadedCheckpoint: () => environment.loaded.checkpoint,
    async setDown(value) {
      if (value === down) return;
      down = value;
      if (value) return stop();
      life = new AbortController();
      environment.life = life.signal;
      settings.lock = new QueueLock();
      await listen(port);
    },
    async close() {
      if (!down) await stop();
      down = true;
    },
  };
}

function parseBody(raw: string): Body {
  if (raw === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(raw) };
  } catch {
    return { kind: 'invalid' };
  }
}
