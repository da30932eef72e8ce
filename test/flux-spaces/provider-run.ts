import type { GenRelayError } from '../../src/core/errors.js';
import type { GenerationRequest } from '../../src/core/generation-request.js';
import { silentLogger } from '../../src/core/logger.js';
import type { StreamPart } from '../../src/core/stream-part.js';
import type { HttpClient } from '../../src/http/http-client.js';
import type { FluxSpaceSettings } from '../../src/providers/flux-spaces/flux-space-settings.js';
import type { Provider } from '../../src/providers/provider.js';
import type { ProviderFactory } from '../../src/providers/provider-factory.js';

/** A provider of `factory` built from raw settings, as the configuration would. */
export function makeProvider(
  factory: ProviderFactory<FluxSpaceSettings>,
  http: HttpClient,
  settings: Record<string, unknown>,
  env: Record<string, string> = {},
): Provider {
  const parsed = factory.settings.parse({ type: factory.type, ...settings });
  return factory.create(factory.type, parsed, {
    http,
    logger: silentLogger,
    env,
    dataDir: '/nonexistent',
  });
}

export function imageRequest(extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    kind: 'image',
    model: 'flux',
    messages: [{ role: 'user', content: 'a red fox' }],
    ...extra,
  };
}

type Shown<Part> = Part extends unknown ? Omit<Part, 'data'> & { data?: number } : never;

/** A part with image bytes as their length, so parts compare and print briefly. */
export type ShownPart = Shown<StreamPart>;

export interface RunResult {
  parts: ShownPart[];
  images: Uint8Array[];
  error: GenRelayError | undefined;
  elapsedMs: number;
}

/** Runs a generation to its end or failure, keeping what it streamed on the way. */
export async function run(
  provider: Provider,
  request: GenerationRequest,
  signal: AbortSignal = AbortSignal.timeout(10_000),
): Promise<RunResult> {
  const started = Date.now();
  const parts: ShownPart[] = [];
  const images: Uint8Array[] = [];
  let error: GenRelayError | undefined;
  try {
    for await (const part of provider.generate(request, { signal })) {
      if (part.type === 'image' && part.data !== undefined) {
        images.push(part.data);
        parts.push({ ...part, data: part.data.byteLength });
      } else {
        parts.push(part as ShownPart);
      }
    }
  } catch (thrown) {
    error = thrown as GenRelayError;
  }
  return { parts, images, error, elapsedMs: Date.now() - started };
}

/** Width and height from a PNG's header, after checking its signature. */
export function pngSize(bytes: Uint8Array | undefined): [number, number] | undefined {
  if (bytes === undefined) return undefined;
  const view = Buffer.from(bytes);
  if (view.toString('latin1', 1, 4) !== 'PNG') return undefined;
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}
