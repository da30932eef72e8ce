import { describe, expect, it } from 'vitest';
import type { Message } from './message.js';
import {
  imagePrompt,
  lastUserMessage,
  promptFromMessages,
  systemPrompt,
} from './prompt.js';

const conversation: Message[] = [
  { role: 'system', content: 's' },
  { role: 'user', content: 'hi' },
  { role: 'assistant', content: 'yo' },
  { role: 'user', content: 'q' },
];

describe('prompt helpers', () => {
  it('formats a conversation as role lines ending with Assistant:', () => {
    expect(promptFromMessages(conversation)).toBe(
      'System: s\nUser: hi\nAssistant: yo\nUser: q\nAssistant:',
    );
  });

  it('keeps a single message as it is', () => {
    expect(promptFromMessages([{ role: 'user', content: ' just this ' }])).toBe(
      ' just this ',
    );
  });

  it('drops blank messages and reads text parts', () => {
    const messages: Message[] = [
      { role: 'user', content: '  ' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', image: { kind: 'url', url: 'https://x/y.png' } },
        ],
      },
    ];
    expect(promptFromMessages(messages)).toBe('User: a\nAssistant:');
  });

  it('joins the trailing run of user messages, skipping trailing answers', () => {
    const messages: Message[] = [
      { role: 'user', content: 'old' },
      { role: 'assistant', content: 'answer' },
      { role: 'user', content: ' one ' },
      { role: 'user', content: '' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'pending' },
    ];
    expect(lastUserMessage(messages)).toBe('one\ntwo');
  });

  it('prefers the explicit image prompt over the messages', () => {
    expect(imagePrompt({ prompt: 'a fox', messages: conversation })).toBe('a fox');
    expect(imagePrompt({ messages: conversation })).toBe('q');
  });

  it('joins system messages', () => {
    expect(systemPrompt([...conversation, { role: 'system', content: 't' }])).toBe(
      's\nt',
    );
  });
});
