import {
  type GenRelayError,
  InternalError,
  ResponseParseError,
  UpstreamError,
} from '../core/errors.js';
import { concatBytes } from './concat-bytes.js';
import type { HttpResponse } from './http-client.js';
import type { TransportResponse } from './transport.js';

export interface ResponseContext {
  url: string;
  host: string;
  /** The cap for `text()`, `json()` and `bytes()`; streaming `body` is not capped. */
  maxResponseBytes: number;
  /** Called once the body is done with: read to the end, failed, abandoned or discarded. */
  settle(): void;
  mapError(error: unknown): GenRelayError;
}

async function* chunks(
  body: AsyncIterable<Uint8Array>,
  context: ResponseContext,
): AsyncGenerator<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    throw context.mapError(error);
  } finally {
    context.settle();
  }
}

/** Wrap a transport response: one read of the body, bounded buffering, mapped errors. */
export function createHttpResponse(
  raw: TransportResponse,
  context: ResponseContext,
): HttpResponse {
  const { host, maxResponseBytes } = context;
  let taken = false;

  function take(): void {
    if (taken) {
      throw new InternalError(`the body of the response from ${host} was already read`);
    }
    taken = true;
  }

  async function release(): Promise<void> {
    try {
      await raw.discard();
    } finally {
      context.settle();
    }
  }

  const tooLarge = () =>
    new UpstreamError(
      `the response from ${host} is larger than ${maxResponseBytes} bytes`,
    );

  /**
   * The whole body as chunks, within maxResponseBytes. It iterates the transport's body
   * itself rather than `chunks()`: one async generator less on the hottest path.
   */
  async function collect(): Promise<{ parts: Uint8Array[]; size: number }> {
    take();
    if (Number(raw.headers['content-length']) > maxResponseBytes) {
      await release();
      throw tooLarge();
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of raw.body) {
        size += chunk.length;
        // Throwing here ends the iteration, which closes the connection mid-body.
        if (size > maxResponseBytes) throw tooLarge();
        parts.push(chunk);
      }
    } catch (error) {
      throw context.mapError(error);
    } finally {
      context.settle();
    }
    return { parts, size };
  }

  async function text(): Promise<string> {
    const { parts, size } = await collect();
    const [only] = parts;
    // Most bodies arrive in one chunk: decode it where it lies instead of copying it.
    if (parts.length === 1 && only) {
      return Buffer.from(only.buffer, only.byteOffset, only.byteLength).toString('utf8');
    }
    return Buffer.concat(parts, size).toString('utf8');
  }

  const response: HttpResponse = {
    status: raw.status,
    url: context.url,
    headers: raw.headers,
    header: (name) => raw.headers[name.toLowerCase()],
    get body() {
      take();
      return chunks(raw.body, context);
    },
    async bytes() {
      const { parts, size } = await collect();
      return concatBytes(parts, size);
    },
    text,
    async json() {
      const body = await text();
      try {
        return JSON.parse(body) as unknown;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ResponseParseError(`${host} answered invalid JSON: ${reason}`, {
          cause: error,
        });
      }
    },
    async dispose() {
      if (taken) return;
      taken = true;
      await release();
    },
  };
  return response;
}
