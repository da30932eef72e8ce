import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  imageRequest,
  makeProvider,
  pngSize,
  run,
} from '../../../test/flux-spaces/provider-run.js';
import {
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../../../test/upstreams/gradio-space/gradio-space-double.js';
import { fluxSchnellApp } from '../../../test/upstreams/gradio-space/space-app.js';
import { createHttpClient } from '../../http/http-client.js';
import { voodoohopFlux1SchnellFactory as factory } from './voodoohop-flux1schnell.js';

const http = createHttpClient();
const timeoutMs = 2_000;
const speaker = 'gradio "voodoohop-flux1schnell"';
let space: GradioSpaceDouble;

beforeAll(async () => {
  // A Gradio 4 app, as the Space was: routes at the root.
  space = await startGradioSpaceDouble({ app: fluxSchnellApp, layout: '4.x' });
});
afterEach(() => {
  space.scenario = { kind: 'success' };
});
afterAll(async () => {
  await space.close();
  await http.close();
});

const schnell = (settings: Record<string, unknown> = {}) =>
  makeProvider(factory, http, { baseUrl: space.url, timeoutMs, ...settings });
const small = imageRequest({ width: 32, height: 32 });
const fileUrl = (name: string) =>
  expect.stringMatching(new RegExp(`^${space.url}/file=/tmp/gradio/[0-9a-f]+/${name}$`));
/** The GETs of call results (Gradio serves each once). */
const resultReads = () =>
  space.requests.filter(
    (request) => request.method === 'GET' && request.path.startsWith('/call/infer/'),
  );
/** That the last call was canceled in its session, which its event id names. */
function expectCanceledInItsSession() {
  const eventId = resultReads().at(-1)?.path.split('/').at(-1);
  expect(eventId).toMatch(/^[0-9a-f]{32}$/);
  expect(space.requestsTo('/cancel').at(-1)?.body).toMatchObject({
    session_hash: eventId,
    event_id: eventId,
  });
}

describe('voodoohop-flux1schnell', () => {
  it('serves flux-schnell, also as flux', async () => {
    const catalog = await schnell().models({ signal: AbortSignal.timeout(1000) });
    expect(catalog.imageModels).toEqual(['flux-schnell']);
    expect(catalog.aliases).toEqual({ flux: 'flux-schnell' });
  });

  it('calls infer with 768×768 and 2 steps by default, and streams the image with its seed', async () => {
    const reads = resultReads().length;
    const { parts, images, error } = await run(schnell(), imageRequest());
    expect(error).toBeUndefined();
    // The data alone: Gradio files the job under a session its event id names.
    expect(space.requestsTo('/call/infer').at(-1)?.body).toEqual({
      data: ['a red fox', 0, true, 768, 768, 2],
    });
    expect(parts).toEqual([
      { type: 'image-preview', url: fileUrl('preview-1.png'), mediaType: 'image/png' },
      { type: 'image-preview', url: fileUrl('preview-2.png'), mediaType: 'image/png' },
      {
        type: 'image',
        data: images[0]?.byteLength,
        mediaType: 'image/png',
        width: 768,
        height: 768,
        seed: space.randomSeed,
      },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(pngSize(images[0])).toEqual([768, 768]);
    expect(resultReads().length).toBe(reads + 1);
  });

  it('rounds sizes down to a multiple of 8, at least 32, and passes seed and steps', async () => {
    await run(schnell(), imageRequest({ width: 1001, height: 20, seed: 9, steps: 4 }));
    expect(space.requestsTo('/call/infer').at(-1)?.body).toMatchObject({
      data: ['a red fox', 9, false, 1000, 32, 4],
    });
    await run(schnell(), imageRequest({ aspectRatio: '16:9' }));
    expect(space.requestsTo('/call/infer').at(-1)?.body).toMatchObject({
      data: ['a red fox', 0, true, 1024, 576, 2],
    });
  });

  it('sends the ZeroGPU headers on the call when it has a Hugging Face token', async () => {
    expect((await run(schnell({ jwtUrl: space.jwtUrl }), small)).error).toBeUndefined();
    const anonymous = space.requestsTo('/call/infer').at(-1);
    expect(anonymous?.headers['x-zerogpu-token']).toBeUndefined();
    const withToken = makeProvider(
      factory,
      http,
      { baseUrl: space.url, jwtUrl: space.jwtUrl },
      { HF_TOKEN: 'hf_test' },
    );
    expect((await run(withToken, small)).error).toBeUndefined();
    expect(space.requestsTo('/api/spaces/voodoohop/flux-1-schnell/jwt')).toHaveLength(1);
    const call = space.requestsTo('/call/infer').at(-1);
    expect(call?.headers['x-zerogpu-token']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(call?.headers['x-zerogpu-uuid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports the app's failure, whose message Gradio's call API drops", async () => {
    space.scenario = { kind: 'app-error', message: 'You have exceeded your GPU quota' };
    const cancellations = space.cancellations.length;
    const reads = resultReads().length;
    const { error } = await run(schnell(), small);
    expect(error).toMatchObject({
      code: 'upstream_error',
      retryable: false,
      message: `${speaker} failed: the call failed (the call API does not say why)`,
    });
    expect(resultReads().length).toBe(reads + 1);
    expect(space.cancellations.length).toBe(cancellations);
  });

  it('reports an unexpected error with its message, as worth another try', async () => {
    space.scenario = { kind: 'unexpected-error' };
    const { error } = await run(schnell(), small);
    expect(error).toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: `${speaker} failed unexpectedly: Server stopped unexpectedly.`,
    });
  });

  it.each([
    ['ends', 'ends-early' as const, `${speaker} ended the result stream before`],
    ['breaks', 'cut' as const, 'request to'],
  ])(
    'reads a stream that %s without a result once, as a retryable failure',
    async (_how, kind, message) => {
      space.scenario = { kind };
      const cancellations = space.cancellations.length;
      const reads = resultReads().length;
      const { error, elapsedMs } = await run(schnell(), small);
      expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
      expect(error?.message).toContain(message);
      // Gradio forgets the session when its stream closes: reading it again cannot work.
      expect(resultReads().length).toBe(reads + 1);
      expect(elapsedMs).toBeLessThan(timeoutMs);
      // The job may still run at the Space: it is canceled.
      expect(space.cancellations.length).toBe(cancellations + 2);
      expectCanceledInItsSession();
    },
  );

  it('ends a heartbeat-only stall at the total timeout and cancels the job', async () => {
    space.scenario = { kind: 'stall' };
    const cancellations = space.cancellations.length;
    const { error, elapsedMs } = await run(schnell({ timeoutMs: 300 }), small);
    expect(error).toMatchObject({
      code: 'timeout',
      message: `the job on ${speaker} did not finish within 300 ms`,
    });
    expect(elapsedMs).toBeLessThan(1500);
    expect(space.cancellations.length).toBe(cancellations + 2);
    expectCanceledInItsSession();
  });

  it('types a malformed result as a parse error', async () => {
    space.scenario = { kind: 'malformed' };
    const { error } = await run(schnell(), small);
    expect(error).toMatchObject({
      code: 'response_parse_error',
      message: `${speaker} sent an event that is not JSON: {"msg": "progress", not json`,
    });
  });

  it('types a call without event_id, and a full queue', async () => {
    space.scenario = { kind: 'join-without-event-id' };
    expect((await run(schnell(), small)).error).toMatchObject({
      code: 'upstream_error',
      message: `${speaker} accepted the call without an event_id`,
    });
    space.scenario = { kind: 'queue-full' };
    expect((await run(schnell(), small)).error).toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: expect.stringContaining('answered 503: Queue is full.'),
    });
  });

  it('stops at once when the caller aborts, canceling the job', async () => {
    space.scenario = { kind: 'stall' };
    const cancellations = space.cancellations.length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error, elapsedMs } = await run(schnell(), small, controller.signal);
    expect(error).toMatchObject({ code: 'canceled' });
    expect(elapsedMs).toBeLessThan(1000);
    expect(space.cancellations.length).toBe(cancellations + 2);
    expectCanceledInItsSession();
  });
});
