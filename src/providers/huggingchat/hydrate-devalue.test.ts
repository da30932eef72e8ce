import * as devalue from 'devalue';
import { describe, expect, it } from 'vitest';
import { hydrateDevalue } from './hydrate-devalue.js';

/** What SvelteKit puts in a node's `data`: devalue's flat array. */
const flatten = (value: unknown) => JSON.parse(devalue.stringify(value)) as unknown[];

describe('hydrateDevalue', () => {
  it('rebuilds what the real devalue flattened, with Dates as ISO strings', () => {
    const createdAt = new Date('2025-01-01T00:00:00.000Z');
    const root = { id: 'root', from: 'system', content: '', createdAt, children: [] };
    const reply = {
      id: 'reply',
      from: 'assistant',
      content: 'Hi',
      createdAt,
      children: [],
    };
    const data = {
      messages: [root, reply],
      title: 'New Chat',
      assistant: null,
      shared: false,
    };
    expect(hydrateDevalue(flatten(data))).toEqual({
      messages: [
        { ...root, createdAt: '2025-01-01T00:00:00.000Z' },
        { ...reply, createdAt: '2025-01-01T00:00:00.000Z' },
      ],
      title: 'New Chat',
      assistant: null,
      shared: false,
    });
  });

  it('reads special numbers, Sets, Maps, null-prototype objects and boxed values', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.key = 'value';
    const value = {
      missing: undefined,
      nan: Number.NaN,
      big: Number.POSITIVE_INFINITY,
      negativeZero: -0,
      set: new Set(['a', 'b']),
      map: new Map([['k', 1]]),
      bare,
      boxed: Object('boxed'),
      pattern: /chat/g,
      large: 12345678901234567890n,
    };
    expect(hydrateDevalue(flatten(value))).toEqual({
      missing: undefined,
      nan: Number.NaN,
      big: Number.POSITIVE_INFINITY,
      negativeZero: -0,
      set: ['a', 'b'],
      map: { k: 1 },
      bare: { key: 'value' },
      boxed: 'boxed',
      pattern: '/chat/g',
      large: '12345678901234567890',
    });
  });

  it('keeps shared and circular references without looping', () => {
    const node: { name: string; self?: unknown } = { name: 'loop' };
    node.self = node;
    const hydrated = hydrateDevalue(flatten({ a: node, b: node })) as {
      a: { self: unknown };
      b: unknown;
    };
    expect(hydrated.a).toBe(hydrated.b);
    expect(hydrated.a.self).toBe(hydrated.a);
  });

  it('throws on data that is not devalue', () => {
    expect(() => hydrateDevalue([])).toThrow('empty');
    expect(() => hydrateDevalue([{ messages: 9 }])).toThrow('out of range');
    expect(() => hydrateDevalue([{ messages: 'x' }])).toThrow('not an index');
    expect(() => hydrateDevalue([[-9]])).toThrow('special value -9');
  });
});
