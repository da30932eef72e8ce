import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { untilAborted } from '../../http/until-aborted.js';
import type { ServerDependencies } from '../server-dependencies.js';
import { closeCodes } from './close-codes.js';
import { upgradeCredentials } from './upgrade-credentials.js';
import { WebsocketConnection } from './websocket-connection.js';
import type { WebsocketSettings } from './websocket-settings.js';

export interface WebsocketApi {
  /** Closes every connection (1001, then terminated if they do not answer) and stops. */
  close(): Promise<void>;
  /** Drops every connection at once, as a network failure would (tests of reconnecting). */
  terminateConnections(): void;
}

/** How long clients get to answer the close on shutdown before their sockets are cut. */
const closeGraceMs = 1000;

/**
 * The Devoid-style websocket API on `GET /v1/ws` and `/ws/{service}` of an HTTP server.
 * Other upgrade requests are answered 404.
 */
export function attachWebsocketApi(
  server: Server,
  dependencies: ServerDependencies,
  settings: WebsocketSettings,
): WebsocketApi {
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: settings.maxMessageBytes,
  });
  const connections = new Set<WebsocketConnection>();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const credentials = upgradeCredentials(request);
    if (credentials === undefined) {
      // The HTTP server no longer watches an upgraded socket: a reset must not go unheard.
      socket.on('error', () => socket.destroy());
      socket.end(
        'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
        () => socket.destroy(),
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (websocket) => {
      const connection = new WebsocketConnection(websocket, {
        id: randomUUID(),
        dependencies,
        settings,
        origin: dependencies.publicUrl ?? requestOrigin(request),
        credentials,
      });
      connections.add(connection);
      void connection.done.then(() => connections.delete(connection));
    });
  };
  server.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, settings.heartbeatMs);
  heartbeat.unref();

  return {
    close: async () => {
      server.off('upgrade', onUpgrade);
      clearInterval(heartbeat);
      const open = [...connections];
      for (const connection of open)
        connection.close(closeCodes.goingAway, 'server shutting down');
      await untilAborted(
        Promise.all(open.map((connection) => connection.done)),
        AbortSignal.timeout(closeGraceMs),
      ).catch(() => {
        // Those that did not answer in time are cut below.
      });
      for (const connection of connections) connection.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
    terminateConnections: () => {
      for (const connection of connections) connection.terminate();
    },
  };
}

function requestOrigin(request: IncomingMessage): string {
  const secure = 'encrypted' in request.socket && request.socket.encrypted === true;
  return `${secure ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}`;
}
