import type { PredictionTarget } from './prediction-target.js';
import { modelSchema, versionSchema } from './replicate-api.js';
import type { ReplicateUpstream } from './replicate-upstream.js';

/** The input names a model takes, or undefined when its schema could not be read. */
export type InputFields = ReadonlySet<string> | undefined;

const lookupTimeoutMs = 5_000;
/** After a failed lookup, ask again this soon rather than never or on every request. */
const retryLookupAfterMs = 60_000;

/**
 * The input names of models genrelay does not know ahead, read once from the model's
 * OpenAPI schema (`GET /models/{owner}/{name}` or its version) and kept. They decide
 * whether a system prompt is sent apart and which names the size, steps and limits go
 * by. A failed lookup gives undefined: the common names are sent, and Replicate ignores
 * those a model lacks.
 */
export class InputFieldsCache {
  private readonly entries = new Map<
    string,
    { fields: Promise<InputFields>; expiresAt: number }
  >();

  constructor(
    private readonly upstream: ReplicateUpstream,
    private readonly now: () => number = Date.now,
  ) {}

  async fieldsFor(target: PredictionTarget, signal: AbortSignal): Promise<InputFields> {
    if (target.known !== undefined) return new Set(target.known.inputs);
    const key = `${target.model}:${target.version ?? ''}`;
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.fields;
    const pending = this.lookUp(target, signal);
    this.entries.set(key, { fields: pending, expiresAt: Number.POSITIVE_INFINITY });
    try {
      const found = await pending;
      // A failed lookup is kept briefly: a broken schema should not cost every request.
      if (found === undefined) {
        this.entries.set(key, {
          fields: pending,
          expiresAt: this.now() + retryLookupAfterMs,
        });
      }
      return found;
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
  }

  private async lookUp(
    target: PredictionTarget,
    signal: AbortSignal,
  ): Promise<InputFields> {
    const path = `/models/${target.owner}/${target.name}`;
    try {
      if (target.version !== undefined) {
        const body = await this.upstream.getJson(
          `${path}/versions/${target.version}`,
          signal,
          lookupTimeoutMs,
        );
        const version = this.upstream.validate(versionSchema, body, 'model version');
        return propertyNames(version);
      }
      const body = await this.upstream.getJson(path, signal, lookupTimeoutMs);
      const model = this.upstream.validate(modelSchema, body, 'model');
      return model.latest_version ? propertyNames(model.latest_version) : undefined;
    } catch (error) {
      if (signal.aborted) throw error;
      this.upstream.logger.warn(
        { provider: this.upstream.id, model: target.model, error: String(error) },
        'could not read the Replicate model schema; sending the common input names',
      );
      return undefined;
    }
  }
}

function propertyNames(version: {
  openapi_schema: { components: { schemas: { Input: { properties: object } } } };
}): ReadonlySet<string> {
  return new Set(Object.keys(version.openapi_schema.components.schemas.Input.properties));
}
