import { UpstreamError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ImagePart, StreamPart } from '../../core/stream-part.js';
import {
  fileUpdateSchema,
  finalAnswerSchema,
  messageUpdateSchema,
  reasoningUpdateSchema,
  statusUpdateSchema,
  streamUpdateSchema,
  titleUpdateSchema,
  webSearchUpdateSchema,
} from './huggingchat-api.js';
import type { HuggingChatUpstream } from './huggingchat-upstream.js';
import { sourcesPart } from './sources-part.js';
import { statusError } from './status-error.js';

export interface UpdateContext {
  upstream: HuggingChatUpstream;
  logger: Logger;
  /** Called for every update but keep-alives: the generation is moving. */
  onActivity(): void;
  /** The image a `file` update names, downloaded; undefined for files that are not images. */
  downloadFile(file: {
    sha: string;
    mime?: string | undefined;
  }): Promise<ImagePart | undefined>;
}

/** chat-ui pads every token with NULs to 16 characters against length side channels. */
const stripPadding = (token: string) => token.replaceAll('\u0000', '');

function parseLine(line: string, context: UpdateContext) {
  const skip = (why: string) => {
    context.logger.debug(
      { provider: context.upstream.id, line: line.slice(0, 200) },
      `skipping a reply line that is not ${why}`,
    );
    return undefined;
  };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return skip('JSON');
  }
  const parsed = messageUpdateSchema.safeParse(json);
  return parsed.success ? parsed.data : skip('a message update');
}

/**
 * chat-ui's reply (one JSON message update per line) as stream parts, ending with
 * `finish` at `finalAnswer`. Keep-alives are dropped, lines that are not JSON or have no
 * `type` skipped, and unknown update types ignored; a `status` error is thrown as its typed error, and a
 * reply that ends before `finalAnswer` is an UpstreamError.
 */
export async function* mapMessageUpdates(
  lines: AsyncIterable<string>,
  context: UpdateContext,
): AsyncGenerator<StreamPart> {
  const { upstream } = context;
  let streamedText = false;
  let sentSources = false;
  for await (const line of lines) {
    const update = parseLine(line, context);
    if (update === undefined) continue;
    if (update.type === 'status' && update.status === 'keepAlive') continue;
    context.onActivity();
    switch (update.type) {
      case 'stream': {
        const { token: padded } = upstream.validate(streamUpdateSchema, update, 'token');
        const token = stripPadding(padded);
        if (token === '') break;
        streamedText = true;
        yield { type: 'text', delta: token };
        break;
      }
      case 'reasoning': {
        const reasoning = upstream.validate(
          reasoningUpdateSchema,
          update,
          'reasoning update',
        );
        const delta = reasoning.token === undefined ? '' : stripPadding(reasoning.token);
        if (delta !== '') yield { type: 'reasoning', delta };
        else if (reasoning.status) yield { type: 'reasoning', status: reasoning.status };
        break;
      }
      case 'title': {
        const title = stripPadding(
          upstream.validate(titleUpdateSchema, update, 'title').title,
        );
        if (title.trim() !== '') yield { type: 'title', title: title.trim() };
        break;
      }
      case 'webSearch': {
        const search = upstream.validate(
          webSearchUpdateSchema,
          update,
          'web search update',
        );
        const part = sourcesPart(search.sources ?? []);
        if (part !== undefined) {
          sentSources = true;
          yield part;
        }
        break;
      }
      case 'file': {
        const file = upstream.validate(fileUpdateSchema, update, 'file update');
        const image = await context.downloadFile(file);
        if (image !== undefined) yield image;
        break;
      }
      case 'status': {
        const status = upstream.validate(statusUpdateSchema, update, 'status update');
        if (status.status === 'error') {
          throw statusError(upstream, status.message, status.statusCode);
        }
        break;
      }
      case 'finalAnswer': {
        const final = upstream.validate(finalAnswerSchema, update, 'final answer');
        // Endpoints that do not stream send the whole answer only here.
        if (!streamedText && final.text) yield { type: 'text', delta: final.text };
        const sources = sentSources ? undefined : sourcesPart(final.webSources ?? []);
        if (sources !== undefined) yield sources;
        // chat-ui marks an answer that stopped without the model's end token.
        yield { type: 'finish', reason: final.interrupted === true ? 'length' : 'stop' };
        return;
      }
      default:
        break;
    }
  }
  throw new UpstreamError(
    `${upstream.describe()} ended the reply before its final answer`,
    {
      provider: upstream.id,
      retryable: true,
    },
  );
}
