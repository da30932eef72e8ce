import { createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './listen-on-loopback.js';

export interface SilentServer {
  /** `http://127.0.0.1:{port}` */
  endpoint: string;
  /** How many connections it has accepted so far. */
  connections(): number;
  /** Drops the connections it holds and stops listening. */
  close(): Promise<void>;
}

/** A TCP server on loopback that accepts connections and never answers: for timeouts. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    // A client that gives up resets the connection; that is the point, not a failure.
    socket.on('error', () => {});
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    connections: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
