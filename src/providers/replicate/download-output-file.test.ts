import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublicHttpClient } from '../../http/create-public-http-client.js';
import { createHttpClient } from '../../http/http-client.js';
import { downloadOutputFile, type OutputDownload } from './download-output-file.js';

const upstream = { id: 'replicate', describe: () => 'replicate "replicate"' };
const limit = 20 * 1024 * 1024;

let server: Server;
let origin: string;
const http = createHttpClient();

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/small.png') response.end('small');
    else if (request.url === '/declared-huge.png') {
      response.writeHead(200, { 'content-length': String(limit + 1) }).end();
    } else if (request.url === '/huge.png') {
      response.write(Buffer.alloc(limit));
      response.end(Buffer.alloc(1));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  server.closeAllConnections();
  server.close();
});

const options = (extra: Partial<OutputDownload> = {}): OutputDownload => ({
  http,
  allowPrivate: true,
  headers: {},
  signal: AbortSignal.timeout(5_000),
  context: { provider: 'replicate', upstream: 'replicate' },
  ...extra,
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );

describe('downloadOutputFile', () => {
  it('downloads from a private address over http when those are allowed', async () => {
    const bytes = await downloadOutputFile(upstream, `${origin}/small.png`, options());
    expect(new TextDecoder().decode(bytes)).toBe('small');
  });

  it('refuses plain http, private IP literals and hosts that resolve to them', async () => {
    const publicOnly = options({ http: createPublicHttpClient(), allowPrivate: false });
    for (const [url, reason] of [
      [`${origin}/small.png`, 'must use https, not http'],
      ['https://127.0.0.1/out.png', 'at 127.0.0.1 is not on a public address'],
      ['https://[::1]/out.png', 'at ::1 is not on a public address'],
      ['https://169.254.169.254/latest', 'at 169.254.169.254 is not on a public address'],
      ['https://localhost/out.png', 'which is not a public address'],
      ['not a url', 'is not a valid URL'],
    ]) {
      const error = await refusal(downloadOutputFile(upstream, url ?? '', publicOnly));
      expect(error).toMatchObject({ code: 'upstream_error', provider: 'replicate' });
      expect(error?.message).toContain('replicate "replicate" output file');
      expect(error?.message).toContain(reason);
    }
  });

  it('refuses files over 20 MiB, declared or streamed', async () => {
    for (const path of ['/declared-huge.png', '/huge.png']) {
      const error = await refusal(downloadOutputFile(upstream, origin + path, options()));
      expect(error).toMatchObject({ code: 'upstream_error', provider: 'replicate' });
      expect(error?.message).toContain(`is larger than ${limit} bytes`);
    }
  });

  it('keeps the typed error of a file host that answers with an error', async () => {
    const error = await refusal(
      downloadOutputFile(upstream, `${origin}/missing.png`, options()),
    );
    expect(error).toMatchObject({ code: 'not_found', provider: 'replicate' });
  });
});
