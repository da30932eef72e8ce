import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatUiVersion, ReplyScript, ScriptedFailure } from './chat-ui-script.js';
import {
  type DoubleConversation,
  type DoubleModel,
  defaultModels,
} from './chat-ui-state.js';
import type { SentMessage } from './handle-send.js';
import { routeChatUi } from './route-chat-ui.js';

export type { ChatUiVersion, ReplyScript } from './chat-ui-script.js';

/** One request as the double received it. */
export interface RecordedRequest {
  method: string;
  /** With the chat-ui root, without the query, e.g. `/chat/conversation`. */
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (multipart bodies too). */
  body: string;
}

/** A chat-ui (huggingface.co/chat or self-hosted) on loopback, under `/chat`. */
export interface ChatUiDouble {
  /** e.g. `http://127.0.0.1:54321/chat` */
  baseUrl: string;
  /** e.g. `http://127.0.0.1:54321` */
  origin: string;
  /** May be switched at any time. */
  version: ChatUiVersion;
  /** `hf-chat` values that count as logged in; others get chat-ui's refusals. */
  acceptedCookies: string[];
  /** When set, POST answers set `hf-chat` to this value (chat-ui refreshes it on POSTs). */
  issuedCookie: string | undefined;
  /** The reply for models without their own script. */
  script: ReplyScript;
  setScript(model: string, script: ReplyScript): void;
  /** Refusals to give, first in first out, each to the next request to its endpoint. */
  failures: ScriptedFailure[];
  models: DoubleModel[];
  conversations: Map<string, DoubleConversation>;
  /** Every message sent, in order. */
  sent: SentMessage[];
  /** Conversation ids a stop-generating request named. */
  stopped: string[];
  /** Replies whose client left before the reply ended. */
  abandonedReplies: number;
  requests: RecordedRequest[];
  /** Stops the server, ending hanging requests and open sockets. */
  close(): Promise<void>;
}

export interface ChatUiDoubleOptions {
  /** Default `current`. */
  version?: ChatUiVersion;
  /** Default `['hf-chat-double-session']`. */
  acceptedCookies?: string[];
  models?: DoubleModel[];
  script?: ReplyScript;
}

export async function startChatUiDouble(
  options: ChatUiDoubleOptions = {},
): Promise<ChatUiDouble> {
  const scripts = new Map<string, ReplyScript>();
  const closing = new AbortController();
  let sequence = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const [fullPath = '/', query = ''] = (request.url ?? '/').split('?', 2);
      double.requests.push({
        method: request.method ?? 'GET',
        path: fullPath,
        query,
        headers: request.headers,
        body: body.toString('utf8'),
      });
      response.on('close', () => {
        if (!response.writableEnded && response.headersSent) double.abandonedReplies++;
      });
      const exchange = { request, response, path: fullPath.replace(/^\/chat/, ''), body };
      routeChatUi(exchange, {
        double,
        nextSequence: () => ++sequence,
        scriptFor: (model) => scripts.get(model) ?? double.script,
        signal: closing.signal,
      }).catch((error: unknown) => {
        if (response.headersSent) response.destroy();
        else {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`The double failed: ${String(error)}`);
        }
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const double: ChatUiDouble = {
    baseUrl: `${origin}/chat`,
    origin,
    version: options.version ?? 'current',
    acceptedCookies: options.acceptedCookies ?? ['hf-chat-double-session'],
    issuedCookie: undefined,
    script: options.script ?? { kind: 'answer' },
    setScript: (model, script) => void scripts.set(model, script),
    failures: [],
    models: options.models ?? defaultModels,
    conversations: new Map(),
    sent: [],
    stopped: [],
    abandonedReplies: 0,
    requests: [],
    close: async () => {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return double;
}
