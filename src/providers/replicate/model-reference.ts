import { ModelNotFoundError } from '../../core/errors.js';

/** `owner/name` or `owner/name:<version>`, as Replicate names models and their versions. */
export const modelReferencePattern = /^[\w.-]+\/[\w.-]+(?::[0-9a-f]{64})?$/;

/** A Replicate model, pinned to a version or not (then its latest, for official models). */
export interface ModelReference {
  owner: string;
  name: string;
  version?: string;
}

/** The parts of `owner/name[:version]`; anything else names no Replicate model. */
export function parseModelReference(id: string): ModelReference {
  if (!modelReferencePattern.test(id)) throw new ModelNotFoundError(id, []);
  const [path = '', version] = id.split(':');
  const [owner = '', name = ''] = path.split('/');
  return version === undefined ? { owner, name } : { owner, name, version };
}
