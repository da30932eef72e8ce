import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';

const instance = (config: ReturnType<typeof parseConfig>, id: string) =>
  config.providers.find((provider) => provider.id === id);

describe('the FLUX Space providers in the configuration', () => {
  it('are built in and enabled without any credentials, in dev-then-schnell order', () => {
    const config = parseConfig({}, 'test', {});
    const ids = config.providers.map((provider) => provider.id);
    expect(ids.indexOf('blackforestlabs-flux1dev')).toBeLessThan(
      ids.indexOf('voodoohop-flux1schnell'),
    );
    expect(instance(config, 'blackforestlabs-flux1dev')?.settings).toMatchObject({
      type: 'blackforestlabs-flux1dev',
      enabled: true,
      baseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
      space: 'black-forest-labs/FLUX.1-dev',
      jwtUrl: 'https://huggingface.co/api/spaces/{space}/jwt',
      apiName: 'infer',
      timeoutMs: 300_000,
    });
    expect(instance(config, 'voodoohop-flux1schnell')?.settings).toMatchObject({
      baseUrl: 'https://voodoohop-flux-1-schnell.hf.space',
      space: 'voodoohop/flux-1-schnell',
    });
  });

  it('take overrides by instance name, and serve as types of other instances', () => {
    const config = parseConfig(
      {
        builtInProviders: false,
        providers: {
          'voodoohop-flux1schnell': {
            baseUrl: 'http://127.0.0.1:7860',
            timeoutMs: 60_000,
          },
          'my-flux': {
            type: 'blackforestlabs-flux1dev',
            baseUrl: 'http://gpu.lan:7860',
            space: null,
          },
        },
      },
      'test',
      {},
    );
    expect(config.providers.map((provider) => provider.id)).toEqual([
      'voodoohop-flux1schnell',
      'my-flux',
    ]);
    expect(instance(config, 'voodoohop-flux1schnell')?.settings).toMatchObject({
      baseUrl: 'http://127.0.0.1:7860',
      timeoutMs: 60_000,
      space: 'voodoohop/flux-1-schnell',
    });
    expect(instance(config, 'my-flux')?.settings).toMatchObject({ space: null });
  });

  it('reject settings that cannot work', () => {
    expect(() =>
      parseConfig(
        {
          providers: {
            'blackforestlabs-flux1dev': { space: 'no-slash', jwtUrl: 'ftp://x' },
          },
        },
        'test',
        {},
      ),
    ).toThrow(/space: must be owner\/name[\s\S]*jwtUrl: must be an http\(s\) URL/);
  });
});
