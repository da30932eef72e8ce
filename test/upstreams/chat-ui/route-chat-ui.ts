import { checkPost, mayUse } from './access-checks.js';
import type { ChatUiDouble } from './chat-ui-double.js';
import type { ReplyScript, ScriptedFailure } from './chat-ui-script.js';
import { newConversation, objectId } from './chat-ui-state.js';
import { handleSend } from './handle-send.js';
import { type Exchange, sendError, sendJson } from './respond.js';
import {
  conversationSuperjson,
  modelsJson,
  modelsSuperjson,
  pageDataLine,
  pageErrorLine,
} from './wire-formats.js';

export interface RouteContext {
  double: ChatUiDouble;
  nextSequence(): number;
  scriptFor(model: string): ReplyScript;
  signal: AbortSignal;
}

const notAccessible =
  "You don't have access to this conversation. If someone gave you this link, ask them to use the 'share' feature instead.";

function takeFailure(double: ChatUiDouble, endpoint: ScriptedFailure['endpoint']) {
  const index = double.failures.findIndex((failure) => failure.endpoint === endpoint);
  return index === -1 ? undefined : double.failures.splice(index, 1)[0];
}

/** Answers one request the way the chat-ui version of the double does. */
export async function routeChatUi(
  exchange: Exchange,
  context: RouteContext,
): Promise<void> {
  const { double } = context;
  const method = exchange.request.method ?? 'GET';
  const { path } = exchange;
  const current = double.version === 'current';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const failure = (endpoint: ScriptedFailure['endpoint']) => {
    const scripted = takeFailure(double, endpoint);
    if (scripted !== undefined) sendFailure(exchange, scripted);
    return scripted !== undefined;
  };

  if (
    method === 'GET' &&
    (path === '/api/models' || (current && path === '/api/v2/models'))
  ) {
    if (failure('models')) return;
    if (path === '/api/models') return sendJson(exchange, 200, modelsJson(double.models));
    return sendJson(exchange, 200, modelsSuperjson(double.models), {
      'cache-control': 'private, max-age=60',
    });
  }
  if (method === 'POST' && path === '/conversation') {
    if (!checkPost(exchange, double) || failure('create')) return;
    return createConversation(exchange, context);
  }
  const stored = double.conversations.get(parts[1] ?? '');
  // The POST and output routes find no conversation the session may not use.
  const conversation = stored && mayUse(exchange, double, stored) ? stored : undefined;
  if (current && method === 'GET' && parts[0] === 'api' && parts[2] === 'conversations') {
    const wanted = double.conversations.get(parts[3] ?? '');
    if (failure('conversation')) return;
    if (wanted === undefined) return sendError(exchange, 404, 'Conversation not found');
    if (!mayUse(exchange, double, wanted)) return sendError(exchange, 403, notAccessible);
    return sendJson(exchange, 200, conversationSuperjson(wanted));
  }
  if (parts[0] !== 'conversation' || parts.length < 2) {
    return sendError(exchange, 404, 'Not Found');
  }
  if (method === 'GET' && parts[2] === '__data.json') {
    const scripted = takeFailure(double, 'conversation');
    if (scripted?.body !== undefined) return sendFailure(exchange, scripted);
    const status =
      scripted?.status ??
      (stored === undefined || conversation !== undefined ? undefined : 403);
    const line =
      status !== undefined
        ? pageErrorLine(double.models, status, scripted?.message ?? notAccessible)
        : conversation === undefined
          ? pageErrorLine(double.models, 404, 'Conversation not found')
          : pageDataLine(conversation, double.models, double.version);
    exchange.response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    return void exchange.response.end(line);
  }
  if (method === 'GET' && parts[2] === 'output') {
    if (failure('output')) return;
    const file = conversation?.files.get(parts[3] ?? '');
    if (file === undefined) return sendError(exchange, 404, 'Conversation not found');
    exchange.response.writeHead(200, {
      'content-type': file.mime,
      'content-length': file.data.length,
    });
    return void exchange.response.end(file.data);
  }
  if (method !== 'POST') return sendError(exchange, 405, 'Method Not Allowed');
  if (!checkPost(exchange, double)) return;
  if (conversation === undefined)
    return sendError(exchange, 404, 'Conversation not found');
  if (parts[2] === 'stop-generating') {
    double.stopped.push(conversation.id);
    exchange.response.writeHead(200);
    return void exchange.response.end();
  }
  if (failure('send')) return;
  return handleSend(exchange, conversation, {
    version: double.version,
    script: context.scriptFor(conversation.model),
    signal: context.signal,
    onMessage: (message) => double.sent.push(message),
  });
}

function sendFailure(exchange: Exchange, failure: ScriptedFailure): void {
  if (failure.body === undefined) {
    sendError(exchange, failure.status, failure.message ?? 'Scripted failure');
    return;
  }
  exchange.response.writeHead(failure.status, { 'content-type': 'application/json' });
  exchange.response.end(failure.body);
}

function createConversation(exchange: Exchange, { double, nextSequence }: RouteContext) {
  let body: { model?: unknown; preprompt?: unknown };
  try {
    body = JSON.parse(exchange.body.toString('utf8'));
  } catch {
    return sendError(exchange, 400, 'Invalid request');
  }
  const model = double.models.find((candidate) => candidate.id === body.model);
  if (model === undefined) return sendError(exchange, 400, 'Invalid model');
  if (model.unlisted) {
    return sendError(exchange, 400, "Can't start a conversation with an unlisted model");
  }
  const preprompt = typeof body.preprompt === 'string' ? body.preprompt : '';
  const conversation = newConversation(objectId(nextSequence()), model.id, preprompt);
  double.conversations.set(conversation.id, conversation);
  const created =
    double.version === 'current'
      ? {
          conversationId: conversation.id,
          conversation: conversationSuperjson(conversation),
        }
      : { conversationId: conversation.id };
  sendJson(exchange, 200, JSON.stringify(created));
}
