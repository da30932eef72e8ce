import { untilAborted } from '../../http/until-aborted.js';
import type { PredictionTarget } from './prediction-target.js';
import { modelSchema, versionSchema } from './replicate-api.js';
import type { ReplicateUpstream } from './replicate-upstream.js';

/** The input names a model takes, or undefined when its schema could not be read. */
export type InputFields = ReadonlySet<string> | undefined;

const lookupTimeoutMs = 5_000;
/** A schema read is trusted this long: a model's latest version changes now and then. */
const keepFieldsMs = 60 * 60_000;
/** After a failed lookup, ask again this soon rather than never or on every request. */
const retryLookupAfterMs = 60_000;
/** Requests name any `owner/name`: past this many models the oldest entry is dropped. */
const maxEntries = 500;

interface Entry {
  fields: Promise<InputFields>;
  expiresAt: number;
}

/**
 * The input names of models genrelay does not know ahead, read from the model's OpenAPI
 * schema (`GET /models/{owner}/{name}` or its version) and kept for a while. They decide
 * whether a system prompt is sent apart and which names the size, steps and limits go
 * by. A failed lookup gives undefined: the common names are sent, and Replicate ignores
 * those a model lacks.
 */
export class InputFieldsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly upstream: ReplicateUpstream,
    private readonly now: () => number = Date.now,
  ) {}

  fieldsFor(target: PredictionTarget, signal: AbortSignal): Promise<InputFields> {
    if (target.known !== undefined) return Promise.resolve(target.known.inputs);
    const key = `${target.model}:${target.version ?? ''}`;
    const cached = this.entries.get(key);
    const entry =
      cached !== undefined && cached.expiresAt > this.now()
        ? cached
        : this.startLookup(key, target);
    return untilAborted(entry.fields, signal);
  }

  /**
   * One lookup serves every caller, so it runs on its own bounded signal: a caller that
   * gives up stops waiting without failing the others. It never rejects.
   */
  private startLookup(key: string, target: PredictionTarget): Entry {
    const entry: Entry = {
      fields: this.lookUp(target, AbortSignal.timeout(lookupTimeoutMs)),
      expiresAt: Number.POSITIVE_INFINITY,
    };
    void entry.fields.then((found) => {
      // A failed lookup is kept briefly: a broken schema should not cost every request.
      entry.expiresAt =
        this.now() + (found === undefined ? retryLookupAfterMs : keepFieldsMs);
    });
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > maxEntries) {
      // A Map keeps insertion order: its first key is the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
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
