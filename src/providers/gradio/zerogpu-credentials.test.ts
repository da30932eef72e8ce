import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../../../test/upstreams/gradio-space/gradio-space-double.js';
import { makeJwt } from '../../../test/upstreams/gradio-space/make-jwt.js';
import { createHttpClient } from '../../http/http-client.js';
import { jwtExpiry, ZeroGpuCredentials } from './zerogpu-credentials.js';

const http = createHttpClient();
const signal = () => AbortSignal.timeout(5_000);
let huggingFace: GradioSpaceDouble;

beforeAll(async () => {
  huggingFace = await startGradioSpaceDouble({
    hfToken: 'hf_right',
    jwtLifetimeMs: 600_000,
  });
});
afterAll(async () => {
  await huggingFace.close();
  await http.close();
});

function credentials(hfToken: string | undefined, now?: () => number) {
  return new ZeroGpuCredentials({
    http,
    space: 'black-forest-labs/FLUX.1-dev',
    hfToken,
    jwtUrl: huggingFace.jwtUrl,
    provider: 'flux',
    ...(now === undefined ? {} : { now }),
  });
}

const jwtRequests = () => huggingFace.requestsTo('/jwt');

describe('ZeroGpuCredentials', () => {
  it('adds nothing without a Hugging Face token, and asks no one', async () => {
    const before = jwtRequests().length;
    expect(await credentials(undefined).headers(signal())).toEqual({});
    expect(jwtRequests().length).toBe(before);
  });

  it("asks the Space's JWT with the token, and keeps it until shortly before it expires", async () => {
    let now = Date.now();
    const zeroGpu = credentials('hf_right', () => now);
    const before = jwtRequests().length;
    const first = await zeroGpu.headers(signal());
    expect(first['x-zerogpu-token']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(first['x-zerogpu-uuid']).toMatch(/^[0-9a-f-]{36}$/);
    const request = jwtRequests().at(-1);
    expect(request?.path).toBe('/api/spaces/black-forest-labs/FLUX.1-dev/jwt');
    expect(request?.headers.authorization).toBe('Bearer hf_right');

    now += 500_000;
    expect(await zeroGpu.headers(signal())).toEqual(first);
    expect(jwtRequests().length).toBe(before + 1);

    // Within a minute of the ten-minute expiry: a new token.
    now += 50_000;
    const renewed = await zeroGpu.headers(signal());
    expect(renewed['x-zerogpu-token']).not.toBe(first['x-zerogpu-token']);
    expect(renewed['x-zerogpu-uuid']).toBe(first['x-zerogpu-uuid']);
    expect(jwtRequests().length).toBe(before + 2);
  });

  it('shares one request between the jobs of a cold start', async () => {
    const zeroGpu = credentials('hf_right');
    const before = jwtRequests().length;
    const all = await Promise.all(
      Array.from({ length: 5 }, () => zeroGpu.headers(signal())),
    );
    expect(jwtRequests().length).toBe(before + 1);
    expect(new Set(all.map((headers) => headers['x-zerogpu-token'])).size).toBe(1);
    expect(await zeroGpu.headers(signal())).toEqual(all[0]);
    expect(jwtRequests().length).toBe(before + 1);
  });

  it('lets a caller that gives up leave without failing the others', async () => {
    const zeroGpu = credentials('hf_right');
    const before = jwtRequests().length;
    const [left, waited] = await Promise.allSettled([
      zeroGpu.headers(AbortSignal.abort()),
      zeroGpu.headers(signal()),
    ]);
    expect(left).toMatchObject({ status: 'rejected', reason: { code: 'canceled' } });
    expect(waited).toMatchObject({
      status: 'fulfilled',
      value: { 'x-zerogpu-token': expect.any(String) },
    });
    expect(jwtRequests().length).toBe(before + 1);
  });

  it('asks again after a request that failed', async () => {
    const zeroGpu = credentials('hf_wrong');
    const before = jwtRequests().length;
    await expect(zeroGpu.headers(signal())).rejects.toMatchObject({
      code: 'authentication_failed',
    });
    await expect(zeroGpu.headers(signal())).rejects.toMatchObject({
      code: 'authentication_failed',
    });
    expect(jwtRequests().length).toBe(before + 2);
  });

  it('reports a token Hugging Face refuses as an authentication error', async () => {
    await expect(credentials('hf_wrong').headers(signal())).rejects.toMatchObject({
      code: 'authentication_failed',
      provider: 'flux',
      message: expect.stringContaining('Invalid credentials'),
    });
  });
});

describe('jwtExpiry', () => {
  it('reads the exp claim, and nothing from tokens without one', () => {
    expect(jwtExpiry(makeJwt(1_700_000_000_000, 'a/b'))).toBe(1_700_000_000_000);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
    expect(jwtExpiry('a.bm90IGpzb24.c')).toBeUndefined();
    expect(
      jwtExpiry(`a.${Buffer.from('{"sub":"x"}').toString('base64url')}.c`),
    ).toBeUndefined();
  });
});
