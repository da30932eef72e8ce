import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import { ConversationState } from './conversation-state.js';

describe('ConversationState', () => {
  it('finds the conversation of each model and hands back every model’s entry', () => {
    const state = ConversationState.from({
      models: {
        a: { conversationId: 'c-a', messageId: 'm-a' },
        b: { conversationId: 'c-b' },
      },
    });
    expect(state.conversationFor('a')).toEqual({
      conversationId: 'c-a',
      messageId: 'm-a',
    });
    expect(state.conversationFor('c')).toBeUndefined();
    expect(state.part('b', { conversationId: 'c-b', messageId: 'm-b' })).toEqual({
      type: 'conversation',
      state: {
        models: {
          a: { conversationId: 'c-a', messageId: 'm-a' },
          b: { conversationId: 'c-b', messageId: 'm-b' },
        },
      },
    });
  });

  it('starts afresh from no state, another provider’s state or a damaged entry', () => {
    const values: (JsonValue | undefined)[] = [
      undefined,
      null,
      'text',
      { thread: 'x' },
      { models: [] },
    ];
    for (const value of values) {
      expect(ConversationState.from(value).conversationFor('a')).toBeUndefined();
    }
    const damaged = ConversationState.from({ models: { a: { conversationId: 7 } } });
    expect(damaged.conversationFor('a')).toBeUndefined();
  });
});
