import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { type ConfigFile, writeConfigFile } from '../support/config-file.js';
import { createMemoryIo, type MemoryIo } from '../support/memory-io.js';
import {
  type ReplicateDouble,
  startReplicateDouble,
} from '../upstreams/replicate/replicate-double.js';
import { DEFAULT_TOKENS } from '../upstreams/replicate/scenario.js';

const sdxl = 'bytedance/sdxl-lightning-4step';
const gemma = 'google-deepmind/gemma-2b-it';

let double: ReplicateDouble;
let configFile: ConfigFile;

beforeAll(async () => {
  double = await startReplicateDouble();
  // The built-in instance's name: its type needs no saying, the token comes from the env.
  configFile = await writeConfigFile({
    replicate: {
      baseUrl: double.baseUrl,
      waitSeconds: 1,
      pollIntervalMs: 20,
      maxPollIntervalMs: 40,
    },
  });
  // The double serves its output files from loopback.
  const config = JSON.parse(await readFile(configFile.path, 'utf8')) as {
    server: Record<string, unknown>;
  };
  config.server.allowPrivateMediaUrls = true;
  await writeFile(configFile.path, JSON.stringify(config));
});
afterAll(async () => {
  await double?.close();
  await configFile?.remove();
});
beforeEach(() => {
  double.reset();
});

interface Line {
  at: number;
  part: Record<string, unknown>;
}

/** Runs a command with `--json`, keeping each line and when it was written. */
async function genrelay(args: string[], onLine?: (line: Line, io: MemoryIo) => void) {
  const io = createMemoryIo({
    cwd: configFile.folder,
    env: { REPLICATE_API_TOKEN: double.token },
  });
  const lines: Line[] = [];
  const write = io.stdout.write.bind(io.stdout);
  io.stdout.write = (chunk) => {
    for (const text of String(chunk).split('\n').filter(Boolean)) {
      const line = { at: Date.now(), part: JSON.parse(text) as Record<string, unknown> };
      lines.push(line);
      onLine?.(line, io);
    }
    return write(chunk);
  };
  const started = Date.now();
  const code = await runCli([...args, '--json', '--config', configFile.path], io);
  return { code, lines, stderr: io.errors(), elapsedMs: Date.now() - started };
}

const partsOf = (lines: Line[]) => lines.map((line) => line.part);

describe('genrelay with the Replicate provider', () => {
  it('image --model sdxl prints the provider, the saved PNG and the finish', async () => {
    const { code, lines, stderr } = await genrelay([
      'image',
      'a red fox',
      '--model',
      'sdxl',
    ]);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const parts = partsOf(lines);
    expect(parts[0]).toEqual({
      type: 'provider',
      provider: 'replicate',
      model: sdxl,
      label: 'Replicate',
    });
    const image = parts.find((part) => part.type === 'image');
    expect(image).toMatchObject({
      type: 'image',
      mediaType: 'image/png',
      seed: 1234567,
      alt: 'a red fox',
    });
    const bytes = await readFile(String(image?.file));
    expect(bytes.byteLength).toBe(image?.bytes);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(double.requests[0]?.body).toMatchObject({
      version: '5f24084160c9089501c1b3545d9be3c27883ae2239b6f412990e82d4a6210f8f',
      input: { prompt: 'a red fox' },
    });
  });

  it('image prints progress lines while a slow prediction is polled', async () => {
    double.setScenario(sdxl, { kind: 'succeed', processingMs: 2_500 });
    const { code, lines } = await genrelay(['image', 'a red fox', '--model', 'sdxl']);

    expect(code).toBe(0);
    const kinds = partsOf(lines).map((part) => part.type);
    expect(kinds.filter((kind) => kind === 'progress').length).toBeGreaterThanOrEqual(3);
    expect(kinds.slice(-2)).toEqual(['image', 'finish']);
    // The create was held for a second, then polled: progress came from the polls.
    expect(double.requests[0]?.headers.prefer).toBe('wait=1');
  });

  it('chat --model gemma-2b prints each token as the double sends it', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 150 });
    const { code, lines } = await genrelay(['chat', 'Say hello', '--model', 'gemma-2b']);

    expect(code).toBe(0);
    const parts = partsOf(lines);
    expect(parts[0]).toMatchObject({ type: 'provider', model: gemma });
    const texts = lines.filter((line) => line.part.type === 'text');
    expect(texts.map((line) => line.part.delta)).toEqual(DEFAULT_TOKENS);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const [prediction] = [...double.predictions.values()].slice(-1);
    const sent = prediction?.tokenSentAt ?? [];
    // Each line follows its token closely, long before the model's last token.
    texts.forEach((line, index) => {
      expect(line.at).toBeGreaterThanOrEqual(sent[index] ?? Number.POSITIVE_INFINITY);
      expect(line.at).toBeLessThan((sent[index] ?? 0) + 60);
    });
    expect(texts[0]?.at ?? Number.POSITIVE_INFINITY).toBeLessThan(
      (sent.at(-1) ?? 0) - 300,
    );
  });

  it('chat runs any owner/name the user gives, found through the catalog pattern', async () => {
    const { code, lines } = await genrelay([
      'chat',
      'Say hello',
      '--model',
      'meta/meta-llama-3-8b-instruct',
    ]);
    expect(code).toBe(0);
    expect(partsOf(lines)[0]).toMatchObject({ model: 'meta/meta-llama-3-8b-instruct' });
    const create = double.requests.find((request) => request.method === 'POST');
    expect(create?.path).toBe('/v1/models/meta/meta-llama-3-8b-instruct/predictions');
  });

  it('Ctrl-C mid-generation cancels the prediction at Replicate', async () => {
    double.setScenario(gemma, { kind: 'succeed', tokenDelayMs: 200 });
    const { code, lines, stderr } = await genrelay(
      ['chat', 'Say hello', '--model', 'gemma-2b'],
      (line, io) => {
        if (line.part.type === 'text') io.interrupt();
      },
    );

    expect(code).toBe(130);
    expect(stderr).toContain('canceled');
    expect(lines.at(-1)?.part).toMatchObject({ type: 'error', code: 'canceled' });
    const cancel = double.requests.find((request) => request.path.endsWith('/cancel'));
    expect(cancel?.method).toBe('POST');
  });

  it('a rate-limited create ends with a fatal rate_limited line', async () => {
    double.setScenario(sdxl, { kind: 'rate-limited', retryAfterSeconds: 4 });
    const { code, lines, elapsedMs } = await genrelay([
      'image',
      'a fox',
      '--model',
      'sdxl',
    ]);
    expect(code).toBe(1);
    expect(lines.at(-1)?.part).toMatchObject({
      type: 'error',
      fatal: true,
      code: 'rate_limited',
      retryAfterMs: 4_000,
      provider: 'replicate',
    });
    expect(elapsedMs).toBeLessThan(2_000);
  });
});
