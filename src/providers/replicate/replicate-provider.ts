import type { GenerationRequest } from '../../core/generation-request.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { CallOptions, Provider } from '../provider.js';
import type { ProviderContext, ProviderFactory } from '../provider-factory.js';
import { InputFieldsCache } from './input-fields.js';
import { generateChat } from './replicate-chat.js';
import { generateImages } from './replicate-images.js';
import { replicateCatalog } from './replicate-models.js';
import { type ReplicateSettings, replicateSettingsSchema } from './replicate-settings.js';
import { ReplicateUpstream } from './replicate-upstream.js';

const tokenVariable = 'REPLICATE_API_TOKEN';

/** Replicate's predictions API: text models streamed, image models polled and downloaded. */
export class ReplicateProvider implements Provider {
  readonly type = 'replicate';
  readonly label = 'Replicate';
  private readonly upstream: ReplicateUpstream;
  private readonly inputFields: InputFieldsCache;
  private readonly catalog: ModelCatalog;

  constructor(
    readonly id: string,
    private readonly settings: ReplicateSettings,
    context: ProviderContext,
  ) {
    const token =
      settings.apiKey ?? settings.token ?? nonEmpty(context.env[tokenVariable]);
    this.upstream = new ReplicateUpstream({
      id,
      baseUrl: settings.baseUrl,
      token,
      http: context.http,
      logger: context.logger,
      allowPrivateOutputs: context.allowPrivateMediaUrls === true,
    });
    this.inputFields = new InputFieldsCache(this.upstream);
    this.catalog = replicateCatalog(settings);
  }

  models(): Promise<ModelCatalog> {
    return Promise.resolve(this.catalog);
  }

  generate(request: GenerationRequest, options: CallOptions): AsyncIterable<StreamPart> {
    const generate = request.kind === 'image' ? generateImages : generateChat;
    return generate(this.upstream, this.inputFields, this.settings, request, options);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export const replicateFactory: ProviderFactory<ReplicateSettings> = {
  type: 'replicate',
  label: 'Replicate',
  settings: replicateSettingsSchema,
  builtIn: [
    {
      id: 'replicate',
      defaults: {},
      // Every call needs a token, so the instance only exists with one.
      enabledByDefault: (env) => nonEmpty(env[tokenVariable]) !== undefined,
    },
  ],
  environment: [`${tokenVariable} (when the instance sets no apiKey or token)`],
  create: (id, settings, context) => new ReplicateProvider(id, settings, context),
};
