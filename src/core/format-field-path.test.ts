import { describe, expect, it } from 'vitest';
import { formatFieldPath } from './format-field-path.js';

describe('formatFieldPath', () => {
  it('writes keys with dots and indexes in brackets', () => {
    expect(formatFieldPath(['messages', 0, 'content', 2, 'image_url'])).toBe(
      'messages[0].content[2].image_url',
    );
    expect(formatFieldPath([3, 'url'])).toBe('[3].url');
    expect(formatFieldPath([])).toBe('');
  });
});
