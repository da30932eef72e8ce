import type { Context } from 'hono';
import { NotFoundError } from '../core/errors.js';
import type { ServerDependencies } from './server-dependencies.js';

/**
 * `GET /v1/files/{key}`: a stored result. Keys are random and unguessable, so the URL
 * itself is the permission, as with the signed links image APIs hand out.
 */
export function filesRoute(dependencies: ServerDependencies) {
  return async (context: Context): Promise<Response> => {
    const key = context.req.param('key') ?? '';
    const file = await dependencies.storage.open(key);
    if (file === undefined)
      throw new NotFoundError(`No stored file "${key}"`, { param: 'key' });
    return new Response(file.body, {
      headers: {
        'content-type': file.mediaType,
        'content-length': String(file.size),
        // A key is never reused for other bytes.
        'cache-control': 'public, max-age=31536000, immutable',
      },
    });
  };
}
