import { fluxSchnellInputs } from './flux-schnell-inputs.js';
import type { FluxSpaceApp } from './flux-space-app.js';
import { fluxSpaceFactory } from './flux-space-factory.js';

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

export const voodoohopFlux1SchnellFactory = fluxSpaceFactory(
  fluxSchnellSpace,
  'FLUX.1-schnell on a Hugging Face Space (Gradio call API)',
);
