import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { GeneratorClient } from '../../src/client/index.js';

/** How the scripted server answers the n-th request (from 0): not at all, or so. */
type Answer = 'none' | 'queued' | 'rate_limited';

/** A server that says `ready`, then answers requests as scripted and cancels never. */
async function scriptedServer(
  answer: (index: number) => Answer,
  requests: number[] = [],
): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.send(
      JSON.stringify({
        message_type: 'info',
        event: 'ready',
        service: 'bot',
        connection_id: 'c-1',
      }),
    );
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        message_type: string;
        request_id?: string;
      };
      if (message.message_type !== 'request') return;
      const told = answer(requests.length);
      requests.push(Date.now());
      if (told === 'rate_limited') {
        socket.send(
          JSON.stringify({
            message_type: 'error',
            request_id: message.request_id,
            error: { code: 'rate_limited', message: 'Send more once they are answered' },
          }),
        );
      }
      if (told !== 'queued') return;
      socket.send(
        JSON.stringify({
          message_type: 'response',
          request_id: message.request_id,
          object_id: `job-${message.request_id}`,
          service: 'bot',
          executor: 'automatic1111',
          gen_type: 'text2img',
          service_info: { user_id: '1', chat_id: null, message_id: null },
          settings: { premium: false },
          gen_status: 'queued',
          avg_time: null,
          position: 0,
          eta_ms: null,
        }),
      );
    });
  });
  return server;
}

describe('GeneratorClient against a server that holds its answers back', () => {
  let server: WebSocketServer | undefined;
  let client: GeneratorClient | undefined;

  afterEach(async () => {
    await client?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    client = undefined;
    server = undefined;
  });

  const connect = async (answer: (index: number) => Answer, requests?: number[]) => {
    server = await scriptedServer(answer, requests);
    const { port } = server.address() as { port: number };
    client = new GeneratorClient({
      endpoint: `http://127.0.0.1:${port}`,
      WebSocket,
      requestTimeoutMs: 500,
    });
    await client.connect();
    return client;
  };

  const job = (connected: GeneratorClient) =>
    connected.text2img({
      executor: 'automatic1111',
      userId: 1,
      payload: { prompt: 'x' },
    });

  it('rejects a cancel of a request never answered after requestTimeoutMs', async () => {
    const connected = await connect(() => 'none');
    const sent = job(connected);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(connected.cancel(sent.requestId)).rejects.toMatchObject({
      code: 'timeout',
      requestId: sent.requestId,
    });
  });

  it('forgets a cancel whose final state never came', async () => {
    const connected = await connect(() => 'queued');
    const accepted = job(connected);
    await accepted.accepted;
    await expect(connected.cancel(accepted.requestId)).rejects.toMatchObject({
      code: 'timeout',
    });
    // The waiters of a cancel are the client's own: none is left once it gave up.
    const { cancels } = connected as unknown as { cancels: Map<string, unknown> };
    expect(cancels.size).toBe(0);
  });

  it('sends a request turned away again after a pause when no other is pending', async () => {
    const requests: number[] = [];
    const connected = await connect(
      (index) => (index < 3 ? 'rate_limited' : 'queued'),
      requests,
    );
    await job(connected).accepted;
    expect(requests).toHaveLength(4);
    for (const [index, sent] of requests.entries())
      if (index > 0) expect(sent - (requests[index - 1] ?? 0)).toBeGreaterThanOrEqual(50);
  });

  it('fails a request turned away for longer than requestTimeoutMs', async () => {
    const connected = await connect(() => 'rate_limited');
    await expect(job(connected).result).rejects.toMatchObject({ code: 'timeout' });
  });
});
