import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConfigFile,
  doubleInstance,
  writeConfigFile,
} from '../../test/support/config-file.js';
import { createMemoryIo, type MemoryIo } from '../../test/support/memory-io.js';
import { DEFAULT_TEXT } from '../../test/upstreams/openai-compatible/behaviour.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../../test/upstreams/openai-compatible/openai-compatible-double.js';
import { runCli } from './run-cli.js';

let double: OpenAIDouble;
let folder: string;
let config: string;
let configFile: ConfigFile | undefined;

beforeAll(async () => {
  double = await startOpenAIDouble();
  configFile = await writeConfigFile({ double: doubleInstance(double) });
  folder = configFile.folder;
  config = configFile.path;
});

afterAll(async () => {
  await double?.close();
  await configFile?.remove();
});

async function chat(args: string[], io: MemoryIo = createMemoryIo({ cwd: folder })) {
  const code = await runCli(['chat', ...args, '--config', config], io);
  return { code, stdout: io.output(), stderr: io.errors() };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('genrelay chat', () => {
  it('prints every part as one JSON line, in order, with the text the upstream sent', async () => {
    const { code, stdout, stderr } = await chat(['Say hello', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const parts = jsonLines(stdout);
    expect(parts[0]).toEqual({
      type: 'provider',
      provider: 'double',
      model: 'double-chat',
      label: expect.stringContaining('OpenAI-compatible'),
    });
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const texts = parts.filter((part) => part.type === 'text');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((part) => part.delta).join('')).toBe(DEFAULT_TEXT);
    // Exactly the part's fields, nothing added.
    const firstText = stdout.split('\n').find((line) => line.includes('"text"'));
    expect(firstText).toBe(JSON.stringify({ type: 'text', delta: texts[0]?.delta }));
    const kinds = parts.map((part) => part.type);
    expect(kinds.indexOf('finish')).toBeGreaterThan(kinds.lastIndexOf('text'));
  });

  it('streams the answer to stdout and sends the system prompt and the prompt', async () => {
    const { code, stdout, stderr } = await chat(['Say hello', '--system', 'Be brief.']);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: `${DEFAULT_TEXT}\n`,
      stderr: '',
    });
    const body = double.requests.at(-1)?.body as { messages: unknown[] };
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Say hello' },
    ]);
  });

  it('keeps reasoning off stdout', async () => {
    double.setBehaviour('double-chat', {
      kind: 'normal',
      text: 'Four.',
      reasoning: 'Two and two.',
    });
    try {
      const { code, stdout, stderr } = await chat(['2+2?']);
      expect(code).toBe(0);
      expect(stdout).toBe('Four.\n');
      expect(stderr).toBe('Two and two.\n');
    } finally {
      double.setBehaviour('double-chat', { kind: 'normal' });
    }
  });

  it('says so when it falls back to the next provider', async () => {
    const broken = await startOpenAIDouble({
      behaviour: { kind: 'server-error', status: 500 },
    });
    try {
      const fallbackConfig = join(folder, 'fallback.json');
      const models = ['double-chat'];
      const providers = {
        first: {
          type: 'openai-compatible',
          baseUrl: broken.baseUrl,
          models,
          imageModels: [],
        },
        second: {
          type: 'openai-compatible',
          baseUrl: double.baseUrl,
          models,
          imageModels: [],
        },
      };
      await writeFile(
        fallbackConfig,
        JSON.stringify({ builtInProviders: false, providers }),
      );
      const io = createMemoryIo({ cwd: folder });
      const code = await runCli(['chat', 'hi', '--config', fallbackConfig], io);
      expect(code).toBe(0);
      expect(io.output()).toBe(`${DEFAULT_TEXT}\n`);
      expect(io.errors()).toMatch(
        /^first failed \(upstream_error\): .*500.*; trying second\n$/,
      );
    } finally {
      await broken.close();
    }
  });

  it('reports an unknown model in one line and exits with 1', async () => {
    const { code, stdout, stderr } = await chat(['hi', '--model', 'no-such-model']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^genrelay: The model `no-such-model` does not exist.*double-chat\n$/,
    );
  });

  it('ends --json output with a fatal error line when the upstream fails', async () => {
    double.setBehaviour('double-chat', { kind: 'server-error', status: 503 });
    try {
      const { code, stdout, stderr } = await chat(['hi', '--json']);
      expect(code).toBe(1);
      const last = jsonLines(stdout).at(-1);
      expect(last).toMatchObject({ type: 'error', fatal: true, code: 'upstream_error' });
      expect(stderr).toMatch(/^genrelay: .+\n$/);
      expect(stderr).not.toMatch(/\n {4}at /);
    } finally {
      double.setBehaviour('double-chat', { kind: 'normal' });
    }
  });

  it('refuses a --conversation that is not JSON, naming the flag', async () => {
    const requests = double.requests.length;
    const { code, stderr } = await chat(['hi', '--conversation', '{oops']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^genrelay: --conversation must be .*JSON.*\n$/);
    expect(double.requests.length).toBe(requests);
  });

  it('cancels the request on Ctrl-C and exits with 130', async () => {
    double.setBehaviour('double-chat', { kind: 'hang' });
    try {
      const io = createMemoryIo({ cwd: folder });
      const requests = double.requests.length;
      const running = chat(['hi'], io);
      const deadline = Date.now() + 5_000;
      while (double.requests.length === requests && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      io.interrupt();
      const { code, stderr } = await running;
      expect(code).toBe(130);
      expect(stderr).toMatch(/^genrelay: .*cancel.*\n$/i);
    } finally {
      double.setBehaviour('double-chat', { kind: 'normal' });
    }
  });
});
