import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { errorFromAbort } from '../../http/error-from-abort.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-client.js';
import { InputFieldsCache } from './input-fields.js';
import { predictionTarget } from './prediction-target.js';
import { ReplicateUpstream } from './replicate-upstream.js';

const schema = (...names: string[]) => ({
  latest_version: {
    openapi_schema: {
      components: {
        schemas: { Input: { properties: Object.fromEntries(names.map((n) => [n, {}])) } },
      },
    },
  },
});

function jsonResponse(url: string, body: unknown): HttpResponse {
  const text = JSON.stringify(body);
  return {
    status: 200,
    url,
    headers: {},
    header: () => undefined,
    body: (async function* () {})(),
    text: async () => text,
    json: async () => body,
    bytes: async () => new TextEncoder().encode(text),
    dispose: async () => {},
  };
}

/** A Replicate API whose answers the test gives; a request fails when its signal aborts. */
function fakeApi(
  answer: (url: string) => Promise<unknown> = async () => schema('prompt'),
) {
  const urls: string[] = [];
  const http: HttpClient = {
    request: (request: HttpRequest) => {
      const url = String(request.url);
      urls.push(url);
      return new Promise((resolve, reject) => {
        const { signal } = request;
        signal?.addEventListener('abort', () => reject(errorFromAbort(signal)));
        answer(url).then((body) => resolve(jsonResponse(url, body)), reject);
      });
    },
  };
  const upstream = new ReplicateUpstream({
    id: 'replicate',
    baseUrl: 'https://api.replicate.test/v1',
    token: 'r8_test',
    http,
    logger: silentLogger,
    allowPrivateOutputs: false,
  });
  return { urls, upstream };
}

const signal = () => AbortSignal.timeout(5_000);

describe('InputFieldsCache', () => {
  it('shares one lookup, and a caller that gives up does not fail the others', async () => {
    let answer: (body: unknown) => void = () => {};
    const api = fakeApi(() => new Promise((resolve) => (answer = resolve)));
    const cache = new InputFieldsCache(api.upstream);
    const target = predictionTarget('someone/model');
    const first = new AbortController();
    const leaving = cache.fieldsFor(target, first.signal);
    const staying = cache.fieldsFor(target, signal());

    first.abort();
    await expect(leaving).rejects.toMatchObject({ code: 'canceled' });
    answer(schema('prompt', 'width'));
    expect(await staying).toEqual(new Set(['prompt', 'width']));
    expect(api.urls).toEqual(['https://api.replicate.test/v1/models/someone/model']);
  });

  it('needs no lookup for a known model, and gives its one set of inputs', async () => {
    const api = fakeApi();
    const cache = new InputFieldsCache(api.upstream);
    const known = predictionTarget('bytedance/sdxl-lightning-4step');
    const fields = await cache.fieldsFor(known, signal());
    expect(fields?.has('num_inference_steps')).toBe(true);
    expect(await cache.fieldsFor(known, signal())).toBe(fields);
    expect(api.urls).toHaveLength(0);
  });

  it('reads a schema again after an hour, and a failed one after a minute', async () => {
    let now = 0;
    let fail = true;
    const api = fakeApi(async () => {
      if (fail) throw new Error('down');
      return schema('prompt');
    });
    const cache = new InputFieldsCache(api.upstream, () => now);
    const target = predictionTarget('someone/model');

    expect(await cache.fieldsFor(target, signal())).toBeUndefined();
    now += 59_000;
    expect(await cache.fieldsFor(target, signal())).toBeUndefined();
    expect(api.urls).toHaveLength(1);
    fail = false;
    now += 2_000;
    expect(await cache.fieldsFor(target, signal())).toEqual(new Set(['prompt']));
    expect(api.urls).toHaveLength(2);
    now += 59 * 60_000;
    await cache.fieldsFor(target, signal());
    expect(api.urls).toHaveLength(2);
    now += 2 * 60_000;
    await cache.fieldsFor(target, signal());
    expect(api.urls).toHaveLength(3);
  });

  it('keeps at most 500 models, dropping the oldest', async () => {
    const api = fakeApi();
    const cache = new InputFieldsCache(api.upstream);
    const model = (index: number) => predictionTarget(`someone/model-${index}`);
    for (let index = 0; index <= 500; index++) {
      await cache.fieldsFor(model(index), signal());
    }
    expect(api.urls).toHaveLength(501);
    await cache.fieldsFor(model(500), signal());
    expect(api.urls).toHaveLength(501);
    await cache.fieldsFor(model(0), signal());
    expect(api.urls).toHaveLength(502);
    expect(api.urls.at(-1)).toMatch(/\/models\/someone\/model-0$/);
  });
});
