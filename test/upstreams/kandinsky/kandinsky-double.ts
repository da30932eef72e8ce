import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { drawKandinskyImage } from './kandinsky-images.js';
import { validateKandinskyBody } from './validate-kandinsky-body.js';

/** One request as the double received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; undefined when empty or not JSON. */
  body: unknown;
}

export interface KandinskyDoubleOptions {
  /** The API's `TOKEN`. Default `kandinsky-token`. */
  token?: string;
  /** How long a generation takes. Default 0. */
  delayMs?: number;
}

/** A running devoidai Kandinsky 2.1 API on loopback. */
export interface KandinskyDouble {
  baseUrl: string;
  requests: RecordedRequest[];
  /** How long a generation takes from now on. */
  delayMs: number;
  close(): Promise<void>;
}

/** The homepage, byte for byte: devoid-generator compares it when pinging. */
export const homepage =
  '{"RestAPI":"Kandinskiy 2.1 Model","website":"https://web.devoid.pics/"}';

const routes: Record<string, string> = {
  '/': 'GET',
  '/text2img': 'POST',
  '/mix2images': 'POST',
};

export { mixImage, text2imgImage } from './kandinsky-images.js';

export async function startKandinskyDouble(
  options: KandinskyDoubleOptions = {},
): Promise<KandinskyDouble> {
  const token = options.token ?? 'kandinsky-token';
  const closing = new AbortController();
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = parse(raw);
      const path = request.url ?? '/';
      double.requests.push({
        method: request.method ?? 'GET',
        path,
        headers: request.headers,
        body,
      });
      answer(
        request.method ?? 'GET',
        path,
        request.headers.authorization,
        raw,
        body,
        response,
      ).catch(() => response.destroy());
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  /** The auth middleware first (it runs before routing), then FastAPI's routes. */
  async function answer(
    method: string,
    path: string,
    authorization: string | undefined,
    raw: string,
    body: unknown,
    response: ServerResponse,
  ): Promise<void> {
    // The middleware compares the URL without its base: '' is the homepage.
    const exempt = ['/', '/docs', '/openapi.json', '/favicon.ico'].includes(path);
    if (!exempt && authorization !== token)
      return json(response, 401, '"Invalid Authorization"');
    const route = routes[path.split('?', 1)[0] ?? ''];
    if (route === undefined) return json(response, 404, '{"detail":"Not Found"}');
    if (route !== method) return json(response, 405, '{"detail":"Method Not Allowed"}');
    if (path === '/') return json(response, 200, homepage);
    const kind = path === '/text2img' ? 'text2img' : 'mix2images';
    const checked = validateKandinskyBody(kind, raw, body);
    if (!checked.ok)
      return json(response, 422, JSON.stringify({ detail: checked.issues }));
    const image = drawKandinskyImage(kind, checked.value);
    if (image === undefined) return internalError(response);
    await sleep(double.delayMs, undefined, { signal: closing.signal });
    if (response.destroyed) return;
    response.writeHead(200, {
      'content-type': 'image/jpg',
      'content-length': image.length,
      server: 'uvicorn',
    });
    response.end(image);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const double: KandinskyDouble = {
    baseUrl: `http://127.0.0.1:${port}`,
    requests: [],
    delayMs: options.delayMs ?? 0,
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  return double;
}

function json(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    server: 'uvicorn',
  });
  response.end(body);
}

function internalError(response: ServerResponse): void {
  response.writeHead(500, {
    'content-type': 'text/plain; charset=utf-8',
    server: 'uvicorn',
  });
  response.end('Internal Server Error');
}

function parse(raw: string): unknown {
  try {
    return raw === '' ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}
