import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../core/json.js';
import type { SourcesPart, StreamPart, UsagePart } from '../../core/stream-part.js';
import type { ImagePublisher } from '../image-publisher.js';

/** What one part adds to the assistant message, in OpenAI's delta fields. */
export interface ChatDelta {
  content?: string;
  reasoning_content?: string;
}

/**
 * A chat answer being put together from stream parts, for both the streaming and the
 * one-piece OpenAI response. Images a chat model produces are stored and shown as Markdown.
 */
export class ChatAnswer {
  readonly id = `chatcmpl-${randomUUID().replaceAll('-', '')}`;
  readonly created = Math.floor(Date.now() / 1000);
  text = '';
  reasoning = '';
  finishReason: string | undefined;
  private usagePart: UsagePart | undefined;
  private conversation: JsonValue | undefined;
  private sources: SourcesPart['sources'] = [];
  private title: string | undefined;

  constructor(
    public model: string,
    private readonly publisher: ImagePublisher,
    private readonly baseUrl: string,
  ) {}

  async apply(part: StreamPart): Promise<ChatDelta | undefined> {
    switch (part.type) {
      case 'provider':
        this.model = part.model;
        return undefined;
      case 'text':
        this.text += part.delta;
        return { content: part.delta };
      case 'reasoning':
        if (!part.delta) return undefined;
        this.reasoning += part.delta;
        return { reasoning_content: part.delta };
      case 'image': {
        const image = await this.publisher.publish(part, this.baseUrl);
        const markdown = `${this.text === '' ? '' : '\n\n'}![${part.alt ?? 'image'}](${image.url})`;
        this.text += markdown;
        return { content: markdown };
      }
      case 'usage':
        this.usagePart = part;
        return undefined;
      case 'finish':
        this.finishReason = part.reason;
        return undefined;
      case 'conversation':
        this.conversation = part.state;
        return undefined;
      case 'sources':
        this.sources.push(...part.sources);
        return undefined;
      case 'title':
        this.title = part.title;
        return undefined;
      default:
        return undefined;
    }
  }

  /** Token counts; zero where the upstream reported none. */
  usage() {
    const prompt = this.usagePart?.promptTokens ?? 0;
    const completion = this.usagePart?.completionTokens ?? 0;
    return {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: this.usagePart?.totalTokens ?? prompt + completion,
    };
  }

  /** genrelay's fields beside OpenAI's: conversation state, sources, title. */
  extensions(): Record<string, JsonValue> {
    return {
      ...(this.conversation === undefined ? {} : { conversation: this.conversation }),
      ...(this.sources.length === 0 ? {} : { sources: this.sources }),
      ...(this.title === undefined ? {} : { title: this.title }),
    };
  }
}
