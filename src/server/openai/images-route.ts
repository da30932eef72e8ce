import type { Context } from 'hono';
import { UpstreamError } from '../../core/errors.js';
import { baseUrl } from '../base-url.js';
import { ImagePublisher } from '../image-publisher.js';
import { queuedGeneration, requestOwner } from '../queued-generation.js';
import { readJsonBody } from '../read-json-body.js';
import { requestSignal } from '../request-signal.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { convertImagesRequest } from './convert-images-request.js';
import { imagesRequestSchema } from './images-schema.js';

interface ImageEntry {
  url?: string;
  b64_json?: string;
  revised_prompt?: string;
  seed?: number;
}

/** `POST /v1/images/generations`: images are stored and returned as our URL or base64. */
export function imagesRoute(dependencies: ServerDependencies) {
  const publisher = new ImagePublisher(dependencies.storage);
  return async (
    context: Context<{ Variables: { service: string } }>,
  ): Promise<Response> => {
    const body = await readJsonBody(
      context,
      imagesRequestSchema,
      dependencies.maxBodyBytes,
    );
    const request = convertImagesRequest(body);
    const origin = baseUrl(context, dependencies.publicUrl);
    const data: ImageEntry[] = [];
    const owner = requestOwner(context.get('service'), body.user, (name) =>
      context.req.header(name),
    );
    const { signal } = requestSignal(context);
    for await (const part of queuedGeneration(dependencies, request, owner, signal)) {
      if (part.type !== 'image' || data.length >= body.n) continue;
      const image = await publisher.publish(part, origin, {
        withData: body.response_format === 'b64_json',
      });
      const payload =
        body.response_format === 'b64_json' && image.data !== undefined
          ? { b64_json: Buffer.from(image.data).toString('base64') }
          : { url: image.url };
      data.push({
        ...payload,
        ...(part.alt === undefined ? {} : { revised_prompt: part.alt }),
        ...(part.seed === undefined ? {} : { seed: part.seed }),
      });
    }
    if (data.length === 0)
      throw new UpstreamError('The provider finished without an image');
    return context.json({ created: Math.floor(Date.now() / 1000), data });
  };
}
