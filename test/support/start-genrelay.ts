import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parseConfig } from '../../src/config/load-config.js';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';

export interface GenRelayUnderTest {
  url: string;
  runtime: Runtime;
  server: RunningServer;
  dataDir: string;
  /** The official OpenAI client pointed at genrelay, never retrying on its own. */
  openai(options?: { apiKey?: string; timeout?: number }): OpenAI;
  close(): Promise<void>;
}

/** genrelay on a free loopback port, from a configuration object, with a fresh data folder. */
export async function startGenRelay(
  config: Record<string, unknown>,
): Promise<GenRelayUnderTest> {
  const dataDir = await mkdtemp(join(tmpdir(), 'genrelay-test-'));
  const server = (config.server ?? {}) as Record<string, unknown>;
  // Only the doubles: a built-in instance would reach the internet.
  const parsed = parseConfig(
    { builtInProviders: false, ...config, server: { ...server, dataDir } },
    'test',
    {},
  );
  const runtime = createRuntime(parsed, { env: {} });
  const running = await startServer(runtime, { host: '127.0.0.1', port: 0 });
  return {
    url: running.url,
    runtime,
    server: running,
    dataDir,
    openai: (options = {}) =>
      new OpenAI({
        baseURL: `${running.url}/v1`,
        apiKey: options.apiKey ?? 'unused',
        maxRetries: 0,
        timeout: options.timeout ?? 10_000,
      }),
    close: async () => {
      await running.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
