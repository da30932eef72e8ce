import * as devalue from 'devalue';
import { describe, expect, it } from 'vitest';
import { readPageData } from './read-page-data.js';

const node = (value: unknown) => `{"type":"data","data":${devalue.stringify(value)}}`;
const line = (...nodes: string[]) => `{"type":"data","nodes":[${nodes.join(',')}]}\n`;

describe('readPageData', () => {
  it('reads the last node as the page, past any number of layouts', () => {
    const layout = node({ models: [] });
    const page = node({ messages: [{ id: 'm' }] });
    const expected = { kind: 'data', data: { messages: [{ id: 'm' }] } };
    expect(readPageData(line(layout, page))).toEqual(expected);
    expect(readPageData(line(layout, node({ group: 'x' }), page))).toEqual(expected);
    expect(readPageData(line('{"type":"skip"}', layout, page))).toEqual(expected);
  });

  it('tells no page data from a failed load, and refuses what is not page data', () => {
    expect(readPageData(line(node({}), 'null'))).toEqual({ kind: 'none' });
    const error = '{"type":"error","error":{"message":"No access"},"status":403}';
    expect(readPageData(`<html>\n${line(node({}), error)}`)).toEqual({
      kind: 'error',
      status: 403,
      message: 'No access',
    });
    expect(() => readPageData('<!doctype html>')).toThrow(
      'no line lists the route nodes',
    );
  });
});
