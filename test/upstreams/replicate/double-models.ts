/** A model the double serves. */
export interface DoubleModel {
  /** `owner/name`. */
  id: string;
  kind: 'text' | 'image';
  /** 64 hex digits. */
  version: string;
  /** Official models also run by name (`POST /v1/models/{owner}/{name}/predictions`). */
  official: boolean;
  /** The input names its OpenAPI schema lists. */
  inputs: string[];
  /** Text models only: whether predictions get a `urls.stream`. Default true. */
  streams?: boolean;
}

const hex = (digit: string) => digit.repeat(64);

/**
 * The seed's four models at their pinned versions, two official models as a user might
 * name them, and a text model without streaming.
 */
export const defaultModels: readonly DoubleModel[] = [
  {
    id: 'google-deepmind/gemma-2b-it',
    kind: 'text',
    version: 'dff94eaf770e1fc211e425a50b51baa8e4cac6c39ef074681f9e39d778773626',
    official: false,
    inputs: ['prompt', 'max_new_tokens', 'temperature', 'top_p', 'top_k'],
  },
  {
    id: 'stability-ai/stable-diffusion-3',
    kind: 'image',
    version: '527d2a6296facb8e47ba1eaf17f142c240c19a30894f437feee9b91cc29d8e4f',
    official: true,
    inputs: ['prompt', 'aspect_ratio', 'cfg', 'steps', 'negative_prompt', 'seed'],
  },
  {
    id: 'bytedance/sdxl-lightning-4step',
    kind: 'image',
    version: '5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f',
    official: false,
    inputs: ['prompt', 'negative_prompt', 'width', 'height', 'num_outputs', 'seed'],
  },
  {
    id: 'playgroundai/playground-v2.5-1024px-aesthetic',
    kind: 'image',
    version: 'a45f82a1382bed5c7aeb861dac7c7d191b0fdf74d8d57c4a0e6ed7d4d0bf7d24',
    official: false,
    inputs: ['prompt', 'negative_prompt', 'width', 'height', 'num_outputs', 'seed'],
  },
  {
    id: 'meta/meta-llama-3-8b-instruct',
    kind: 'text',
    version: hex('a'),
    official: true,
    inputs: ['prompt', 'system_prompt', 'max_tokens', 'temperature', 'stop_sequences'],
  },
  {
    id: 'black-forest-labs/flux-schnell',
    kind: 'image',
    version: hex('b'),
    official: true,
    inputs: ['prompt', 'aspect_ratio', 'num_outputs', 'num_inference_steps', 'seed'],
  },
  {
    id: 'genrelay-test/plain-text',
    kind: 'text',
    version: hex('c'),
    official: false,
    inputs: ['prompt', 'max_new_tokens'],
    streams: false,
  },
];

/** The version object Replicate returns, with an OpenAPI schema listing the inputs. */
export function versionObject(model: DoubleModel) {
  const properties = Object.fromEntries(
    model.inputs.map((name, order) => [name, { title: name, 'x-order': order }]),
  );
  return {
    id: model.version,
    created_at: '2025-01-01T00:00:00.000Z',
    cog_version: '0.13.7',
    openapi_schema: {
      openapi: '3.0.2',
      components: {
        schemas: {
          Input: { type: 'object', title: 'Input', required: ['prompt'], properties },
        },
      },
    },
  };
}
