import type { GenerationRequest } from '../../core/generation-request.js';
import type { ModelCatalog } from '../../core/model-catalog.js';

/** What one image is generated with: the function's inputs and the size asked for. */
export interface SpaceInputs {
  data: unknown[];
  width: number;
  height: number;
}

/** What sets one FLUX Space apart from another. */
export interface FluxSpaceApp {
  /** The provider type, also the built-in instance's name. */
  type: string;
  label: string;
  /** The Space's app and id, the defaults of `baseUrl` and `space`. */
  baseUrl: string;
  space: string;
  catalog: ModelCatalog;
  /** The queue (status, progress, previews) or the simple call API. */
  protocol: 'queue' | 'call';
  /**
   * The inputs for one image, whose prompt the provider has found not empty; `seed` is
   * undefined when the Space should pick one.
   */
  inputs(request: GenerationRequest, seed: number | undefined): SpaceInputs;
}
