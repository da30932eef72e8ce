// genrelay as a library: the vocabulary, the configuration, the runtime and the server,
// and the check a webhook receiver runs on a delivery's signature.

export {
  type VerifyWebhookSignatureOptions,
  verifyWebhookSignature,
} from './balancer/verify-webhook-signature.js';
export { loadConfig, parseConfig } from './config/load-config.js';
export * from './core/index.js';
export { createRuntime, type Runtime } from './runtime/create-runtime.js';
export { type RunningServer, startServer } from './server/start-server.js';
