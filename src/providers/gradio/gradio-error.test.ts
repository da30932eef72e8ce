import { describe, expect, it } from 'vitest';
import {
  quotaMessageNew,
  quotaMessageOld,
  quotaMessageWithLink,
} from '../../../test/upstreams/gradio-space/scenario.js';
import { errorFromGradio, plainText, retryAfterFromText } from './gradio-error.js';

const context = { provider: 'flux', speaker: 'gradio "flux"' };

describe('errorFromGradio', () => {
  it('makes the current ZeroGPU quota message a quota error with its wait', () => {
    const error = errorFromGradio(quotaMessageNew, 'ZeroGPU quota exceeded', context);
    expect(error).toMatchObject({
      code: 'quota_exceeded',
      status: 429,
      retryable: true,
      retryAfterMs: ((1 * 60 + 2) * 60 + 3) * 1000,
      provider: 'flux',
    });
    expect(error.message).toBe(
      `gradio "flux" failed: ZeroGPU quota exceeded: ${quotaMessageNew}`,
    );
  });

  it('reads the older wording and its "retry in" wait', () => {
    const error = errorFromGradio(quotaMessageOld, null, context);
    expect(error).toMatchObject({ code: 'quota_exceeded', retryAfterMs: 588_000 });
  });

  it('cuts the HTML link off and names no wait when the message has none', () => {
    const error = errorFromGradio(quotaMessageWithLink, null, context);
    expect(error.code).toBe('quota_exceeded');
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toBe(
      'gradio "flux" failed: You have exceeded your GPU quota (60s requested vs. 56s left).',
    );
  });

  it('appends the hint for anonymous callers to quota errors only', () => {
    const hinted = { ...context, quotaHint: 'Set HF_TOKEN.' };
    expect(errorFromGradio(quotaMessageNew, null, hinted).message).toMatch(
      / Set HF_TOKEN\.$/,
    );
    expect(errorFromGradio('CUDA out of memory', null, hinted).message).not.toContain(
      'HF_TOKEN',
    );
  });

  it('counts a quota title and the anonymous GPU limit as quota', () => {
    const limit =
      'Space app has reached its GPU limit. Try re-running outside of examples';
    expect(errorFromGradio(limit, 'ZeroGPU quota exceeded', context).code).toBe(
      'quota_exceeded',
    );
    expect(
      errorFromGradio('You have exceeded your ZeroGPU runs limit.', null, context).code,
    ).toBe('quota_exceeded');
  });

  it('makes "No GPU" and an expired token retryable upstream errors, whatever the title', () => {
    for (const [text, title] of [
      ['No GPU was available after 60s. Try re-running later', 'ZeroGPU quota exceeded'],
      ['No GPU is currently available for you after 60s', null],
      ['Expired ZeroGPU proxy token', 'ZeroGPU client error'],
    ] as const) {
      expect(errorFromGradio(text, title, context)).toMatchObject({
        code: 'upstream_error',
        status: 502,
        retryable: true,
      });
    }
  });

  it('makes any other app error a final upstream error', () => {
    const error = errorFromGradio(
      'The requested GPU duration (120s) is larger than the maximum allowed',
      'ZeroGPU illegal duration',
      context,
    );
    expect(error).toMatchObject({ code: 'upstream_error', retryable: false });
    expect(errorFromGradio(null, null, context).message).toBe(
      'gradio "flux" failed: an error without a message',
    );
  });
});

describe('retryAfterFromText and plainText', () => {
  it('reads H:MM:SS and M:SS waits', () => {
    expect(retryAfterFromText('Try again in 23:14:07.')).toBe(83_647_000);
    expect(retryAfterFromText('try again in 4:09')).toBe(249_000);
    expect(retryAfterFromText('Try again later')).toBeUndefined();
  });

  it('drops tags and collapses whitespace', () => {
    expect(plainText('Waiting  for a <b>GPU</b>\n to become available')).toBe(
      'Waiting for a GPU to become available',
    );
  });
});
