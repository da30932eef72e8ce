import type { ProviderFactory } from '../provider-factory.js';
import type { FluxSpaceApp } from './flux-space-app.js';
import { FluxSpaceProvider } from './flux-space-provider.js';
import {
  type FluxSpaceSettings,
  fluxSpaceSettingsSchema,
} from './flux-space-settings.js';

/** The provider type of a FLUX Space, with one built-in instance named after it. */
export function fluxSpaceFactory(
  app: FluxSpaceApp,
  label: string,
): ProviderFactory<FluxSpaceSettings> {
  return {
    type: app.type,
    label,
    settings: fluxSpaceSettingsSchema(app),
    builtIn: [
      {
        id: app.type,
        defaults: {},
        // The Space is public: anonymous calls work, within the anonymous ZeroGPU quota.
        enabledByDefault: () => true,
      },
    ],
    environment: ['HF_TOKEN (optional: a larger ZeroGPU quota, private Spaces)'],
    create: (id, settings, context) => new FluxSpaceProvider(id, settings, context, app),
  };
}
