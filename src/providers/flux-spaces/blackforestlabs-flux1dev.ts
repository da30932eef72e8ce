import { fluxDevInputs } from './flux-dev-inputs.js';
import type { FluxSpaceApp } from './flux-space-app.js';
import { fluxSpaceFactory } from './flux-space-factory.js';

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

export const blackForestLabsFlux1DevFactory = fluxSpaceFactory(
  fluxDevSpace,
  'FLUX.1-dev on its Hugging Face Space (Gradio queue)',
);
