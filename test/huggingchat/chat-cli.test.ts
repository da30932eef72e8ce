import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { type ConfigFile, writeConfigFile } from '../support/config-file.js';
import { createMemoryIo } from '../support/memory-io.js';
import { doubleSession } from '../upstreams/chat-ui/chat-ui-client.js';
import {
  type ChatUiDouble,
  startChatUiDouble,
} from '../upstreams/chat-ui/chat-ui-double.js';
import { jsonLines } from './huggingchat-config.js';

let double: ChatUiDouble;
let config: ConfigFile;

beforeAll(async () => {
  double = await startChatUiDouble({
    script: {
      kind: 'answer',
      reasoningStatus: 'Thinking',
      reasoning: ['Let me ', 'think.'],
      tokens: ['Paris', ' is the', ' capital.'],
      sources: [{ link: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris' }],
    },
  });
  // The built-in instance, given only an address: its cookie comes from the environment.
  config = await writeConfigFile({ huggingchat: { baseUrl: double.baseUrl } });
});
afterAll(async () => {
  await double?.close();
  await config?.remove();
});

async function chat(args: string[], env: Record<string, string> = {}) {
  const io = createMemoryIo({ cwd: config.folder, env });
  const code = await runCli(['chat', ...args, '--json', '--config', config.path], io);
  return { code, parts: jsonLines(io.output()), stderr: io.errors() };
}

const loggedIn = { HUGGINGCHAT_COOKIE: doubleSession };

describe.each(['older', 'current'] as const)(
  'genrelay chat with HuggingChat (%s chat-ui)',
  (version) => {
    it('prints the provider, title, reasoning, text, sources and finish, then continues', async () => {
      double.version = version;
      const prompt = 'What is the capital of France?';
      const first = await chat([prompt, '--model', 'double/thinker'], loggedIn);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      const { parts } = first;
      expect(parts[0]).toEqual({
        type: 'provider',
        provider: 'huggingchat',
        model: 'double/thinker',
        label: `HuggingChat (${new URL(double.origin).host})`,
      });
      expect(parts).toContainEqual({ type: 'title', title: 'What is the capital of' });
      expect(parts).toContainEqual({ type: 'reasoning', status: 'Thinking' });
      const of = (type: string, field: string) =>
        parts
          .filter((part) => part.type === type)
          .map((part) => part[field])
          .join('');
      expect(of('reasoning', 'delta')).toBe('Let me think.');
      expect(of('text', 'delta')).toBe('Paris is the capital.');
      if (version === 'older') {
        // Current chat-ui versions dropped web search updates.
        expect(parts).toContainEqual({
          type: 'sources',
          sources: [{ url: 'https://en.wikipedia.org/wiki/Paris', title: 'Paris' }],
        });
      }
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      const kinds = parts.map((part) => part.type);
      expect(kinds.indexOf('reasoning')).toBeLessThan(kinds.indexOf('text'));

      const state = parts.find((part) => part.type === 'conversation')?.state;
      const conversationsBefore = double.conversations.size;
      const second = await chat(
        [
          'And of Italy?',
          '--model',
          'double/thinker',
          '--conversation',
          JSON.stringify(state),
        ],
        loggedIn,
      );
      expect(second.code).toBe(0);
      expect(second.parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
      // One conversation upstream, holding both messages.
      expect(double.conversations.size).toBe(conversationsBefore);
      const conversation = [...double.conversations.values()].at(-1);
      expect(
        conversation?.messages
          .filter((message) => message.from === 'user')
          .map((message) => message.content),
      ).toEqual([prompt, 'And of Italy?']);
      // The state names the conversation only: each turn looks up the message to reply to.
      expect(second.parts.find((part) => part.type === 'conversation')?.state).toEqual({
        models: { 'double/thinker': { conversationId: conversation?.id } },
      });
    });
  },
);

describe('genrelay chat with HuggingChat and no session', () => {
  it('prints login-required and an auth error that says where the cookie goes', async () => {
    const { code, parts, stderr } = await chat(['Hi', '--model', 'double/chat']);
    expect(code).toBe(1);
    expect(parts.map((part) => part.type)).toEqual([
      'provider',
      'login-required',
      'error',
      'error',
    ]);
    expect(parts[1]).toEqual({
      type: 'login-required',
      provider: 'huggingchat',
      url: `${double.baseUrl}/login`,
    });
    expect(parts.at(-1)).toMatchObject({ fatal: true, code: 'authentication_failed' });
    expect(stderr).toContain('$HUGGINGCHAT_COOKIE');
    expect(stderr).toContain('$HUGGINGCHAT_COOKIES_FILE');
  });
});
