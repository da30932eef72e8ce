import type { ChatScript, ChatUsage } from './chat-completions.js';
import { openAIHeaders, pause, type RequestContext } from './request-context.js';

export interface ChatStreamOptions {
  id: string;
  created: number;
  model: string;
  script: ChatScript;
  usage: ChatUsage;
  includeUsage: boolean;
}

/**
 * Writes `data: <chunk>\n\n` events the way OpenAI does. Chunks share a serialized
 * prefix, and events are batched into one write unless the script asks for a delay.
 */
export async function streamChatCompletion(
  context: RequestContext,
  { id, created, model, script, usage, includeUsage }: ChatStreamOptions,
): Promise<void> {
  const { response } = context;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...openAIHeaders(context),
  });

  const prefix =
    `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${created},` +
    `"model":${JSON.stringify(model)},"system_fingerprint":null,"choices":`;
  let pending = '';
  const sendChunk = (choices: string, chunkUsage = 'null') => {
    const usageField = includeUsage ? `,"usage":${chunkUsage}` : '';
    pending += `data: ${prefix}${choices}${usageField}}\n\n`;
  };
  const sendDelta = (delta: object, finishReason: string | null = null) => {
    const choice = `{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,`;
    sendChunk(`[${choice}"finish_reason":${JSON.stringify(finishReason)}}]`);
  };
  const flush = () => {
    if (pending === '') response.flushHeaders();
    else response.write(pending);
    pending = '';
  };
  const wait = async (milliseconds: number) => {
    if (milliseconds <= 0) return;
    flush();
    await pause(context, milliseconds);
  };

  await wait(script.firstTokenDelayMs);
  sendDelta({ role: 'assistant', content: '' });
  if (script.malformed) pending += 'data: {not json\n\n';
  for (const token of script.reasoning) {
    await wait(script.tokenDelayMs);
    sendDelta({ reasoning_content: token });
  }
  for (const token of script.content) {
    await wait(script.tokenDelayMs);
    sendDelta({ content: token });
    if (script.cut) return cutAfter(context, pending);
  }
  sendDelta({}, 'stop');
  if (includeUsage) sendChunk('[]', JSON.stringify(usage));
  response.end(`${pending}data: [DONE]\n\n`);
}

/** Lets the chunks reach the client, then drops the connection mid-body. */
async function cutAfter(context: RequestContext, pending: string): Promise<void> {
  await new Promise<void>((resolve) => context.response.write(pending, () => resolve()));
  context.response.destroy();
}
