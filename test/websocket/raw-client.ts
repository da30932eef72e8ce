import WebSocket from 'ws';

export type WireMessage = Record<string, unknown> & { message_type: string };

/** A raw `ws` client for tests: every message kept in order, waits that are bounded. */
export interface RawClient {
  socket: WebSocket;
  messages: WireMessage[];
  send(message: unknown): void;
  /** The first message not returned before that matches, waiting for it if need be. */
  next(
    match: (message: WireMessage) => boolean,
    timeoutMs?: number,
  ): Promise<WireMessage>;
  /** Resolves with the close code and reason once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export async function openRawClient(
  url: string,
  options: { headers?: Record<string, string>; path?: string; autoPong?: boolean } = {},
): Promise<RawClient> {
  const socket = new WebSocket(
    `${url.replace(/^http/, 'ws')}${options.path ?? '/v1/ws'}`,
    {
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      autoPong: options.autoPong ?? true,
    },
  );
  const messages: WireMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as WireMessage);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters) wake();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const taken = new Set<number>();
  return {
    socket,
    messages,
    send: (message) =>
      socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: (match, timeoutMs = 10_000) =>
      new Promise<WireMessage>((resolve, reject) => {
        const look = () => {
          const index = messages.findIndex(
            (message, at) => !taken.has(at) && match(message),
          );
          if (index !== -1) {
            taken.add(index);
            finish();
            resolve(messages[index] as WireMessage);
          } else if (socket.readyState === WebSocket.CLOSED) {
            finish();
            reject(new Error(`closed before a matching message; got ${json(messages)}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(`no matching message in ${timeoutMs} ms; got ${json(messages)}`),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(look);
        };
        waiters.add(look);
        look();
      }),
    closed,
    close: async () => {
      if (socket.readyState !== WebSocket.CLOSED) {
        socket.close();
        await closed;
      }
    },
  };
}

function json(messages: WireMessage[]): string {
  return JSON.stringify(messages.slice(-5)).slice(0, 2000);
}

/** A response about a job with this status. */
export const status =
  (genStatus: string, objectId?: string) =>
  (message: WireMessage): boolean =>
    message.message_type === 'response' &&
    message.gen_status === genStatus &&
    (objectId === undefined || message.object_id === objectId);

export const errorReply = (message: WireMessage): boolean =>
  message.message_type === 'error';
