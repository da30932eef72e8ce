import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../core/errors.js';
import { createHttpClient } from './http-client.js';
import { publicAddressLookup } from './public-address-lookup.js';

function resolve(hostname: string, all: boolean): Promise<unknown> {
  return new Promise((done) => {
    publicAddressLookup(hostname, { all }, (error, address, family) => {
      done(error ?? { address, family });
    });
  });
}

describe('publicAddressLookup', () => {
  it('refuses a name that resolves to a loopback address, in both callback forms', async () => {
    for (const all of [true, false]) {
      const error = await resolve('localhost', all);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toMatch(
        /^localhost resolves to (127\.0\.0\.1|::1)/,
      );
    }
  });

  it('answers a public IP literal in the form asked for', async () => {
    expect(await resolve('8.8.8.8', false)).toEqual({ address: '8.8.8.8', family: 4 });
    const { address } = (await resolve('8.8.8.8', true)) as { address: LookupAddress[] };
    expect(address).toEqual([{ address: '8.8.8.8', family: 4 }]);
  });
});

describe('an HTTP client connecting through publicAddressLookup', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const http = createHttpClient({
    proxy: false,
    connect: { lookup: publicAddressLookup },
  });

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

  it('never opens a connection to a host that resolves to a private address', async () => {
    const outcome = http.request({ url: `http://localhost:${port}/` });
    await expect(outcome).rejects.toBeInstanceOf(InvalidRequestError);
    expect(connections).toBe(0);
  });
});
