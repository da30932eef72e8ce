import { describe, expect, it } from 'vitest';
import { moderationTexts } from './moderation-texts.js';

const base64Image = 'iVBORw0KGgo'.padEnd(4000, 'A');

describe('moderationTexts', () => {
  it('takes the prompt of text2img and img2img payloads, not the negative prompt', () => {
    const payload = { prompt: 'a red fox', negative_prompt: 'blurry', steps: 20 };
    expect(moderationTexts('text2img', payload)).toEqual(['a red fox']);
    expect(
      moderationTexts('img2img', { ...payload, init_images: [base64Image] }),
    ).toEqual(['a red fox']);
    expect(
      moderationTexts('text2img', { prompt: 'a cat', negative_decoder_prompt: 'dog' }),
    ).toEqual(['a cat']);
  });

  it('takes the texts of mix2img images_texts, entries 0 and 3, and skips the images', () => {
    const payload = {
      images_texts: [
        'a castle',
        base64Image,
        `data:image/png;base64,${base64Image}`,
        'snow',
      ],
      weights: [0.25, 0.25, 0.25, 0.25],
    };
    expect(moderationTexts('mix2img', payload)).toEqual(['a castle', 'snow']);
  });

  it('reads entries 1 and 2 of images_texts as the images the schema made them', () => {
    const payload = { images_texts: ['a castle', 'SGVsbG8=', 'short', ''] };
    expect(moderationTexts('mix2img', payload)).toEqual(['a castle', '']);
  });

  it('takes the user messages of a chat, as strings or text parts', () => {
    const payload = {
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'an answer' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            { type: 'text', text: 'this picture?' },
          ],
        },
      ],
    };
    expect(moderationTexts('chat', payload)).toEqual([
      'first question',
      'what is in',
      'this picture?',
    ]);
  });

  it('gives nothing for payloads without texts, and leaves blank ones to the moderator', () => {
    expect(moderationTexts('text2img', null)).toEqual([]);
    expect(moderationTexts('text2img', { prompt: 42 })).toEqual([]);
    // Moderator.check skips blank texts, for every caller.
    expect(moderationTexts('text2img', { prompt: '   ' })).toEqual(['   ']);
    expect(moderationTexts('chat', { messages: 'hi' })).toEqual([]);
    expect(moderationTexts('mix2img', { images_texts: [1, null, ''] })).toEqual([]);
  });
});
