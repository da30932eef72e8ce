import type { z } from 'zod';
import type { configSchema } from './gradio-api.js';

/** Which function of a Gradio app to run: by its API name, or by its dependency id. */
export type EndpointReference = { apiName: string } | { fnIndex: number };

/** A function of the app, as `/queue/join` and `/call/{api_name}` need it. */
export interface GradioEndpoint {
  /** The dependency id, sent as `fn_index`. */
  fnIndex: number;
  /** The component that fires it, sent as `trigger_id`; null when it has none. */
  triggerId: number | null;
  /** Without the leading slash; undefined when the function has no API name. */
  apiName: string | undefined;
}

/** What genrelay takes from an app's `/config`. */
export interface GradioAppConfig {
  /** `/gradio_api` in 5.x, empty in 4.x. */
  apiPrefix: string;
  /** Whether generator updates after the first are diffs (sse_v2 and later). */
  sendsDiffs: boolean;
  endpoints: GradioEndpoint[];
}

/** The protocols genrelay speaks: the queue over POST + SSE (4.9+), with or without diffs. */
const supportedProtocols = ['sse_v1', 'sse_v2', 'sse_v2.1', 'sse_v3'];

/**
 * The parts of a parsed `/config` genrelay uses. Returns an error message instead when
 * the app speaks a protocol genrelay does not (Gradio 3's websocket, 4.0–4.8's `sse`).
 */
export function readAppConfig(
  raw: z.infer<typeof configSchema>,
): GradioAppConfig | string {
  // Configs without a protocol predate it being named, but a 4.x app always has one.
  const protocol = raw.protocol ?? 'sse_v3';
  if (!supportedProtocols.includes(protocol)) {
    return `speaks the Gradio protocol "${protocol}" (version ${raw.version ?? 'unknown'}); genrelay needs sse_v1 to sse_v3 (Gradio 4.9 or later)`;
  }
  return {
    apiPrefix: (raw.api_prefix ?? '').replace(/\/+$/, ''),
    sendsDiffs: protocol !== 'sse_v1',
    endpoints: raw.dependencies.map((dependency, index) => ({
      fnIndex: dependency.id ?? index,
      triggerId: firstTarget(dependency.targets),
      apiName:
        typeof dependency.api_name === 'string' && dependency.api_name !== ''
          ? dependency.api_name
          : undefined,
    })),
  };
}

function firstTarget(targets: readonly unknown[]): number | null {
  const [first] = targets;
  const id = Array.isArray(first) ? first[0] : first;
  return typeof id === 'number' ? id : null;
}

/** The endpoint `reference` names, or undefined when the app has none such. */
export function findEndpoint(
  config: GradioAppConfig,
  reference: EndpointReference,
): GradioEndpoint | undefined {
  if ('fnIndex' in reference) {
    return config.endpoints.find((endpoint) => endpoint.fnIndex === reference.fnIndex);
  }
  const name = reference.apiName.replace(/^\/+/, '');
  return config.endpoints.find((endpoint) => endpoint.apiName === name);
}

/** How errors name an endpoint reference: `/infer` or `fn_index 2`. */
export function describeEndpoint(reference: EndpointReference): string {
  return 'fnIndex' in reference
    ? `fn_index ${reference.fnIndex}`
    : `/${reference.apiName.replace(/^\/+/, '')}`;
}
