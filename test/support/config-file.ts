import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAIDouble } from '../upstreams/openai-compatible/openai-compatible-double.js';

/** An `openai-compatible` instance serving the double's default chat and image models. */
export function doubleInstance(
  double: OpenAIDouble,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'openai-compatible',
    baseUrl: double.baseUrl,
    models: ['double-chat'],
    imageModels: ['double-image'],
    ...extra,
  };
}

export interface ConfigFile {
  /** A fresh folder holding the file and, as `data/`, the data folder. */
  folder: string;
  path: string;
  remove(): Promise<void>;
}

/** Writes `genrelay.config.json` with these providers into a fresh temporary folder. */
export async function writeConfigFile(
  providers: Record<string, unknown>,
): Promise<ConfigFile> {
  const folder = await mkdtemp(join(tmpdir(), 'genrelay-config-'));
  const path = join(folder, 'genrelay.config.json');
  await writeFile(
    path,
    JSON.stringify({
      server: { dataDir: join(folder, 'data') },
      // Only the doubles: a built-in instance would reach the internet.
      builtInProviders: false,
      providers,
    }),
  );
  return { folder, path, remove: () => rm(folder, { recursive: true, force: true }) };
}
