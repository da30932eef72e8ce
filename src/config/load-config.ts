import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  findBuiltInInstance,
  findProviderFactory,
  type ProviderInstance,
  providerFactories,
} from '../providers/provider-registry.js';
import { ConfigError } from './config-error.js';
import { type ConfigFile, configSchema } from './config-schema.js';
import { formatIssues } from './format-issues.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The whole, validated configuration, with every provider instance resolved. */
export interface GenRelayConfig
  extends Omit<ConfigFile, 'providers' | 'builtInProviders'> {
  providers: ProviderInstance[];
  /** Where it came from (a file path, or `defaults`). */
  source: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveInstance(
  id: string,
  raw: unknown,
  problems: string[],
): ProviderInstance | undefined {
  if (!isObject(raw)) {
    problems.push(`providers.${id}: must be an object of settings`);
    return undefined;
  }
  const builtIn = findBuiltInInstance(id);
  const type = typeof raw.type === 'string' ? raw.type : builtIn?.factory.type;
  const factory = type === undefined ? undefined : findProviderFactory(type);
  if (factory === undefined) {
    const types = providerFactories.map((known) => known.type).join(', ');
    problems.push(
      type === undefined
        ? `providers.${id}.type: required, as "${id}" is not a built-in provider (types: ${types})`
        : `providers.${id}.type: unknown provider type "${type}" (types: ${types})`,
    );
    return undefined;
  }
  const defaults = builtIn?.factory === factory ? builtIn.builtIn.defaults : {};
  const parsed = factory.settings.safeParse({ ...defaults, ...raw, type: factory.type });
  if (!parsed.success) {
    problems.push(...formatIssues(parsed.error.issues, ['providers', id]));
    return undefined;
  }
  return { id, type: factory.type, settings: parsed.data };
}

/**
 * Validates a configuration object. Configured instances come first, in the order written;
 * built-in instances that are not configured follow when their credentials are present.
 */
export function parseConfig(
  raw: unknown,
  source: string,
  env: Environment,
): GenRelayConfig {
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(source, formatIssues(parsed.error.issues));
  const problems: string[] = [];
  const providers: ProviderInstance[] = [];
  for (const [id, settings] of Object.entries(parsed.data.providers)) {
    const instance = resolveInstance(id, settings, problems);
    if (instance !== undefined) providers.push(instance);
  }
  for (const factory of parsed.data.builtInProviders ? providerFactories : []) {
    for (const builtIn of factory.builtIn ?? []) {
      if (builtIn.id in parsed.data.providers || !builtIn.enabledByDefault(env)) continue;
      const instance = resolveInstance(builtIn.id, {}, problems);
      if (instance !== undefined) providers.push(instance);
    }
  }
  for (const [model, names] of Object.entries(parsed.data.routes)) {
    names.forEach((name, index) => {
      if (!providers.some((instance) => instance.id === name)) {
        problems.push(`routes.${model}[${index}]: unknown provider instance "${name}"`);
      }
    });
  }
  if (problems.length > 0) throw new ConfigError(source, problems);
  const { builtInProviders: _, ...settings } = parsed.data;
  return { ...settings, providers, source };
}

/**
 * Reads the configuration from `path`, else `GENRELAY_CONFIG`, else
 * `./genrelay.config.json` when present; with none of them, the defaults.
 */
export async function loadConfig(
  options: { path?: string | undefined; env?: Environment; cwd?: string } = {},
): Promise<GenRelayConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const fallback = resolve(cwd, 'genrelay.config.json');
  const path =
    options.path ?? env.GENRELAY_CONFIG ?? (existsSync(fallback) ? fallback : undefined);
  let raw: unknown = {};
  if (path !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, path), 'utf8');
    } catch (error) {
      throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`]);
    }
  }
  const config = parseConfig(raw, path ?? 'defaults', env);
  return {
    ...config,
    server: { ...config.server, dataDir: resolve(cwd, config.server.dataDir) },
  };
}
