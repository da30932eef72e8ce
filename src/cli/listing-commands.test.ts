import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigFile, writeConfigFile } from '../../test/support/config-file.js';
import { createMemoryIo } from '../../test/support/memory-io.js';
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
  double = await startOpenAIDouble({
    models: ['double-chat', 'other-chat', 'flux-double'],
  });
  configFile = await writeConfigFile({
    // No model lists: the catalog comes from the double's /models (flux* are image models).
    double: { type: 'openai-compatible', baseUrl: double.baseUrl },
    spare: { type: 'openai-compatible', baseUrl: double.baseUrl, enabled: false },
  });
  folder = configFile.folder;
  config = configFile.path;
});

afterAll(async () => {
  await double?.close();
  await configFile?.remove();
});

async function run(...args: string[]) {
  const io = createMemoryIo({ cwd: folder, env: { OPENAI_API_KEY: '' } });
  const code = await runCli([...args, '--config', config], io);
  return { code, stdout: io.output(), stderr: io.errors() };
}

describe('genrelay models', () => {
  it('prints a table of the models, their kind and providers', async () => {
    const { code, stdout, stderr } = await run('models');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+KIND\s+PROVIDERS$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/))).toEqual([
      ['double-chat', 'chat', 'double'],
      ['other-chat', 'chat', 'double'],
      ['flux-double', 'image', 'double'],
    ]);
  });

  it('prints one JSON object per model with --json', async () => {
    const { code, stdout } = await run('models', '--json');
    expect(code).toBe(0);
    const models = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(models).toContainEqual({
      id: 'flux-double',
      kind: 'image',
      providers: ['double'],
    });
    expect(models).toContainEqual({
      id: 'other-chat',
      kind: 'chat',
      providers: ['double'],
    });
  });
});

describe('genrelay providers', () => {
  it('lists every configured instance with its health and credential variables', async () => {
    const { code, stdout } = await run('providers');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+ENABLED\s+STATUS\s+LABEL$/);
    expect(lines[1]).toMatch(
      /^double\s+openai-compatible\s+yes\s+ok\s+OpenAI-compatible \(127/,
    );
    expect(lines[2]).toMatch(
      /^spare\s+openai-compatible\s+no\s+disabled\s+OpenAI-compatible server$/,
    );
    expect(stdout).toContain('openai-compatible: OPENAI_API_KEY');
  });

  it('prints one JSON object per instance with --json', async () => {
    const { code, stdout } = await run('providers', '--json');
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.id, row.enabled, row.status])).toEqual([
      ['double', true, 'ok'],
      ['spare', false, 'disabled'],
    ]);
    expect(rows[0]).toMatchObject({ type: 'openai-compatible', recentFailures: 0 });
    expect(rows[0].environment).toEqual(
      expect.arrayContaining([expect.stringContaining('OPENAI_API_KEY')]),
    );
  });
});
