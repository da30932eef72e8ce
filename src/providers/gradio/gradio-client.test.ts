import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../../../test/upstreams/gradio-space/gradio-space-double.js';
import { makePng } from '../../../test/upstreams/png.js';
import { createHttpClient } from '../../http/http-client.js';
import { GradioClient } from './gradio-client.js';
import { uploadFile } from './upload-file.js';

const http = createHttpClient();
const request = () => ({ signal: AbortSignal.timeout(5_000) });
const doubles: GradioSpaceDouble[] = [];

async function space(options: Parameters<typeof startGradioSpaceDouble>[0] = {}) {
  const double = await startGradioSpaceDouble(options);
  doubles.push(double);
  return double;
}

function client(
  double: GradioSpaceDouble,
  extra: { configCacheMs?: number; token?: string } = {},
) {
  return new GradioClient({
    baseUrl: `${double.url}/`,
    http,
    provider: 'space',
    ...(extra.configCacheMs === undefined ? {} : { configCacheMs: extra.configCacheMs }),
    ...(extra.token === undefined
      ? {}
      : { headers: { authorization: `Bearer ${extra.token}` } }),
  });
}

afterEach(async () => {
  await Promise.all(doubles.splice(0).map((double) => double.close()));
});
afterAll(() => http.close());

describe('GradioClient', () => {
  it('discovers a 5.x app: /gradio_api prefix, diffs, and the function by name', async () => {
    const double = await space();
    const { config, endpoint } = await client(double).endpoint(
      { apiName: 'infer' },
      request(),
    );
    expect(config).toMatchObject({ apiPrefix: '/gradio_api', sendsDiffs: true });
    expect(endpoint).toEqual({ fnIndex: 2, triggerId: 4, apiName: 'infer' });
    expect(await client(double).url('/queue/join', request())).toBe(
      `${double.url}/gradio_api/queue/join`,
    );
  });

  it('discovers a 4.x app without prefix', async () => {
    const double = await space({ layout: '4.x' });
    const gradio = client(double);
    expect((await gradio.config(request())).apiPrefix).toBe('');
    expect(await gradio.url('/call/infer', request())).toBe(`${double.url}/call/infer`);
  });

  it('keeps the config for configCacheMs, per app', async () => {
    const double = await space();
    const cached = client(double);
    await cached.endpoint({ apiName: 'infer' }, request());
    await cached.endpoint({ fnIndex: 2 }, request());
    expect(double.requestsTo('/config')).toHaveLength(1);
    const uncached = client(double, { configCacheMs: 0 });
    await uncached.config(request());
    await uncached.config(request());
    expect(double.requestsTo('/config')).toHaveLength(3);
  });

  it('names the functions the app has when asked for another, and reads the config again', async () => {
    const double = await space();
    const gradio = client(double);
    await expect(
      gradio.endpoint({ apiName: 'generate' }, request()),
    ).rejects.toMatchObject({
      code: 'upstream_error',
      provider: 'space',
      message: 'gradio "space" has no function /generate (it has /infer)',
    });
    await gradio.config(request());
    expect(double.requestsTo('/config')).toHaveLength(2);
  });

  it('uploads a file as the FileData an input takes, and downloads it back', async () => {
    const double = await space();
    const gradio = client(double);
    const png = makePng(4, 4);
    const file = await uploadFile(
      gradio,
      { data: png, name: 'fox.png', mediaType: 'image/png' },
      request(),
    );
    expect(file).toEqual({
      path: expect.stringMatching(/^\/tmp\/gradio\/[0-9a-f]+\/fox\.png$/),
      orig_name: 'fox.png',
      mime_type: 'image/png',
      meta: { _type: 'gradio.FileData' },
    });
    const upload = double.requestsTo('/gradio_api/upload')[0];
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const back = await gradio.download(
      `${double.url}/gradio_api/file=${String(file.path)}`,
      request(),
    );
    expect(Buffer.from(back).equals(Buffer.from(png))).toBe(true);
  });

  it("sends a private Space's credentials on every request, and types a refusal", async () => {
    const double = await space({ spaceToken: 'hf_private' });
    await expect(client(double).config(request())).rejects.toMatchObject({
      code: 'authentication_failed',
      message: 'upstream gradio "space" answered 401: Not authenticated',
    });
    await client(double, { token: 'hf_private' }).endpoint(
      { apiName: 'infer' },
      request(),
    );
    expect(double.requests.at(-1)?.headers.authorization).toBe('Bearer hf_private');
  });

  it('types a config that is not a Gradio config, or of a protocol it does not speak', async () => {
    const answering = (body: unknown) =>
      new GradioClient({
        baseUrl: 'http://space.test',
        http: createHttpClient({
          fetch: async () =>
            new Response(JSON.stringify(body), {
              headers: { 'content-type': 'application/json' },
            }),
        }),
        provider: 'space',
      });
    await expect(answering({ hello: 'world' }).config(request())).rejects.toMatchObject({
      code: 'response_parse_error',
      message: 'gradio "space" sent an unexpected app config',
    });
    await expect(
      answering({ version: '3.50.2', protocol: 'ws', dependencies: [] }).config(
        request(),
      ),
    ).rejects.toMatchObject({
      code: 'upstream_error',
      message: expect.stringContaining('speaks the Gradio protocol "ws"'),
    });
  });
});
