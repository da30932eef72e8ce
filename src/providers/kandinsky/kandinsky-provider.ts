import { InvalidRequestError, UpstreamError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { mergeMedia } from '../../core/media.js';
import { imageCatalog, type ModelCatalog } from '../../core/model-catalog.js';
import type { StreamPart } from '../../core/stream-part.js';
import { fetchRequestImages } from '../../http/fetch-media.js';
import { startDeadline } from '../../http/request-deadline.js';
import { parsePayload } from '../parse-payload.js';
import type { CallOptions, PayloadExecutor, PayloadJobKind } from '../provider.js';
import type { ProviderContext, ProviderFactory } from '../provider-factory.js';
import {
  checkKandinskyImageCount,
  convertToKandinskyPayload,
} from './convert-to-kandinsky-payload.js';
import { type KandinskyJobKind, kandinskyPayloadSchemas } from './kandinsky-payload.js';
import { type KandinskySettings, kandinskySettingsSchema } from './kandinsky-settings.js';
import { KandinskyUpstream } from './kandinsky-upstream.js';

const pingTimeoutMs = 5000;
const paths: Record<KandinskyJobKind, string> = {
  text2img: '/text2img',
  mix2img: '/mix2images',
};

/** The devoidai Kandinsky 2.1 REST API (github.com/devoidai/kandinsky_api). */
export class KandinskyProvider implements PayloadExecutor {
  readonly type = 'kandinsky';
  readonly payloadSchemas = kandinskyPayloadSchemas;
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
    this.catalog = imageCatalog(settings.models, settings.aliases);
  }

  models(_options: CallOptions): Promise<ModelCatalog> {
    return Promise.resolve(this.catalog);
  }

  /**
   * text2img, or mix2img when the request carries two images. The API makes one image per
   * call, so `count` images take `count` calls, one after the other, all within one
   * `timeoutMs`.
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
    checkKandinskyImageCount(mergeMedia(request).length);
    const images = await fetchRequestImages(request, {
      signal: options.signal,
      allowPrivateAddresses: this.allowPrivateMedia,
      max: 2,
    });
    const { kind, payload } = convertToKandinskyPayload(
      request,
      images,
      this.settings.mixWeights,
    );
    yield* this.run(kind, payload, request.count ?? 1, options.signal);
  }

  /**
   * Runs a payload in the API's own format, validated with the exported schema. `model`
   * is accepted for the same shape as AUTOMATIC1111's and ignored: there is one model.
   */
  async *generatePayload(
    kind: PayloadJobKind,
    payload: unknown,
    options: CallOptions & { model?: string },
  ): AsyncGenerator<StreamPart> {
    if (kind === 'img2img') {
      // The devoidai API has no img2img route (the Devoid generator's call to it 404s).
      throw new InvalidRequestError('Kandinsky runs text2img and mix2img, not img2img', {
        param: 'kind',
      });
    }
    yield* this.run(kind, payload, 1, options.signal);
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

  /** `count` images from one payload, validated once, within one deadline. */
  private async *run(
    kind: KandinskyJobKind,
    payload: unknown,
    count: number,
    signal: AbortSignal,
  ): AsyncGenerator<StreamPart> {
    const valid = parsePayload(
      kandinskyPayloadSchemas[kind],
      payload,
      `kandinsky ${kind}`,
    );
    const { timeoutMs } = this.settings;
    const deadline = startDeadline(
      signal,
      timeoutMs,
      `${this.upstream.describe()} generation`,
    );
    // The deadline above fires first and names the job; this one only backs it up.
    const call = { signal: deadline.signal, timeoutMs: timeoutMs + 1000 };
    try {
      for (let index = 0; index < count; index++) {
        yield await this.upstream.generate(paths[kind], valid, call);
      }
    } finally {
      deadline.clear();
    }
    yield { type: 'finish', reason: 'stop' };
  }
}

export const kandinskyFactory: ProviderFactory<KandinskySettings> = {
  type: 'kandinsky',
  label: 'Kandinsky 2.1 API (devoidai)',
  settings: kandinskySettingsSchema,
  create: (id, settings, context) => new KandinskyProvider(id, settings, context),
};
