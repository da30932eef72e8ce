import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chat,
  createHarness,
  image,
  run,
} from '../../../test/replicate/provider-harness.js';
import {
  type ReplicateDouble,
  startReplicateDouble,
} from '../../../test/upstreams/replicate/replicate-double.js';
import {
  DEFAULT_ERROR,
  DEFAULT_TOKENS,
} from '../../../test/upstreams/replicate/scenario.js';

const sdxl = 'bytedance/sdxl-lightning-4step';
const gemma = 'google-deepmind/gemma-2b-it';

let double: ReplicateDouble;
const harness = createHarness(() => double);

beforeAll(async () => {
  double = await startReplicateDouble();
});
afterAll(async () => {
  await harness.close();
  await double?.close();
});
beforeEach(() => {
  double.reset();
});

const signal = () => AbortSignal.timeout(5_000);
const cancels = () =>
  double.requests.filter((request) => request.path.endsWith('/cancel'));

describe('replicate failures', () => {
  it('reports a failed prediction with its error and last log lines', async () => {
    double.setScenario(sdxl, { kind: 'fail', afterMs: 30 });
    const outcome = await run(
      harness.provider().generate(image(sdxl), { signal: signal() }),
    );

    expect(outcome.error).toMatchObject({
      code: 'upstream_error',
      provider: 'replicate',
    });
    const message = (outcome.error as Error).message;
    expect(message).toContain(`failed: ${DEFAULT_ERROR}`);
    expect(message).toContain('torch.OutOfMemoryError: CUDA out of memory.');
    expect(cancels()).toHaveLength(0);
  });

  it('reports a stream error after the text that came before it', async () => {
    double.setScenario(gemma, { kind: 'fail', afterTokens: 2 });
    const outcome = await run(
      harness.provider().generate(chat(gemma), { signal: signal() }),
    );

    const texts = outcome.parts.filter((part) => part.type === 'text');
    expect(texts.map((part) => part.delta)).toEqual(DEFAULT_TOKENS.slice(0, 2));
    expect(outcome.error).toMatchObject({ code: 'upstream_error' });
    expect((outcome.error as Error).message).toContain(DEFAULT_ERROR);
  });

  it('reports a prediction canceled upstream as canceled, polled or streamed', async () => {
    double.setScenario(sdxl, { kind: 'cancel-upstream', afterMs: 30 });
    const polled = await run(
      harness.provider().generate(image(sdxl), { signal: signal() }),
    );
    expect(polled.error).toMatchObject({ code: 'canceled' });
    expect((polled.error as Error).message).toContain('was canceled upstream');

    double.setScenario(gemma, { kind: 'cancel-upstream', afterTokens: 1 });
    const streamed = await run(
      harness.provider().generate(chat(gemma), { signal: signal() }),
    );
    expect(streamed.parts.filter((part) => part.type === 'text')).toHaveLength(1);
    expect(streamed.error).toMatchObject({ code: 'canceled' });
  });

  it('cancels the prediction when the caller aborts while it is polled', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 10_000 });
    const controller = new AbortController();
    const provider = harness.provider({ waitSeconds: 0 });
    const outcome = await run(provider.generate(image(sdxl), controller), (part) => {
      if (part.type === 'progress') setTimeout(() => controller.abort(), 0);
      return false;
    });

    expect(outcome.error).toMatchObject({ code: 'canceled' });
    expect(outcome.elapsedMs).toBeLessThan(2_000);
    expect(cancels()).toHaveLength(1);
    const id = cancels()[0]?.path.split('/')[3] ?? '';
    expect(double.predictions.get(id)?.canceledAt).toBeDefined();
  });

  it('cancels the prediction when the caller aborts mid-stream, or stops reading', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 200 });
    const controller = new AbortController();
    const aborted = await run(
      harness.provider().generate(chat(gemma), controller),
      () => {
        controller.abort();
        return false;
      },
    );
    expect(aborted.error).toMatchObject({ code: 'canceled' });
    expect(aborted.elapsedMs).toBeLessThan(1_000);
    expect(cancels()).toHaveLength(1);

    const stopped = await run(
      harness.provider().generate(chat(gemma), { signal: signal() }),
      (part) => part.type === 'text',
    );
    expect(stopped.error).toBeUndefined();
    expect(cancels()).toHaveLength(2);
  });

  it('times out at the bound and cancels, whether polling or streaming', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 10_000 });
    const provider = harness.provider({ waitSeconds: 0, timeoutMs: 300 });
    const polled = await run(provider.generate(image(sdxl), { signal: signal() }));
    expect(polled.error).toMatchObject({ code: 'timeout', retryable: true });
    expect((polled.error as Error).message).toMatch(/within 300 ms and was canceled/);
    expect(polled.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(polled.elapsedMs).toBeLessThan(1_500);

    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 1_000 });
    const streamed = await run(provider.generate(chat(gemma), { signal: signal() }));
    expect(streamed.error).toMatchObject({ code: 'timeout' });
    expect(streamed.elapsedMs).toBeLessThan(1_500);
    expect(cancels()).toHaveLength(2);
  });

  it('maps 401, a missing token, 429 and 402 to their typed errors', async () => {
    const wrong = await run(
      harness
        .provider({ apiKey: 'r8_wrong' })
        .generate(image(sdxl), { signal: signal() }),
    );
    expect(wrong.error).toMatchObject({ code: 'authentication_failed', status: 401 });

    double.requests.length = 0;
    const missing = await run(
      harness.provider({ apiKey: undefined }).generate(image(sdxl), { signal: signal() }),
    );
    expect(missing.error).toMatchObject({ code: 'authentication_failed' });
    expect((missing.error as Error).message).toContain('REPLICATE_API_TOKEN');
    expect(double.requests).toHaveLength(0);

    double.setScenario(sdxl, { kind: 'rate-limited', retryAfterSeconds: 2 });
    const limited = await run(
      harness.provider().generate(image(sdxl), { signal: signal() }),
    );
    expect(limited.error).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 2_000,
    });
    expect((limited.error as Error).message).toContain('Request was throttled');

    double.setScenario(sdxl, { kind: 'rate-limited', retryAfterSeconds: 5, status: 402 });
    const unpaid = await run(
      harness.provider().generate(image(sdxl), { signal: signal() }),
    );
    expect(unpaid.error).toMatchObject({ code: 'quota_exceeded', retryAfterMs: 5_000 });
  });

  it('maps 422 to an invalid request naming the field, or the model for a bad version', async () => {
    double.setScenario(sdxl, {
      kind: 'invalid-input',
      field: 'input.width',
      description: 'Must be less than or equal to 1280',
    });
    const invalid = await run(
      harness.provider().generate(image(sdxl, { width: 2048 }), { signal: signal() }),
    );
    expect(invalid.error).toMatchObject({
      code: 'invalid_request',
      param: 'input.width',
    });
    expect((invalid.error as Error).message).toContain(
      'input.width: Must be less than or equal to 1280',
    );

    const version = `${sdxl}:${'0'.repeat(64)}`;
    const unknown = await run(
      harness.provider().generate(image(version), { signal: signal() }),
    );
    expect(unknown.error).toMatchObject({ code: 'invalid_request', param: 'model' });

    const missing = await run(
      harness.provider().generate(image('nobody/no-such-model'), { signal: signal() }),
    );
    expect(missing.error).toMatchObject({ code: 'model_not_found' });
  });

  it('refuses model names that would walk the API URL, before any request', async () => {
    for (const model of ['../..', '../account', 'a/..']) {
      for (const request of [image(model), chat(model)]) {
        const outcome = await run(
          harness.provider().generate(request, { signal: signal() }),
        );
        expect(outcome.error).toMatchObject({
          code: 'invalid_request',
          status: 400,
          param: 'model',
        });
      }
    }
    expect(double.requests).toHaveLength(0);
  });

  it('turns a create that is not a prediction, or a file that is not an image, into parse errors', async () => {
    double.setScenario(sdxl, { kind: 'malformed' });
    const malformed = await run(
      harness.provider().generate(image(sdxl), { signal: signal() }),
    );
    expect(malformed.error).toMatchObject({ code: 'response_parse_error' });

    double.setScenario(sdxl, { kind: 'broken-file' });
    const broken = await run(
      harness.provider().generate(image(sdxl), { signal: signal() }),
    );
    expect(broken.error).toMatchObject({ code: 'response_parse_error' });
    expect((broken.error as Error).message).toContain('not an image');
  });
});
