import { parseUpstreamJson, validateUpstream } from '../upstream-json.js';
import { type FileData, uploadResponseSchema } from './gradio-api.js';
import type { GradioClient, GradioRequestOptions } from './gradio-client.js';
import { upstreamName } from './gradio-error.js';
import { protocolError } from './protocol-error.js';

/** A file to hand to an app's input (an image for image-to-image, say). */
export interface UploadedFile {
  data: Uint8Array;
  name: string;
  mediaType: string;
}

/**
 * Uploads a file through `POST {prefix}/upload` (multipart, field `files`) and returns
 * the FileData an input takes: the server path Gradio stored it under.
 */
export async function uploadFile(
  client: GradioClient,
  file: UploadedFile,
  options: GradioRequestOptions,
): Promise<FileData> {
  const form = new FormData();
  const blob = new Blob([new Uint8Array(file.data)], { type: file.mediaType });
  form.append('files', blob, file.name);
  const response = await client.request(await client.url('/upload', options), {
    ...options,
    method: 'POST',
    body: form,
  });
  const upstream = upstreamName(client.errorContext);
  const body = parseUpstreamJson(upstream, await response.text(), 'an upload answer');
  const [path] = validateUpstream(upstream, uploadResponseSchema, body, 'upload answer');
  if (path === undefined) {
    throw protocolError(client.errorContext, 'no uploaded file path');
  }
  return {
    path,
    orig_name: file.name,
    mime_type: file.mediaType,
    meta: { _type: 'gradio.FileData' },
  };
}
