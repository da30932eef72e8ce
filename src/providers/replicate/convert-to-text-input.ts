import type { GenerationRequest } from '../../core/generation-request.js';
import { promptFromMessages, systemPrompt } from '../../core/prompt.js';
import type { InputFields } from './input-fields.js';
import { setInput } from './input-names.js';

/**
 * The input of a text model: the conversation as one prompt, and the system prompt on its
 * own when the model takes one (else it leads the prompt, so it is never dropped).
 */
export function convertToTextInput(
  request: GenerationRequest,
  fields: InputFields,
): Record<string, unknown> {
  const system = systemPrompt(request.messages);
  const apart = system !== '' && fields?.has('system_prompt') === true;
  const messages = apart
    ? request.messages.filter((message) => message.role !== 'system')
    : request.messages;
  const input: Record<string, unknown> = { prompt: promptFromMessages(messages) };
  if (apart) input.system_prompt = system;
  setInput(input, fields, ['max_new_tokens', 'max_tokens'], request.maxTokens);
  setInput(input, fields, ['temperature'], request.temperature);
  setInput(input, fields, ['top_p'], request.topP);
  setInput(input, fields, ['stop_sequences'], request.stop?.join(','));
  setInput(input, fields, ['seed'], request.seed);
  return input;
}
