import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../core/generation-request.js';
import { convertToImageInput, nearestAspectRatio } from './convert-to-image-input.js';
import { convertToTextInput } from './convert-to-text-input.js';

const image = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'image',
  model: 'owner/model',
  messages: [
    { role: 'user', content: 'first' },
    { role: 'assistant', content: 'ok' },
    { role: 'user', content: 'a cat' },
  ],
  ...extra,
});

const chat = (extra: Partial<GenerationRequest> = {}): GenerationRequest => ({
  kind: 'chat',
  model: 'owner/model',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello' },
    { role: 'user', content: 'How are you?' },
  ],
  ...extra,
});

describe('convertToImageInput', () => {
  it('uses the names the model takes, and no size unless one was asked for', () => {
    const fields = new Set(['prompt', 'steps', 'cfg', 'negative_prompt', 'aspect_ratio']);
    const request = image({ negativePrompt: 'blur', steps: 20, guidanceScale: 4 });
    expect(convertToImageInput(request, fields)).toEqual({
      prompt: 'a cat',
      negative_prompt: 'blur',
      steps: 20,
      cfg: 4,
    });
  });

  it('sends width and height in multiples of 8', () => {
    const fields = new Set(['prompt', 'width', 'height']);
    expect(convertToImageInput(image({ aspectRatio: '16:9' }), fields)).toEqual({
      prompt: 'a cat',
      width: 1024,
      height: 576,
    });
    expect(convertToImageInput(image({ width: 1001, height: 999 }), fields)).toEqual({
      prompt: 'a cat',
      width: 1000,
      height: 992,
    });
  });

  it('sends only a ratio to a model that lacks width or height', () => {
    const fields = new Set(['prompt', 'width', 'aspect_ratio']);
    expect(convertToImageInput(image({ width: 1024, height: 580 }), fields)).toEqual({
      prompt: 'a cat',
      aspect_ratio: '16:9',
    });
  });

  it('sends every common name when the inputs are unknown', () => {
    const request = image({
      prompt: 'explicit',
      width: 768,
      height: 1024,
      seed: 3,
      count: 2,
    });
    expect(convertToImageInput(request, undefined)).toEqual({
      prompt: 'explicit',
      seed: 3,
      num_outputs: 2,
      width: 768,
      height: 1024,
      aspect_ratio: '3:4',
    });
  });

  it('refuses an unknown aspect ratio as an invalid request', () => {
    expect(() => convertToImageInput(image({ aspectRatio: '7:3' }), undefined)).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'aspect_ratio' }),
    );
  });

  it('picks the nearest supported ratio', () => {
    expect(nearestAspectRatio(1920, 1080)).toBe('16:9');
    expect(nearestAspectRatio(500, 510)).toBe('1:1');
    expect(nearestAspectRatio(1000, 2400)).toBe('9:21');
  });
});

describe('convertToTextInput', () => {
  it('formats the conversation, folding the system prompt in when the model has none', () => {
    const fields = new Set(['prompt', 'max_new_tokens', 'temperature']);
    expect(convertToTextInput(chat({ maxTokens: 100, topP: 0.5 }), fields)).toEqual({
      prompt:
        'System: Be brief.\nUser: Hi\nAssistant: Hello\nUser: How are you?\nAssistant:',
      max_new_tokens: 100,
    });
  });

  it('sends the system prompt apart when the model takes one', () => {
    const fields = new Set(['prompt', 'system_prompt', 'max_tokens', 'seed']);
    expect(convertToTextInput(chat({ maxTokens: 9, seed: 1 }), fields)).toEqual({
      prompt: 'User: Hi\nAssistant: Hello\nUser: How are you?\nAssistant:',
      system_prompt: 'Be brief.',
      max_tokens: 9,
      seed: 1,
    });
  });

  it('sends a lone message as it is, and both token limits when the inputs are unknown', () => {
    const request = chat({ messages: [{ role: 'user', content: 'Hi' }], maxTokens: 5 });
    expect(convertToTextInput(request, undefined)).toEqual({
      prompt: 'Hi',
      max_new_tokens: 5,
      max_tokens: 5,
    });
  });
});
