import type { z } from 'zod';
import type { Logger } from '../core/logger.js';
import type { HttpClient } from '../http/http-client.js';
import type { Provider } from './provider.js';
import type { ProviderSettings } from './provider-settings.js';

/** What a provider may use besides its settings. */
export interface ProviderContext {
  http: HttpClient;
  logger: Logger;
  /** Environment variables, for credentials not written in the configuration. */
  env: Readonly<Record<string, string | undefined>>;
  /** The data folder, for caches a provider keeps (auth results, tokens). */
  dataDir: string;
  /**
   * Whether images named by URL in requests may come from plain http and private
   * addresses (`server.allowPrivateMediaUrls`); off, such URLs are refused (SSRF guard).
   */
  allowPrivateMediaUrls?: boolean;
}

/** How to build one type of provider from its settings. */
export interface ProviderFactory<Settings extends ProviderSettings = ProviderSettings> {
  type: string;
  label: string;
  /** Validates an instance's settings; extends `providerSettingsSchema`. */
  settings: z.ZodType<Settings>;
  /**
   * Built-in instances exist without being configured, under these names, with these
   * settings merged under whatever the configuration says.
   */
  builtIn?: {
    id: string;
    defaults: Partial<Settings>;
    enabledByDefault(env: ProviderContext['env']): boolean;
  }[];
  /** Environment variables read for credentials, for the documentation and `genrelay providers`. */
  environment?: string[];
  create(id: string, settings: Settings, context: ProviderContext): Provider;
}
