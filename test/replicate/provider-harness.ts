import type { GenerationRequest } from '../../src/core/generation-request.js';
import type { Logger } from '../../src/core/logger.js';
import type { StreamPart } from '../../src/core/stream-part.js';
import { createHttpClient, type HttpClientOptions } from '../../src/http/http-client.js';
import { ReplicateProvider } from '../../src/providers/replicate/replicate-provider.js';
import { replicateSettingsSchema } from '../../src/providers/replicate/replicate-settings.js';
import { recordingLogger } from '../support/recording-logger.js';
import type { ReplicateDouble } from '../upstreams/replicate/replicate-double.js';

/** What a run of the provider gave: the parts with their arrival times, and any error. */
export interface Outcome {
  parts: StreamPart[];
  arrivals: number[];
  error: unknown;
  elapsedMs: number;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  logger?: Logger;
  /** Default true: the double serves its output files from loopback. */
  allowPrivateMediaUrls?: boolean;
}

/** Replicate providers pointed at a double, sharing one HTTP client to close at the end. */
export function createHarness(
  double: () => ReplicateDouble,
  httpOptions: HttpClientOptions = { idleTimeoutMs: 5_000 },
) {
  const http = createHttpClient(httpOptions);
  return {
    provider(settings: Record<string, unknown> = {}, options: HarnessOptions = {}) {
      const parsed = replicateSettingsSchema.parse({
        baseUrl: double().baseUrl,
        apiKey: double().token,
        pollIntervalMs: 20,
        maxPollIntervalMs: 40,
        ...settings,
      });
      return new ReplicateProvider('replicate', parsed, {
        http,
        logger: options.logger ?? recordingLogger(),
        env: options.env ?? {},
        dataDir: '/nonexistent',
        allowPrivateMediaUrls: options.allowPrivateMediaUrls ?? true,
      });
    },
    close: () => http.close(),
  };
}

export function chat(model: string, extra: Partial<GenerationRequest> = {}) {
  const request: GenerationRequest = {
    kind: 'chat',
    model,
    messages: [{ role: 'user', content: 'Say hello' }],
    stream: true,
    ...extra,
  };
  return request;
}

export function image(model: string, extra: Partial<GenerationRequest> = {}) {
  const request: GenerationRequest = {
    kind: 'image',
    model,
    messages: [{ role: 'user', content: 'a red fox' }],
    prompt: 'a red fox',
    ...extra,
  };
  return request;
}

/** Runs the stream to its end, or until `stopAfter` says to stop or the call fails. */
export async function run(
  parts: AsyncIterable<StreamPart>,
  stopAfter: (part: StreamPart) => boolean = () => false,
): Promise<Outcome> {
  const started = Date.now();
  const outcome: Outcome = { parts: [], arrivals: [], error: undefined, elapsedMs: 0 };
  try {
    for await (const part of parts) {
      outcome.parts.push(part);
      outcome.arrivals.push(Date.now());
      if (stopAfter(part)) break;
    }
  } catch (error) {
    outcome.error = error;
  }
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}

/** The text of the text parts, joined. */
export function textOf(parts: readonly StreamPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.delta : '')).join('');
}
