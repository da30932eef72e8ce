import { type CreateContext, handleCreate } from './create-prediction.js';
import { versionObject } from './double-models.js';
import { type RequestContext, sendJson, sendProblem } from './http-io.js';
import { predictionJson } from './prediction-json.js';
import { streamPrediction } from './prediction-stream.js';
import { serveFile } from './serve-file.js';

export interface RouteSettings extends CreateContext {
  token: string;
}

const modelPath =
  /^\/v1\/models\/([\w.-]+)\/([\w.-]+)(\/predictions|\/versions\/(\w+))?$/;
const predictionPath = /^\/v1\/predictions\/(\w+)(\/cancel)?$/;

/** Authenticates and hands the request to its endpoint. */
export async function routeRequest(
  context: RequestContext,
  path: string,
  body: unknown,
  double: RouteSettings,
): Promise<void> {
  const method = context.request.method ?? 'GET';
  // Streams and output files live on other hosts at Replicate and need no token.
  if (context.server === 'files') {
    if (method === 'GET' && path.startsWith('/delivery/')) {
      return serveFile(context, double.predictions, path);
    }
    const prediction = path.startsWith('/stream/')
      ? double.predictions.get(path.slice('/stream/'.length))
      : undefined;
    if (method !== 'GET' || prediction === undefined) {
      return sendProblem(context, 404, 'Not found.');
    }
    return streamPrediction(context, prediction);
  }
  const authorization = context.request.headers.authorization ?? '';
  const token = /^(?:Bearer|Token) (.+)$/.exec(authorization)?.[1];
  if (token !== double.token) {
    return sendProblem(context, 401, 'You did not pass a valid authentication token', {
      title: 'Unauthenticated',
    });
  }
  if (method === 'POST' && path === '/v1/predictions') {
    return handleCreate(context, double, body, undefined);
  }
  const models = modelPath.exec(path);
  if (models !== null) {
    const model = double.models.find((known) => known.id === `${models[1]}/${models[2]}`);
    const [, , , action, version] = models;
    if (model === undefined) return sendProblem(context, 404, 'Not found.');
    if (method === 'POST' && action === '/predictions') {
      if (!model.official) return sendProblem(context, 404, 'Not found.');
      return handleCreate(context, double, body, model);
    }
    if (method === 'GET' && version !== undefined) {
      if (version !== model.version) return sendProblem(context, 404, 'Not found.');
      return sendJson(context, 200, versionObject(model));
    }
    if (method === 'GET' && action === undefined) {
      const [owner, name] = model.id.split('/');
      return sendJson(context, 200, {
        url: `${context.origin}/${model.id}`,
        owner,
        name,
        visibility: 'public',
        latest_version: versionObject(model),
      });
    }
  }
  const predictions = predictionPath.exec(path);
  const prediction = predictions
    ? double.predictions.get(predictions[1] ?? '')
    : undefined;
  if (predictions !== null && prediction === undefined) {
    return sendProblem(context, 404, 'Not found.');
  }
  if (prediction !== undefined && method === 'GET' && predictions?.[2] === undefined) {
    return sendJson(context, 200, predictionJson(prediction, context));
  }
  if (prediction !== undefined && method === 'POST' && predictions?.[2] === '/cancel') {
    prediction.cancel();
    return sendJson(context, 200, predictionJson(prediction, context));
  }
  sendProblem(context, 404, 'Not found.');
}
