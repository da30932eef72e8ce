import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder holding a server's configuration file and, as `data/`, its data folder. */
export interface DurabilityFolder {
  folder: string;
  config: string;
  dataDir: string;
  /** (Re)writes the configuration: one AUTOMATIC1111 instance per name → base URL. */
  configure(instances: Record<string, string>): Promise<void>;
  remove(): Promise<void>;
}

export async function createDurabilityFolder(): Promise<DurabilityFolder> {
  const folder = await mkdtemp(join(tmpdir(), 'genrelay-durability-'));
  const config = join(folder, 'genrelay.config.json');
  const dataDir = join(folder, 'data');
  return {
    folder,
    config,
    dataDir,
    configure: async (instances) => {
      const providers = Object.fromEntries(
        Object.entries(instances).map(([name, baseUrl]) => [
          name,
          { type: 'automatic1111', baseUrl, slots: 2 },
        ]),
      );
      const settings = {
        server: { dataDir, allowPrivateMediaUrls: true },
        // Only the doubles: a built-in instance would reach the internet.
        builtInProviders: false,
        providers,
        // 200 jobs from 20 users wait at once.
        balancer: { maxUserQueueSize: { default: 200, ceiling: 200 } },
        log: { level: 'warn' },
      };
      await writeFile(config, JSON.stringify(settings));
    },
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
