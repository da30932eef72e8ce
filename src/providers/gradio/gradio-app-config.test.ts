import { describe, expect, it } from 'vitest';
import { configSchema } from './gradio-api.js';
import { describeEndpoint, findEndpoint, readAppConfig } from './gradio-app-config.js';

const read = (raw: unknown) => readAppConfig(configSchema.parse(raw));

describe('readAppConfig', () => {
  it('reads the 5.x prefix, whether the protocol sends diffs, and each function', () => {
    const config = read({
      version: '5.49.1',
      api_prefix: '/gradio_api',
      protocol: 'sse_v3',
      dependencies: [
        { id: 0, targets: [], api_name: false },
        {
          id: 2,
          targets: [
            [4, 'click'],
            [1, 'submit'],
          ],
          api_name: 'infer',
        },
      ],
    });
    expect(config).toEqual({
      apiPrefix: '/gradio_api',
      sendsDiffs: true,
      endpoints: [
        { fnIndex: 0, triggerId: null, apiName: undefined },
        { fnIndex: 2, triggerId: 4, apiName: 'infer' },
      ],
    });
  });

  it('reads a 4.x config without prefix, and ids from positions when absent', () => {
    const config = read({
      version: '4.12.0',
      protocol: 'sse_v1',
      dependencies: [{ targets: [3], api_name: 'predict' }],
    });
    expect(config).toMatchObject({
      apiPrefix: '',
      sendsDiffs: false,
      endpoints: [{ fnIndex: 0, triggerId: 3, apiName: 'predict' }],
    });
  });

  it('names the protocols it does not speak', () => {
    expect(read({ version: '3.50.2', protocol: 'ws', dependencies: [] })).toBe(
      'speaks the Gradio protocol "ws" (version 3.50.2); genrelay needs sse_v1 to sse_v3 (Gradio 4.9 or later)',
    );
    expect(read({ version: '4.5.0', protocol: 'sse', dependencies: [] })).toMatch(
      /"sse"/,
    );
  });
});

describe('findEndpoint', () => {
  const config = read({
    protocol: 'sse_v3',
    dependencies: [{ id: 7, targets: [[1, 'click']], api_name: 'infer' }],
  });
  if (typeof config === 'string') throw new Error(config);

  it('finds a function by API name (with or without slash) or by fn_index', () => {
    expect(findEndpoint(config, { apiName: '/infer' })?.fnIndex).toBe(7);
    expect(findEndpoint(config, { apiName: 'infer' })?.fnIndex).toBe(7);
    expect(findEndpoint(config, { fnIndex: 7 })?.apiName).toBe('infer');
    expect(findEndpoint(config, { apiName: 'run' })).toBeUndefined();
    expect(describeEndpoint({ fnIndex: 3 })).toBe('fn_index 3');
    expect(describeEndpoint({ apiName: 'infer' })).toBe('/infer');
  });
});
