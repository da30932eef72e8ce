import { createServer } from 'node:http';
import { listenOnLoopback } from './listen-on-loopback.js';

export interface CountingServer {
  /** `http://127.0.0.1:{port}` */
  endpoint: string;
  /** How many requests it has been sent so far. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * An HTTP server on loopback that counts the requests it gets and answers each with 500:
 * for telling whether a client sent one at all.
 */
export async function startCountingServer(): Promise<CountingServer> {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(500).end();
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    requests: () => requests,
    close: async () => {
      // A client may keep its connection alive, which would hold `close` open.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
