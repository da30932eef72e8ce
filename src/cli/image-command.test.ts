import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConfigFile,
  doubleInstance,
  writeConfigFile,
} from '../../test/support/config-file.js';
import { createMemoryIo } from '../../test/support/memory-io.js';
import {
  type OpenAIDouble,
  startOpenAIDouble,
} from '../../test/upstreams/openai-compatible/openai-compatible-double.js';
import { runCli } from './run-cli.js';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

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

async function image(args: string[], options: { cwd?: string; isTTY?: boolean } = {}) {
  const io = createMemoryIo({
    cwd: options.cwd ?? folder,
    isTTY: options.isTTY ?? false,
  });
  const code = await runCli(['image', ...args, '--config', config], io);
  return { code, stdout: io.output(), stderr: io.errors() };
}

/** Width and height from the IHDR chunk, after checking the PNG signature. */
async function pngSize(file: string): Promise<[number, number]> {
  const bytes = await readFile(file);
  expect([...bytes.subarray(0, 8)]).toEqual(pngSignature);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('genrelay image', () => {
  it('writes the image to -o and prints its path', async () => {
    const { code, stdout, stderr } = await image([
      'a red fox',
      '-o',
      'fox.png',
      '--width',
      '64',
      '--height',
      '48',
    ]);
    const file = join(folder, 'fox.png');
    expect(code).toBe(0);
    expect(stdout).toBe(`${file}\n`);
    expect(await pngSize(file)).toEqual([64, 48]);
    expect(stderr).toContain('generating with');
    expect(stderr).not.toContain('\u001b');
    const generation = double.requests.findLast(
      (request) => request.path === '/v1/images/generations',
    );
    expect(generation?.body).toMatchObject({
      prompt: 'a red fox',
      size: '64x48',
    });
  });

  it('prints a JSON line with the file and its size, never the bytes', async () => {
    const { code, stdout } = await image([
      'a fox',
      '--json',
      '-o',
      'wide.png',
      '--aspect-ratio',
      '16:9',
    ]);
    expect(code).toBe(0);
    const parts = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(parts.map((part) => part.type)).toEqual(['provider', 'image', 'finish']);
    const file = join(folder, 'wide.png');
    const { size } = await stat(file);
    expect(parts[1]).toEqual({
      type: 'image',
      mediaType: 'image/png',
      width: 1024,
      height: 576,
      file,
      bytes: size,
    });
    expect(await pngSize(file)).toEqual([1024, 576]);
  });

  it('numbers the files when asking for several, and names them by time without -o', async () => {
    const cwd = join(folder, 'many');
    await mkdir(cwd);
    const { code, stdout } = await image(
      ['foxes', '-n', '2', '--width', '32', '--height', '32'],
      { cwd },
    );
    expect(code).toBe(0);
    const files = (await readdir(cwd)).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^genrelay-\d{4}-\d\d-\d\dT[\d-]+Z-1\.png$/);
    expect(files[1]).toBe(files[0]?.replace('-1.png', '-2.png'));
    expect(stdout).toBe(files.map((name) => `${join(cwd, name)}\n`).join(''));
  });

  it('redraws one progress line on a terminal', async () => {
    const { code, stderr } = await image(
      ['a fox', '-o', 'tty.png', '--width', '16', '--height', '16'],
      { isTTY: true },
    );
    expect(code).toBe(0);
    expect(stderr).toContain('\r\u001b[2K');
    expect(stderr.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('rejects a --width that is not a number before asking anyone', async () => {
    const requests = double.requests.length;
    const { code, stdout, stderr } = await image(['a fox', '--width', 'abc']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^genrelay: .*--width.*'abc'.*whole number.*\n$/);
    expect(double.requests.length).toBe(requests);
  });

  it('names the valid aspect ratios when given an unknown one', async () => {
    const { code, stderr } = await image(['a fox', '--aspect-ratio', '5:7']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^genrelay: .*'5:7'.*1:1, 16:9.*\n$/);
  });

  it('fails in one line for an unknown model, with a final JSON error line', async () => {
    const { code, stdout, stderr } = await image([
      'a fox',
      '--model',
      'no-such',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout.trim())).toMatchObject({
      type: 'error',
      fatal: true,
      code: 'model_not_found',
    });
    expect(stderr).toMatch(
      /^genrelay: The model `no-such` does not exist.*double-image\n$/,
    );
  });
});
