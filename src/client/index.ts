export type { HandlerSignatures } from './client-handlers.js';
export type * from './executor-payloads.js';
export type * from './generation-params.js';
export { GeneratorClient, type GeneratorClientOptions } from './generator-client.js';
export {
  GeneratorError,
  type GeneratorErrorCode,
  type GeneratorErrorDetails,
} from './generator-error.js';
export type * from './job-update.js';
export { isFinalUpdate } from './job-update.js';
export type { ReconnectSettings } from './reconnect-delay.js';
export type { GenerationJob } from './tracked-job.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';
export type * from './wire-messages.js';
