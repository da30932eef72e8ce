import type { JobResult } from '../balancer/job.js';
import { type ResultStorage, resultPath } from '../balancer/result-storage.js';

/**
 * Where a client fetches a stored result: the storage's own URL (a public bucket, a
 * presigned link) when it has one, else this server's `/v1/files/{key}`.
 */
export async function resultUrl(
  storage: ResultStorage,
  key: string,
  origin: string,
): Promise<string> {
  return (await storage.url?.(key)) ?? `${origin.replace(/\/+$/, '')}${resultPath(key)}`;
}

/** A stored result's bytes, read whole; undefined when the storage no longer has it. */
export async function readStoredResult(
  storage: ResultStorage,
  key: string,
): Promise<Uint8Array | undefined> {
  const stored = await storage.open(key);
  if (stored === undefined) return undefined;
  return new Uint8Array(await new Response(stored.body).arrayBuffer());
}

/** A finished job's images as the APIs show them, each by a URL a client can fetch. */
export async function resultImages(
  result: JobResult | undefined,
  links: { storage: ResultStorage; origin: string },
) {
  const images = [];
  for (const image of result?.images ?? []) {
    // Stored here (a key), or kept where the upstream has it (a URL); one is always set.
    const url =
      image.key === undefined
        ? image.url
        : await resultUrl(links.storage, image.key, links.origin);
    if (url === undefined) continue;
    images.push({
      url,
      media_type: image.mediaType,
      width: image.width ?? null,
      height: image.height ?? null,
      seed: image.seed ?? null,
    });
  }
  return images;
}
