/** Which chat-ui the double speaks. */
export type ChatUiVersion =
  /** HEAD (2025–26): superjson API, `application/jsonl` replies, no web search updates. */
  | 'current'
  /** v0.9.x: SvelteKit page data (devalue), replies labelled `text/event-stream`. */
  | 'older';

export interface WebSource {
  link: string;
  title: string;
}

/** How the double answers a message. Every reply starts with `status: started`. */
export type ReplyScript =
  | {
      kind: 'answer';
      /** Default `['Hello', ' from', ' chat-ui.']`; each padded with NULs to 16 characters. */
      tokens?: string[];
      reasoning?: string[];
      reasoningStatus?: string;
      /** Sent for the first message of a conversation. Default: its first five words. */
      title?: string;
      /** Web search sources; only the older version sends them (as `webSearch` updates). */
      sources?: WebSource[];
      /** A generated PNG as a `file` update, served at `/conversation/{id}/output/{sha}`. */
      image?: boolean;
      /** Lines that are not JSON between the updates. */
      invalidLines?: boolean;
      tokenDelayMs?: number;
      /** The final answer says it stopped without the model's end token. */
      interrupted?: boolean;
      /** Sends only `finalAnswer` with the whole text, like endpoints that do not stream. */
      unstreamed?: boolean;
    }
  /** A `status: error` update after `tokens`, then the end (chat-ui's failure shape). */
  | { kind: 'status-error'; message?: string; statusCode?: number; tokens?: string[] }
  /** `tokens`, then the socket is destroyed before `finalAnswer`. */
  | { kind: 'cut'; tokens?: string[] }
  /** `tokens`, then the reply ends cleanly without `finalAnswer`. */
  | { kind: 'end-early'; tokens?: string[] }
  /** Keep-alives every `intervalMs` (default 50) and nothing else, until the client leaves. */
  | { kind: 'keepalive-only'; intervalMs?: number }
  /** Headers are never sent; `close()` ends the request. */
  | { kind: 'hang' };

export const defaultTokens = ['Hello', ' from', ' chat-ui.'];

/**
 * One scripted failure: the next request to `endpoint` answers `status` with chat-ui's
 * error body for `message`, or with `body` as it is (a malformed answer). On the older
 * version a `conversation` failure without `body` is an error node in the page data.
 */
export interface ScriptedFailure {
  endpoint: 'models' | 'create' | 'conversation' | 'send' | 'output';
  status: number;
  message?: string;
  body?: string;
}
