import { InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { StreamPart } from '../../core/stream-part.js';
import { fetchRequestImages } from '../../http/fetch-media.js';
import { parsePayload } from '../parse-payload.js';
import type { CallOptions, PayloadExecutor, PayloadJobKind } from '../provider.js';
import type { ProviderContext, ProviderFactory } from '../provider-factory.js';
import { progressResponseSchema } from './automatic1111-api.js';
import { Automatic1111Models } from './automatic1111-models.js';
import { automatic1111PayloadSchemas, maxInitImages } from './automatic1111-payload.js';
import {
  type Automatic1111Settings,
  automatic1111SettingsSchema,
  basicCredentials,
} from './automatic1111-settings.js';
import { Automatic1111Upstream } from './automatic1111-upstream.js';
import {
  convertToAutomatic1111Payload,
  withCheckpoint,
} from './convert-to-automatic1111-payload.js';
import { type JobSettings, runAutomatic1111Job } from './run-automatic1111-job.js';

const pingTimeoutMs = 5000;

/** A Stable Diffusion web UI (AUTOMATIC1111, or a fork with its API) started with `--api`. */
export class Automatic1111Provider implements PayloadExecutor {
  readonly type = 'automatic1111';
  readonly payloadSchemas = automatic1111PayloadSchemas;
  readonly label: string;
  private readonly upstream: Automatic1111Upstream;
  private readonly catalog: Automatic1111Models;
  private readonly job: JobSettings;
  /** The server's `allowPrivateMediaUrls`: init images by URL from private hosts. */
  private readonly allowPrivateMedia: boolean;

  constructor(
    readonly id: string,
    private readonly settings: Automatic1111Settings,
    context: ProviderContext,
  ) {
    this.label = `AUTOMATIC1111 (${new URL(settings.baseUrl).host})`;
    this.upstream = new Automatic1111Upstream(
      id,
      settings.baseUrl,
      basicCredentials(settings),
      context.http,
    );
    this.catalog = new Automatic1111Models(this.upstream, settings, context.logger);
    this.allowPrivateMedia = context.allowPrivateMediaUrls === true;
    this.job = {
      timeoutMs: settings.timeoutMs,
      progressIntervalMs: settings.progressIntervalMs,
      previews: settings.previews,
      logger: context.logger,
    };
  }

  models(options: CallOptions): Promise<ModelCatalog> {
    return this.catalog.catalog(options);
  }

  /** txt2img, or img2img when the request carries images. */
  async *generate(
    request: GenerationRequest,
    options: CallOptions,
  ): AsyncGenerator<StreamPart> {
    if (request.kind !== 'image') {
      throw new InvalidRequestError(`${this.upstream.describe()} only generates images`, {
        param: 'model',
      });
    }
    const initImages = await fetchRequestImages(request, {
      signal: options.signal,
      allowPrivateAddresses: this.allowPrivateMedia,
      max: maxInitImages,
    });
    const { kind, payload } = convertToAutomatic1111Payload(request, initImages);
    yield* this.generatePayload(kind, payload, { ...options, model: request.model });
  }

  /**
   * Runs a payload in the API's own format (validated here with the exported schema), as
   * the balancer's jobs carry it. `model`, when given and the payload names no checkpoint,
   * becomes its checkpoint.
   */
  async *generatePayload(
    kind: PayloadJobKind,
    payload: unknown,
    options: CallOptions & { model?: string },
  ): AsyncGenerator<StreamPart> {
    if (kind === 'mix2img') {
      throw new InvalidRequestError(
        'AUTOMATIC1111 runs text2img and img2img, not mix2img',
        {
          param: 'kind',
        },
      );
    }
    const valid = parsePayload(
      automatic1111PayloadSchemas[kind],
      payload,
      `automatic1111 ${kind}`,
    );
    const model = this.settings.switchModels ? (options.model ?? '') : '';
    yield* runAutomatic1111Job(
      this.upstream,
      kind,
      withCheckpoint(valid, model),
      options.signal,
      this.job,
    );
  }

  /**
   * Resolves when the server answers `/sdapi/v1/progress` (within 5 s) as AUTOMATIC1111
   * does; otherwise throws the typed error (refused connection: a retryable UpstreamError;
   * wrong credentials: AuthenticationError). For the balancer's health checks.
   */
  async ping(signal: AbortSignal): Promise<void> {
    const response = await this.upstream.get('/progress?skip_current_image=true', {
      signal,
      timeoutMs: pingTimeoutMs,
    });
    await this.upstream.read(response, progressResponseSchema, 'progress');
  }
}

export const automatic1111Factory: ProviderFactory<Automatic1111Settings> = {
  type: 'automatic1111',
  label: 'AUTOMATIC1111 Stable Diffusion web UI',
  settings: automatic1111SettingsSchema,
  create: (id, settings, context) => new Automatic1111Provider(id, settings, context),
};
