import { modelNotFound } from './openai-errors.js';
import { type RequestContext, sendError, sendJson } from './request-context.js';

/** A fixed timestamp so answers are reproducible. */
const CREATED = 1735689600;

/** The model list, serialized once because `GET /v1/models` is cheap to hammer. */
export class ModelCatalogue {
  readonly #list: string;
  readonly #byId = new Map<string, string>();

  constructor(ids: readonly string[]) {
    const models = ids.map((id) => ({
      id,
      object: 'model',
      created: CREATED,
      owned_by: 'system',
    }));
    for (const model of models) this.#byId.set(model.id, JSON.stringify(model));
    this.#list = JSON.stringify({ object: 'list', data: models });
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  sendList(context: RequestContext): void {
    sendJson(context, 200, this.#list);
  }

  sendModel(context: RequestContext, id: string): void {
    const model = this.#byId.get(id);
    if (model === undefined) sendError(context, modelNotFound(id));
    else sendJson(context, 200, model);
  }
}
