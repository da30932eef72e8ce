import { describe, expect, it } from 'vitest';
import { quotaMessageNew } from '../../../test/upstreams/gradio-space/scenario.js';
import { mapCallEvent } from './map-call-event.js';

const context = { provider: 'flux', speaker: 'gradio "flux"' };
const map = (event: string | undefined, data: unknown) =>
  mapCallEvent(event, JSON.stringify(data), context);

describe('mapCallEvent', () => {
  it('gives the values of generating and complete, and nothing for heartbeats', () => {
    expect(map('generating', [1, null])).toEqual({
      type: 'output',
      final: false,
      data: [1, null],
    });
    expect(map('complete', ['x', 5])).toEqual({
      type: 'output',
      final: true,
      data: ['x', 5],
    });
    expect(map('heartbeat', null)).toBeUndefined();
    expect(map(undefined, null)).toBeUndefined();
  });

  it("makes the server's own failure (a string) a retryable upstream error", () => {
    expect(() => map('error', 'Server stopped unexpectedly.')).toThrow(
      expect.objectContaining({
        code: 'upstream_error',
        retryable: true,
        provider: 'flux',
        message: 'gradio "flux" failed unexpectedly: Server stopped unexpectedly.',
      }),
    );
  });

  it("classifies the app's failure, and says when the call API dropped it", () => {
    expect(() => map('error', null)).toThrow(
      expect.objectContaining({
        code: 'upstream_error',
        retryable: false,
        message: 'gradio "flux" failed: the call failed (the call API does not say why)',
      }),
    );
    expect(() =>
      map('error', { error: quotaMessageNew, title: 'ZeroGPU quota exceeded' }),
    ).toThrow(expect.objectContaining({ code: 'quota_exceeded' }));
  });

  it('throws a parse error naming the provider for data that breaks the protocol', () => {
    for (const [event, data] of [
      ['complete', '{"not json'],
      ['complete', '{"data": 1}'],
      ['error', '42'],
    ]) {
      expect(() => mapCallEvent(event, data ?? '', context)).toThrow(
        expect.objectContaining({ code: 'response_parse_error', provider: 'flux' }),
      );
    }
  });
});
