import { describe, expect, it } from 'vitest';
import { sizeFromAspectRatio } from './aspect-ratio.js';

describe('sizeFromAspectRatio', () => {
  it('gives 1024×1024 when nothing is asked', () => {
    expect(sizeFromAspectRatio({})).toEqual({ width: 1024, height: 1024 });
  });

  it.each([
    ['16:9', 1024, 576],
    ['9:16', 576, 1024],
    ['4:3', 1024, 768],
    ['3:2', 1024, 688],
    ['21:9', 1024, 432],
  ])('maps %s to %i×%i, multiples of 16', (aspectRatio, width, height) => {
    const size = sizeFromAspectRatio({ aspectRatio });
    expect(size).toEqual({ width, height });
    expect(size.width % 16).toBe(0);
    expect(size.height % 16).toBe(0);
  });

  it('lets an explicit side win over the ratio, each on its own', () => {
    expect(sizeFromAspectRatio({ aspectRatio: '16:9', width: 512 })).toEqual({
      width: 512,
      height: 576,
    });
  });

  it('rounds explicit sizes down to the multiple asked for', () => {
    expect(sizeFromAspectRatio({ width: 1001, height: 20, multipleOf: 8 })).toEqual({
      width: 1000,
      height: 16,
    });
  });

  it("names the valid ratios for an unknown one, as the caller's error", () => {
    expect(() => sizeFromAspectRatio({ aspectRatio: '5:7' })).toThrow(/"5:7".*16:9/);
    expect(() => sizeFromAspectRatio({ aspectRatio: '5:7' })).toThrow(
      expect.objectContaining({
        code: 'invalid_request',
        status: 400,
        param: 'aspect_ratio',
      }),
    );
  });

  it('accepts an unknown ratio when both sides are explicit', () => {
    expect(sizeFromAspectRatio({ aspectRatio: '5:7', width: 640, height: 896 })).toEqual({
      width: 640,
      height: 896,
    });
  });
});
