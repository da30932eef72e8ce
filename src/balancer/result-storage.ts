/** A stored result, named by a key that is safe to put in a URL. */
export interface StoredResult {
  key: string;
  mediaType: string;
  size: number;
}

/** Where finished images live; the local folder by default, S3 when configured. */
export interface ResultStorage {
  save(data: Uint8Array, mediaType: string): Promise<StoredResult>;
  /** The stored bytes, or undefined for a key that was never stored (or is malformed). */
  open(
    key: string,
  ): Promise<
    { body: ReadableStream<Uint8Array>; mediaType: string; size: number } | undefined
  >;
  /**
   * The URL to give clients for a stored result when it is served from elsewhere than
   * this server (a presigned or public bucket URL). Undefined, or no such method, means
   * the server's own `resultPath(key)` applies.
   */
  url?(key: string): Promise<string | undefined>;
}

/** Where the server serves a stored result; relative to its public address. */
export function resultPath(key: string): string {
  return `/v1/files/${key}`;
}
