import { type GenRelayError, InvalidRequestError } from '../../core/errors.js';
import { validationError } from '../validation-error.js';
import { type ClientMessage, clientMessageSchemas } from './client-message-schema.js';

export type ParsedClientMessage =
  | { ok: true; message: ClientMessage }
  /** `requestId` is the bad message's own, when it has one, for the client to match. */
  | { ok: false; error: GenRelayError; requestId?: string };

const messageTypes = Object.keys(clientMessageSchemas).join(', ');

/** A client's text frame checked: JSON, a known `message_type`, and its fields. */
export function parseClientMessage(text: string): ParsedClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: new InvalidRequestError(`Malformed JSON: ${reason}`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: new InvalidRequestError(
        `A message must be a JSON object with a message_type (${messageTypes})`,
        { param: 'message_type' },
      ),
    };
  }
  const fields = value as Record<string, unknown>;
  const requestId =
    typeof fields.request_id === 'string' || typeof fields.request_id === 'number'
      ? { requestId: String(fields.request_id) }
      : {};
  const type = fields.message_type;
  if (typeof type !== 'string' || !Object.hasOwn(clientMessageSchemas, type)) {
    const given = type === undefined ? 'missing' : `unknown ${JSON.stringify(type)}`;
    return {
      ok: false,
      error: new InvalidRequestError(
        `message_type: ${given}; expected one of ${messageTypes}`,
        { param: 'message_type' },
      ),
      ...requestId,
    };
  }
  const schema = clientMessageSchemas[type as keyof typeof clientMessageSchemas];
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return { ok: false, error: validationError(parsed.error), ...requestId };
  return { ok: true, message: parsed.data };
}
