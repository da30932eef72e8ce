import type { ErrorCode } from '../core/errors.js';
import type { CanceledUpdate, ErrorUpdate } from './job-update.js';

/**
 * What the SDK adds to the server's error codes: a request that could not be sent in time,
 * a connection that dropped (the client reconnects), a client closed before the outcome,
 * an answer that is not the protocol's.
 */
export type GeneratorErrorCode =
  | ErrorCode
  | 'not_connected'
  | 'connection_lost'
  | 'client_closed'
  | 'protocol_error';

export interface GeneratorErrorDetails {
  /** The request field at fault, when the server named one. */
  param?: string | undefined;
  requestId?: string | undefined;
  objectId?: string | undefined;
}

/** Every failure the SDK reports: the server's error code and message, or its own. */
export class GeneratorError extends Error {
  readonly code: GeneratorErrorCode;
  readonly param: string | undefined;
  readonly requestId: string | undefined;
  readonly objectId: string | undefined;

  constructor(
    code: GeneratorErrorCode,
    message: string,
    details: GeneratorErrorDetails = {},
  ) {
    super(message);
    this.name = 'GeneratorError';
    this.code = code;
    this.param = details.param;
    this.requestId = details.requestId;
    this.objectId = details.objectId;
  }
}

/** What a job's final `error` or `canceled` update means, as the error its result rejects with. */
export function finalUpdateError(
  update: ErrorUpdate | CanceledUpdate,
  requestId: string | undefined,
): GeneratorError {
  const details = { requestId, objectId: update.objectId };
  return update.status === 'canceled'
    ? new GeneratorError('canceled', 'The job was canceled.', details)
    : new GeneratorError(
        update.error.code as GeneratorErrorCode,
        update.error.message,
        details,
      );
}
