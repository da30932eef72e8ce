import type { GenerationRequest } from '../../core/generation-request.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import type { StreamPart } from '../../core/stream-part.js';
import type { CallOptions, Provider } from '../provider.js';
import type { ProviderContext, ProviderFactory } from '../provider-factory.js';
import { generateChat } from './openai-compatible-chat.js';
import { generateImages } from './openai-compatible-images.js';
import { OpenAICompatibleModels } from './openai-compatible-models.js';
import {
  type OpenAICompatibleSettings,
  openAICompatibleSettingsSchema,
} from './openai-compatible-settings.js';
import { OpenAICompatibleUpstream } from './openai-compatible-upstream.js';

/** Any server that speaks OpenAI's chat and images API: OpenAI, Ollama, vLLM, LM Studio. */
export class OpenAICompatibleProvider implements Provider {
  readonly type = 'openai-compatible';
  readonly label: string;
  private readonly upstream: OpenAICompatibleUpstream;
  private readonly catalog: OpenAICompatibleModels;

  constructor(
    readonly id: string,
    settings: OpenAICompatibleSettings,
    context: ProviderContext,
  ) {
    this.label = `OpenAI-compatible (${new URL(settings.baseUrl).host})`;
    const apiKey =
      settings.apiKey ??
      (settings.apiKeyEnv === undefined ? undefined : context.env[settings.apiKeyEnv]);
    this.upstream = new OpenAICompatibleUpstream(
      id,
      settings.baseUrl,
      apiKey,
      settings.headers,
      context.http,
      settings.timeoutMs,
    );
    this.catalog = new OpenAICompatibleModels(this.upstream, settings, context.logger);
  }

  models(options: CallOptions): Promise<ModelCatalog> {
    return this.catalog.catalog(options);
  }

  generate(request: GenerationRequest, options: CallOptions): AsyncIterable<StreamPart> {
    return request.kind === 'image'
      ? generateImages(this.upstream, request, options)
      : generateChat(this.upstream, request, options);
  }
}

export const openAICompatibleFactory: ProviderFactory<OpenAICompatibleSettings> = {
  type: 'openai-compatible',
  label: 'OpenAI-compatible server',
  settings: openAICompatibleSettingsSchema,
  builtIn: [
    {
      id: 'openai',
      defaults: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
      // Without a key every call to OpenAI fails, so the instance only exists with one.
      enabledByDefault: (env) =>
        env.OPENAI_API_KEY !== undefined && env.OPENAI_API_KEY !== '',
    },
  ],
  environment: [
    'OPENAI_API_KEY (the built-in "openai" instance)',
    'apiKeyEnv names any other',
  ],
  create: (id, settings, context) => new OpenAICompatibleProvider(id, settings, context),
};
