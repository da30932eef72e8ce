import { InvalidRequestError } from '../../core/errors.js';

/**
 * `owner/name` or `owner/name:<version>`, as Replicate names models and their versions.
 * Neither part may start with a dot: `..` would walk the API URL onto other endpoints.
 */
export const modelReferencePattern = /^[\w-][\w.-]*\/[\w-][\w.-]*(?::[0-9a-f]{64})?$/;

/** A Replicate model, pinned to a version or not (then its latest, for official models). */
export interface ModelReference {
  owner: string;
  name: string;
  version?: string;
}

/** The parts of `owner/name[:version]`; anything else is refused as an invalid name. */
export function parseModelReference(id: string): ModelReference {
  if (!modelReferencePattern.test(id)) {
    throw new InvalidRequestError(
      `\`${id}\` is not a Replicate model name: use owner/name or owner/name:<64-hex version>`,
      { param: 'model' },
    );
  }
  const [path = '', version] = id.split(':');
  const [owner = '', name = ''] = path.split('/');
  return version === undefined ? { owner, name } : { owner, name, version };
}
