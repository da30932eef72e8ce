import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Runtime } from '../runtime/create-runtime.js';
import { createApp } from './create-app.js';

export interface RunningServer {
  /** Like `http://127.0.0.1:8787`. */
  url: string;
  /** Stops accepting connections and ends the open ones. */
  close(): Promise<void>;
}

/** Serves the HTTP API for a runtime on `host:port` (port 0 picks a free one). */
export async function startServer(
  runtime: Runtime,
  options: { host: string; port: number },
): Promise<RunningServer> {
  const { server: settings } = runtime.config;
  const app = createApp({
    generate: (request, callOptions) => runtime.router.generate(request, callOptions),
    listModels: (callOptions) => runtime.router.listModels(callOptions),
    providerStatus: () =>
      runtime.providers.map((provider) => runtime.router.health.status(provider.id)),
    storage: runtime.storage,
    logger: runtime.logger,
    apiKeys: settings.apiKeys,
    maxBodyBytes: settings.maxBodyBytes,
    publicUrl: settings.publicUrl,
    allowPrivateMediaUrls: settings.allowPrivateMediaUrls,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, hostname: options.host, port: options.port },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams that are still open would keep close() waiting for their clients.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
