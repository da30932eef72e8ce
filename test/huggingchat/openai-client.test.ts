import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GenRelayUnderTest, startGenRelay } from '../support/start-genrelay.js';
import {
  type ChatUiDouble,
  startChatUiDouble,
} from '../upstreams/chat-ui/chat-ui-double.js';
import { huggingChatInstance } from './huggingchat-config.js';

let double: ChatUiDouble;
let genrelay: GenRelayUnderTest;

beforeAll(async () => {
  double = await startChatUiDouble({
    script: {
      kind: 'answer',
      reasoning: ['Counting', ' slowly.'],
      tokens: ['One', ' two', ' three.'],
    },
  });
  double.setScript('double/vision', {
    kind: 'answer',
    tokens: ['Here it is.'],
    image: true,
  });
  genrelay = await startGenRelay({
    providers: { huggingchat: huggingChatInstance(double) },
  });
});
afterAll(async () => {
  await genrelay?.close();
  await double?.close();
});

/** The genrelay extension fields the final chunk carries beside OpenAI's. */
type Extended = { conversation?: unknown; title?: string };

describe('HuggingChat through /v1/chat/completions and the official openai client', () => {
  it('streams the tokens and reasoning_content, and continues with `conversation`', async () => {
    const client = genrelay.openai();
    const stream = await client.chat.completions.create({
      model: 'double/thinker',
      messages: [
        { role: 'system', content: 'Count.' },
        { role: 'user', content: 'Count to three' },
      ],
      stream: true,
    });
    let content = '';
    let reasoning = '';
    let last: Extended = {};
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as {
        content?: string;
        reasoning_content?: string;
      };
      content += delta?.content ?? '';
      reasoning += delta?.reasoning_content ?? '';
      if (chunk.choices[0]?.finish_reason) {
        expect(chunk.choices[0].finish_reason).toBe('stop');
        last = chunk as unknown as Extended;
      }
    }
    expect(content).toBe('One two three.');
    expect(reasoning).toBe('Counting slowly.');
    expect(last.title).toBe('Count to three');
    expect(last.conversation).toMatchObject({ models: { 'double/thinker': {} } });
    const conversations = double.conversations.size;

    const again = await client.chat.completions.create({
      model: 'double/thinker',
      messages: [
        { role: 'user', content: 'Count to three' },
        { role: 'assistant', content: content },
        { role: 'user', content: 'Now backwards' },
      ],
      // genrelay's documented extension: the state of the earlier answer.
      conversation: last.conversation,
    } as ChatCompletionCreateParamsNonStreaming);
    expect(again.choices[0]?.message.content).toBe('One two three.');
    expect(double.conversations.size).toBe(conversations);
    expect(double.sent.at(-1)?.data.inputs).toBe('Now backwards');
  });

  it('stores an image the model made and links it in the answer', async () => {
    const completion = await genrelay.openai().chat.completions.create({
      model: 'double/vision',
      messages: [{ role: 'user', content: 'Draw a square' }],
    });
    const content = completion.choices[0]?.message.content ?? '';
    const link = /!\[Draw a square\]\((http[^)]+)\)/.exec(content)?.[1];
    expect(content.startsWith('Here it is.')).toBe(true);
    expect(link).toMatch(new RegExp(`^${genrelay.url}/v1/files/`));
    const image = await fetch(link ?? '', { signal: AbortSignal.timeout(5_000) });
    expect(image.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await image.arrayBuffer()).subarray(1, 4)]).toEqual([
      80, 78, 71,
    ]);
  });

  it('lists the models chat-ui lists', async () => {
    const ids = [];
    for await (const model of genrelay.openai().models.list()) ids.push(model.id);
    expect(ids).toEqual(
      expect.arrayContaining(['double/chat', 'double/vision', 'double/thinker']),
    );
    expect(ids).not.toContain('double/hidden');
  });
});
