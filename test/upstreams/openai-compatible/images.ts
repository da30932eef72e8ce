import { makePng } from '../png.js';
import { type OpenAIDoubleBehaviour, respondWithFailure } from './behaviour.js';
import {
  invalidType,
  invalidUrl,
  invalidValue,
  missingParameter,
} from './openai-errors.js';
import {
  type JsonObject,
  pause,
  type RequestContext,
  sendError,
  sendJson,
} from './request-context.js';

/** Larger images would only make the double slow; no OpenAI model goes beyond 1792. */
const MAX_SIDE = 4096;
const FILE_PATH = /^\/files\/(\d+)x(\d+)-[\w-]+\.png$/;
/** Keyed by the cached PNG itself, so an entry lives exactly as long as its image. */
const base64Cache = new WeakMap<Uint8Array, string>();

interface Size {
  width: number;
  height: number;
}

/** `POST /v1/images/generations` with `url` (served by `GET /files/…`) or `b64_json`. */
export async function handleImageGeneration(
  context: RequestContext,
  body: JsonObject,
  behaviour: OpenAIDoubleBehaviour,
): Promise<void> {
  const { prompt } = body;
  if (prompt === undefined) return sendError(context, missingParameter('prompt'));
  if (typeof prompt !== 'string')
    return sendError(context, invalidType('prompt', 'a string'));
  const count = body.n ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 10) {
    return sendError(context, invalidValue('n', `Invalid 'n': expected 1 to 10.`));
  }
  const size = parseSize(body.size ?? 'auto');
  if (size === undefined) {
    const message = `Invalid 'size': expected 'auto' or 'WxH' with sides up to ${MAX_SIDE}.`;
    return sendError(context, invalidValue('size', message));
  }
  const format = body.response_format ?? 'url';
  if (format !== 'url' && format !== 'b64_json') {
    const message = `Invalid 'response_format': expected 'url' or 'b64_json'.`;
    return sendError(context, invalidValue('response_format', message));
  }
  if (respondWithFailure(context, behaviour, false)) return;
  if (behaviour.kind === 'slow-first-token') await pause(context, behaviour.delayMs);

  const { width, height } = size;
  const data = Array.from({ length: count }, (_, index) =>
    format === 'url'
      ? {
          url: `${context.origin}/files/${width}x${height}-${context.sequence}-${index}.png`,
        }
      : { b64_json: base64Png(size) },
  );
  const created = Math.floor(Date.now() / 1000);
  sendJson(context, 200, JSON.stringify({ created, data }));
}

/** `GET /files/<W>x<H>-<id>.png`: the image an earlier `url` answer pointed to. */
export function handleFile(context: RequestContext, path: string): void {
  const match = FILE_PATH.exec(path);
  const size = match ? parseSize(`${match[1]}x${match[2]}`) : undefined;
  if (size === undefined) {
    sendError(context, invalidUrl('GET', path));
    return;
  }
  const png = makePng(size.width, size.height);
  context.response.writeHead(200, {
    'content-type': 'image/png',
    'content-length': png.byteLength,
  });
  context.response.end(png);
}

function parseSize(value: unknown): Size | undefined {
  if (value === 'auto') return { width: 1024, height: 1024 };
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(value);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  const valid = (side: number) => side >= 1 && side <= MAX_SIDE;
  return valid(width) && valid(height) ? { width, height } : undefined;
}

function base64Png({ width, height }: Size): string {
  const png = makePng(width, height);
  let encoded = base64Cache.get(png);
  if (encoded === undefined) {
    encoded = Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64');
    base64Cache.set(png, encoded);
  }
  return encoded;
}
