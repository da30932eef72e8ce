import type { DoublePrediction } from './double-prediction.js';
import type { RequestContext } from './http-io.js';

/** One server-sent event; every line of `data` becomes its own `data:` line. */
function event(name: string, data: string, id?: string): string {
  const lines = data.split('\n').map((line) => `data: ${line}\n`);
  return `event: ${name}\n${id === undefined ? '' : `id: ${id}\n`}${lines.join('')}\n`;
}

/**
 * `GET /stream/{id}`: the prediction's tokens as `output` events at the moments it
 * produces them, then `done` (`{}`, or `{"reason":"canceled"}`), or `error` with the
 * failure's detail followed by `done` with reason `error`. Earlier tokens are replayed to
 * a late client at once. `cut-stream` drops the connection mid-way.
 */
export async function streamPrediction(
  context: RequestContext,
  prediction: DoublePrediction,
): Promise<void> {
  const { response } = context;
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.flushHeaders();
  const { scenario } = prediction;
  const seconds = Math.floor(prediction.createdAt / 1000);
  let sent = 0;
  for (;;) {
    const state = prediction.stateAt();
    while (sent < state.tokens.length) {
      if (scenario.kind === 'cut-stream' && sent >= scenario.afterTokens) {
        response.destroy();
        return;
      }
      response.write(event('output', state.tokens[sent] ?? '', `${seconds}:${sent}`));
      prediction.tokenSentAt.push(Date.now());
      sent++;
    }
    if (state.status === 'succeeded') response.write(event('done', '{}'));
    if (state.status === 'canceled')
      response.write(event('done', '{"reason":"canceled"}'));
    if (state.status === 'failed') {
      response.write(event('error', JSON.stringify({ detail: state.error })));
      response.write(event('done', '{"reason":"error"}'));
    }
    if (!['starting', 'processing'].includes(state.status)) break;
    await prediction.sleep(prediction.msUntilChange() ?? 0, context.signal);
    if (context.signal.aborted) return;
  }
  prediction.streamEndedAt = Date.now();
  response.end();
}
