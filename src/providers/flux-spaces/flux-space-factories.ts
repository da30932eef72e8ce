import type { ProviderFactory } from '../provider-factory.js';
import { blackForestLabsFlux1DevFactory } from './blackforestlabs-flux1dev.js';
import type { FluxSpaceSettings } from './flux-space-settings.js';
import { voodoohopFlux1SchnellFactory } from './voodoohop-flux1schnell.js';

/** The FLUX Spaces, in the order `flux` tries them: FLUX.1-dev, then FLUX.1-schnell. */
export const fluxSpaceFactories: readonly ProviderFactory<FluxSpaceSettings>[] = [
  blackForestLabsFlux1DevFactory,
  voodoohopFlux1SchnellFactory,
];
