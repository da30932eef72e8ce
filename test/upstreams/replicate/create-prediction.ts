import type { DoubleModel } from './double-models.js';
import { DoublePrediction } from './double-prediction.js';
import { type RequestContext, sendJson, sendProblem } from './http-io.js';
import { predictionJson } from './prediction-json.js';
import type { ReplicateScenario } from './scenario.js';

/** What the create handler needs from the double. */
export interface CreateContext {
  models: readonly DoubleModel[];
  predictions: Map<string, DoublePrediction>;
  scenarioFor(model: string): ReplicateScenario;
  /** Refusals so far per model, for `rate-limited` with `times`. */
  refusals: Map<string, number>;
}

/** Replicate holds a create for 1 to 60 seconds; other values are ignored. */
const preferPattern = /^wait(?:=([1-9]|[1-5][0-9]|60))?$/;

/**
 * `POST /v1/predictions` (`model` undefined: found by `version`) and
 * `POST /v1/models/{owner}/{name}/predictions`. With `Prefer: wait[=N]` the answer is
 * held until the prediction ends or N seconds (default 60) pass.
 */
export async function handleCreate(
  context: RequestContext,
  double: CreateContext,
  body: unknown,
  model: DoubleModel | undefined,
): Promise<void> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendProblem(context, 400, 'The request body must be a JSON object.');
  }
  const fields = body as Record<string, unknown>;
  const target = model ?? findByVersion(double.models, fields.version);
  if (target === undefined) {
    return sendProblem(
      context,
      422,
      "The specified version does not exist (or perhaps you don't have permission to use it?)",
      { title: 'Invalid version or not permitted' },
    );
  }
  const input = fields.input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalidInput(context, 'input', 'Invalid type. Expected: object');
  }
  const scenario = double.scenarioFor(target.id);
  if (scenario.kind === 'rate-limited') {
    const refused = double.refusals.get(target.id) ?? 0;
    if (scenario.times === undefined || refused < scenario.times) {
      double.refusals.set(target.id, refused + 1);
      return refuse(context, scenario);
    }
  }
  if (scenario.kind === 'invalid-input') {
    return invalidInput(context, scenario.field, scenario.description ?? 'Invalid value');
  }
  const values = input as Record<string, unknown>;
  if (typeof values.prompt !== 'string') {
    return invalidInput(context, 'input.prompt', 'prompt is required');
  }
  if (scenario.kind === 'malformed') {
    return sendJson(context, 201, { id: 'malformed', detail: 'not a prediction' });
  }
  const prediction = new DoublePrediction(target, values, scenario, model === undefined);
  double.predictions.set(prediction.id, prediction);

  const prefer = preferPattern.exec(String(context.request.headers.prefer ?? ''));
  if (prefer !== null) {
    const until = Date.now() + Number(prefer[1] ?? 60) * 1000;
    for (;;) {
      const change = prediction.msUntilChange();
      if (change === undefined || Date.now() >= until || context.signal.aborted) break;
      await prediction.sleep(Math.min(change, until - Date.now()), context.signal);
    }
  }
  const json = predictionJson(prediction, context);
  const held = prefer !== null && !prediction.isTerminal();
  sendJson(context, held ? 202 : 201, json);
}

function findByVersion(models: readonly DoubleModel[], version: unknown) {
  if (typeof version !== 'string') return undefined;
  const [id, hash] = version.includes(':') ? version.split(':') : [undefined, version];
  if (hash !== undefined && /^[0-9a-f]{64}$/.test(hash)) {
    return models.find(
      (model) => model.version === hash && (id === undefined || model.id === id),
    );
  }
  // `owner/name` alone names an official model's latest version.
  return models.find((model) => model.id === version && model.official);
}

function invalidInput(context: RequestContext, field: string, description: string) {
  sendProblem(context, 422, `- ${field}: ${description}\n`, {
    title: 'Input validation failed',
    invalid_fields: [{ type: 'invalid', field, description }],
  });
}

function refuse(
  context: RequestContext,
  scenario: Extract<ReplicateScenario, { kind: 'rate-limited' }>,
) {
  const seconds = scenario.retryAfterSeconds;
  const headers = { 'retry-after': String(seconds) };
  if (scenario.status === 402) {
    return sendProblem(
      context,
      402,
      'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit.',
      { title: 'Insufficient credit' },
      headers,
    );
  }
  const unit = seconds === 1 ? 'second' : 'seconds';
  sendProblem(
    context,
    429,
    `Request was throttled. Expected available in ${seconds} ${unit}.`,
    {},
    headers,
  );
}
