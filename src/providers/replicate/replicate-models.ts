import type { GenerationKind } from '../../core/generation-request.js';
import type { ModelCatalog } from '../../core/model-catalog.js';
import { modelReferencePattern } from './model-reference.js';
import type { ReplicateSettings } from './replicate-settings.js';

/** A model genrelay knows ahead: its pinned version and the inputs that version takes. */
export interface KnownModel {
  id: string;
  kind: GenerationKind;
  version: string;
  inputs: ReadonlySet<string>;
}

/**
 * The models of the original ReplicateHome provider, pinned to the versions it used, with
 * the input names of those versions' schemas (so no schema lookup is needed for them).
 */
const knownModels: readonly KnownModel[] = [
  {
    id: 'google-deepmind/gemma-2b-it',
    kind: 'chat',
    version: 'dff94eaf770e1fc211e425a50b51baa8e4cac6c39ef074681f9e39d778773626',
    inputs: new Set([
      'prompt',
      'max_new_tokens',
      'min_new_tokens',
      'temperature',
      'top_p',
      'top_k',
      'repetition_penalty',
    ]),
  },
  {
    id: 'stability-ai/stable-diffusion-3',
    kind: 'image',
    version: '527d2a6296facb8e47ba1eaf17f142c240c19a30894f437feee9b91cc29d8e4f',
    inputs: new Set([
      'prompt',
      'aspect_ratio',
      'cfg',
      'steps',
      'negative_prompt',
      'seed',
      'output_format',
      'output_quality',
      'prompt_strength',
      'image',
    ]),
  },
  {
    id: 'bytedance/sdxl-lightning-4step',
    kind: 'image',
    version: '5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f',
    inputs: new Set([
      'prompt',
      'negative_prompt',
      'width',
      'height',
      'num_outputs',
      'scheduler',
      'num_inference_steps',
      'guidance_scale',
      'seed',
      'disable_safety_checker',
    ]),
  },
  {
    id: 'playgroundai/playground-v2.5-1024px-aesthetic',
    kind: 'image',
    version: 'a45f82a1382bed5c7aeb861dac7c7d191b0fdf74d8d57c4a0e6ed7d4d0bf7d24',
    inputs: new Set([
      'prompt',
      'negative_prompt',
      'width',
      'height',
      'num_outputs',
      'scheduler',
      'guidance_scale',
      'num_inference_steps',
      'seed',
      'apply_watermark',
      'disable_safety_checker',
      'image',
      'mask',
      'prompt_strength',
    ]),
  },
];

const knownAliases: Readonly<Record<string, string>> = {
  'sd-3': 'stability-ai/stable-diffusion-3',
  sdxl: 'bytedance/sdxl-lightning-4step',
  'playground-v2.5': 'playgroundai/playground-v2.5-1024px-aesthetic',
  'gemma-2b': 'google-deepmind/gemma-2b-it',
};

export function findKnownModel(id: string): KnownModel | undefined {
  return knownModels.find((model) => model.id === id);
}

const idsOfKind = (kind: GenerationKind) =>
  knownModels.filter((model) => model.kind === kind).map((model) => model.id);

/** The seed's models and aliases, the configured ones, and any `owner/name[:version]`. */
export function replicateCatalog(
  settings: Pick<ReplicateSettings, 'models' | 'imageModels' | 'aliases'>,
): ModelCatalog {
  return {
    textModels: [...idsOfKind('chat'), ...settings.models],
    imageModels: [...idsOfKind('image'), ...settings.imageModels],
    visionModels: [],
    defaultTextModel: 'google-deepmind/gemma-2b-it',
    defaultImageModel: 'stability-ai/stable-diffusion-3',
    aliases: { ...knownAliases, ...settings.aliases },
    modelPattern: modelReferencePattern,
  };
}
