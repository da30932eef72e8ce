import type { JobKind } from './job.js';

/**
 * Lanes name what runs a job: `executor:<type or instance>` for jobs in an upstream's own
 * payload format, `chat:<model>` and `image:<model>` for jobs the router runs.
 */
export const laneName = {
  executor: (executor: string) => `executor:${executor}`,
  model: (kind: JobKind, model: string) =>
    `${kind === 'chat' ? 'chat' : 'image'}:${model}`,
};

export type ParsedLane =
  | { type: 'executor'; executor: string }
  | { type: 'model'; kind: 'chat' | 'image'; model: string };

export function parseLaneName(lane: string): ParsedLane | undefined {
  const colon = lane.indexOf(':');
  const prefix = lane.slice(0, colon);
  const rest = lane.slice(colon + 1);
  if (colon === -1) return undefined;
  if (prefix === 'executor') return { type: 'executor', executor: rest };
  if (prefix === 'chat' || prefix === 'image')
    return { type: 'model', kind: prefix, model: rest };
  return undefined;
}
