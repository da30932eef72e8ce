import type { ProviderFactory } from '../provider-factory.js';
import { fluxSchnellInputs } from './flux-schnell-inputs.js';
import type { FluxSpaceApp } from './flux-space-app.js';
import { FluxSpaceProvider } from './flux-space-provider.js';
import {
  type FluxSpaceSettings,
  fluxSpaceSettingsSchema,
} from './flux-space-settings.js';

/** voodoohop/flux-1-schnell: the simple call API, one round trip for the result. */
export const fluxSchnellSpace: FluxSpaceApp = {
  type: 'voodoohop-flux1schnell',
  label: 'Voodoohop Flux-1-Schnell',
  baseUrl: 'https://voodoohop-flux-1-schnell.hf.space',
  space: 'voodoohop/flux-1-schnell',
  catalog: {
    textModels: [],
    imageModels: ['flux-schnell'],
    visionModels: [],
    defaultImageModel: 'flux-schnell',
    aliases: { flux: 'flux-schnell' },
  },
  protocol: 'call',
  inputs: fluxSchnellInputs,
};

export const voodoohopFlux1SchnellFactory: ProviderFactory<FluxSpaceSettings> = {
  type: fluxSchnellSpace.type,
  label: 'FLUX.1-schnell on a Hugging Face Space (Gradio call API)',
  settings: fluxSpaceSettingsSchema(fluxSchnellSpace),
  builtIn: [
    {
      id: fluxSchnellSpace.type,
      defaults: {},
      // The Space is public: anonymous calls work, within the anonymous ZeroGPU quota.
      enabledByDefault: () => true,
    },
  ],
  environment: ['HF_TOKEN (optional: a larger ZeroGPU quota, private Spaces)'],
  create: (id, settings, context) =>
    new FluxSpaceProvider(id, settings, context, fluxSchnellSpace),
};
