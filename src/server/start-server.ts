import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { moderationTexts } from '../balancer/moderation/moderation-texts.js';
import { createQueue } from '../runtime/create-queue.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { createApp } from './create-app.js';
import { ServiceAuth } from './service-auth.js';

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
  const queue = createQueue(runtime);
  await queue.balancer.start();
  const app = createApp({
    balancer: queue.balancer,
    lanes: queue.lanes,
    checkRoute: async (request, signal) => {
      await runtime.router.route(request, { signal });
    },
    moderate: async (kind, payload, requested, signal) => {
      if (!queue.moderator.applies(requested)) return;
      await queue.moderator.assertAllowed(moderationTexts(kind, payload), signal);
    },
    listModels: (callOptions) => runtime.router.listModels(callOptions),
    providerStatus: () =>
      runtime.providers.map((provider) => runtime.router.health.status(provider.id)),
    instanceStatus: () => queue.pool.status(),
    storage: runtime.storage,
    logger: runtime.logger,
    auth: new ServiceAuth(runtime.config.services, settings.apiKeys),
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
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams that are still open would keep close() waiting for their clients.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await queue.close();
    },
  };
}
