import { aspectRatioSizes } from '../../../src/core/aspect-ratio.js';
import { makePng } from '../png.js';
import type { DoublePrediction } from './double-prediction.js';
import { type RequestContext, sendProblem } from './http-io.js';
import { outputUrls } from './prediction-json.js';

/**
 * `GET /delivery/{id}/out-{n}.png`, like replicate.delivery: no token needed, a real PNG
 * of the size the input asked for (width/height or aspect ratio; 1024 square otherwise).
 */
export function serveFile(
  context: RequestContext,
  predictions: Map<string, DoublePrediction>,
  path: string,
): void {
  const [, , id = '', file = ''] = path.split('/');
  const prediction = predictions.get(id);
  const known =
    prediction !== undefined &&
    prediction.stateAt().status === 'succeeded' &&
    outputUrls(prediction, context.filesOrigin).some((url) =>
      url.endsWith(`/${id}/${file}`),
    );
  if (!known) {
    sendProblem(context, 404, 'Not found.');
    return;
  }
  if (file.endsWith('.txt')) {
    context.response.writeHead(200, { 'content-type': 'text/plain' });
    context.response.end('this is not an image');
    return;
  }
  const { width, height } = sizeOf(prediction.input);
  const png = makePng(width, height);
  context.response.writeHead(200, {
    'content-type': 'image/png',
    'content-length': png.byteLength,
  });
  context.response.end(png);
}

function sizeOf(input: Record<string, unknown>): { width: number; height: number } {
  const side = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 2048
      ? value
      : undefined;
  const width = side(input.width);
  const height = side(input.height);
  if (width !== undefined && height !== undefined) return { width, height };
  const ratio = typeof input.aspect_ratio === 'string' ? input.aspect_ratio : '1:1';
  return aspectRatioSizes[ratio] ?? { width: 1024, height: 1024 };
}
