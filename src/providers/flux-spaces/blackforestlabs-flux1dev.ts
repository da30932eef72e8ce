import type { ProviderFactory } from '../provider-factory.js';
import { fluxDevInputs } from './flux-dev-inputs.js';
import type { FluxSpaceApp } from './flux-space-app.js';
import { FluxSpaceProvider } from './flux-space-provider.js';
import {
  type FluxSpaceSettings,
  fluxSpaceSettingsSchema,
} from './flux-space-settings.js';

/** black-forest-labs/FLUX.1-dev: the queue, with position, progress and previews. */
export const fluxDevSpace: FluxSpaceApp = {
  type: 'blackforestlabs-flux1dev',
  label: 'BlackForestLabs Flux-1-Dev',
  baseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
  space: 'black-forest-labs/FLUX.1-dev',
  catalog: {
    textModels: [],
    imageModels: ['flux-dev'],
    visionModels: [],
    defaultImageModel: 'flux-dev',
    aliases: { flux: 'flux-dev' },
  },
  protocol: 'queue',
  inputs: fluxDevInputs,
};

export const blackForestLabsFlux1DevFactory: ProviderFactory<FluxSpaceSettings> = {
  type: fluxDevSpace.type,
  label: 'FLUX.1-dev on its Hugging Face Space (Gradio queue)',
  settings: fluxSpaceSettingsSchema(fluxDevSpace),
  builtIn: [
    {
      id: fluxDevSpace.type,
      defaults: {},
      // The Space is public: anonymous calls work, within the anonymous ZeroGPU quota.
      enabledByDefault: () => true,
    },
  ],
  environment: ['HF_TOKEN (optional: a larger ZeroGPU quota, private Spaces)'],
  create: (id, settings, context) =>
    new FluxSpaceProvider(id, settings, context, fluxDevSpace),
};
