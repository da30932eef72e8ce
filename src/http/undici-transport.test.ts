import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createUndiciTransport,
  type UndiciTransportOptions,
} from './undici-transport.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A CONNECT proxy that records the tunnels it opens. */
function createTunnelProxy(tunnels: string[]): Server {
  const proxy = createServer((_request, response) => response.writeHead(405).end());
  proxy.on('connect', (request, socket, head) => {
    tunnels.push(request.url ?? '');
    const [host = '', port = ''] = (request.url ?? '').split(':');
    const target = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.write(head);
      target.pipe(socket).pipe(target);
    });
    socket.on('error', () => target.destroy());
    target.on('error', () => socket.destroy());
  });
  return proxy;
}

const paths: string[] = [];
const upstream = createServer((request, response) => {
  paths.push(request.url ?? '');
  response.setHeader('Set-Cookie', ['a=1', 'b=2']);
  response.end('hello');
});
const tunnels: string[] = [];
const proxy = createTunnelProxy(tunnels);
let upstreamOrigin: string;
let proxyOrigin: string;
const savedEnvironment = { ...process.env };

beforeAll(async () => {
  [upstreamOrigin, proxyOrigin] = await Promise.all([listen(upstream), listen(proxy)]);
});

afterEach(() => {
  tunnels.length = 0;
  process.env = { ...savedEnvironment };
});

afterAll(async () => {
  await Promise.all([stop(upstream), stop(proxy)]);
});

const base: UndiciTransportOptions = {
  connectTimeoutMs: 1_000,
  idleTimeoutMs: 1_000,
  proxy: undefined,
  connect: undefined,
};

/** Send one GET through a new transport and return the body text and the headers. */
async function get(options: UndiciTransportOptions) {
  const transport = createUndiciTransport(options);
  try {
    const response = await transport.send({
      url: new URL(`${upstreamOrigin}/path?query=1`),
      method: 'GET',
      headers: undefined,
      body: undefined,
      signal: new AbortController().signal,
    });
    let text = '';
    for await (const chunk of response.body) text += Buffer.from(chunk).toString();
    return { text, headers: response.headers };
  } finally {
    await transport.close();
  }
}

function setProxyEnvironment() {
  for (const name of [
    'NO_PROXY',
    'no_proxy',
    'HTTPS_PROXY',
    'https_proxy',
    'http_proxy',
  ]) {
    delete process.env[name];
  }
  process.env.HTTP_PROXY = proxyOrigin;
}

describe('createUndiciTransport', () => {
  it('connects directly when no proxy is configured, joining repeated headers', async () => {
    for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) {
      delete process.env[name];
    }
    const { text, headers } = await get(base);
    expect(text).toBe('hello');
    expect(headers['set-cookie']).toBe('a=1, b=2');
    expect(paths.at(-1)).toBe('/path?query=1');
    expect(tunnels).toEqual([]);
  });

  it('tunnels through the proxy it is given', async () => {
    expect((await get({ ...base, proxy: proxyOrigin })).text).toBe('hello');
    expect(tunnels).toEqual([new URL(upstreamOrigin).host]);
  });

  it('follows HTTP_PROXY from the environment', async () => {
    setProxyEnvironment();
    expect((await get(base)).text).toBe('hello');
    expect(tunnels).toEqual([new URL(upstreamOrigin).host]);
  });

  it('ignores the environment when proxy is false', async () => {
    setProxyEnvironment();
    expect((await get({ ...base, proxy: false })).text).toBe('hello');
    expect(tunnels).toEqual([]);
  });
});
