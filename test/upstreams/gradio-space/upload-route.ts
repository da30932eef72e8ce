import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendDetail, sendJson } from './space-http.js';
import type { SpaceState } from './space-state.js';

/** `POST {prefix}/upload`: multipart `files` parts → their server paths. */
export async function handleUpload(
  state: SpaceState,
  request: IncomingMessage,
  response: ServerResponse,
  raw: Buffer,
): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    return sendDetail(response, 400, 'Invalid content type.');
  }
  const form = await new Request('http://double/upload', {
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(raw),
  }).formData();
  const paths: string[] = [];
  for (const file of form.getAll('files')) {
    if (typeof file === 'string') continue;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const stored = state.files.store(
      bytes,
      file.name || 'file',
      file.type || 'application/octet-stream',
    );
    paths.push(String(stored.path));
  }
  sendJson(response, 200, paths);
}
