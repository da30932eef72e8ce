import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { type ConfigFile, writeConfigFile } from '../support/config-file.js';
import { createMemoryIo } from '../support/memory-io.js';
import {
  type GradioScenario,
  type GradioSpaceDouble,
  startGradioSpaceDouble,
} from '../upstreams/gradio-space/gradio-space-double.js';
import { quotaMessageNew } from '../upstreams/gradio-space/scenario.js';
import { fluxSchnellApp } from '../upstreams/gradio-space/space-app.js';

/** Each Space's total bound in these tests; every failure must end well within it. */
const timeoutMs = 1_000;
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let dev: GradioSpaceDouble;
let schnell: GradioSpaceDouble;
let config: ConfigFile;

beforeAll(async () => {
  dev = await startGradioSpaceDouble();
  schnell = await startGradioSpaceDouble({ app: fluxSchnellApp, layout: '4.x' });
  config = await writeConfigFile({
    'blackforestlabs-flux1dev': { baseUrl: dev.url, timeoutMs },
    'voodoohop-flux1schnell': { baseUrl: schnell.url, timeoutMs },
  });
});
afterEach(() => {
  dev.scenario = { kind: 'success' };
  schnell.scenario = { kind: 'success' };
});
afterAll(async () => {
  await dev?.close();
  await schnell?.close();
  await config?.remove();
});

async function image(args: string[], options: { isTTY?: boolean } = {}) {
  const io = createMemoryIo({ cwd: config.folder, isTTY: options.isTTY ?? false });
  const started = Date.now();
  const code = await runCli(['image', ...args, '--config', config.path], io);
  return {
    code,
    stdout: io.output(),
    stderr: io.errors(),
    elapsedMs: Date.now() - started,
  };
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function pngSize(file: string): Promise<[number, number]> {
  const bytes = await readFile(file);
  expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('genrelay image --model flux-dev, against the Space double', () => {
  it('prints queued, progress, preview and image parts in order, and writes the PNG', async () => {
    const { code, stdout } = await image([
      'a red fox',
      '--model',
      'flux-dev',
      '-o',
      'fox.png',
      '--json',
    ]);
    expect(code).toBe(0);
    const parts = jsonLines(stdout);
    expect(parts.map((part) => part.type)).toEqual([
      'provider',
      'queued',
      'queued',
      'progress',
      'progress',
      'progress',
      'progress',
      'image-preview',
      'image-preview',
      'image',
      'finish',
    ]);
    const file = join(config.folder, 'fox.png');
    expect(parts[0]).toEqual({
      type: 'provider',
      provider: 'blackforestlabs-flux1dev',
      model: 'flux-dev',
      label: 'BlackForestLabs Flux-1-Dev',
    });
    expect(parts[1]).toEqual({ type: 'queued', position: 1, etaMs: 1500 });
    expect(parts[6]).toEqual({ type: 'progress', step: 28, total: 28, fraction: 1 });
    expect(parts[7]).toMatchObject({ type: 'image-preview', mediaType: 'image/png' });
    expect(parts[9]).toEqual({
      type: 'image',
      mediaType: 'image/png',
      width: 1024,
      height: 1024,
      seed: dev.randomSeed,
      file,
      bytes: (await readFile(file)).byteLength,
    });
    expect(await pngSize(file)).toEqual([1024, 1024]);
  });

  it('shows a live progress bar on a terminal, and the file on stdout', async () => {
    const { code, stdout, stderr } = await image(
      [
        'a red fox',
        '--model',
        'flux-dev',
        '-o',
        'bar.png',
        '--width',
        '64',
        '--height',
        '64',
      ],
      { isTTY: true },
    );
    expect(code).toBe(0);
    expect(stdout).toBe(`${join(config.folder, 'bar.png')}\n`);
    expect(stderr).toContain('queued at position 2, about 2 s to start');
    expect(stderr).toContain('█'.repeat(20));
    expect(stderr).toMatch(/██████░+ 32% step 9\/28/);
    expect(stderr).toContain('100% step 28/28');
    // The status line is redrawn in place and removed at the end.
    expect(stderr).toContain('\r\u001b[2K');
    expect(stderr.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('logs one line per status when not on a terminal', async () => {
    const { stderr } = await image([
      'a fox',
      '--model',
      'flux-dev',
      '-o',
      'log.png',
      '--width',
      '32',
      '--height',
      '32',
    ]);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      'generating with BlackForestLabs Flux-1-Dev (model flux-dev)',
      'queued at position 2, about 2 s to start',
      'queued at position 1, about 0 s to start',
      '0% started',
      '30% step 9/28',
      '60% step 19/28',
      '100% step 28/28',
    ]);
  });

  it('writes the schnell image through the call API', async () => {
    const { code, stdout } = await image([
      'a fox',
      '--model',
      'flux-schnell',
      '-o',
      'schnell.png',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(jsonLines(stdout).map((part) => part.type)).toEqual([
      'provider',
      'image-preview',
      'image-preview',
      'image',
      'finish',
    ]);
    expect(await pngSize(join(config.folder, 'schnell.png'))).toEqual([768, 768]);
  });
});

describe('genrelay image when a Space fails: every failure ends within its bound', () => {
  const failures: [string, GradioScenario, string][] = [
    [
      'quota',
      { kind: 'app-error', message: quotaMessageNew, title: 'ZeroGPU quota exceeded' },
      'quota_exceeded',
    ],
    ['unexpected error', { kind: 'unexpected-error' }, 'upstream_error'],
    ['heartbeat-only stall', { kind: 'stall' }, 'timeout'],
    ['stream cut mid-way', { kind: 'cut' }, 'upstream_error'],
    ['stream ended early', { kind: 'ends-early' }, 'upstream_error'],
    ['malformed frame', { kind: 'malformed' }, 'response_parse_error'],
    ['join without event_id', { kind: 'join-without-event-id' }, 'upstream_error'],
    ['full queue', { kind: 'queue-full' }, 'upstream_error'],
  ];

  it.each(failures)('flux-dev, %s', async (_name, scenario, code) => {
    dev.scenario = scenario;
    const result = await image(['a fox', '--model', 'flux-dev', '--json', '-o', 'x.png']);
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({
      type: 'error',
      fatal: true,
      code,
    });
    expect(result.stderr).toMatch(/^genrelay: /);
    expect(result.elapsedMs).toBeLessThan(timeoutMs + 1_500);
  });

  it.each(failures)('flux-schnell, %s', async (_name, scenario, code) => {
    schnell.scenario = scenario;
    // The call API drops the app's message, so a quota error is only an upstream error.
    const expected = code === 'quota_exceeded' ? 'upstream_error' : code;
    const result = await image([
      'a fox',
      '--model',
      'flux-schnell',
      '--json',
      '-o',
      'x.png',
    ]);
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({
      type: 'error',
      fatal: true,
      code: expected,
    });
    expect(result.elapsedMs).toBeLessThan(timeoutMs + 1_500);
  });
});
