import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  imageRequest,
  makeProvider,
  run,
} from '../../../test/flux-spaces/provider-run.js';
import {
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../../../test/upstreams/gradio-space/gradio-space-double.js';
import {
  noGpuMessage,
  quotaMessageNew,
  quotaMessageOld,
  quotaMessageWithLink,
} from '../../../test/upstreams/gradio-space/scenario.js';
import { createHttpClient } from '../../http/http-client.js';
import { blackForestLabsFlux1DevFactory as factory } from './blackforestlabs-flux1dev.js';

const http = createHttpClient();
const timeoutMs = 400;
let space: GradioSpaceDouble;

beforeAll(async () => {
  space = await startGradioSpaceDouble();
});
afterEach(() => {
  space.scenario = { kind: 'success' };
});
afterAll(async () => {
  await space.close();
  await http.close();
});

const flux = () => makeProvider(factory, http, { baseUrl: space.url, timeoutMs });
const request = imageRequest({ width: 16, height: 16 });
const speaker = 'gradio "blackforestlabs-flux1dev"';
/** The event ids `/cancel` and `/reset` named since `count` of them had been. */
const cancellationsSince = (count: number) => space.cancellations.slice(count);

describe('blackforestlabs-flux1dev when the Space fails', () => {
  it.each([
    [
      'the current ZeroGPU quota wording',
      quotaMessageNew,
      'ZeroGPU quota exceeded',
      3_723_000,
    ],
    ['the 2024 wording', quotaMessageOld, null, 588_000],
    ['the early-2025 wording with its link', quotaMessageWithLink, null, undefined],
  ])('types %s as quota exceeded, with its wait', async (_name, message, title, wait) => {
    space.scenario = {
      kind: 'app-error',
      message,
      ...(title === null ? {} : { title }),
    };
    const cancellations = space.cancellations.length;
    const { error, parts } = await run(flux(), request);
    expect(error).toMatchObject({ code: 'quota_exceeded', status: 429, retryable: true });
    expect(error?.retryAfterMs).toBe(wait);
    expect(error?.message).not.toContain('<a');
    expect(parts.map((part) => part.type)).toEqual(['queued', 'progress']);
    // The job is over at the Space: nothing to cancel.
    expect(cancellationsSince(cancellations)).toEqual([]);
  });

  it('types "No GPU" as a retryable upstream error', async () => {
    space.scenario = {
      kind: 'app-error',
      message: noGpuMessage,
      title: 'ZeroGPU quota exceeded',
    };
    const { error } = await run(flux(), request);
    expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(error?.message).toBe(
      `${speaker} failed: ZeroGPU quota exceeded: ${noGpuMessage}`,
    );
  });

  it('types unexpected_error', async () => {
    space.scenario = { kind: 'unexpected-error' };
    const { error } = await run(flux(), request);
    expect(error).toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: `${speaker} failed unexpectedly: Server stopped unexpectedly.`,
    });
  });

  it('ends a heartbeat-only stall at the total timeout and cancels the job', async () => {
    space.scenario = { kind: 'stall' };
    const cancellations = space.cancellations.length;
    const { error, parts, elapsedMs } = await run(flux(), request);
    expect(error).toMatchObject({
      code: 'timeout',
      message: `the job on ${speaker} did not finish within ${timeoutMs} ms`,
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 20);
    expect(elapsedMs).toBeLessThan(timeoutMs + 1500);
    expect(parts).toEqual([{ type: 'queued', position: 0, etaMs: 0 }]);
    const eventIds = cancellationsSince(cancellations);
    expect(eventIds).toHaveLength(2);
    expect(eventIds[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('types a stream cut mid-way as a retryable upstream error, and cancels the job', async () => {
    space.scenario = { kind: 'cut' };
    const cancellations = space.cancellations.length;
    const { error, elapsedMs } = await run(flux(), request);
    expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(elapsedMs).toBeLessThan(2000);
    expect(cancellationsSince(cancellations)).toHaveLength(2);
  });

  it('types a stream the server closes before the result', async () => {
    space.scenario = { kind: 'ends-early' };
    const { error } = await run(flux(), request);
    expect(error).toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: `${speaker} closed the stream before the job finished`,
    });
  });

  it('types a malformed frame as a parse error, not a timeout, and cancels the job', async () => {
    space.scenario = { kind: 'malformed' };
    const cancellations = space.cancellations.length;
    const { error } = await run(flux(), request);
    expect(error).toMatchObject({
      code: 'response_parse_error',
      message: `${speaker} sent a queue message that is not JSON: {"msg": "progress", not json`,
    });
    expect(cancellationsSince(cancellations)).toHaveLength(2);
  });

  it('types a join without event_id as an upstream error', async () => {
    space.scenario = { kind: 'join-without-event-id' };
    const { error, parts } = await run(flux(), request);
    expect(error).toMatchObject({
      code: 'upstream_error',
      retryable: false,
      message: `${speaker} joined the queue without an event_id`,
    });
    expect(parts).toEqual([]);
  });

  it('types a full queue as a retryable upstream error', async () => {
    space.scenario = { kind: 'queue-full' };
    const { error } = await run(flux(), request);
    expect(error).toMatchObject({
      code: 'upstream_error',
      status: 502,
      retryable: true,
      message: `upstream gradio "blackforestlabs-flux1dev" answered 503: Queue is full. Max size is 1 and size is 1.`,
    });
  });

  it('stops at once when the caller aborts, canceling the job at the Space', async () => {
    space.scenario = { kind: 'stall' };
    const cancellations = space.cancellations.length;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { error, elapsedMs } = await run(
      makeProvider(factory, http, { baseUrl: space.url }),
      request,
      controller.signal,
    );
    expect(error).toMatchObject({ code: 'canceled' });
    expect(elapsedMs).toBeLessThan(1000);
    expect(cancellationsSince(cancellations)).toHaveLength(2);
  });

  it('types an unreachable Space', async () => {
    const { error } = await run(
      makeProvider(factory, http, { baseUrl: 'http://127.0.0.1:9', timeoutMs }),
      request,
    );
    expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
  });
});
