import { InvalidRequestError } from '../../core/errors.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import { imagePrompt } from '../../core/prompt.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { EndpointReference } from '../gradio/gradio-app-config.js';
import { GradioClient } from '../gradio/gradio-client.js';
import { runImageJob } from '../gradio/gradio-image-job.js';
import { ZeroGpuCredentials } from '../gradio/zerogpu-credentials.js';
import type { CallOptions, Provider } from '../provider.js';
import type { ProviderContext } from '../provider-factory.js';
import type { FluxSpaceApp } from './flux-space-app.js';
import type { FluxSpaceSettings } from './flux-space-settings.js';

/**
 * A FLUX image Space on Hugging Face (or any Gradio app with the same function). Public
 * Spaces answer anonymously; a Hugging Face token (`token`, else `HF_TOKEN`) makes calls
 * count against that account's larger ZeroGPU quota, and opens private Spaces.
 */
export class FluxSpaceProvider implements Provider {
  readonly type: string;
  readonly label: string;
  private readonly client: GradioClient;
  private readonly credentials: ZeroGpuCredentials | undefined;
  private readonly endpoint: EndpointReference;

  constructor(
    readonly id: string,
    private readonly settings: FluxSpaceSettings,
    context: ProviderContext,
    private readonly app: FluxSpaceApp,
  ) {
    this.type = app.type;
    this.label = app.label;
    const hfToken = settings.token ?? (context.env.HF_TOKEN || undefined);
    // The token goes to Hugging Face's own hosts, or wherever the operator wrote it for.
    const tokenForApp =
      hfToken !== undefined &&
      (settings.token !== undefined ||
        new URL(settings.baseUrl).hostname.endsWith('.hf.space'));
    this.client = new GradioClient({
      baseUrl: settings.baseUrl,
      http: context.http,
      provider: id,
      configCacheMs: settings.configCacheMs,
      ...(tokenForApp ? { headers: { authorization: `Bearer ${hfToken}` } } : {}),
      ...(hfToken === undefined
        ? {
            quotaHint: `Anonymous calls get the smallest ZeroGPU quota: set HF_TOKEN (or providers.${id}.token) to use a Hugging Face account's.`,
          }
        : {}),
    });
    this.credentials =
      settings.space === null
        ? undefined
        : new ZeroGpuCredentials({
            http: context.http,
            space: settings.space,
            hfToken,
            jwtUrl: settings.jwtUrl,
            provider: id,
          });
    this.endpoint =
      settings.fnIndex === undefined
        ? { apiName: settings.apiName }
        : { fnIndex: settings.fnIndex };
  }

  models(): Promise<ModelCatalog> {
    return Promise.resolve(this.app.catalog);
  }

  /** One job per image asked for; consecutive seeds when a seed is given. */
  async *generate(
    request: GenerationRequest,
    options: CallOptions,
  ): AsyncGenerator<StreamPart> {
    if (request.kind !== 'image') {
      throw new InvalidRequestError(`${this.id} only generates images`, {
        param: 'model',
        provider: this.id,
      });
    }
    if (imagePrompt(request).trim() === '') {
      throw new InvalidRequestError('The prompt is empty.', { param: 'prompt' });
    }
    const credentials = this.credentials;
    for (let index = 0; index < (request.count ?? 1); index++) {
      const seed = request.seed === undefined ? undefined : request.seed + index;
      const inputs = this.app.inputs(request, seed);
      yield* runImageJob(
        this.client,
        {
          endpoint: this.endpoint,
          protocol: this.app.protocol,
          data: inputs.data,
          imageOutput: 0,
          seedOutput: 1,
          width: inputs.width,
          height: inputs.height,
        },
        {
          signal: options.signal,
          timeoutMs: this.settings.timeoutMs,
          ...(credentials === undefined
            ? {}
            : { credentials: (signal) => credentials.headers(signal) }),
        },
      );
    }
    yield { type: 'finish', reason: 'stop' };
  }
}
