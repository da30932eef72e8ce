import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../core/errors.js';
import { createPublicHttpClient } from './create-public-http-client.js';

// The client's connections go through publicAddressLookup (tested on its own beside it).
describe('createPublicHttpClient', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const http = createPublicHttpClient({ totalTimeoutMs: 1000 });

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('secret'));
    server.on('connection', () => connections++);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await http.close();
    server.closeAllConnections();
    server.close();
  });

  it('never connects to a name that resolves to a private address', async () => {
    const outcome = http.request({ url: `http://localhost:${port}/` });
    await expect(outcome).rejects.toBeInstanceOf(InvalidRequestError);
    expect(connections).toBe(0);
  });

  it('passes the other options on to the client', async () => {
    const answering = createPublicHttpClient({
      fetch: async () => new Response('from the injected fetch'),
    });
    const response = await answering.request({ url: 'https://example.com/' });
    expect(await response.text()).toBe('from the injected fetch');
    await answering.close();
  });
});
