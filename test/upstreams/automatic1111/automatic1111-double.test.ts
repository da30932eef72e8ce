import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePng } from '../png.js';
import {
  type Automatic1111Double,
  defaultCheckpoint,
  startAutomatic1111Double,
} from './automatic1111-double.js';
import { generatedImage, gridImage, previewImage } from './double-images.js';

// No official client exists, so the double is held to protocols.md §5 directly.

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function post(double: Automatic1111Double, path: string, body: unknown, headers = {}) {
  return fetch(`${double.baseUrl}/sdapi/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
}

function get(double: Automatic1111Double, path: string, headers = {}) {
  return fetch(`${double.baseUrl}${path}`, {
    headers,
    signal: AbortSignal.timeout(5000),
  });
}

describe('AUTOMATIC1111 double', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({ stepDelayMs: 1 });
  });
  afterAll(async () => {
    await double.close();
  });

  it('answers txt2img with base64 PNGs, the echoed parameters and info as a JSON string', async () => {
    const response = await post(double, '/txt2img', {
      prompt: 'a cat',
      seed: 1234,
      steps: '4',
      width: 64,
      height: 48,
      batch_size: 2,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-process-time')).not.toBeNull();
    const body = (await response.json()) as {
      images: string[];
      parameters: object;
      info: string;
    };
    expect(body.images).toEqual([
      base64(generatedImage(64, 48, 1234)),
      base64(generatedImage(64, 48, 1235)),
    ]);
    expect(body.parameters).toMatchObject({
      steps: 4,
      cfg_scale: 7,
      sampler_index: 'Euler',
    });
    expect(
      body.info.startsWith('{"prompt": "a cat", "all_prompts": ["a cat", "a cat"]'),
    ).toBe(true);
    expect(body.info).toContain('"cfg_scale": 7.0');
    expect(JSON.parse(body.info)).toMatchObject({
      seed: 1234,
      all_seeds: [1234, 1235],
      width: 64,
      height: 48,
      index_of_first_image: 0,
      sd_model_name: defaultCheckpoint.model_name,
    });
  });

  it('puts a grid first when samples are saved, and says so in index_of_first_image', async () => {
    const response = await post(double, '/txt2img', {
      seed: 7,
      steps: 1,
      width: 64,
      height: 64,
      batch_size: 3,
      save_images: true,
    });
    const body = (await response.json()) as { images: string[]; info: string };
    expect(body.images).toHaveLength(4);
    expect(body.images[0]).toBe(base64(gridImage(64, 64, 3)));
    expect(JSON.parse(body.info).index_of_first_image).toBe(1);
  });

  it('reports pydantic v1 validation errors as FastAPI 422s, in field order', async () => {
    const response = await post(double, '/txt2img', {
      steps: 'many',
      width: [],
      styles: [1, {}],
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      detail: [
        { loc: ['body', 'styles', 1], msg: 'str type expected', type: 'type_error.str' },
        {
          loc: ['body', 'steps'],
          msg: 'value is not a valid integer',
          type: 'type_error.integer',
        },
        {
          loc: ['body', 'width'],
          msg: 'value is not a valid integer',
          type: 'type_error.integer',
        },
      ],
    });
    const broken = await post(double, '/txt2img', '{not json');
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({
      detail: [{ type: 'value_error.jsondecode' }],
    });
  });

  it('wraps HTTP exceptions the way api_middleware does', async () => {
    const sampler = await post(double, '/txt2img', { sampler_name: 'Nope', steps: 1 });
    expect(sampler.status).toBe(404);
    expect(await sampler.json()).toEqual({
      error: 'HTTPException',
      detail: 'Sampler not found',
      body: '',
      errors: '404: Sampler not found',
    });
    const noInit = await post(double, '/img2img', { prompt: 'x' });
    expect(noInit.status).toBe(404);
    expect(await noInit.json()).toMatchObject({ detail: 'Init image not found' });
    const badImage = await post(double, '/img2img', {
      init_images: ['bm90IGFuIGltYWdl'],
    });
    expect(badImage.status).toBe(500);
    expect(await badImage.json()).toMatchObject({ detail: 'Invalid encoded image' });
    const url = await post(double, '/img2img', {
      init_images: ['https://example.com/a.png'],
    });
    expect(await url.json()).toMatchObject({ detail: 'Requests not allowed' });
  });

  it('runs img2img from a data URI and hides the init images in the echo', async () => {
    const init = `data:image/png;base64,${base64(makePng(8, 8))}`;
    const response = await post(double, '/img2img', {
      init_images: [init],
      seed: 5,
      steps: 2,
      width: 32,
      height: 32,
    });
    const body = (await response.json()) as {
      images: string[];
      parameters: object;
      info: string;
    };
    expect(body.images).toEqual([base64(generatedImage(32, 32, 5))]);
    expect(body.parameters).toMatchObject({
      init_images: null,
      denoising_strength: 0.75,
    });
    expect(double.requests.at(-1)?.body).toMatchObject({ init_images: [init] });
  });

  it('switches checkpoints by override_settings and restores them unless told not to', async () => {
    const other = await startAutomatic1111Double({
      stepDelayMs: 1,
      checkpoints: [
        defaultCheckpoint,
        { title: 'sdxl.safetensors [abc]', model_name: 'sdxl', hash: 'abc' },
      ],
    });
    try {
      const info = async (body: object) =>
        JSON.parse(
          ((await (await post(other, '/txt2img', body)).json()) as { info: string }).info,
        );
      expect(
        await info({ steps: 1, override_settings: { sd_model_checkpoint: 'sdxl' } }),
      ).toMatchObject({
        sd_model_name: 'sdxl',
      });
      expect(other.loadedCheckpoint().model_name).toBe(defaultCheckpoint.model_name);
      await info({
        steps: 1,
        override_settings: { sd_model_checkpoint: 'sdxl.safetensors [abc]' },
        override_settings_restore_afterwards: false,
      });
      expect(other.loadedCheckpoint().model_name).toBe('sdxl');
      const models = await (await get(other, '/sdapi/v1/sd-models')).json();
      expect(models).toMatchObject([
        { model_name: 'v1-5-pruned-emaonly' },
        { title: 'sdxl.safetensors [abc]' },
      ]);
    } finally {
      await other.close();
    }
  });

  it('answers unknown routes and methods as FastAPI does', async () => {
    const root = await get(double, '/');
    expect(root.status).toBe(404);
    expect(await root.json()).toEqual({ detail: 'Not Found' });
    const method = await get(double, '/sdapi/v1/txt2img');
    expect(method.status).toBe(405);
    expect(await (await post(double, '/interrupt', {})).json()).toEqual({});
  });
});

describe('AUTOMATIC1111 double progress', () => {
  let double: Automatic1111Double;
  afterEach(async () => {
    await double.close();
  });

  it('shows each step, a preview every n steps, and the idle state around the job', async () => {
    double = await startAutomatic1111Double({ advanceOnPoll: true, previewEvery: 2 });
    const idle = await (await get(double, '/sdapi/v1/progress')).json();
    expect(idle).toMatchObject({
      progress: 0,
      eta_relative: 0,
      current_image: null,
      state: { job: '', job_count: 0 },
    });
    const job = post(double, '/txt2img', { seed: 3, steps: 4, width: 64, height: 64 });
    // A failed assertion below leaves the job to be cut off by close().
    job.catch(() => undefined);
    await expect
      .poll(() => double.requests.some((request) => request.path.endsWith('txt2img')))
      .toBe(true);
    const seen = [];
    for (let poll = 0; poll < 4; poll++) {
      const progress = (await (await get(double, '/sdapi/v1/progress')).json()) as {
        progress: number;
        state: { sampling_step: number; sampling_steps: number; job: string };
        current_image: string | null;
      };
      seen.push([progress.state.sampling_step, progress.current_image]);
      expect(progress.state).toMatchObject({ job: 'scripts_txt2img', sampling_steps: 4 });
      expect(progress.progress).toBeCloseTo(Math.min(1, 0.01 + (poll + 1) / 4));
    }
    expect(seen).toEqual([
      [1, null],
      [2, base64(previewImage(64, 64, 2))],
      [3, base64(previewImage(64, 64, 2))],
      [4, base64(previewImage(64, 64, 4))],
    ]);
    // One more poll lets the job decode and finish.
    await get(double, '/sdapi/v1/progress?skip_current_image=true');
    expect((await job).status).toBe(200);
  });

  it('stops early on interrupt and still answers 200 with the images made', async () => {
    double = await startAutomatic1111Double({ stepDelayMs: 50 });
    const started = Date.now();
    const job = post(double, '/txt2img', { seed: 9, steps: 200, width: 16, height: 16 });
    job.catch(() => undefined);
    await expect
      .poll(
        async () =>
          (
            (await (await get(double, '/sdapi/v1/progress')).json()) as {
              state: { sampling_step: number };
            }
          ).state.sampling_step,
      )
      .toBeGreaterThan(0);
    await post(double, '/interrupt', {});
    const response = await job;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { images: string[] }).images).toEqual([
      base64(generatedImage(16, 16, 9)),
    ]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('names the running job by its force_task_id in current_task, or not at all', async () => {
    const running = async () => {
      const progress = async () =>
        (await (await get(double, '/sdapi/v1/progress')).json()) as {
          state: { job_count: number };
          current_task: string | null;
        };
      await expect.poll(async () => (await progress()).state.job_count).toBe(1);
      return (await progress()).current_task;
    };
    for (const reportsCurrentTask of [true, false]) {
      double = await startAutomatic1111Double({ stepDelayMs: 20, reportsCurrentTask });
      const idle = await (await get(double, '/sdapi/v1/progress')).json();
      expect(idle).toMatchObject({ current_task: null });
      const job = post(double, '/txt2img', { steps: 100, force_task_id: 'mine' });
      job.catch(() => undefined);
      expect(await running()).toBe(reportsCurrentTask ? 'mine' : null);
      await post(double, '/interrupt', {});
      await job;
      if (reportsCurrentTask) {
        const unnamed = post(double, '/txt2img', { steps: 100 });
        unnamed.catch(() => undefined);
        expect(await running()).toMatch(/^task\(/);
        await post(double, '/interrupt', {});
        await unnamed;
      }
      // Closing twice is harmless: afterEach closes the last one again.
      await double.close();
    }
  });

  it('runs one job at a time', async () => {
    double = await startAutomatic1111Double({ stepDelayMs: 5 });
    const finished: string[] = [];
    const run = (name: string) =>
      post(double, '/txt2img', { prompt: name, steps: 10 }).then(() =>
        finished.push(name),
      );
    await Promise.all([run('first'), run('second')]);
    expect(finished).toEqual(['first', 'second']);
  });
});

describe('AUTOMATIC1111 double auth and outages', () => {
  let double: Automatic1111Double;
  beforeAll(async () => {
    double = await startAutomatic1111Double({
      stepDelayMs: 20,
      auth: { username: 'genrelay', password: 's3cret' },
    });
  });
  afterAll(async () => {
    await double.close();
  });
  const basic = (pair: string) => ({
    authorization: `Basic ${Buffer.from(pair).toString('base64')}`,
  });

  it('needs the --api-auth credentials on every /sdapi call', async () => {
    const none = await get(double, '/sdapi/v1/progress');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: 'HTTPException',
      detail: 'Not authenticated',
      body: '',
      errors: '401: Not authenticated',
    });
    const wrong = await get(double, '/sdapi/v1/progress', basic('genrelay:nope'));
    expect(await wrong.json()).toMatchObject({
      detail: 'Incorrect username or password',
    });
    expect(
      (await get(double, '/sdapi/v1/progress', basic('genrelay:s3cret'))).status,
    ).toBe(200);
  });

  it('refuses connections while down, drops running jobs, and serves again when up', async () => {
    const job = post(double, '/txt2img', { steps: 100 }, basic('genrelay:s3cret'));
    await expect
      .poll(() => double.requests.some((request) => request.path.endsWith('txt2img')))
      .toBe(true);
    await double.setDown(true);
    await expect(job).rejects.toThrow();
    await expect(
      get(double, '/sdapi/v1/progress', basic('genrelay:s3cret')),
    ).rejects.toThrow();
    await double.setDown(false);
    const progress = await get(double, '/sdapi/v1/progress', basic('genrelay:s3cret'));
    expect(await progress.json()).toMatchObject({ state: { job_count: 0 } });
  });
});
