import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { type ConfigFile, writeConfigFile } from '../support/config-file.js';
import { createMemoryIo } from '../support/memory-io.js';
import {
  type Automatic1111Double,
  startAutomatic1111Double,
} from '../upstreams/automatic1111/automatic1111-double.js';
import { generatedImage } from '../upstreams/automatic1111/double-images.js';

describe('genrelay image with an AUTOMATIC1111 instance', () => {
  let double: Automatic1111Double;
  let config: ConfigFile;
  beforeAll(async () => {
    // Each progress poll advances one step, so the parts below are exact.
    double = await startAutomatic1111Double({ advanceOnPoll: true, previewEvery: 25 });
    config = await writeConfigFile({
      'gpu-a': { type: 'automatic1111', baseUrl: double.baseUrl, progressIntervalMs: 10 },
    });
  });
  afterAll(async () => {
    await double?.close();
    await config?.remove();
  });

  it('prints every step, both previews, then the saved image with its seed', async () => {
    const io = createMemoryIo({ cwd: config.folder });
    const code = await runCli(
      [
        'image',
        'a lighthouse at dusk',
        '--json',
        '-o',
        'lighthouse.png',
        '--seed',
        '42',
        '--width',
        '64',
        '--height',
        '64',
        '--config',
        config.path,
      ],
      io,
    );
    expect(io.errors()).toBe('');
    expect(code).toBe(0);
    const parts = io
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parts[0]).toEqual({
      type: 'provider',
      provider: 'gpu-a',
      model: 'v1-5-pruned-emaonly',
      label: `AUTOMATIC1111 (${new URL(double.baseUrl).host})`,
    });
    const steps = parts
      .filter((part) => part.type === 'progress')
      .map((part) => part.step);
    // The web UI's default is 50 steps.
    expect(steps).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    const previews = parts.flatMap((part, index) =>
      part.type === 'image-preview' ? [[index, part.width, part.height]] : [],
    );
    // One after step 25 and one after step 50, each right after its progress part.
    expect(previews).toEqual([
      [26, 8, 8],
      [52, 8, 8],
    ]);
    const file = join(config.folder, 'lighthouse.png');
    expect(parts.slice(-2)).toEqual([
      {
        type: 'image',
        mediaType: 'image/png',
        width: 64,
        height: 64,
        seed: 42,
        file,
        bytes: generatedImage(64, 64, 42).length,
      },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(new Uint8Array(await readFile(file))).toEqual(generatedImage(64, 64, 42));
    expect(
      double.requests.find((request) => request.path === '/sdapi/v1/txt2img')?.body,
    ).toEqual({
      prompt: 'a lighthouse at dusk',
      seed: 42,
      width: 64,
      height: 64,
      override_settings: { sd_model_checkpoint: 'v1-5-pruned-emaonly' },
      override_settings_restore_afterwards: false,
      force_task_id: expect.stringMatching(/^genrelay-/),
    });
  });
});
