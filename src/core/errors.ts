/**
 * Every failure genrelay reports is a GenRelayError: a stable `code` clients can switch on,
 * whether trying again may help, how long to wait first, and the HTTP status the server
 * answers with. Subclasses only fix those values; they add no behaviour.
 */

import type { GenerationKind } from './generation-request.js';

const marker = Symbol.for('genrelay.error');

export type ErrorCode =
  | 'invalid_request'
  | 'authentication_failed'
  | 'permission_denied'
  | 'not_found'
  | 'model_not_found'
  | 'payload_too_large'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'queue_full'
  | 'moderation_rejected'
  | 'upstream_error'
  | 'response_parse_error'
  | 'timeout'
  | 'canceled'
  | 'internal_error';

/** The HTTP status each code is answered with: the one place it is set. */
const statuses: Record<ErrorCode, number> = {
  invalid_request: 400,
  authentication_failed: 401,
  permission_denied: 403,
  not_found: 404,
  model_not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 429,
  queue_full: 429,
  moderation_rejected: 400,
  upstream_error: 502,
  response_parse_error: 502,
  timeout: 504,
  canceled: 499,
  internal_error: 500,
};

export interface GenRelayErrorOptions {
  message: string;
  code: ErrorCode;
  retryable?: boolean;
  retryAfterMs?: number;
  /** The request field at fault, for invalid requests (`messages[0].content`). */
  param?: string;
  /** The provider instance the error came from. */
  provider?: string;
  cause?: unknown;
}

export class GenRelayError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly param: string | undefined;
  readonly provider: string | undefined;

  constructor(options: GenRelayErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = statuses[options.code];
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.provider = options.provider;
  }

  /** Works across copies of this module (a marker, not `instanceof`). */
  static isInstance(error: unknown): error is GenRelayError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

type Details = Omit<GenRelayErrorOptions, 'message' | 'code' | 'status'>;

export class InvalidRequestError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'invalid_request' });
  }
}

/** Credentials are missing or wrong: ours (API key) or the upstream's. */
export class AuthenticationError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'authentication_failed' });
  }
}

/** Credentials are valid but not allowed to do this. */
export class PermissionError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'permission_denied' });
  }
}

export class NotFoundError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'not_found' });
  }
}

/**
 * No provider serves the model; the message lists the models that are served. With no
 * model named, no provider has a default model of the kind asked for.
 */
export class ModelNotFoundError extends GenRelayError {
  readonly model: string;
  constructor(
    model: string,
    validModels: readonly string[],
    details: Details & { kind?: GenerationKind } = {},
  ) {
    const { kind, ...rest } = details;
    const valid =
      validModels.length > 0 ? ` Valid models: ${validModels.join(', ')}` : '';
    super({
      ...rest,
      message:
        model === ''
          ? `No configured provider serves ${kind ?? 'such'} models (see \`genrelay providers\`).`
          : `The model \`${model}\` does not exist or is not served here.${valid}`,
      code: 'model_not_found',
      param: rest.param ?? 'model',
    });
    this.model = model;
  }
}

export class PayloadTooLargeError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'payload_too_large' });
  }
}

export class RateLimitError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ retryable: true, ...details, message, code: 'rate_limited' });
  }
}

/** A usage quota ran out, such as a Hugging Face ZeroGPU allowance. */
export class QuotaExceededError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ retryable: true, ...details, message, code: 'quota_exceeded' });
  }
}

export class QueueFullError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ retryable: true, ...details, message, code: 'queue_full' });
  }
}

export class ModerationError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'moderation_rejected' });
  }
}

/** The upstream answered with an error or broke off. */
export class UpstreamError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'upstream_error' });
  }
}

/** The upstream answered with something that is not what its protocol promises. */
export class ResponseParseError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'response_parse_error' });
  }
}

export class TimeoutError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ retryable: true, ...details, message, code: 'timeout' });
  }
}

/** The caller gave up. 499 is the status nginx made common for a client that went away. */
export class CanceledError extends GenRelayError {
  constructor(message = 'The request was canceled.', details: Details = {}) {
    super({ ...details, message, code: 'canceled' });
  }
}

export class InternalError extends GenRelayError {
  constructor(message: string, details: Details = {}) {
    super({ ...details, message, code: 'internal_error' });
  }
}

/** Any thrown value as a GenRelayError; an abort becomes CanceledError. */
export function toGenRelayError(error: unknown): GenRelayError {
  if (GenRelayError.isInstance(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new CanceledError(undefined, { cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new TimeoutError(error.message, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(message, { cause: error });
}

/**
 * An error told as data (a job's stored error, an error event) as a GenRelayError again,
 * with the status its code carries; an unknown code is an upstream error.
 */
export function errorFromCode(
  code: string,
  message: string,
  details: { retryable?: boolean; retryAfterMs?: number } = {},
): GenRelayError {
  const known = (Object.hasOwn(statuses, code) ? code : 'upstream_error') as ErrorCode;
  return new GenRelayError({ ...details, code: known, message });
}
