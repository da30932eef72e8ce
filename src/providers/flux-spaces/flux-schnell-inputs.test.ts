import { describe, expect, it } from 'vitest';
import { imageRequest } from '../../../test/flux-spaces/provider-run.js';
import { fluxSchnellInputs } from './flux-schnell-inputs.js';

describe('fluxSchnellInputs', () => {
  it('defaults to 768×768, 2 steps and a seed the Space picks, as the original did', () => {
    expect(fluxSchnellInputs(imageRequest(), undefined)).toEqual({
      data: ['a red fox', 0, true, 768, 768, 2],
      width: 768,
      height: 768,
    });
  });

  it('rounds each side down to a multiple of 8, at least 32', () => {
    const sides = (width: number, height: number) =>
      fluxSchnellInputs(imageRequest({ width, height }), 3).data.slice(3, 5);
    expect(sides(1000, 1001)).toEqual([1000, 1000]);
    expect(sides(20, 39)).toEqual([32, 32]);
    expect(sides(512, 47)).toEqual([512, 40]);
  });

  it('keeps the default for the side not given, and follows an aspect ratio', () => {
    expect(fluxSchnellInputs(imageRequest({ width: 512 }), 1).data.slice(3, 5)).toEqual([
      512, 768,
    ]);
    expect(
      fluxSchnellInputs(imageRequest({ aspectRatio: '3:4', steps: 4 }), 1).data.slice(3),
    ).toEqual([768, 1024, 4]);
  });
});
