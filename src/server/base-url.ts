import type { Context } from 'hono';

/** Where clients reach this server: the configured public URL, else the request's origin. */
export function baseUrl(context: Context, publicUrl: string | undefined): string {
  return publicUrl ?? new URL(context.req.url).origin;
}
