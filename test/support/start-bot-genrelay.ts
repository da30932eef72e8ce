import {
  type Automatic1111Double,
  type Automatic1111DoubleOptions,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';
import type { KandinskyDouble } from '../upstreams/kandinsky/kandinsky-double.js';
import type { OpenAIDouble } from '../upstreams/openai-compatible/openai-compatible-double.js';
import { doubleInstance } from './config-file.js';
import { type GenRelayUnderTest, startGenRelay } from './start-genrelay.js';

/** The token of the service `bot`. */
export const botToken = 'bot-token-0123456789';

export interface BotGenRelayOptions {
  /** The AUTOMATIC1111 double behind the instance `gpu-a`. */
  a1111: Automatic1111DoubleOptions;
  /** Served as the instance `kand`, when given. */
  kandinsky?: KandinskyDouble;
  /** Served as the instance `local` (models `double-chat`, `double-image`), when given. */
  openai?: OpenAIDouble;
  /** More configuration: `balancer`, `moderation`, `websocket`… */
  config?: Record<string, unknown>;
}

export interface BotGenRelay {
  /** genrelay with the one service `bot`. */
  genrelay: GenRelayUnderTest;
  a1111: Automatic1111Double;
  /** Stops genrelay, then the AUTOMATIC1111 double (the other doubles are the caller's). */
  close(): Promise<void>;
}

/**
 * genrelay as the websocket and SDK tests use it: the service `bot`, an AUTOMATIC1111
 * double as `gpu-a` polled for progress every 10 ms, media URLs on loopback allowed.
 */
export async function startBotGenRelay(
  options: BotGenRelayOptions,
): Promise<BotGenRelay> {
  const a1111 = await startAutomatic1111Double(options.a1111);
  const { kandinsky, openai } = options;
  try {
    const genrelay = await startGenRelay({
      server: { allowPrivateMediaUrls: true },
      services: { bot: { token: botToken } },
      providers: {
        'gpu-a': {
          type: 'automatic1111',
          baseUrl: a1111.baseUrl,
          progressIntervalMs: 10,
        },
        ...(kandinsky === undefined
          ? {}
          : {
              kand: {
                type: 'kandinsky',
                baseUrl: kandinsky.baseUrl,
                token: 'kandinsky-token',
              },
            }),
        ...(openai === undefined ? {} : { local: doubleInstance(openai) }),
      },
      ...options.config,
    });
    return {
      genrelay,
      a1111,
      close: async () => {
        await genrelay.close();
        await a1111.close();
      },
    };
  } catch (error) {
    await a1111.close();
    throw error;
  }
}
