import { type ModelReference, parseModelReference } from './model-reference.js';
import { findKnownModel, type KnownModel } from './replicate-models.js';

/** What a prediction is created for: a pinned version, or an official model's latest. */
export interface PredictionTarget extends ModelReference {
  /** `owner/name`, for messages and the official-model endpoint. */
  model: string;
  /** Set when genrelay knows the model and the version is the one it pinned. */
  known?: KnownModel;
}

/**
 * The target for one of the provider's model ids. A known model without a version runs
 * its pinned version (most are community models, which only run by version); any other
 * `owner/name` runs as an official model.
 */
export function predictionTarget(id: string): PredictionTarget {
  const reference = parseModelReference(id);
  const model = `${reference.owner}/${reference.name}`;
  const known = findKnownModel(model);
  if (known === undefined) return { ...reference, model };
  if (reference.version === undefined) {
    return { ...reference, version: known.version, model, known };
  }
  return reference.version === known.version
    ? { ...reference, model, known }
    : { ...reference, model };
}
