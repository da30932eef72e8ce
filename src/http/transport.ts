/**
 * The seam between the HTTP client and what sends bytes: undici by default, an injected
 * `fetch` in tests. Timeouts, limits and error mapping live in the client, once.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

export interface TransportRequest {
  url: URL;
  method: string;
  headers: Record<string, string> | undefined;
  body: string | Uint8Array | undefined;
  signal: AbortSignal;
  /** Overrides the client's idle bound for this request (undici only). */
  idleTimeoutMs?: number | undefined;
}

export interface TransportResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Breaking out of the iteration releases the connection. */
  body: AsyncIterable<Uint8Array>;
  /** Drop the unread body, keeping the connection for reuse when that is cheap. */
  discard(): Promise<void>;
}
