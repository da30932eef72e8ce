import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/json.js';
import { ConversationState } from './conversation-state.js';

describe('ConversationState', () => {
  it('finds the conversation of each model and hands back every model’s entry', () => {
    const state = ConversationState.from({
      models: {
        a: { conversationId: 'c-a' },
        b: { conversationId: 'c-b' },
      },
    });
    expect(state.conversationFor('a')).toEqual({ conversationId: 'c-a' });
    expect(state.conversationFor('c')).toBeUndefined();
    expect(state.part('b', { conversationId: 'c-b2' })).toEqual({
      type: 'conversation',
      state: {
        models: {
          a: { conversationId: 'c-a' },
          b: { conversationId: 'c-b2' },
        },
      },
    });
  });

  it('reads a state written with the former messageId, and no longer writes one', () => {
    const state = ConversationState.from({
      models: { a: { conversationId: 'c-a', messageId: 'm-a' } },
    });
    expect(state.conversationFor('a')).toEqual({ conversationId: 'c-a' });
    expect(state.part('a', { conversationId: 'c-a' }).state).toEqual({
      models: { a: { conversationId: 'c-a' } },
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
