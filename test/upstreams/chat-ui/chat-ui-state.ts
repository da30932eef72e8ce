import { randomUUID } from 'node:crypto';

/** A message as chat-ui stores it: a tree through `children` and `ancestors`. */
export interface DoubleMessage {
  id: string;
  from: 'system' | 'user' | 'assistant';
  content: string;
  createdAt: Date;
  updatedAt: Date;
  children: string[];
  ancestors: string[];
  files?: { type: 'hash'; name: string; value: string; mime: string }[];
}

export interface DoubleConversation {
  id: string;
  model: string;
  preprompt: string;
  title: string;
  rootMessageId: string;
  messages: DoubleMessage[];
  createdAt: Date;
  updatedAt: Date;
  /** Output files by sha256. */
  files: Map<string, { mime: string; data: Uint8Array }>;
  /**
   * The `hf-chat` value of another account that owns it; only that session may use it.
   * Unset: the conversation belongs to the double's logged-in account.
   */
  owner?: string;
}

/** A model as chat-ui's model lists describe it (the fields clients read, and a few more). */
export interface DoubleModel {
  id: string;
  multimodal?: boolean;
  supportsReasoning?: boolean;
  /** Not listed; creating a conversation with it is refused, as chat-ui does. */
  unlisted?: boolean;
}

export const defaultModels: DoubleModel[] = [
  { id: 'double/chat' },
  { id: 'double/vision', multimodal: true },
  { id: 'double/thinker', supportsReasoning: true },
  { id: 'double/hidden', unlisted: true },
];

/** A 24-hex id, like the Mongo ObjectIds chat-ui uses for conversations. */
export function objectId(sequence: number): string {
  const time = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `${time}${sequence.toString(16).padStart(16, '0')}`;
}

export function newConversation(
  id: string,
  model: string,
  preprompt: string,
): DoubleConversation {
  const now = new Date();
  const root: DoubleMessage = {
    id: randomUUID(),
    from: 'system',
    content: preprompt,
    createdAt: now,
    updatedAt: now,
    children: [],
    ancestors: [],
  };
  return {
    id,
    model,
    preprompt,
    title: 'New Chat',
    rootMessageId: root.id,
    messages: [root],
    createdAt: now,
    updatedAt: now,
    files: new Map(),
  };
}

/** Appends `message` under `parent`, as chat-ui's tree does. */
export function appendMessage(
  conversation: DoubleConversation,
  parent: DoubleMessage,
  from: 'user' | 'assistant',
  content: string,
): DoubleMessage {
  const now = new Date();
  const message: DoubleMessage = {
    id: randomUUID(),
    from,
    content,
    createdAt: now,
    updatedAt: now,
    children: [],
    ancestors: [...parent.ancestors, parent.id],
  };
  parent.children.push(message.id);
  conversation.messages.push(message);
  conversation.updatedAt = now;
  return message;
}
