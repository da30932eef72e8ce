import { describe, expect, it } from 'vitest';
import { imageRequest } from '../../../test/flux-spaces/provider-run.js';
import { fluxDevInputs } from './flux-dev-inputs.js';

describe('fluxDevInputs', () => {
  it('defaults to 1:1 at 1024×1024, guidance 3.5, 28 steps and a seed the Space picks', () => {
    expect(fluxDevInputs(imageRequest(), undefined)).toEqual({
      data: ['a red fox', 0, true, 1024, 1024, 3.5, 28],
      width: 1024,
      height: 1024,
    });
  });

  it('takes every value from the request when given', () => {
    const request = imageRequest({
      prompt: ' a fox in snow ',
      aspectRatio: '9:16',
      width: 720,
      guidanceScale: 5,
      steps: 12,
    });
    expect(fluxDevInputs(request, 77)).toEqual({
      data: ['a fox in snow', 77, false, 720, 1024, 5, 12],
      width: 720,
      height: 1024,
    });
  });

  it('rounds sizes down to a multiple of 16, as FLUX needs', () => {
    expect(
      fluxDevInputs(imageRequest({ width: 1000, height: 250 }), 1).data.slice(3, 5),
    ).toEqual([992, 240]);
  });

  it('takes the prompt from the last user messages when none is given', () => {
    const request = imageRequest({
      messages: [
        { role: 'user', content: 'a cat' },
        { role: 'assistant', content: 'Here it is.' },
        { role: 'user', content: 'now a fox' },
      ],
    });
    expect(fluxDevInputs(request, undefined).data[0]).toBe('now a fox');
  });
});
