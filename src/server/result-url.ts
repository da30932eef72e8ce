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
