import { randomUUID } from 'node:crypto';
import { imageExtension } from '../../core/media.js';
import type { FetchedImage } from '../../http/fetch-media.js';
import type { HttpResponse } from '../../http/http-client.js';
import type { ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';

export interface OutgoingMessage {
  conversationId: string;
  /** The message this one answers: the conversation's newest. */
  parentId: string;
  inputs: string;
  webSearch: boolean;
  images: readonly FetchedImage[];
}

/**
 * The `data` part: the fields of older versions (`is_continue`, `web_search`, `tools`)
 * and of current ones (`generationId`, the MCP selections); each ignores the others.
 */
function dataPart(message: OutgoingMessage): string {
  return JSON.stringify({
    inputs: message.inputs,
    id: message.parentId,
    is_retry: false,
    is_continue: false,
    web_search: message.webSearch,
    tools: [],
    generationId: randomUUID(),
    selectedMcpServerNames: [],
    selectedMcpServers: [],
  });
}

/**
 * `POST /conversation/{id}`: multipart with the `data` part and one `files` part per image
 * (named `base64;<name>`, holding the base64 text). chat-ui refuses form posts whose
 * Origin is not its own host. Returns the response, whatever its status, for the caller
 * to check and stream.
 */
export function sendMessage(
  upstream: HuggingChatUpstream,
  message: OutgoingMessage,
  options: { session: ChatUiSession; signal: AbortSignal; timeoutMs: number },
): Promise<HttpResponse> {
  const form = new FormData();
  form.append('data', dataPart(message));
  message.images.forEach((image, index) => {
    const name = `image-${index + 1}.${imageExtension(image.mediaType)}`;
    const content = Buffer.from(image.data).toString('base64');
    form.append(
      'files',
      new Blob([content], { type: image.mediaType }),
      `base64;${name}`,
    );
  });
  const path = `/conversation/${encodeURIComponent(message.conversationId)}`;
  return upstream.request({
    path,
    headers: {
      // `application/json` in Accept makes chat-ui answer errors as JSON.
      accept: 'application/jsonl, application/json, */*',
      origin: upstream.origin,
      referer: upstream.url(path),
    },
    body: form,
    ...options,
  });
}
