import { z } from 'zod';
import type { JsonValue } from '../../core/json.js';
import type { ConversationPart } from '../../core/stream-part.js';

const modelConversationSchema = z.object({ conversationId: z.string().min(1) });

const stateSchema = z.object({
  models: z.record(z.string(), z.unknown()),
});

/** Where one model's conversation stands upstream. */
export type ModelConversation = z.infer<typeof modelConversationSchema>;

/**
 * The HuggingChat conversation state, one upstream conversation per model:
 * `{"models": {"<model>": {"conversationId": "…"}}}`. Each model keeps its own, since a
 * chat-ui conversation is tied to the model it was created with; the message to reply to
 * is looked up each turn.
 */
export class ConversationState {
  private constructor(private readonly models: Record<string, JsonValue>) {}

  /**
   * The state a request carries. Anything else (no state, another provider's state, a
   * damaged entry) starts afresh, as a conversation that cannot be continued is a new one.
   */
  static from(value: JsonValue | undefined): ConversationState {
    const parsed = stateSchema.safeParse(value);
    return new ConversationState(
      parsed.success ? (parsed.data.models as Record<string, JsonValue>) : {},
    );
  }

  /** The conversation to continue with `model`, if there is one. */
  conversationFor(model: string): ModelConversation | undefined {
    const parsed = modelConversationSchema.safeParse(this.models[model]);
    return parsed.success ? parsed.data : undefined;
  }

  /** The part to hand back: every model's entry, with `model`'s set to `current`. */
  part(model: string, current: ModelConversation): ConversationPart {
    return {
      type: 'conversation',
      state: { models: { ...this.models, [model]: { ...current } } },
    };
  }
}
