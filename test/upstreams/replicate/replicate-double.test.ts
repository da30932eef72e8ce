import Replicate, { type Prediction, parseProgressFromLogs } from 'replicate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectImageType } from '../../../src/core/media.js';
import { type ReplicateDouble, startReplicateDouble } from './replicate-double.js';
import { DEFAULT_ERROR, DEFAULT_TOKENS } from './scenario.js';

const sdxl = 'bytedance/sdxl-lightning-4step';
const sdxlVersion = '5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f';
const gemma = 'google-deepmind/gemma-2b-it';
const gemmaVersion = 'dff94eaf770e1fc211e425a50b51baa8e4cac6c39ef074681f9e39d778773626';

let double: ReplicateDouble;

beforeAll(async () => {
  double = await startReplicateDouble();
});
afterAll(async () => {
  await double?.close();
});
beforeEach(() => {
  double.reset();
});

function client(auth = double.token): Replicate {
  return new Replicate({ auth, baseUrl: double.baseUrl });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return [view.getUint32(16), view.getUint32(20)];
}

async function download(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toBe('image/png');
  return new Uint8Array(await response.arrayBuffer());
}

describe('the Replicate double, through the official replicate client', () => {
  it('runs an official model by name in wait mode and serves real PNGs', async () => {
    const output = (await client().run('black-forest-labs/flux-schnell', {
      input: { prompt: 'a lighthouse', aspect_ratio: '16:9', num_outputs: 2 },
    })) as string[];

    expect(output).toHaveLength(2);
    // Files come from another host than the API, as from replicate.delivery.
    expect(output[0]?.startsWith(`${double.filesOrigin}/delivery/`)).toBe(true);
    const bytes = await download(output[0] ?? '');
    expect(detectImageType(bytes)).toBe('image/png');
    expect(pngSize(bytes)).toEqual([1024, 576]);
    const create = double.requests[0];
    expect(create).toMatchObject({
      method: 'POST',
      path: '/v1/models/black-forest-labs/flux-schnell/predictions',
      body: { input: { prompt: 'a lighthouse' } },
    });
    expect(create?.headers.prefer).toBe('wait');
    expect(create?.headers.authorization).toBe(`Bearer ${double.token}`);
    // One round trip: the held create answered with the finished prediction.
    expect(
      double.requests.filter((request) => request.path.startsWith('/v1/')),
    ).toHaveLength(1);
  });

  it('runs a version in poll mode, with progress in the logs the client parses', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 300, seed: 42 });
    const seen: Prediction[] = [];
    const output = (await client().run(
      `${sdxl}:${sdxlVersion}`,
      {
        input: { prompt: 'a fox', width: 512, height: 768 },
        wait: { mode: 'poll', interval: 20 },
      },
      (prediction) => seen.push(prediction),
    )) as string[];

    expect(pngSize(await download(output[0] ?? ''))).toEqual([512, 768]);
    expect(double.requests[0]).toMatchObject({
      path: '/v1/predictions',
      body: { version: sdxlVersion, input: { prompt: 'a fox' } },
    });
    expect(double.requests[0]?.headers.prefer).toBeUndefined();
    const polls = double.requests.filter((request) =>
      request.path.startsWith('/v1/predictions/'),
    );
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.every((request) => request.method === 'GET')).toBe(true);
    const statuses = seen.map((prediction) => prediction.status);
    expect(statuses[0]).toBe('starting');
    expect(statuses).toContain('processing');
    expect(statuses.at(-1)).toBe('succeeded');
    const fractions = seen.map(
      (prediction) => parseProgressFromLogs(prediction)?.percentage,
    );
    expect(fractions.some((value) => value !== undefined && value > 0 && value < 1)).toBe(
      true,
    );
    expect(parseProgressFromLogs(seen.at(-1) as Prediction)).toEqual({
      percentage: 1,
      current: 4,
      total: 4,
    });
    expect(seen.at(-1)?.logs).toContain('Using seed: 42');
  });

  it('streams a text model token by token, a newline inside a token included', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 40 });
    const events = [];
    const arrivals: number[] = [];
    for await (const event of client().stream(`${gemma}:${gemmaVersion}`, {
      input: { prompt: 'hi' },
    })) {
      events.push(event);
      arrivals.push(Date.now());
    }

    const outputs = events.filter((event) => event.event === 'output');
    expect(outputs.map((event) => String(event.data))).toEqual(DEFAULT_TOKENS);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: '{}' });
    // Tokens arrive as they are made, not all at the end.
    const first = arrivals[0] ?? 0;
    expect((arrivals.at(-1) ?? 0) - first).toBeGreaterThanOrEqual(150);
  });

  it('reports a failure with its error and logs', async () => {
    double.setScenario(sdxl, { kind: 'fail', afterMs: 30 });
    const run = client().run(`${sdxl}:${sdxlVersion}`, { input: { prompt: 'x' } });
    await expect(run).rejects.toThrow(`Prediction failed: ${DEFAULT_ERROR}`);
    const [prediction] = [...double.predictions.values()].slice(-1);
    const json = await client().predictions.get(prediction?.id ?? '');
    expect(json.status).toBe('failed');
    expect(json.logs).toContain('torch.OutOfMemoryError');
  });

  it('cancels when the client aborts, and streams end with the cancel reason', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 10_000 });
    const controller = new AbortController();
    const run = client().run(
      `${sdxl}:${sdxlVersion}`,
      {
        input: { prompt: 'x' },
        wait: { mode: 'poll', interval: 20 },
        signal: controller.signal,
      },
      (prediction) => {
        if (prediction.status === 'processing') controller.abort();
      },
    );
    await run;
    const cancel = await double.waitForRequest((request) =>
      request.path.endsWith('/cancel'),
    );
    const id = cancel.path.split('/')[3] ?? '';
    expect((await client().predictions.get(id)).status).toBe('canceled');

    double.setScenario(gemma, { kind: 'cancel-upstream', afterTokens: 2 });
    const events = [];
    for await (const event of client().stream(`${gemma}:${gemmaVersion}`, {
      input: { prompt: 'hi' },
    })) {
      events.push(event);
    }
    expect(events.map((event) => event.event)).toEqual(['output', 'output', 'done']);
    expect(events.at(-1)?.data).toBe('{"reason":"canceled"}');
  });

  it('throws on a stream error event with the failure detail', async () => {
    double.setScenario(gemma, { kind: 'fail', afterTokens: 1 });
    const received: string[] = [];
    const read = async () => {
      for await (const event of client().stream(`${gemma}:${gemmaVersion}`, {
        input: { prompt: 'hi' },
      })) {
        received.push(String(event.data));
      }
    };
    await expect(read()).rejects.toThrow(DEFAULT_ERROR);
    expect(received).toEqual([DEFAULT_TOKENS[0]]);
  });

  it('holds a create for Prefer: wait=1 to 60, and ignores longer waits', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 300 });
    const create = (prefer: string) =>
      fetch(`${double.baseUrl}/predictions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${double.token}`, prefer },
        body: JSON.stringify({ version: sdxlVersion, input: { prompt: 'x' } }),
      });
    const held = await create('wait=60');
    expect(held.status).toBe(201);
    expect(await held.json()).toMatchObject({ status: 'succeeded' });
    for (const prefer of ['wait=61', 'wait=99', 'wait=0']) {
      const answered = await create(prefer);
      expect(answered.status).toBe(201);
      const { status } = (await answered.json()) as { status: string };
      expect(status).not.toBe('succeeded');
    }
  });

  it('answers 401 without a valid token', async () => {
    const run = client('r8_wrong').run(`${sdxl}:${sdxlVersion}`, {
      input: { prompt: 'x' },
    });
    await expect(run).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('answers 429 with Retry-After, which the client waits out', async () => {
    double.setScenario(sdxl, { kind: 'rate-limited', retryAfterSeconds: 1, times: 1 });
    const output = await client().run(`${sdxl}:${sdxlVersion}`, {
      input: { prompt: 'x' },
    });
    expect(output).toHaveLength(1);
    const creates = double.requests.filter((request) => request.method === 'POST');
    expect(creates).toHaveLength(2);

    double.setScenario(sdxl, { kind: 'rate-limited', retryAfterSeconds: 3 });
    const response = await fetch(`${double.baseUrl}/predictions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${double.token}` },
      body: JSON.stringify({ version: sdxlVersion, input: { prompt: 'x' } }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toMatchObject({ status: 429 });
  });

  it('answers 422 naming the invalid input field, and an unknown version', async () => {
    double.setScenario(sdxl, {
      kind: 'invalid-input',
      field: 'input.width',
      description: 'Must be less than or equal to 1280',
    });
    const invalid = client().run(`${sdxl}:${sdxlVersion}`, { input: { prompt: 'x' } });
    await expect(invalid).rejects.toThrow(/422.*input\.width/s);
    const unknown = client().run(`${sdxl}:${'0'.repeat(64)}`, { input: { prompt: 'x' } });
    await expect(unknown).rejects.toThrow(/Invalid version or not permitted/);
  });

  it('gives the model and version schemas with their input names', async () => {
    const model = await client().models.get('meta', 'meta-llama-3-8b-instruct');
    const schema = model.latest_version?.openapi_schema as {
      components: { schemas: { Input: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(schema.components.schemas.Input.properties)).toContain(
      'system_prompt',
    );
    const version = await client().models.versions.get(
      'bytedance',
      'sdxl-lightning-4step',
      sdxlVersion,
    );
    expect(version.id).toBe(sdxlVersion);
  });
});
