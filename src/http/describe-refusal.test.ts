import { describe, expect, it } from 'vitest';
import { describeRefusal } from './describe-refusal.js';

describe('describeRefusal', () => {
  it('says which schemes would do, or which host is private', () => {
    expect(
      describeRefusal(
        { reason: 'scheme', scheme: 'ftp', allowed: 'http or https' },
        'the image URL',
      ),
    ).toBe('the image URL must use http or https, not ftp');
    expect(
      describeRefusal({ reason: 'private', hostname: '10.0.0.1' }, 'the webhook URL'),
    ).toBe('the webhook URL points to 10.0.0.1, which is not a public address');
  });
});
