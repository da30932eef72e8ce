import { z } from 'zod';
import { hydrateDevalue } from './hydrate-devalue.js';

const nodeSchema = z.union([
  z.null(),
  z.object({ type: z.literal('data'), data: z.array(z.unknown()) }),
  z.object({ type: z.literal('skip') }),
  z.object({
    type: z.literal('error'),
    error: z.object({ message: z.string().optional() }).loose().optional(),
    status: z.number().optional(),
  }),
]);

const dataLineSchema = z.object({ type: z.literal('data'), nodes: z.array(nodeSchema) });

/**
 * What a conversation page's `__data.json` holds: its load data, the route's error, or
 * nothing (current versions load the conversation in the browser: no server data).
 */
export type PageData =
  | { kind: 'data'; data: unknown }
  | { kind: 'none' }
  | { kind: 'error'; status: number; message: string };

function firstDataLine(text: string): z.infer<typeof dataLineSchema> | undefined {
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = dataLineSchema.safeParse(json);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/**
 * The page node of SvelteKit's `__data.json` (NDJSON; the first line lists one node per
 * route level: the layouts, then the page, last), hydrated from devalue. A failing load
 * shows as an error node, whose status (403 for someone else's conversation) is
 * returned. Throws an Error saying what does not fit.
 */
export function readPageData(text: string): PageData {
  const line = firstDataLine(text);
  if (line === undefined) throw new Error('no line lists the route nodes');
  const page = line.nodes.at(-1);
  if (page?.type === 'error') {
    return {
      kind: 'error',
      status: page.status ?? 500,
      message: page.error?.message ?? 'the page failed to load',
    };
  }
  if (page?.type !== 'data') return { kind: 'none' };
  return { kind: 'data', data: hydrateDevalue(page.data) };
}
