import { Client } from '@gradio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng } from '../png.js';
import { type GradioSpaceDouble, startGradioSpaceDouble } from './gradio-space-double.js';
import { quotaMessageNew } from './scenario.js';
import { fluxSchnellApp } from './space-app.js';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const inputs = ['a red fox', 0, true, 64, 48, 3.5, 28];

interface FileOutput {
  path: string;
  url: string;
}

let double: GradioSpaceDouble | undefined;
let client: Client | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await double?.close();
  double = undefined;
});

async function connect(options: Parameters<typeof startGradioSpaceDouble>[0] = {}) {
  double = await startGradioSpaceDouble(options);
  client = await Client.connect(double.url);
  return { double, client };
}

/** Width and height of a PNG, after checking its signature. */
async function fetchPngSize(url: string): Promise<[number, number]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('the Gradio Space double, through the official @gradio/client', () => {
  it('connects to the 5.x layout and describes /infer', async () => {
    const { double, client } = await connect();
    expect(client.config?.api_prefix).toBe('/gradio_api');
    const api = await client.view_api();
    const parameters: { parameter_name: string }[] =
      api.named_endpoints['/infer']?.parameters ?? [];
    expect(parameters.map((parameter) => parameter.parameter_name)).toEqual([
      'prompt',
      'seed',
      'randomize_seed',
      'width',
      'height',
      'guidance_scale',
      'num_inference_steps',
    ]);
    expect(double.requests.map((request) => request.path)).toEqual([
      '/config',
      '/gradio_api/info',
    ]);
  });

  it('predicts: an image of the asked size served at an absolute URL, and the seed', async () => {
    const { double, client } = await connect();
    const result = await client.predict('/infer', inputs);
    const [image, seed] = result.data as [FileOutput, number];
    expect(seed).toBe(double.randomSeed);
    expect(image.url).toMatch(new RegExp(`^${double.url}/gradio_api/file=/tmp/gradio/`));
    expect(await fetchPngSize(image.url)).toEqual([64, 48]);
    const join = double.requestsTo('/queue/join')[0];
    expect(join?.body).toMatchObject({ data: inputs, fn_index: 2, trigger_id: null });
  });

  it('submits with queue, progress and generating statuses, applying preview diffs', async () => {
    const { client } = await connect({
      scenario: {
        kind: 'success',
        queueAhead: 2,
        progressSteps: 2,
        logs: ['Waiting for a GPU'],
      },
    });
    const statuses: string[] = [];
    const positions: number[] = [];
    const images: string[] = [];
    const logs: string[] = [];
    const job = client.submit('/infer', inputs, undefined, undefined, true);
    for await (const event of job) {
      if (event.type === 'status') {
        statuses.push(event.stage);
        const { position } = event;
        // Later statuses repeat the last position.
        if (typeof position === 'number' && positions.at(-1) !== position) {
          positions.push(position);
        }
      }
      if (event.type === 'log') logs.push(event.log);
      if (event.type === 'data') images.push((event.data as [FileOutput])[0].url);
    }
    expect(positions).toEqual([2, 1, 0]);
    expect(logs).toEqual(['Waiting for a GPU']);
    expect(statuses).toContain('generating');
    expect(statuses.at(-1)).toBe('complete');
    expect(images).toHaveLength(3);
    expect(images[0]).toContain('/preview-1.png');
    // The second update is a diff of the first; the client patched it into a full value.
    expect(images[1]).toContain('/preview-2.png');
    expect(images[2]).toContain('/image.png');
  });

  it('reports a ZeroGPU quota error with its message and title', async () => {
    const { client } = await connect({
      scenario: {
        kind: 'app-error',
        message: quotaMessageNew,
        title: 'ZeroGPU quota exceeded',
      },
    });
    await expect(client.predict('/infer', inputs)).rejects.toMatchObject({
      message: quotaMessageNew,
      title: 'ZeroGPU quota exceeded',
    });
  });

  it('cancels a running job through /cancel and /reset', async () => {
    const { double, client } = await connect({ scenario: { kind: 'stall' } });
    const job = client.submit('/infer', inputs, undefined, undefined, true);
    for await (const event of job) {
      // The first `pending` comes before the join; the estimation after it.
      if (event.type === 'status' && event.position === 0) break;
    }
    // Gradio then completes the job with an empty output, which makes this client log
    // "Unexpected client exception": the real server does the same.
    await job.cancel();
    expect(double.requestsTo('/cancel')).toHaveLength(1);
    expect(double.requestsTo('/reset')).toHaveLength(1);
    const eventId = job.event_id();
    expect(eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(double.cancellations).toEqual([eventId, eventId]);
  });

  it('stores uploads and serves them back', async () => {
    const { double, client } = await connect();
    const png = makePng(8, 8);
    const uploaded = await client.upload_files(double.url, [
      new Blob([new Uint8Array(png)], { type: 'image/png' }),
    ]);
    const [path] = uploaded.files ?? [];
    expect(path).toMatch(/^\/tmp\/gradio\//);
    const served = await fetch(`${double.url}/gradio_api/file=${path}`);
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(png))).toBe(true);
  });

  it('serves the 4.x layout at the root, without api_prefix', async () => {
    const { double, client } = await connect({ layout: '4.x', app: fluxSchnellApp });
    expect(client.config?.api_prefix ?? '').toBe('');
    const result = await client.predict('/infer', ['a cat', 7, false, 32, 40, 2]);
    const [image, seed] = result.data as [FileOutput, number];
    expect(seed).toBe(7);
    expect(image.url).toMatch(new RegExp(`^${double.url}/file=/tmp/gradio/`));
    expect(await fetchPngSize(image.url)).toEqual([32, 40]);
    expect(
      double.requests.some((request) => request.path.startsWith('/gradio_api')),
    ).toBe(false);
  });
});

describe('the call API of the double (no official client uses it; the documented frames)', () => {
  it('answers an event id, then generating and complete events', async () => {
    double = await startGradioSpaceDouble({ app: fluxSchnellApp });
    const posted = await fetch(`${double.url}/gradio_api/call/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: ['a cat', 5, false, 32, 32, 2] }),
    });
    const { event_id } = (await posted.json()) as { event_id: string };
    expect(event_id).toMatch(/^[0-9a-f]{32}$/);
    const stream = await fetch(`${double.url}/gradio_api/call/infer/${event_id}`);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await stream.text();
    const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
    expect(events).toEqual(['generating', 'generating', 'complete']);
    expect(text).toMatch(
      /event: complete\ndata: \[\{"path":"\/tmp\/gradio\/[^"]+\/image\.png".*,5\]\n\n$/,
    );
  });

  it('files a call under the session it names, where the result stream does not look', async () => {
    double = await startGradioSpaceDouble({ app: fluxSchnellApp });
    const posted = await fetch(`${double.url}/gradio_api/call/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        data: ['a cat', 5, false, 32, 32, 2],
        session_hash: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5',
      }),
    });
    const { event_id } = (await posted.json()) as { event_id: string };
    const text = await (
      await fetch(`${double.url}/gradio_api/call/infer/${event_id}`)
    ).text();
    expect(text).toBe('event: error\ndata: "404: Session not found."\n\n');
  });

  it('forgets the session once its result stream closed: no second read', async () => {
    double = await startGradioSpaceDouble({ app: fluxSchnellApp });
    const posted = await fetch(`${double.url}/gradio_api/call/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: ['a cat', 5, false, 32, 32, 2] }),
    });
    const { event_id } = (await posted.json()) as { event_id: string };
    const resultUrl = `${double.url}/gradio_api/call/infer/${event_id}`;
    const read = async () => (await fetch(resultUrl)).text();
    expect(await read()).toMatch(/event: complete\n/);
    expect(await read()).toBe('event: error\ndata: "404: Session not found."\n\n');
  });

  it('loses the error message on this API, as Gradio 4 and 5 do', async () => {
    double = await startGradioSpaceDouble({
      app: fluxSchnellApp,
      scenario: { kind: 'app-error', message: quotaMessageNew },
    });
    const posted = await fetch(`${double.url}/gradio_api/call/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: ['a cat', 5, false, 32, 32, 2] }),
    });
    const { event_id } = (await posted.json()) as { event_id: string };
    const text = await (
      await fetch(`${double.url}/gradio_api/call/infer/${event_id}`)
    ).text();
    expect(text).toBe('event: error\ndata: null\n\n');
  });
});
