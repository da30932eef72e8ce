import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig, parseConfig } from './load-config.js';

function problemsOf(action: () => unknown): readonly string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills in defaults for an empty configuration', () => {
    const config = parseConfig({ builtInProviders: false }, 'defaults', {});
    expect(config.server).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      dataDir: './genrelay-data',
      apiKeys: [],
    });
    expect(config.server.maxBodyBytes).toBe(16 * 1024 * 1024);
    expect(config.providers).toEqual([]);
  });

  it('names the path of a bad field', () => {
    const problems = problemsOf(() =>
      parseConfig(
        { providers: { local: { type: 'openai-compatible', baseUrl: 'not a url' } } },
        'file.json',
        {},
      ),
    );
    expect(problems).toEqual(['providers.local.baseUrl: Invalid URL']);
  });

  it('keeps results for ever unless storage.retentionHours is set', () => {
    const defaults = parseConfig({ builtInProviders: false }, 'f', {}).storage;
    expect(defaults.retentionHours).toBeUndefined();
    expect(defaults.sweepIntervalMs).toBe(600_000);
    const set = parseConfig(
      {
        builtInProviders: false,
        storage: { retentionHours: 0.5, sweepIntervalMs: 1000 },
      },
      'f',
      {},
    ).storage;
    expect(set).toMatchObject({ retentionHours: 0.5, sweepIntervalMs: 1000 });
  });

  it('names the storage field whose retention setting is out of range', () => {
    const problems = problemsOf(() =>
      parseConfig({ storage: { retentionHours: 0, sweepIntervalMs: 999 } }, 'f', {}),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^storage\.retentionHours: /);
    expect(problems[1]).toMatch(/^storage\.sweepIntervalMs: /);
    expect(
      problemsOf(() => parseConfig({ storage: { sweepIntervalMs: 1500.5 } }, 'f', {})),
    ).toEqual(['storage.sweepIntervalMs: Invalid input: expected int, received number']);
  });

  it("refuses a service's webhook URL that deliveries would refuse, naming its path", () => {
    const webhooks = (allowPrivateUrls: boolean) => ({
      builtInProviders: false,
      webhooks: {
        allowPrivateUrls,
        services: {
          plain: { url: 'http://hooks.example.com/a' },
          inside: { url: 'https://10.1.2.3/hook' },
          fine: { url: 'https://hooks.example.com/b' },
        },
      },
    });
    expect(problemsOf(() => parseConfig(webhooks(false), 'f', {}))).toEqual([
      'webhooks.services.plain.url: the webhook URL must use https, not http',
      'webhooks.services.inside.url: the webhook URL points to 10.1.2.3, which is not a public address',
    ]);
    const trusted = parseConfig(webhooks(true), 'f', {}).webhooks.services;
    expect(trusted.plain?.url).toBe('http://hooks.example.com/a');
    expect(trusted.inside?.url).toBe('https://10.1.2.3/hook');
  });

  it('reports every problem at once, with array indexes', () => {
    const problems = problemsOf(() =>
      parseConfig(
        { server: { port: 'eighty', apiKeys: ['short'] }, extra: true },
        'f',
        {},
      ),
    );
    expect(problems).toContain(
      'server.port: Invalid input: expected number, received string',
    );
    expect(problems.some((line) => line.startsWith('server.apiKeys[0]:'))).toBe(true);
    expect(problems.some((line) => line.includes('extra'))).toBe(true);
  });

  it('requires a type for an instance that is not built in, and knows the types', () => {
    const [problem, ...others] = problemsOf(() =>
      parseConfig({ providers: { mine: {} } }, 'f', {}),
    );
    expect(others).toEqual([]);
    expect(problem).toMatch(
      /^providers\.mine\.type: required, as "mine" is not a built-in provider \(types: .*openai-compatible/,
    );
    expect(
      problemsOf(() =>
        parseConfig({ providers: { mine: { type: 'nope' } } }, 'f', {}),
      )[0],
    ).toContain('unknown provider type "nope"');
  });

  it('rejects unknown provider settings instead of ignoring a typo', () => {
    const problems = problemsOf(() =>
      parseConfig(
        { providers: { local: { type: 'openai-compatible', baseURL: 'http://x' } } },
        'f',
        {},
      ),
    );
    expect(problems[0]).toMatch(/^providers\.local: Unrecognized key: "baseURL"/);
  });

  it('adds the built-in OpenAI instance only when its key is in the environment', () => {
    const ids = (env: Record<string, string>) =>
      parseConfig({}, 'f', env).providers.map(({ id }) => id);
    expect(ids({})).not.toContain('openai');
    expect(ids({ OPENAI_API_KEY: '' })).not.toContain('openai');
    const openai = parseConfig({}, 'f', { OPENAI_API_KEY: 'sk-test' }).providers.find(
      ({ id }) => id === 'openai',
    );
    expect(openai).toMatchObject({
      id: 'openai',
      type: 'openai-compatible',
      settings: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
    });
  });

  it('offers the public FLUX Spaces with no configuration at all', () => {
    const ids = parseConfig({}, 'f', {}).providers.map(({ id }) => id);
    expect(ids).toEqual(['blackforestlabs-flux1dev', 'voodoohop-flux1schnell']);
  });

  it('leaves the built-ins out when builtInProviders is false', () => {
    const config = parseConfig({ builtInProviders: false }, 'f', {
      OPENAI_API_KEY: 'sk-test',
    });
    expect(config.providers).toEqual([]);
  });

  it('lets a configured built-in override its defaults, keeping the rest', () => {
    const [openai] = parseConfig(
      { providers: { openai: { baseUrl: 'http://127.0.0.1:9/v1' } } },
      'f',
      {},
    ).providers;
    expect(openai?.settings).toMatchObject({
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKeyEnv: 'OPENAI_API_KEY',
    });
  });

  it('checks that routes name configured instances', () => {
    const problems = problemsOf(() =>
      parseConfig(
        {
          providers: {
            local: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1' },
          },
          routes: { fast: ['local', 'missing'] },
        },
        'f',
        {},
      ),
    );
    expect(problems).toEqual(['routes.fast[1]: unknown provider instance "missing"']);
  });
});

describe('loadConfig', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'genrelay-config-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads --config, else GENRELAY_CONFIG, else ./genrelay.config.json', async () => {
    await writeFile(join(folder, 'a.json'), JSON.stringify({ server: { port: 1 } }));
    await writeFile(join(folder, 'b.json'), JSON.stringify({ server: { port: 2 } }));
    await writeFile(
      join(folder, 'genrelay.config.json'),
      JSON.stringify({ server: { port: 3 } }),
    );
    const env = { GENRELAY_CONFIG: 'b.json' };
    expect((await loadConfig({ path: 'a.json', env, cwd: folder })).server.port).toBe(1);
    expect((await loadConfig({ env, cwd: folder })).server.port).toBe(2);
    expect((await loadConfig({ env: {}, cwd: folder })).server.port).toBe(3);
  });

  it('uses the defaults without any file, with the data folder made absolute', async () => {
    const config = await loadConfig({ env: {}, cwd: folder });
    expect(config.source).toBe('defaults');
    expect(config.server.dataDir).toBe(join(folder, 'genrelay-data'));
  });

  it('says which file is not JSON or cannot be read', async () => {
    await writeFile(join(folder, 'bad.json'), '{ "server": ');
    await expect(loadConfig({ path: 'bad.json', env: {}, cwd: folder })).rejects.toThrow(
      /Invalid configuration in bad\.json:\n {2}not valid JSON/,
    );
    await expect(
      loadConfig({ path: 'missing.json', env: {}, cwd: folder }),
    ).rejects.toThrow(/missing\.json:\n {2}cannot read the file/);
  });
});
