import { ResponseParseError } from '../../core/errors.js';
import { detectImageType } from '../../core/media.js';
import type { ImagePart } from '../../core/stream-part.js';
import type { ChatUiSession, HuggingChatUpstream } from './huggingchat-upstream.js';

export interface OutputFileOptions {
  conversationId: string;
  session: ChatUiSession;
  signal: AbortSignal;
  timeoutMs: number;
  /** The image's description: the prompt that asked for it. */
  alt: string;
}

/**
 * A file the model made (a generated image), downloaded with the session's cookies,
 * since chat-ui serves it only to the conversation's owner: genrelay stores and serves
 * it itself. Files that are not images give undefined.
 */
export async function downloadOutputFile(
  upstream: HuggingChatUpstream,
  file: { sha: string; mime?: string | undefined },
  options: OutputFileOptions,
): Promise<ImagePart | undefined> {
  if (file.mime !== undefined && !file.mime.startsWith('image/')) return undefined;
  const { conversationId, alt, ...call } = options;
  const path = `/conversation/${encodeURIComponent(conversationId)}/output/${encodeURIComponent(file.sha)}`;
  const response = await upstream.ensureOk(
    await upstream.request({ path, headers: { accept: 'image/*' }, ...call }),
  );
  const data = await response.bytes();
  const mediaType = detectImageType(data);
  if (mediaType === undefined) {
    throw new ResponseParseError(
      `${upstream.describe()} sent output file ${file.sha} that is not an image`,
      { provider: upstream.id },
    );
  }
  return { type: 'image', data, mediaType, ...(alt === '' ? {} : { alt }) };
}
