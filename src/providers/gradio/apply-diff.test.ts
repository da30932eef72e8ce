import { afterEach, describe, expect, it } from 'vitest';
import { applyDiff, isDiff } from './apply-diff.js';

describe('applyDiff', () => {
  it('replaces, appends, adds and deletes along paths, as Gradio clients do', () => {
    const previous = { url: 'a.png', meta: { tags: ['x', 'z'] }, text: 'Hel' };
    const next = applyDiff(previous, [
      ['replace', ['url'], 'b.png'],
      ['append', ['text'], 'lo'],
      ['add', ['meta', 'tags', 1], 'y'],
      ['delete', ['meta', 'tags', 0]],
      ['add', ['size'], 7],
    ]);
    expect(next).toEqual({
      url: 'b.png',
      meta: { tags: ['y', 'z'] },
      text: 'Hello',
      size: 7,
    });
    // The previous value is left as it was: it may still be someone's.
    expect(previous).toEqual({ url: 'a.png', meta: { tags: ['x', 'z'] }, text: 'Hel' });
  });

  it('replaces or appends to the whole value with an empty path', () => {
    expect(applyDiff('old', [['replace', [], 'new']])).toBe('new');
    expect(applyDiff('Hel', [['append', [], 'lo']])).toBe('Hello');
    expect(applyDiff(5, [])).toBe(5);
  });

  it('creates missing containers, so a diff that comes first still gives a value', () => {
    expect(applyDiff(null, [['replace', ['url'], 'p.webp']])).toEqual({ url: 'p.webp' });
    expect(applyDiff(undefined, [['replace', [0, 'url'], 'p.webp']])).toEqual([
      { url: 'p.webp' },
    ]);
  });

  it('throws a TypeError for an edit it cannot apply', () => {
    expect(() => applyDiff({}, [['explode', ['x'], 1]])).toThrow(TypeError);
    expect(() => applyDiff({}, [['delete', []]])).toThrow(
      /cannot delete the whole value/,
    );
  });
});

describe('applyDiff and the prototypes of every object', () => {
  const original = Object.prototype.hasOwnProperty;
  afterEach(() => {
    // Should a check fail, the pollution must not leak into other tests.
    delete (Object.prototype as Record<string, unknown>).polluted;
    Object.prototype.hasOwnProperty = original;
  });

  it.each([
    ['__proto__', ['__proto__', 'polluted']],
    ['constructor', ['constructor', 'prototype', 'polluted']],
    ['prototype', ['prototype', 'polluted']],
  ])('refuses a replace through %s', (_key, path) => {
    expect(() => applyDiff({}, [['replace', path, 'yes']])).toThrow(TypeError);
    expect(() => applyDiff(null, [['replace', path, 'yes']])).toThrow(TypeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a delete through __proto__ or constructor', () => {
    for (const path of [
      ['__proto__', 'hasOwnProperty'],
      ['constructor', 'prototype', 'hasOwnProperty'],
    ]) {
      expect(() => applyDiff({}, [['delete', path]])).toThrow(TypeError);
    }
    expect(Object.prototype.hasOwnProperty).toBe(original);
  });

  it('treats inherited properties as absent', () => {
    expect(applyDiff({}, [['append', ['toString'], 'x']])).toEqual({ toString: 'x' });
  });
});

describe('isDiff', () => {
  it('tells edit lists from values', () => {
    expect(isDiff([['replace', ['url'], 'x']])).toBe(true);
    expect(isDiff([['delete', [0]]])).toBe(true);
    expect(isDiff([])).toBe(true);
    expect(isDiff([{ url: 'x' }, 3])).toBe(false);
    expect(isDiff([['replace', 'url', 'x']])).toBe(false);
    expect(isDiff([['rename', ['url'], 'x']])).toBe(false);
    expect(isDiff({ url: 'x' })).toBe(false);
    expect(isDiff('text')).toBe(false);
  });
});
