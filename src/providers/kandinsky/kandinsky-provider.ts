import { InvalidRequestError, UpstreamError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { mergeMedia } from '../../core/media.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { StreamPart } from '../../core/stream-part.js';
import { fetchImage } from '../../http/fetch-media.js';
import { parsePayload } from '../automatic1111/parse-payload.js';
import type { CallOptions, Provider } from '../provider.js';
import type { ProviderContext, ProviderFactory } from '../provider-factory.js';
import { convertToKandinskyPayload } from './convert-to-kandinsky-payload.js';
import { type KandinskyJobKind, kandinskyPayloadSchemas } from './kandinsky-payload.js';
import { type KandinskySettings, kandinskySettingsSchema } from './kandinsky-settings.js';
import { KandinskyUpstream } from './kandinsky-upstream.js';

const pingTimeoutMs = 5000;
const paths: Record<KandinskyJobKind, string> = {
  text2img: '/text2img',
  mix2img: '/mix2images',
};

/** The devoidai Kandinsky 2.1 REST API (github.com/devoidai/kandinsky_api). */
export class KandinskyProvider implements Provider {
  readonly type = 'kandinsky';
  readonly label: string;
  private readonly upstream: KandinskyUpstream;
  private readonly catalog: ModelCatalog;
  /** The server's `allowPrivateMediaUrls`: mix images by URL from private hosts. */
  private readonly allowPrivateMedia: boolean;

  constructor(
    readonly id: string,
    private readonly settings: KandinskySettings,
    context: ProviderContext,
  ) {
    this.label = `Kandinsky 2.1 (${new URL(settings.baseUrl).host})`;
    const token = settings.token ?? settings.apiKey;
    this.upstream = new KandinskyUpstream(id, settings.baseUrl, token, context.http);
    this.allowPrivateMedia = context.allowPrivateMediaUrls === true;
    this.catalog = {
      textModels: [],
      imageModels: settings.models,
      visionModels: [],
      ...(settings.models[0] === undefined
        ? {}
        : { defaultImageModel: settings.models[0] }),
      aliases: settings.aliases,
    };
  }

  models(_options: CallOptions): Promise<ModelCatalog> {
    return Promise.resolve(this.catalog);
  }

  /**
   * text2img, or mix2img when the request carries two images. The API makes one image per
   * call, so `count` images take `count` calls, one after the other.
   */
  async *generate(
    request: GenerationRequest,
    options: CallOptions,
  ): AsyncGenerator<StreamPart> {
    if (request.kind !== 'image') {
      throw new InvalidRequestError(`${this.upstream.describe()} only generates images`, {
        param: 'model',
      });
    }
    const images = await Promise.all(
      mergeMedia(request).map((image, index) =>
        fetchImage(image, {
          signal: options.signal,
          allowPrivateAddresses: this.allowPrivateMedia,
          param: `images[${index}]`,
        }),
      ),
    );
    const { kind, payload } = convertToKandinskyPayload(
      request,
      images,
      this.settings.mixWeights,
    );
    for (let index = 0; index < (request.count ?? 1); index++) {
      yield* this.run(kind, payload, options);
    }
    yield { type: 'finish', reason: 'stop' };
  }

  /**
   * Runs a payload in the API's own format, validated with the exported schema. `model`
   * is accepted for the same shape as AUTOMATIC1111's and ignored: there is one model.
   */
  async *generatePayload(
    kind: KandinskyJobKind,
    payload: unknown,
    options: CallOptions & { model?: string },
  ): AsyncGenerator<StreamPart> {
    yield* this.run(kind, payload, options);
    yield { type: 'finish', reason: 'stop' };
  }

  /**
   * Resolves when `GET /` answers as the Kandinsky API does (within 5 s); otherwise throws
   * the typed error. For the balancer's health checks.
   */
  async ping(signal: AbortSignal): Promise<void> {
    const body = await this.upstream.getJson('/', { signal, timeoutMs: pingTimeoutMs });
    if (typeof body !== 'object' || body === null || !('RestAPI' in body)) {
      throw new UpstreamError(`${this.upstream.describe()} is not the Kandinsky API`, {
        provider: this.id,
        retryable: true,
      });
    }
  }

  private async *run(
    kind: KandinskyJobKind,
    payload: unknown,
    options: CallOptions,
  ): AsyncGenerator<StreamPart> {
    const valid = parsePayload(
      kandinskyPayloadSchemas[kind],
      payload,
      `kandinsky ${kind}`,
    );
    yield await this.upstream.generate(paths[kind], valid, {
      signal: options.signal,
      timeoutMs: this.settings.timeoutMs,
    });
  }
}

export const kandinskyFactory: ProviderFactory<KandinskySettings> = {
  type: 'kandinsky',
  label: 'Kandinsky 2.1 API (devoidai)',
  settings: kandinskySettingsSchema,
  create: (id, settings, context) => new KandinskyProvider(id, settings, context),
};
