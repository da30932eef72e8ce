import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatUiDouble,
  startChatUiDouble,
} from '../../../test/upstreams/chat-ui/chat-ui-double.js';
import { silentLogger } from '../../core/logger.js';
import { resolveModel } from '../../core/model-catalog.js';
import { createHttpClient } from '../../http/http-client.js';
import { fallbackTextModels } from './fallback-models.js';
import { HuggingChatModels } from './huggingchat-models.js';
import { huggingChatSettingsSchema } from './huggingchat-settings.js';
import { HuggingChatUpstream } from './huggingchat-upstream.js';

const http = createHttpClient({ connectTimeoutMs: 2_000 });
let double: ChatUiDouble;
beforeAll(async () => {
  double = await startChatUiDouble();
});
afterAll(async () => {
  await double?.close();
  await http.close();
});

function models(settings: Record<string, unknown> = {}, baseUrl = double.baseUrl) {
  return new HuggingChatModels(
    new HuggingChatUpstream('hc', baseUrl, http),
    huggingChatSettingsSchema.parse({ baseUrl, ...settings }),
    silentLogger,
  );
}

const signal = () => AbortSignal.timeout(10_000);
const listings = () =>
  double.requests.filter((request) => request.path.includes('/models')).length;

describe('HuggingChatModels', () => {
  it('reads /api/v2/models on current chat-ui, once, with vision models and aliases', async () => {
    double.version = 'current';
    const catalog = models({ aliases: { quick: 'double/chat' } });
    const before = listings();
    const listed = await catalog.catalog({ signal: signal() });
    await catalog.catalog({ signal: signal() });
    expect(listings() - before).toBe(1);
    expect(listed).toMatchObject({
      textModels: ['double/chat', 'double/vision', 'double/thinker'],
      imageModels: [],
      visionModels: ['double/vision'],
      defaultTextModel: 'double/chat',
      defaultVisionModel: 'double/vision',
    });
    expect(resolveModel(listed, 'quick', 'chat')).toBe('double/chat');
    expect(resolveModel(listed, '', 'chat', true)).toBe('double/vision');
    expect(double.requests.at(-1)?.path).toBe('/chat/api/v2/models');
  });

  it('falls back to /api/models on older chat-ui', async () => {
    double.version = 'older';
    const listed = await models().catalog({ signal: signal() });
    expect(listed.textModels).toEqual(['double/chat', 'double/vision', 'double/thinker']);
    expect(double.requests.slice(-2).map((request) => request.path)).toEqual([
      '/chat/api/v2/models',
      '/chat/api/models',
    ]);
    double.version = 'current';
  });

  it('uses the fallback list when the upstream is unreachable or lists nothing', async () => {
    const gone = await models({}, 'http://127.0.0.1:9/chat').catalog({
      signal: signal(),
    });
    expect(gone.textModels).toEqual(fallbackTextModels);
    expect(gone.defaultTextModel).toBe('Qwen/Qwen2.5-72B-Instruct');
    expect(gone.visionModels).toEqual(['meta-llama/Llama-3.2-11B-Vision-Instruct']);
    expect(resolveModel(gone, 'qwen-2.5-72b', 'chat')).toBe('Qwen/Qwen2.5-72B-Instruct');
    double.failures = [{ endpoint: 'models', status: 200, body: '{"json":[]}' }];
    expect((await models().catalog({ signal: signal() })).textModels).toEqual(
      fallbackTextModels,
    );
    double.failures = [{ endpoint: 'models', status: 200, body: '<html>' }];
    expect((await models().catalog({ signal: signal() })).textModels).toEqual(
      fallbackTextModels,
    );
  });

  it('asks nothing when the models and vision models are configured', async () => {
    const before = listings();
    const listed = await models({
      models: ['a', 'b'],
      visionModels: ['b'],
      defaultModel: 'b',
    }).catalog({ signal: signal() });
    expect(listed).toMatchObject({
      textModels: ['a', 'b'],
      visionModels: ['b'],
      defaultTextModel: 'b',
    });
    expect(listings()).toBe(before);
  });
});
