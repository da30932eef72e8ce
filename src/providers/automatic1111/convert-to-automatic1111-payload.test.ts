import { describe, expect, it } from 'vitest';
import { makePng } from '../../../test/upstreams/png.js';
import type { GenerationRequest } from '../../core/generation-request.js';
import { automatic1111PayloadSchemas } from './automatic1111-payload.js';
import {
  convertToAutomatic1111Payload,
  withCheckpoint,
} from './convert-to-automatic1111-payload.js';

const request = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  model: 'sd',
  messages: [{ role: 'user', content: 'from the message' }],
  ...extra,
});

describe('convertToAutomatic1111Payload', () => {
  it('sends only what was asked, the last user message as the prompt', () => {
    expect(convertToAutomatic1111Payload(request(), [])).toEqual({
      kind: 'text2img',
      payload: { prompt: 'from the message' },
    });
  });

  it('sizes by aspect ratio in multiples of 8, explicit sides winning', () => {
    const wide = convertToAutomatic1111Payload(request({ aspectRatio: '16:9' }), []);
    expect(wide.payload).toMatchObject({ width: 1024, height: 576 });
    const odd = convertToAutomatic1111Payload(request({ width: 515, height: 301 }), []);
    expect(odd.payload).toMatchObject({ width: 512, height: 296 });
    expect(() =>
      convertToAutomatic1111Payload(request({ aspectRatio: '5:7' }), []),
    ).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'aspect_ratio' }),
    );
  });

  it('makes img2img with base64 init images at the first one size', () => {
    const data = makePng(203, 150);
    const { kind, payload } = convertToAutomatic1111Payload(request({ prompt: 'p' }), [
      { data, mediaType: 'image/png' },
    ]);
    expect(kind).toBe('img2img');
    expect(payload).toEqual({
      prompt: 'p',
      width: 200,
      height: 144,
      init_images: [Buffer.from(data).toString('base64')],
    });
  });

  it('scales an init image beyond 4096 px down to fit, keeping its shape', () => {
    const sized = (width: number, height: number) =>
      convertToAutomatic1111Payload(request(), [
        { data: makePng(width, height), mediaType: 'image/png' },
      ]).payload;
    const wide = sized(8192, 300);
    expect(wide).toMatchObject({ width: 4096, height: 144 });
    expect(automatic1111PayloadSchemas.img2img.safeParse(wide).success).toBe(true);
    expect(sized(601, 4800)).toMatchObject({ width: 512, height: 4096 });
    expect(sized(4096, 100)).toMatchObject({ width: 4096, height: 96 });
  });
});

describe('withCheckpoint', () => {
  it('adds the model as checkpoint, kept loaded afterwards', () => {
    expect(withCheckpoint({ prompt: 'x' }, 'sdxl')).toEqual({
      prompt: 'x',
      override_settings: { sd_model_checkpoint: 'sdxl' },
      override_settings_restore_afterwards: false,
    });
  });

  it("leaves the payload's own checkpoint and restore choice alone", () => {
    const own = {
      override_settings: { sd_model_checkpoint: 'mine' },
      override_settings_restore_afterwards: true,
    };
    expect(withCheckpoint(own, 'sdxl')).toBe(own);
    expect(
      withCheckpoint({ override_settings_restore_afterwards: true }, 'sdxl'),
    ).toMatchObject({
      override_settings_restore_afterwards: true,
    });
    expect(withCheckpoint({ prompt: 'x' }, '')).toEqual({ prompt: 'x' });
  });
});
