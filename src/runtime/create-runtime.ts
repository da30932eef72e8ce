import { join } from 'node:path';
import { LocalResultStorage } from '../balancer/local-result-storage.js';
import type { RemovableResultStorage } from '../balancer/result-storage.js';
import { S3ResultStorage } from '../balancer/s3-result-storage.js';
import type { GenRelayConfig } from '../config/load-config.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { createHttpClient, type HttpClient } from '../http/http-client.js';
import type { Provider } from '../providers/provider.js';
import { createProviders } from '../providers/provider-registry.js';
import { ProviderHealth } from '../router/provider-health.js';
import { Router } from '../router/router.js';

/** Everything a command needs, built once from the configuration. */
export interface Runtime {
  config: GenRelayConfig;
  logger: Logger;
  http: HttpClient;
  providers: Provider[];
  router: Router;
  storage: RemovableResultStorage;
  /** Releases what the runtime holds open (the upstream connection pool it made). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the upstream HTTP client (tests inject one). */
  http?: HttpClient;
}

export function createRuntime(
  config: GenRelayConfig,
  options: RuntimeOptions = {},
): Runtime {
  const logger = options.logger ?? silentLogger;
  // A client handed in belongs to the caller, who closes it; one made here is closed here.
  const ownHttp =
    options.http === undefined
      ? createHttpClient({
          connectTimeoutMs: config.http.connectTimeoutMs,
          idleTimeoutMs: config.http.idleTimeoutMs,
          ...(config.http.proxy === undefined ? {} : { proxy: config.http.proxy }),
        })
      : undefined;
  const http = options.http ?? (ownHttp as HttpClient);
  const providers = createProviders(config.providers, {
    http,
    logger,
    env: options.env ?? process.env,
    dataDir: config.server.dataDir,
    allowPrivateMediaUrls: config.server.allowPrivateMediaUrls,
  });
  const health = new ProviderHealth(config.router);
  const router = new Router(providers, { routes: config.routes, health });
  const s3 =
    config.storage.s3 === undefined ? undefined : new S3ResultStorage(config.storage.s3);
  const storage = s3 ?? new LocalResultStorage(join(config.server.dataDir, 'results'));
  return {
    config,
    logger,
    http,
    providers,
    router,
    storage,
    close: async () => {
      s3?.close();
      await ownHttp?.close();
    },
  };
}
