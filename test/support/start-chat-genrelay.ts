import { startOpenAIDouble } from '../upstreams/openai-compatible/openai-compatible-double.js';
import { type BotGenRelay, startBotGenRelay } from './start-bot-genrelay.js';

/**
 * genrelay for the service `bot` in front of an OpenAI double (model `double-chat`) that
 * writes `reasoning`, then `answer`, a token every 15 ms: each token is its own write, so
 * each reaches genrelay on its own. `close` stops the double too.
 */
export async function startChatGenRelay(
  answer: string,
  reasoning: string,
): Promise<BotGenRelay> {
  const openai = await startOpenAIDouble({
    behaviour: { kind: 'normal', text: answer, reasoning, tokenDelayMs: 15 },
  });
  try {
    const relay = await startBotGenRelay({ a1111: {}, openai });
    return {
      ...relay,
      close: async () => {
        await relay.close();
        await openai.close();
      },
    };
  } catch (error) {
    await openai.close();
    throw error;
  }
}
