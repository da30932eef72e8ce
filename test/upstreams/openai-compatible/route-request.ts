import type { OpenAIDoubleBehaviour } from './behaviour.js';
import { handleChatCompletion } from './chat-completions.js';
import { handleFile, handleImageGeneration } from './images.js';
import type { ModelCatalogue } from './models.js';
import { type FlaggedWords, handleModeration } from './moderations.js';
import {
  invalidApiKey,
  invalidJson,
  invalidType,
  invalidUrl,
  missingParameter,
  modelNotFound,
} from './openai-errors.js';
import { isJsonObject, type RequestContext, sendError } from './request-context.js';

export interface DoubleSettings {
  apiKey: string | undefined;
  catalogue: ModelCatalogue;
  behaviourFor(model: string): OpenAIDoubleBehaviour;
  flaggedWords(): FlaggedWords;
}

/** A request body: `ok: false` when it is not valid JSON. */
export type ParsedBody = { ok: true; value: unknown } | { ok: false };

const MODEL_PREFIX = '/v1/models/';

/** Authenticates, validates and hands the request to its endpoint. */
export async function routeRequest(
  context: RequestContext,
  path: string,
  body: ParsedBody,
  settings: DoubleSettings,
): Promise<void> {
  const method = context.request.method ?? 'GET';
  // Like OpenAI's image URLs, files are served without authentication.
  if (method === 'GET' && path.startsWith('/files/')) return handleFile(context, path);

  const { authorization } = context.request.headers;
  if (settings.apiKey !== undefined && authorization !== `Bearer ${settings.apiKey}`) {
    return sendError(context, invalidApiKey(authorization));
  }
  if (method === 'GET' && path === '/v1/models')
    return settings.catalogue.sendList(context);
  if (method === 'GET' && path.startsWith(MODEL_PREFIX)) {
    return settings.catalogue.sendModel(
      context,
      decodePath(path.slice(MODEL_PREFIX.length)),
    );
  }
  const isChat = path === '/v1/chat/completions';
  const isModeration = path === '/v1/moderations';
  const isImages = path === '/v1/images/generations';
  if (method !== 'POST' || !(isChat || isModeration || isImages)) {
    return sendError(context, invalidUrl(method, path));
  }

  if (!body.ok) return sendError(context, invalidJson());
  const request = body.value;
  if (!isJsonObject(request)) return sendError(context, invalidType('body', 'an object'));
  // Moderation models are not in the catalogue, and `model` is optional there.
  if (isModeration) {
    return handleModeration(
      context,
      request,
      settings.flaggedWords(),
      settings.behaviourFor,
    );
  }
  const { model } = request;
  if (model === undefined) return sendError(context, missingParameter('model'));
  if (typeof model !== 'string')
    return sendError(context, invalidType('model', 'a string'));
  if (!settings.catalogue.has(model)) return sendError(context, modelNotFound(model));

  const behaviour = settings.behaviourFor(model);
  if (isChat) return handleChatCompletion(context, request, model, behaviour);
  return handleImageGeneration(context, request, behaviour);
}

function decodePath(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
