import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { moderationTexts } from '../balancer/moderation/moderation-texts.js';
import { validateWebhookUrl } from '../balancer/validate-webhook-url.js';
import { createQueue } from '../runtime/create-queue.js';
import type { Runtime } from '../runtime/create-runtime.js';
import { createApp } from './create-app.js';
import { jobBody } from './jobs/job-body.js';
import type { ServerDependencies } from './server-dependencies.js';
import { ServiceAuth } from './service-auth.js';
import {
  attachWebsocketApi,
  type WebsocketApi,
} from './websocket/attach-websocket-api.js';

export interface RunningServer {
  /** Like `http://127.0.0.1:8787`. */
  url: string;
  /** Stops accepting connections and ends the open ones. */
  close(): Promise<void>;
  /** The websocket API on the same port. */
  websocket: WebsocketApi;
}

/** Serves the HTTP API for a runtime on `host:port` (port 0 picks a free one). */
export async function startServer(
  runtime: Runtime,
  options: { host: string; port: number },
): Promise<RunningServer> {
  const { server: settings } = runtime.config;
  const queue = createQueue(runtime);
  const dependencies: ServerDependencies = {
    balancer: queue.balancer,
    lanes: queue.lanes,
    checkRoute: async (request, signal) => {
      await runtime.router.route(request, { signal });
    },
    moderate: async (kind, payload, requested, signal) => {
      if (!queue.moderator.applies(requested)) return;
      await queue.moderator.assertAllowed(moderationTexts(kind, payload), signal);
    },
    checkWebhook: (url) =>
      validateWebhookUrl(url, {
        allowPrivateUrls: runtime.config.webhooks.allowPrivateUrls,
      }).href,
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
  };
  const app = createApp(dependencies);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, hostname: options.host, port: options.port },
      () => resolve(started),
    );
    started.once('error', reject);
  }).catch(async (error: unknown) => {
    // Nothing listens (the port is taken): the store opened for the queue is closed.
    await queue.close();
    throw error;
  });
  let websocket: WebsocketApi | undefined;
  const close = async () => {
    await websocket?.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Streams that are still open would keep close() waiting for their clients.
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    await queue.close();
  };
  try {
    websocket = attachWebsocketApi(
      server as Server,
      dependencies,
      runtime.config.websocket,
    );
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const origin = settings.publicUrl ?? `http://${host}:${address.port}`;
    queue.balancer.onFinished({
      wants: (job) => queue.webhooks.urlFor(job.service, job.webhook) !== undefined,
      finished: (job) => {
        const url = queue.webhooks.urlFor(job.service, job.webhook) as string;
        void jobBody(job, { storage: runtime.storage, origin }).then(
          (body) =>
            queue.webhooks.send(
              url,
              { type: 'job.finished', job: body },
              {
                service: job.service,
                jobId: job.id,
              },
            ),
          (error: unknown) =>
            runtime.logger.warn({ error, job: job.id }, 'webhook not built'),
        );
      },
    });
    // Dispatching starts last, so the jobs recovered from a stopped process find the
    // webhook listener in place and a server that answers.
    await queue.balancer.start();
    return { url: `http://${host}:${address.port}`, websocket, close };
  } catch (error) {
    // Listening already: the port, the heartbeat and the store are let go, so a caller
    // that gets no handle has nothing left to close.
    await close().catch((closeError: unknown) =>
      runtime.logger.warn(
        { error: closeError },
        'server not closed after a failed start',
      ),
    );
    throw error;
  }
}
