import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIo } from '../../test/support/memory-io.js';
import { runCli } from './run-cli.js';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'genrelay-cli-'));
});

afterAll(async () => {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

async function run(...args: string[]) {
  const io = createMemoryIo({ cwd: folder });
  const code = await runCli(args, io);
  return { code, stdout: io.output(), stderr: io.errors() };
}

describe('runCli', () => {
  it('names the bad field of an invalid configuration file and exits with 1', async () => {
    const file = join(folder, 'bad.json');
    const providers = { local: { type: 'openai-compatible', baseUrl: 'not a url' } };
    await writeFile(file, JSON.stringify({ builtInProviders: false, providers }));
    const { code, stdout, stderr } = await run('models', '--config', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^genrelay: Invalid configuration in .*bad\.json:\n {2}providers\.local\.baseUrl: .+\n$/,
    );
  });

  it('reports a configuration file that does not exist', async () => {
    const { code, stderr } = await run('chat', 'hi', '--config', 'missing.json');
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^genrelay: Invalid configuration in missing\.json:\n {2}cannot read the file: .*ENOENT/,
    );
  });

  it('ends --json output with an invalid_config error line', async () => {
    const { code, stdout } = await run('providers', '--json', '--config', 'missing.json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      type: 'error',
      fatal: true,
      code: 'invalid_config',
    });
  });

  it('says when no provider serves the kind of model asked for', async () => {
    const { code, stderr } = await run('chat', 'hi');
    expect(code).toBe(1);
    expect(stderr).toBe(
      'genrelay: No configured provider serves chat models (see `genrelay providers`).\n',
    );
  });

  it('reports usage errors in one line with exit code 2', async () => {
    expect(await run('chat')).toEqual({
      code: 2,
      stdout: '',
      stderr: "genrelay: missing required argument 'prompt'\n",
    });
    expect(await run('fly')).toMatchObject({
      code: 2,
      stderr: "genrelay: unknown command 'fly'\n",
    });
    expect(await run('serve', '--port', 'http')).toMatchObject({ code: 2 });
    expect(await run('chat', ' ')).toMatchObject({
      code: 2,
      stderr: 'genrelay: The prompt is empty.\n',
    });
  });

  it('prints the version and help with exit code 0', async () => {
    expect(await run('--version')).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    const help = await run('image', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--aspect-ratio <ratio>');
  });
});
