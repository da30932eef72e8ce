import type { IncomingMessage, ServerResponse } from 'node:http';
import { appConfig, appInfo } from './app-config.js';
import { handleCallPost, handleCallStream } from './call-routes.js';
import { handleCancel, handleJoin, handleQueueData } from './queue-routes.js';
import { parseJson, readBody, sendDetail, sendJson } from './space-http.js';
import type { SpaceState } from './space-state.js';
import { handleUpload } from './upload-route.js';

/** Records the request, checks a private Space's token, and hands it to its route. */
export async function routeRequest(
  state: SpaceState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', state.origin);
  const path = decodeURIComponent(url.pathname);
  const raw = await readBody(request);
  const method = request.method ?? 'GET';
  const body = raw.length > 0 ? parseJson(raw) : undefined;
  const { headers } = request;
  state.requests.push({ method, path, query: url.searchParams, headers, body });

  const jwt = /^\/api\/spaces\/([^/]+\/[^/]+)\/jwt$/.exec(path);
  if (method === 'GET' && jwt?.[1] !== undefined) {
    const token = state.issueJwt(headers.authorization, jwt[1]);
    if (token === undefined) {
      sendJson(response, 401, { error: 'Invalid credentials in Authorization header' });
    } else {
      sendJson(response, 200, { token });
    }
    return;
  }
  if (state.spaceToken && headers.authorization !== `Bearer ${state.spaceToken}`) {
    sendDetail(response, 401, 'Not authenticated');
    return;
  }
  if (method === 'GET' && (path === '/config' || path === '/config/')) {
    sendJson(response, 200, appConfig(state.app, state));
    return;
  }
  if (!path.startsWith(state.apiPrefix)) {
    sendDetail(response, 404, 'Not Found');
    return;
  }
  const api = path.slice(state.apiPrefix.length);
  if (method === 'GET' && api === '/info') {
    sendJson(response, 200, appInfo(state.app));
    return;
  }
  if (method === 'POST' && api === '/queue/join') {
    return handleJoin(state, request, response, body);
  }
  if (method === 'GET' && api === '/queue/data') {
    return handleQueueData(state, response, url.searchParams.get('session_hash'));
  }
  if (method === 'POST' && (api === '/cancel' || api === '/reset')) {
    return handleCancel(state, response, body);
  }
  if (method === 'POST' && api === '/upload') {
    return handleUpload(state, request, response, raw);
  }
  if (method === 'GET' && api.startsWith('/file=')) {
    return serveFile(state, response, api.slice('/file='.length));
  }
  const call = /^\/call\/([^/]+)(?:\/([^/]+))?$/.exec(api);
  if (method === 'POST' && call?.[1] !== undefined && call[2] === undefined) {
    return handleCallPost(state, request, response, call[1], body);
  }
  if (method === 'GET' && call?.[2] !== undefined) {
    return handleCallStream(state, response, call[2]);
  }
  sendDetail(response, 404, 'Not Found');
}

/** `GET {prefix}/file={path}`: Gradio's 403 for files it does not know. */
function serveFile(state: SpaceState, response: ServerResponse, path: string): void {
  const file = state.files.get(path);
  if (file === undefined) {
    sendDetail(response, 403, `File not allowed: ${path}.`);
    return;
  }
  response.writeHead(200, {
    'content-type': file.type,
    'content-length': file.bytes.byteLength,
    'accept-ranges': 'bytes',
    'content-disposition': 'inline',
  });
  response.end(file.bytes);
}
