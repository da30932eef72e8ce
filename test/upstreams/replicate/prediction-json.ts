import type { DoublePrediction } from './double-prediction.js';

/** The output files of an image prediction: `/delivery/{id}/out-{n}.png` on the files port. */
export function outputUrls(prediction: DoublePrediction, filesOrigin: string): string[] {
  const count = Math.min(4, Math.max(1, Number(prediction.input.num_outputs ?? 1) || 1));
  const extension = prediction.scenario.kind === 'broken-file' ? 'txt' : 'png';
  return Array.from(
    { length: count },
    (_, index) => `${filesOrigin}/delivery/${prediction.id}/out-${index}.${extension}`,
  );
}

/** The prediction object Replicate's API returns, as of `now`. */
export function predictionJson(
  prediction: DoublePrediction,
  origins: { origin: string; filesOrigin: string },
  now = Date.now(),
) {
  const { origin, filesOrigin } = origins;
  const state = prediction.stateAt(now);
  const { model, plan } = prediction;
  const terminal = !['starting', 'processing'].includes(state.status);
  const elapsed = now - prediction.createdAt;
  const at = (offset: number) => new Date(prediction.createdAt + offset).toISOString();
  let output: unknown = null;
  if (model.kind === 'text') output = state.tokens.length > 0 ? state.tokens : null;
  else if (state.status === 'succeeded') output = outputUrls(prediction, filesOrigin);
  const api = `${origin}/v1/predictions/${prediction.id}`;
  const streams = model.kind === 'text' && model.streams !== false;
  return {
    id: prediction.id,
    model: model.id,
    version: prediction.byVersion ? model.version : 'hidden',
    input: prediction.input,
    logs: state.logs,
    output,
    data_removed: false,
    error: state.error,
    status: state.status,
    source: 'api',
    created_at: at(0),
    ...(elapsed >= plan.startingMs ? { started_at: at(plan.startingMs) } : {}),
    ...(terminal ? { completed_at: at(Math.min(elapsed, plan.endMs)) } : {}),
    ...(terminal ? { metrics: { predict_time: plan.endMs / 1000 } } : {}),
    urls: {
      web: `${origin}/p/${prediction.id}`,
      get: api,
      cancel: `${api}/cancel`,
      ...(streams ? { stream: `${filesOrigin}/stream/${prediction.id}` } : {}),
    },
  };
}
