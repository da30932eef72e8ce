import { automatic1111Factory } from './automatic1111/automatic1111-provider.js';
import { fluxSpaceFactories } from './flux-spaces/flux-space-factories.js';
import { huggingChatFactory } from './huggingchat/huggingchat-factory.js';
import { kandinskyFactory } from './kandinsky/kandinsky-provider.js';
import { openAICompatibleFactory } from './openai-compatible/openai-compatible-provider.js';
import type { Provider } from './provider.js';
import type { ProviderContext, ProviderFactory } from './provider-factory.js';
import type { ProviderSettings } from './provider-settings.js';
import { replicateFactory } from './replicate/replicate-provider.js';

/** Every provider type genrelay knows, in the order their built-in instances are tried. */
// biome-ignore lint/suspicious/noExplicitAny: each factory validates its own settings type.
export const providerFactories: readonly ProviderFactory<any>[] = [
  openAICompatibleFactory,
  ...fluxSpaceFactories,
  huggingChatFactory,
  replicateFactory,
  automatic1111Factory,
  kandinskyFactory,
];

export function findProviderFactory(type: string): ProviderFactory | undefined {
  return providerFactories.find((factory) => factory.type === type);
}

/** The built-in instance named `id`, with its factory, if there is one. */
export function findBuiltInInstance(id: string) {
  for (const factory of providerFactories) {
    const builtIn = factory.builtIn?.find((instance) => instance.id === id);
    if (builtIn !== undefined) return { factory, builtIn };
  }
  return undefined;
}

/** A provider instance as the configuration resolved it: a name, a type, valid settings. */
export interface ProviderInstance {
  id: string;
  type: string;
  settings: ProviderSettings;
}

/** Builds the enabled instances, in configuration order. */
export function createProviders(
  instances: readonly ProviderInstance[],
  context: ProviderContext,
): Provider[] {
  return instances
    .filter((instance) => instance.settings.enabled)
    .map((instance) => {
      const factory = findProviderFactory(instance.type);
      if (factory === undefined)
        throw new Error(`Unknown provider type "${instance.type}"`);
      return factory.create(instance.id, instance.settings, context);
    });
}
