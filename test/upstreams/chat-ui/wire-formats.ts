import * as devalue from 'devalue';
import superjson from 'superjson';
import type { DoubleConversation, DoubleModel } from './chat-ui-state.js';

/** A listed model as both model lists describe it (`serializeModelSummary` in chat-ui). */
function modelSummary(model: DoubleModel) {
  const name = model.id.split('/').at(-1) ?? model.id;
  return {
    id: model.id,
    name: model.id,
    websiteUrl: 'https://huggingface.co',
    modelUrl: `https://huggingface.co/${model.id}`,
    datasetName: undefined,
    datasetUrl: undefined,
    displayName: name,
    description: `The ${name} model of the double`,
    logoUrl: undefined,
    promptExamples: [],
    preprompt: '',
    multimodal: model.multimodal ?? false,
    multimodalAcceptedMimetypes: model.multimodal ? ['image/*'] : undefined,
    supportsTools: false,
    supportsReasoning: model.supportsReasoning ?? false,
    unlisted: false,
    hasInferenceAPI: false,
  };
}

const listed = (models: readonly DoubleModel[]) =>
  models.filter((model) => model.unlisted !== true).map(modelSummary);

/** `GET /api/v2/models` (current): superjson, made by the real `superjson` package. */
export function modelsSuperjson(models: readonly DoubleModel[]): string {
  return superjson.stringify(listed(models));
}

/** `GET /api/models` (both versions): a plain JSON array. */
export function modelsJson(models: readonly DoubleModel[]): string {
  return JSON.stringify(listed(models));
}

function conversationPayload(conversation: DoubleConversation) {
  return {
    messages: conversation.messages,
    title: conversation.title,
    model: conversation.model,
    preprompt: conversation.preprompt,
    rootMessageId: conversation.rootMessageId,
    id: conversation.id,
    updatedAt: conversation.updatedAt,
    modelId: conversation.model,
    shared: false,
    deployedSpaces: undefined,
  };
}

/** `GET /api/v2/conversations/{id}` and the string current versions embed on creation. */
export function conversationSuperjson(conversation: DoubleConversation): string {
  return superjson.stringify(conversationPayload(conversation));
}

const layoutNode = (models: readonly DoubleModel[]) =>
  `{"type":"data","data":${devalue.stringify({
    conversations: [],
    models: listed(models).map((model) => ({ id: model.id, name: model.name })),
    settings: { ethicsModalAccepted: true, activeModel: 'double/chat' },
    loginRequired: true,
  })},"uses":{"dependencies":["app:conversations"]}}`;

/**
 * `GET /conversation/{id}/__data.json?x-sveltekit-invalidated=11`: the layout and page
 * nodes, devalue-encoded by the real `devalue` package. Current versions load the
 * conversation in the browser, so their page node is `null`.
 */
export function pageDataLine(
  conversation: DoubleConversation,
  models: readonly DoubleModel[],
  version: 'current' | 'older',
): string {
  const page =
    version === 'current'
      ? 'null'
      : `{"type":"data","data":${devalue.stringify({
          messages: conversation.messages,
          title: conversation.title,
          model: conversation.model,
          preprompt: conversation.preprompt,
          rootMessageId: conversation.rootMessageId,
          assistant: null,
          shared: false,
        })},"uses":{"dependencies":["conversation:${conversation.id}"],"params":["id"]}}`;
  return `{"type":"data","nodes":[${layoutNode(models)},${page}]}\n`;
}

/** The page data of a load that failed: SvelteKit's error node in the page's place. */
export function pageErrorLine(
  models: readonly DoubleModel[],
  status: number,
  message: string,
) {
  const error = JSON.stringify({ type: 'error', error: { message }, status });
  return `{"type":"data","nodes":[${layoutNode(models)},${error}]}\n`;
}
