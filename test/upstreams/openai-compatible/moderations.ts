import { type OpenAIDoubleBehaviour, respondWithFailure } from './behaviour.js';
import { invalidType, missingParameter } from './openai-errors.js';
import {
  isJsonObject,
  type JsonObject,
  pause,
  type RequestContext,
  sendError,
  sendJson,
} from './request-context.js';

/** Word → the categories an input containing it (in any case) is flagged for. */
export type FlaggedWords = Record<string, readonly string[]>;

/** The categories `omni-moderation-latest` reports for every input. */
const CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
];

/** `POST /v1/moderations`: flags each input by the scripted words it contains. */
export async function handleModeration(
  context: RequestContext,
  body: JsonObject,
  flaggedWords: FlaggedWords,
  behaviourFor: (model: string) => OpenAIDoubleBehaviour,
): Promise<void> {
  const model = body.model ?? 'omni-moderation-latest';
  if (typeof model !== 'string')
    return sendError(context, invalidType('model', 'a string'));
  if (body.input === undefined) return sendError(context, missingParameter('input'));
  const inputs = inputTexts(body.input);
  if (inputs === undefined) {
    return sendError(context, invalidType('input', 'a string or an array'));
  }
  const behaviour = behaviourFor(model);
  if (respondWithFailure(context, behaviour, false)) return;
  if (behaviour.kind === 'slow-first-token') await pause(context, behaviour.delayMs);

  const results = inputs.map((text) => judge(text, flaggedWords));
  sendJson(
    context,
    200,
    JSON.stringify({ id: `modr-${context.sequence}`, model, results }),
  );
}

/** The texts to judge; an image input is judged as an empty text. */
function inputTexts(input: unknown): string[] | undefined {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return undefined;
  const texts: string[] = [];
  for (const entry of input as unknown[]) {
    if (typeof entry === 'string') texts.push(entry);
    else if (
      isJsonObject(entry) &&
      entry.type === 'text' &&
      typeof entry.text === 'string'
    )
      texts.push(entry.text);
    else if (isJsonObject(entry) && entry.type === 'image_url') texts.push('');
    else return undefined;
  }
  return texts;
}

function judge(text: string, flaggedWords: FlaggedWords) {
  const lower = text.toLowerCase();
  const hits = new Set(
    Object.entries(flaggedWords)
      .filter(([word]) => lower.includes(word.toLowerCase()))
      .flatMap(([, categories]) => categories),
  );
  const names = [...new Set([...CATEGORIES, ...hits])];
  const byName = <T>(value: (name: string) => T) =>
    Object.fromEntries(names.map((name) => [name, value(name)]));
  return {
    flagged: hits.size > 0,
    categories: byName((name) => hits.has(name)),
    category_scores: byName((name) => (hits.has(name) ? 0.98 : 0.0001)),
    category_applied_input_types: byName(() => ['text']),
  };
}
