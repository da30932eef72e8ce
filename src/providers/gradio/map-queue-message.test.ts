import { describe, expect, it } from 'vitest';
import { quotaMessageNew } from '../../../test/upstreams/gradio-space/scenario.js';
import { mapQueueMessage, type QueueReadState } from './map-queue-message.js';

const context = {
  provider: 'flux',
  speaker: 'gradio "flux"',
  quotaHint: 'Set HF_TOKEN.',
};
const eventId = 'e1';
const state = (): QueueReadState => ({ eventId, sendsDiffs: true });
const map = (frame: unknown, read = state()) => mapQueueMessage(frame, read, context);
const file = (name: string) => ({
  path: `/tmp/gradio/x/${name}`,
  url: `https://space.hf.space/gradio_api/file=/tmp/gradio/x/${name}`,
  meta: { _type: 'gradio.FileData' },
});

describe('mapQueueMessage', () => {
  it('maps the status messages of the job', () => {
    expect(
      map({
        msg: 'estimation',
        event_id: eventId,
        rank: 2,
        queue_size: 3,
        rank_eta: 4.5,
      }),
    ).toEqual({ type: 'queued', position: 2, etaMs: 4500 });
    expect(map({ msg: 'estimation', event_id: eventId, rank: null, queue_size: 3 })).toBe(
      undefined,
    );
    expect(map({ msg: 'process_starts', event_id: eventId, eta: null })).toEqual({
      type: 'started',
    });
    expect(
      map({
        msg: 'progress',
        event_id: eventId,
        progress_data: [
          { index: 7, length: 28, unit: 'steps', progress: null, desc: null },
        ],
      }),
    ).toEqual({ type: 'progress', step: 7, total: 28, fraction: 0.25 });
    expect(
      map({
        msg: 'progress',
        event_id: eventId,
        progress_data: [{ index: null, length: null, progress: 0.5, desc: 'Decoding' }],
      }),
    ).toEqual({ type: 'progress', fraction: 0.5, description: 'Decoding' });
    expect(
      map({ msg: 'progress', event_id: eventId, progress_data: [] }),
    ).toBeUndefined();
    expect(
      map({
        msg: 'log',
        event_id: eventId,
        log: 'Waiting for a GPU to become available',
        level: 'info',
        title: 'ZeroGPU queue',
      }),
    ).toEqual({
      type: 'log',
      level: 'info',
      message: 'Waiting for a GPU to become available',
      title: 'ZeroGPU queue',
    });
  });

  it('skips heartbeats, nulls, unknown kinds and other jobs of the session', () => {
    expect(map(null)).toBeUndefined();
    expect(map({ msg: 'heartbeat', event_id: null })).toBeUndefined();
    expect(map({ msg: 'send_hash', event_id: eventId })).toBeUndefined();
    expect(map({ msg: 'estimation', event_id: 'other', rank: 0 })).toBeUndefined();
  });

  it('gives full generator values first, then applies diffs, then the final values', () => {
    const read = state();
    expect(
      map(
        {
          msg: 'process_generating',
          event_id: eventId,
          output: { data: [file('p1.png'), null] },
          success: true,
        },
        read,
      ),
    ).toEqual({ type: 'output', final: false, data: [file('p1.png'), null] });
    const second = map(
      {
        msg: 'process_generating',
        event_id: eventId,
        output: { data: [[['replace', ['url'], 'https://space.hf.space/p2.png']], []] },
        success: true,
      },
      read,
    );
    expect(second).toEqual({
      type: 'output',
      final: false,
      data: [{ ...file('p1.png'), url: 'https://space.hf.space/p2.png' }, null],
    });
    expect(
      map(
        {
          msg: 'process_completed',
          event_id: eventId,
          output: { data: [file('image.webp'), 42], is_generating: false },
          success: true,
        },
        read,
      ),
    ).toEqual({ type: 'output', final: true, data: [file('image.webp'), 42] });
  });

  it('applies a diff that comes first, and takes values as they are from sse_v1 apps', () => {
    const diff = [[['replace', ['url'], 'https://space.hf.space/p.webp']]];
    const message = {
      msg: 'process_generating',
      event_id: eventId,
      output: { data: diff },
    };
    expect(map(message)).toEqual({
      type: 'output',
      final: false,
      data: [{ url: 'https://space.hf.space/p.webp' }],
    });
    expect(map(message, { eventId, sendsDiffs: false })).toEqual({
      type: 'output',
      final: false,
      data: diff,
    });
  });

  it('throws the app error of a failed completion, classified', () => {
    expect(() =>
      map({
        msg: 'process_completed',
        event_id: eventId,
        output: { error: quotaMessageNew, title: 'ZeroGPU quota exceeded' },
        success: false,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'quota_exceeded',
        retryAfterMs: 3_723_000,
        message: expect.stringMatching(/Set HF_TOKEN\.$/),
      }),
    );
    expect(() =>
      map({
        msg: 'process_generating',
        event_id: eventId,
        output: { error: null },
        success: false,
      }),
    ).toThrow(expect.objectContaining({ code: 'upstream_error', retryable: false }));
  });

  it('reports a job canceled at the app', () => {
    expect(() =>
      map({ msg: 'process_completed', event_id: eventId, output: {}, success: true }),
    ).toThrow(expect.objectContaining({ code: 'canceled' }));
  });

  it('throws a retryable upstream error when the server ends the stream or fails', () => {
    expect(() => map({ msg: 'close_stream', event_id: null })).toThrow(
      expect.objectContaining({
        code: 'upstream_error',
        retryable: true,
        message: 'gradio "flux" closed the stream before the job finished',
      }),
    );
    expect(() =>
      map({
        msg: 'unexpected_error',
        event_id: null,
        message: 'Server stopped unexpectedly.',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'upstream_error',
        retryable: true,
        message: 'gradio "flux" failed unexpectedly: Server stopped unexpectedly.',
      }),
    );
  });

  it('throws a parse error for frames that break the protocol', () => {
    for (const frame of [
      { event_id: eventId },
      'text',
      { msg: 'estimation', event_id: eventId, rank: 'first' },
      { msg: 'process_completed', event_id: eventId, output: 'done' },
      { msg: 'process_generating', event_id: eventId, output: { is_generating: true } },
    ]) {
      expect(() => map(frame)).toThrow(
        expect.objectContaining({ code: 'response_parse_error', provider: 'flux' }),
      );
    }
    const read = state();
    map({ msg: 'process_generating', event_id: eventId, output: { data: [1] } }, read);
    expect(() =>
      map({ msg: 'process_generating', event_id: eventId, output: { data: [2] } }, read),
    ).toThrow(expect.objectContaining({ code: 'response_parse_error' }));
  });

  it('refuses a generator diff that reaches for the prototypes of every object', () => {
    const read = state();
    map({ msg: 'process_generating', event_id: eventId, output: { data: [{}] } }, read);
    const diff = [[['replace', ['__proto__', 'polluted'], 'yes']]];
    try {
      expect(() =>
        map(
          { msg: 'process_generating', event_id: eventId, output: { data: diff } },
          read,
        ),
      ).toThrow(
        expect.objectContaining({
          code: 'response_parse_error',
          message: 'gradio "flux" sent a generator diff it cannot apply',
        }),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });
});
